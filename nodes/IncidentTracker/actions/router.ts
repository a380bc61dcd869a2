import { createRouter } from '../../shared/n8n/router';
import * as incident from './incident/Incident.resource';

export const router = createRouter({ resources: { incident: incident.operations } });
