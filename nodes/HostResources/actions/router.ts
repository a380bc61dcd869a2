import { createRouter } from '../../shared/n8n/router';
import * as host from './host/Host.resource';

export const router = createRouter({ resources: { host: host.operations } });
