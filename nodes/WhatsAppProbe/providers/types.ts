/**
 * What every WhatsApp gateway (Cloud API, Evolution API v2, WAHA) offers the WhatsApp
 * Probe's operations. Provider files hold what differs between gateways — endpoints,
 * auth, and how each one's replies are classified into the result contract — with no
 * n8n types, so they are tested directly against the emulators.
 */
import type { Cause, CheckResult } from '../../shared/contract';
import type { LadderRung } from '../../shared/recovery/runRecovery';
import type { CanaryInboxMessage } from '../conversation/botReply';
import type { GatewayLookup } from '../conversation/verdict';
import type { HistoryReading } from '../passive/history';
import type { ExpectedWebhook } from '../webhook/expectedWebhook';
import type { RestoreSecrets } from '../webhook/restoreWebhook';
import type { WebhookReading } from '../webhook/webhookConfig';

export type GatewayKind = 'cloudApi' | 'evolution' | 'waha';

export interface GatewayCallOptions {
	/** Per-call deadline in ms (contract default 10 s). */
	timeoutMs: number;
	/** The whole recovery's deadline: when it aborts, every call still waiting ends as a timeout. */
	signal?: AbortSignal;
}

export interface CheckOptions extends GatewayCallOptions {
	/** Optional round trip: send this text to a test number and report the gateway's acceptance. */
	roundTrip?: { to: string; text: string };
}

/** A QR code (or pairing code) a human must scan/enter to relink the session. */
export interface QrCode {
	/** PNG bytes of the QR image, when the gateway produced one. */
	png?: Buffer;
	/** The raw QR payload (e.g. `2@…`), when the gateway exposes it. */
	code?: string;
	/** Phone pairing code (e.g. `WZYEH1YY`), when one was requested. */
	pairingCode?: string;
}

export type QrOutcome =
	| { pending: true; qr: QrCode }
	/** No QR is pending: `reason` says why (already connected, not ready yet, ...). */
	| { pending: false; reason: string; result: CheckResult };

export interface SentMessage {
	/** The gateway's message id (wamid.…, Baileys key id, ...). */
	messageId: string;
	/** The gateway's own word on acceptance, e.g. `accepted`, `PENDING`. */
	status?: string;
}

export type SendOutcome = { ok: true; message: SentMessage; durationMs: number } | { ok: false; result: CheckResult };

/** One rung of the recovery ladder; a relink rung returns the QR a human must scan. */
export type RecoveryRung = LadderRung<{ qr?: QrCode }>;

/** Which stored message to look for in the chat with `peer` (a phone number in international format). */
export interface MessageQuery {
	/** The other side of the chat: the canary's number on the bot's gateway, the bot's on the canary's. */
	peer: string;
	/** Sent by this gateway's number (outbound) or received (inbound). */
	fromMe: boolean;
	/** The id the sending gateway gave the message (matched across gateways' id spellings). */
	messageId?: string;
	/** A canary nonce the message text carries. */
	nonce?: string;
	/** A text the message must equal (fallback when ids differ between gateways). */
	text?: string;
	/** Only messages stamped at or after this epoch ms (minus the gateways' one-second resolution). */
	since?: number;
}

/** The messages of one chat, newest first as the gateway stores them; `unsupported` for Cloud API. */
export type ChatReading =
	| { ok: true; messages: CanaryInboxMessage[]; durationMs: number }
	| { ok: false; unsupported: true }
	| { ok: false; unsupported?: false; cause: Cause; durationMs: number };

/** The gateway's webhook configuration read into one shape (never a header value or key). */
export type WebhookReadOutcome =
	| { ok: true; reading: WebhookReading; durationMs: number }
	| { ok: false; cause: Cause; durationMs: number };

export interface WebhookRestoreOutcome {
	ok: boolean;
	/** What was done or why not, redacted. */
	message: string;
	/** WAHA restarts the session to apply a config. */
	restartedSession?: boolean;
	durationMs: number;
}

export interface WhatsAppGateway {
	readonly kind: GatewayKind;
	/** Contract target, e.g. `evolution:ventas`, `waha:default`, `cloudapi:106853218861309`. */
	readonly target: string;
	/** Secret values of the credential, for redaction. */
	readonly secrets: string[];
	check(options: CheckOptions): Promise<CheckResult>;
	/**
	 * The actions that could fix this state, in escalation order (reconnect before relink).
	 * Empty when nothing automatic can help (e.g. a revoked token): the caller escalates.
	 */
	recoveryLadder(state: CheckResult, options: GatewayCallOptions): RecoveryRung[];
	getQr(options: GatewayCallOptions & { pairingNumber?: string }): Promise<QrOutcome>;
	sendText(to: string, text: string, options: GatewayCallOptions): Promise<SendOutcome>;
	sendImage(to: string, image: { data: Buffer; mimeType: string; fileName?: string }, caption: string, options: GatewayCallOptions): Promise<SendOutcome>;
	/**
	 * Read-back of one message on this gateway (Evolution `findMessages`, WAHA chat messages):
	 * found by id or by nonce; `unsupported` where there is no read-back (Cloud API).
	 */
	findMessage(query: MessageQuery, options: GatewayCallOptions): Promise<GatewayLookup>;
	/** The latest messages of the chat with `peer` (the canary reading its inbox for the bot's reply). */
	readChat(peer: string, options: GatewayCallOptions): Promise<ChatReading>;
	/**
	 * Every direct chat's messages stored between `from` and `to` (epoch ms), for the passive
	 * check (passive/history.ts); `unsupported` with the reason where the gateway keeps none (Cloud API).
	 */
	readHistory(from: number, to: number, options: GatewayCallOptions): Promise<HistoryReading>;
	/** Evolution `GET /webhook/find`, WAHA session config, Meta `subscribed_apps`. */
	getWebhookConfig(options: GatewayCallOptions): Promise<WebhookReadOutcome>;
	/** Puts the expected webhook back (webhook/restoreWebhook.ts builds the request). */
	restoreWebhook(expected: ExpectedWebhook, secrets: RestoreSecrets, options: GatewayCallOptions): Promise<WebhookRestoreOutcome>;
}
