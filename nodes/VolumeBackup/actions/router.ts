import { createRouter } from '../../shared/n8n/router';
import * as backup from './backup/Backup.resource';

export const router = createRouter({ resources: { backup: backup.operations } });
