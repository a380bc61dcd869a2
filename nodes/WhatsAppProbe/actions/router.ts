import { createRouter } from '../../shared/n8n/router';
import { gatewaySecrets } from '../transport/gateway';
import * as whatsApp from './whatsApp/WhatsApp.resource';

export const router = createRouter({ resources: { whatsApp: whatsApp.operations }, secrets: gatewaySecrets });
