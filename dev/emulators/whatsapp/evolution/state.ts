/** State of the Evolution API emulator: instances, stored messages, webhooks, switches. */
import { randomUUID } from 'node:crypto';

import { digitsOnly } from '../common';
import type { WebhookDelivery } from '../webhooks/sender';

export type EvolutionConnectionState = 'open' | 'connecting' | 'close';
export type EvolutionIntegration = 'WHATSAPP-BAILEYS' | 'WHATSAPP-BUSINESS' | 'EVOLUTION';

export interface EvolutionInstance {
	id: string;
	/** The instance's own API key (`hash` at creation). */
	token: string;
	/** null: not loaded in memory (Evolution then reports `state` undefined). */
	state: EvolutionConnectionState | null;
	integration: EvolutionIntegration;
	ownerJid: string | null;
	profileName: string | null;
	profilePicUrl: string | null;
	number: string | null;
	businessId: string | null;
	disconnectionReasonCode: number | null;
	disconnectionObject: string | null;
	disconnectionAt: string | null;
	createdAt: string;
	updatedAt: string;
	/** QR codes generated so far in the current pairing attempt. */
	qrCount: number;
	counts: { Message: number; Contact: number; Chat: number };
	/** When the current QR was issued (ISO); it expires `qrRotateMs` later, when the next replaces it. */
	qrIssuedAt?: string | null;
	/** The current pairing code (set by `connect?number=`) and the number it pairs; rotates with the QR. */
	pairing?: { code: string; number: string } | null;
	/** Fault: reports `open`, accepts sends (PENDING) that never leave, receives nothing. Healed by a restart. */
	zombie?: boolean;
	/** Fault: the webhook row is wiped as in issue #2694 (`url:""`, `events:[]`); nothing is POSTed until `/webhook/set`. */
	webhookLost?: boolean;
	/** The emulated bot (action `traffic`) answers each direct message this many ms after it arrives; null/absent: no emulated bot. */
	botAnswerMs?: number | null;
	/** Fault: the bot is deaf: customers' messages are stored (and POSTed), the emulated bot answers none. */
	botDeaf?: boolean;
}

export interface EvolutionSentMessage {
	instance: string;
	id: string;
	number: string;
	/** The text, or a media message's caption. */
	text: string;
	at: string;
	/** sendMedia only. */
	mediatype?: EvolutionMediaType;
	mimetype?: string;
	fileName?: string;
	/** Decoded size of base64 media (null for a URL). */
	mediaBytes?: number | null;
}

export type EvolutionMediaType = 'image' | 'video' | 'audio' | 'document';

/** Which methods the restart route answers: 2.2+ code (POST), the docs/older servers (PUT), or both. */
export type EvolutionRestartMethod = 'POST' | 'PUT' | 'both';

/** The instance webhook row (`GET /webhook/find`), read-model names `webhookByEvents`/`webhookBase64`. */
export interface EvolutionWebhookRow {
	id: string;
	url: string;
	headers: Record<string, string> | null;
	enabled: boolean;
	events: string[];
	webhookByEvents: boolean;
	webhookBase64: boolean;
	createdAt: string;
	updatedAt: string;
	instanceId: string;
}

/** WEBHOOK_GLOBAL_* env: sent in addition to the instance webhook, invisible to `/webhook/find`. */
export interface EvolutionGlobalWebhook {
	url: string;
	/** WEBHOOK_GLOBAL_WEBHOOK_BY_EVENTS: POST to `<url>/<event-name>`. */
	byEvents: boolean;
	/** The `WEBHOOK_EVENTS_<NAME>=true` names, e.g. `MESSAGES_UPSERT`. */
	events: string[];
}

/** A `Message` row: what `findMessages` reads. `status` is stored but not selected by findMessages. */
export interface EvolutionStoredMessage {
	id: string;
	key: { id: string; remoteJid: string; fromMe: boolean };
	pushName: string;
	messageType: string;
	message: Record<string, unknown>;
	messageTimestamp: number;
	instanceId: string;
	source: string;
	contextInfo: null;
	status: string;
	/** `MessageUpdate` rows for this message, oldest first. */
	updates: Array<{ id: string; status: string }>;
}

