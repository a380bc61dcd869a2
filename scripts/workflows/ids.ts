/** Fixed ids the shipped workflows use for each other and for the credentials `npm start` creates from `.env`. */
import { RECOVER_WORKFLOW_ID } from '../../nodes/shared/workflowIds';

export const WORKFLOW_IDS = {
	monitor: 'arMonitor0000001',
	recover: RECOVER_WORKFLOW_ID,
	alert: 'arAlert000000001',
	errorHandler: 'arErrorHandler01',
	backup: 'arBackup00000001',
	dailyReport: 'arDailyReport001',
	logArchive: 'arMaintLogArch01',
} as const;

export const CREDENTIALS = {
	postgres: { id: 'autorecoveryPg001', name: 'Autorecovery Postgres' },
	smtp: { id: 'autorecoverySmtp01', name: 'Autorecovery alerts SMTP' },
	evolution: { id: 'autorecoveryEvo001', name: 'Autorecovery Evolution API' },
	waha: { id: 'autorecoveryWaha01', name: 'Autorecovery WAHA' },
	cloudApi: { id: 'autorecoveryMeta01', name: 'Autorecovery WhatsApp Cloud API' },
	supabase: { id: 'autorecoverySb0001', name: 'Autorecovery Supabase' },
	mercadopago: { id: 'autorecoveryMp0001', name: 'Autorecovery MercadoPago' },
	paypal: { id: 'autorecoveryPp0001', name: 'Autorecovery PayPal' },
	groq: { id: 'autorecoveryGroq01', name: 'Autorecovery Groq' },
	openai: { id: 'autorecoveryOai001', name: 'Autorecovery OpenAI' },
	anthropic: { id: 'autorecoveryAnt001', name: 'Autorecovery Anthropic' },
	slackWebhook: { id: 'autorecoverySlack01', name: 'Autorecovery Slack Webhook' },
	webhookToken: { id: 'autorecoveryWebhook1', name: 'Autorecovery webhook token' },
	statusPage: { id: 'autorecoveryStatus01', name: 'Autorecovery status page login' },
	n8nApi: { id: 'autorecoveryN8nApi01', name: 'Autorecovery n8n API' },
} as const;

/** Fixed webhook ids (n8n wants UUIDs) of the Monitor's API endpoints. */
export const WEBHOOK_IDS = {
	recoveryRequest: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a61',
	recoveryLog: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a62',
	recoveryStats: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a63',
	statusPage: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a64',
} as const;
