import { createRouter } from '../../shared/n8n/router';
import * as history from './history/History.resource';
import * as report from './report/Report.resource';

export const router = createRouter({ resources: { history: history.operations, report: report.operations } });