export interface EvolutionState {
	/** AUTHENTICATION_API_KEY. */
	apiKey: string;
	version: string;
	clientName: string;
	whatsappWebVersion: string;
	instances: Record<string, EvolutionInstance>;
	restartHeals: boolean;
	restartCloseQuirk: boolean;
	qrNotReady: boolean;
	metricsEnabled: boolean;
	/** Digits of numbers that are not on WhatsApp. */
	numbersNotOnWhatsApp: string[];
	restartMethod: EvolutionRestartMethod;
	sentMessages: EvolutionSentMessage[];
	/** Instance webhooks by instance name (`POST /webhook/set`). */
	webhooks: Record<string, EvolutionWebhookRow>;
	/** The env-level global webhook, or null (WEBHOOK_GLOBAL_ENABLED=false). */
	globalWebhook: EvolutionGlobalWebhook | null;
	/** AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES: webhooks carry the instance token as `apikey` (else null). */
	exposeApiKeyInWebhooks: boolean;
	/** Stored messages by instance name (DATABASE_SAVE_DATA_NEW_MESSAGE). */
	messages: Record<string, EvolutionStoredMessage[]>;
	/** A pending QR is replaced (and the old one expires) this often. */
	qrRotateMs: number;
	/** QRCODE_LIMIT: after this many QRs pairing stops with `refused`. */
	qrLimit: number;
	/** How long one webhook POST may take. */
	webhookTimeoutMs: number;
	/** Every webhook POST attempted, oldest first. */
	webhookDeliveries: WebhookDelivery[];
}

const CREATED_AT = '2025-01-15T12:00:00.000Z';

export function newInstance(fields: Partial<EvolutionInstance> & Pick<EvolutionInstance, 'token'>): EvolutionInstance {
	return {
		id: randomUUID(),
		state: 'close',
		integration: 'WHATSAPP-BAILEYS',
		ownerJid: null,
		profileName: null,
		profilePicUrl: null,
		number: null,
		businessId: null,
		disconnectionReasonCode: null,
		disconnectionObject: null,
		disconnectionAt: null,
		createdAt: CREATED_AT,
		updatedAt: CREATED_AT,
		qrCount: 0,
		counts: { Message: 0, Contact: 0, Chat: 0 },
		...fields,
	};
}

export const evolutionDefaults: EvolutionState = {
	apiKey: 'evo-test-global-key',
	version: '2.3.6',
	clientName: 'evolution_exchange',
	whatsappWebVersion: '2.3000.1028450369',
	instances: {
		ventas: newInstance({
			id: '7c0f6a3e-2f4e-4a61-9d3b-5f6a2b1c9e01',
			token: 'evo-ventas-instance-token',
			// The faults' switches, off (chaos heal turns them off again: the same state).
			zombie: false,
			webhookLost: false,
			botDeaf: false,
			state: 'open',
			ownerJid: '5215512345678@s.whatsapp.net',
			profileName: 'Tienda Ventas',
			profilePicUrl: 'https://pps.whatsapp.net/v/t61.24694-24/ventas.jpg',
			number: '5215512345678',
			counts: { Message: 1280, Contact: 342, Chat: 97 },
		}),
	},
	restartHeals: true,
	restartCloseQuirk: true,
	qrNotReady: false,
	metricsEnabled: false,
	numbersNotOnWhatsApp: ['5215500000000'],
	restartMethod: 'both',
	sentMessages: [],
	webhooks: {},
	globalWebhook: null,
	exposeApiKeyInWebhooks: true,
	messages: {},
	// Not in the reference: WhatsApp Web shows a new QR about every 20 s (secondary sources), and
	// QRCODE_LIMIT=30 is what Evolution deployments set; both UNVERIFIED against Evolution's code.
	qrRotateMs: 20_000,
	qrLimit: 30,
	webhookTimeoutMs: 5_000,
	webhookDeliveries: [],
};

/** The instance's phone number (digits), from `number` or `ownerJid`; null while never paired. */
export function instanceNumber(instance: EvolutionInstance): string | null {
	const raw = instance.number ?? instance.ownerJid?.split('@')[0] ?? null;
	return raw ? digitsOnly(raw) : null;
}
