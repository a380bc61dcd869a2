import { createRouter } from '../../shared/n8n/router';
import * as alert from './alert/Alert.resource';

export const router = createRouter({ resources: { alert: alert.operations } });
