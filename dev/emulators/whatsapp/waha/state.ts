/** State of the WAHA emulator: sessions, stored messages, webhooks, switches. */
import type { WebhookDelivery } from '../webhooks/sender';

export type WahaStatus = 'STOPPED' | 'STARTING' | 'SCAN_QR_CODE' | 'WORKING' | 'FAILED';

export interface WahaAccount {
	id: string;
	pushName: string;
}

export interface WahaSession {
	status: WahaStatus;
	config: Record<string, unknown>;
	/** Stored WhatsApp auth; null once logged out or never paired. Reported as `me` while WORKING. */
	account: WahaAccount | null;
	/** QR codes generated so far (each start into SCAN_QR_CODE makes a new one). */
	qrCount: number;
	/** While STARTING: the status the session settles into and when (epoch ms). */
	pending: { status: WahaStatus; at: number } | null;
	/** The current pairing code (request-code) and its phone; rotates with the QR. */
	pairing?: { code: string; number: string } | null;
	/** The last status changes, newest last (`session.status` payload `statuses`). */
	history?: Array<{ status: WahaStatus; timestamp: number }>;
	/** Fault: reports WORKING, accepts sends (ack 0 PENDING) that never leave, receives nothing. Healed by a restart. */
	zombie?: boolean;
	/** Fault: the session's webhooks are gone (WAHA Core after a container restart, #1136): config shows none, nothing is POSTed. */
	webhookLost?: boolean;
	/** The emulated bot (action `traffic`) answers each direct message this many ms after it arrives; null/absent: no emulated bot. */
	botAnswerMs?: number | null;
	/** Fault: the bot is deaf: customers' messages are stored (and POSTed), the emulated bot answers none. */
	botDeaf?: boolean;
}

/** One stored message, in WAHA's WAMessage shape (`GET /api/{session}/chats/{chatId}/messages`). */
export interface WahaStoredMessage {
	id: string;
	timestamp: number;
	from: string;
	fromMe: boolean;
	source: 'api' | 'app';
	to: string;
	body: string;
	hasMedia: boolean;
	media: null;
	ack: number;
	ackName: string;
	replyTo: null;
	_data: Record<string, unknown>;
	/** The chat it belongs to (not in WAHA's reply; used to answer per-chat reads). */
	chatId: string;
}

/** A webhook as WAHA configures it (session `config.webhooks[]` or the WHATSAPP_HOOK_* env). */
export interface WahaWebhookConfig {
	url: string;
	events: string[];
	hmac?: { key: string | null } | null;
	retries?: unknown;
	customHeaders?: Array<{ name: string; value: string }> | null;
}

export interface WahaSentMessage {
	session: string;
	id: string;
	chatId: string;
	/** The text, or an image's caption ('' when it has none). */
	text: string;
	at: string;
	/** Set for sendImage: what was attached (`bytes` is the decoded size of `data`, 0 for a URL). */
	media?: { mimetype: string; filename: string | null; bytes: number; url: string | null };
}

export interface WahaState {
	/** WAHA_API_KEY: plain or `sha512:<hex>`; null = WAHA_NO_API_KEY. */
	apiKey: string | null;
	/** WHATSAPP_API_KEY_EXCLUDE_PATH entries, e.g. 'health'. */
	apiKeyExcludePaths: string[];
	version: string;
	engine: 'WEBJS' | 'NOWEB' | 'GOWS';
	sessions: Record<string, WahaSession>;
	/** How long the QR route waits for SCAN_QR_CODE (real server: 5000). */
	qrWaitMs: number;
	/** How long a start reports STARTING before settling (0: settles at once). */
	startingMs: number;
	restartHeals: boolean;
	unhealedStatus: 'FAILED' | 'SCAN_QR_CODE' | 'STARTING' | 'STOPPED';
	healthy: boolean;
	sentMessages: WahaSentMessage[];
	/** Stored messages by session name. */
	messages: Record<string, WahaStoredMessage[]>;
	/** WHATSAPP_HOOK_URL & co.: sent in addition to session webhooks, not shown in session config. */
	globalWebhook: WahaWebhookConfig | null;
	/** A pending QR is replaced this often (each refresh re-sends `session.status` SCAN_QR_CODE). */
	qrRotateMs: number;
	/** After this many QRs without a scan the session goes FAILED (UNVERIFIED). */
	qrLimit: number;
	/** How long one webhook POST may take. */
	webhookTimeoutMs: number;
	/** Every webhook POST attempted, oldest first. */
	webhookDeliveries: WebhookDelivery[];
}

export const wahaDefaults: WahaState = {
	apiKey: 'waha-test-key',
	apiKeyExcludePaths: [],
	version: '2024.10.8',
	engine: 'WEBJS',
	sessions: {
		default: {
			status: 'WORKING',
			config: { debug: false, webhooks: [] },
			account: { id: '5215512345678@c.us', pushName: 'Tienda Ventas' },
			qrCount: 0,
			pending: null,
		},
	},
	qrWaitMs: 0,
	startingMs: 0,
	restartHeals: true,
	unhealedStatus: 'FAILED',
	healthy: true,
	sentMessages: [],
	messages: {},
	globalWebhook: null,
	// Not in the reference: WhatsApp Web refreshes its QR about every 20 s (secondary sources);
	// how many refreshes WAHA allows before FAILED is UNVERIFIED.
	qrRotateMs: 20_000,
	qrLimit: 6,
	webhookTimeoutMs: 5_000,
	webhookDeliveries: [],
};
