/**
 * What every WhatsApp gateway (Cloud API, Evolution API v2, WAHA) offers the WhatsApp
 * Probe's operations. Provider files hold what differs between gateways — endpoints,
 * auth, and how each one's replies are classified into the result contract — with no
 * n8n types, so they are tested directly against the emulators.
 */
import type { CheckResult } from '../../shared/contract';
import type { LadderRung } from '../../shared/recovery/runRecovery';

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
}
