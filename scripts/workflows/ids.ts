/** Fixed ids the shipped workflows use for each other and for the credentials `npm start` creates from `.env`. */
export const WORKFLOW_IDS = {
	monitor: 'arMonitor0000001',
	recover: 'arRecover0000001',
	alert: 'arAlert000000001',
	errorHandler: 'arErrorHandler01',
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
} as const;
