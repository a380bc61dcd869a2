import { createRouter } from '../../shared/n8n/router';
import { providerSecrets } from '../transport/provider';
import * as paymentLink from './paymentLink/PaymentLink.resource';

export const router = createRouter({ resources: { paymentLink: paymentLink.operations }, secrets: providerSecrets });
