/**
 * The public API hosts of every provider, used when a credential leaves its base URL
 * empty. The one place they are written: credentials (defaults and tests), nodes and
 * `npm start` read them from here.
 */
export const PROVIDER_BASE_URLS = {
	metaGraph: 'https://graph.facebook.com',
	mercadopago: 'https://api.mercadopago.com',
	paypalLive: 'https://api-m.paypal.com',
	paypalSandbox: 'https://api-m.sandbox.paypal.com',
	groq: 'https://api.groq.com',
	openai: 'https://api.openai.com/v1',
	anthropic: 'https://api.anthropic.com',
} as const;
