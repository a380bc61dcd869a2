/**
 * Pure readers of Evolution API v2 replies (no I/O): connection states, the 200
 * `{"error":true}` quirk, QR objects, sent-message bodies and error envelopes, and the
 * contract causes they map to. Kept apart from the gateway so every branch is unit-tested
 * without a server. Shapes after /work/shared/reference/apis.md §2.
 */
import { commonCause } from '../../shared/causes';
import type { Cause, Status } from '../../shared/contract';
import { causeOfHttpFailure, type HttpFailure } from '../../shared/http';
import type { QrCode } from './types';
import { isRecord } from '../../shared/json';

type EvolutionConnectionState = 'open' | 'connecting' | 'close';

/** Causes only the Evolution gateway reports (whatsapp.*) or that the shared list lacks. */
export const EVOLUTION_CAUSES = {
	/** Socket closed (logged out, or never paired): a restart or a new QR is needed. */
	'whatsapp.disconnected': { retryable: false, needsHuman: false },
	/** Pairing in progress and a QR is waiting to be scanned by a person. */
	'whatsapp.qr_required': { retryable: false, needsHuman: true },
	/** Socket connecting with no QR yet: usually a handshake that finishes by itself. */
	'whatsapp.connecting': { retryable: true, needsHuman: false },
	/** The instance exists but is not loaded in the server's memory (state undefined). */
	'whatsapp.instance_not_loaded': { retryable: false, needsHuman: false },
	/** Baileys' `refused`: the QR limit was reached without a scan. */
	'whatsapp.qr_limit_reached': { retryable: false, needsHuman: true },
	/** A state string this code does not know. */
	'whatsapp.unknown_state': { retryable: false, needsHuman: true },
	/** connect answered `{"count":0}`: the QR is not generated yet (issue #2385). */
	'whatsapp.qr_not_ready': { retryable: true, needsHuman: false },
	/** sendText/sendMedia: the recipient number has no WhatsApp account. */
	'whatsapp.recipient_not_on_whatsapp': { retryable: false, needsHuman: true },
	/** The configured instance name does not exist on the server. */
	'config.unknown_instance': { retryable: false, needsHuman: true },
} as const satisfies Record<string, { retryable: boolean; needsHuman: boolean }>;

type EvolutionCauseCode = keyof typeof EVOLUTION_CAUSES;

export function evolutionCause(code: EvolutionCauseCode, message: string): Cause {
	return { code, message, ...EVOLUTION_CAUSES[code] };
}


// ---------------------------------------------------------------- connection state

type EvolutionStateReading =
	| { kind: 'state'; state: EvolutionConnectionState }
	/** `{"instance":{"instanceName":"x"}}` with no `state`: not loaded in memory. */
	| { kind: 'not_loaded' }
	| { kind: 'refused' }
	| { kind: 'unknown_state'; state: string }
	/** HTTP 200 `{"error":true,...}`. */
	| { kind: 'error'; message: string }
	| { kind: 'unrecognised' };

const KNOWN_STATES: readonly string[] = ['open', 'connecting', 'close'];

/** Reads a `GET /instance/connectionState` (or `connect` on an open instance) body. */
export function classifyEvolutionState(body: unknown): EvolutionStateReading {
	if (isEvolutionErrorBody(body)) return { kind: 'error', message: evolutionErrorBodyMessage(body) };
	if (!isRecord(body) || !isRecord(body.instance)) return { kind: 'unrecognised' };
	const state = body.instance.state;
	if (state === undefined || state === null) return { kind: 'not_loaded' };
	if (typeof state !== 'string') return { kind: 'unrecognised' };
	if (KNOWN_STATES.includes(state)) return { kind: 'state', state: state as EvolutionConnectionState };
	if (state === 'refused') return { kind: 'refused' };
	return { kind: 'unknown_state', state };
}

/** The value reported as `details.state`: the Baileys state, or what stood in for one. */
export function stateLabel(reading: EvolutionStateReading): string | null {
	switch (reading.kind) {
		case 'state':
			return reading.state;
		case 'not_loaded':
			return 'not_loaded';
		case 'refused':
			return 'refused';
		case 'unknown_state':
			return reading.state;
		default:
			return null;
	}
}

interface StateVerdict {
	status: Status;
	/** Present unless healthy. */
	cause?: Cause;
	/** One line for the check entry when healthy. */
	message: string;
}

/**
 * What a connection state means for the bot. `qrPending` says whether `connect` showed a QR
 * waiting to be scanned (only asked for `connecting`; undefined when unknown).
 */
export function stateVerdict(reading: EvolutionStateReading, instance: string, qrPending?: boolean): StateVerdict {
	const name = `Evolution instance "${instance}"`;
	const unhealthy = (status: Status, cause: Cause): StateVerdict => ({ status, cause, message: cause.message });
	switch (reading.kind) {
		case 'state':
			if (reading.state === 'open') return { status: 'healthy', message: `${name} is open (connected to WhatsApp).` };
			if (reading.state === 'close') {
				return unhealthy('down', evolutionCause('whatsapp.disconnected', `${name} is disconnected from WhatsApp (state close); restart it or link it again with a QR.`));
			}
			return qrPending
				? unhealthy('degraded', evolutionCause('whatsapp.qr_required', `${name} is waiting for a QR scan; open WhatsApp on the phone and scan the new QR.`))
				: unhealthy('degraded', evolutionCause('whatsapp.connecting', `${name} is connecting to WhatsApp: finishing the handshake, or waiting for a QR scan (use Get QR to see one).`));
		case 'not_loaded':
			return unhealthy('down', evolutionCause('whatsapp.instance_not_loaded', `${name} exists but is not loaded on the server (no state); restart or reconnect it.`));
		case 'refused':
			return unhealthy('down', evolutionCause('whatsapp.qr_limit_reached', `${name} refused the connection after too many unscanned QR codes; request a new QR and scan it.`));
		case 'unknown_state':
			return unhealthy('down', evolutionCause('whatsapp.unknown_state', `${name} reports the unknown state "${reading.state}".`));
		case 'error':
			return unhealthy('down', evolutionCause('whatsapp.instance_not_loaded', `${name} answered with an error instead of a state (${reading.message}); it is probably not loaded.`));
		case 'unrecognised':
			return unhealthy('down', commonCause('provider.malformed_response', 'Evolution API sent a connection state that could not be read.'));
	}
}

// ---------------------------------------------------------------- error bodies

/**
 * The controller quirk: a plain-object exception caught and answered as HTTP 200
 * `{"error":true,"message":"[object Object]"}` (restart of a closed instance, connect of an
 * unloaded one). The global error envelope carries `error` as a string, never `true`.
 */
export function isEvolutionErrorBody(body: unknown): body is { error: true; message?: unknown } {
	return isRecord(body) && body.error === true;
}

function evolutionErrorBodyMessage(body: { message?: unknown }): string {
	return typeof body.message === 'string' && body.message !== '' ? body.message : 'no message';
}

/** The `response.message` of an error envelope as text lines (objects are JSON-encoded). */
export function evolutionErrorMessages(body: unknown): string[] {
	if (!isRecord(body)) return typeof body === 'string' && body !== '' ? [body] : [];
	const response = body.response;
	const message = isRecord(response) ? response.message : body.message;
	const items = Array.isArray(message) ? message : message === undefined || message === null ? [] : [message];
	return items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/** 404 from instanceExistsGuard (`The "x" instance does not exist`), as opposed to an unknown route. */
export function isUnknownInstanceReply(status: number | undefined, body: unknown): boolean {
	return status === 404 && evolutionErrorMessages(body).some((m) => /instance does not exist/i.test(m));
}

/** The route (or method) does not exist on this server version: `Cannot POST /x`, or 405. */
export function isMissingRouteReply(status: number | undefined, body: unknown): boolean {
	if (status === 405) return true;
	return status === 404 && evolutionErrorMessages(body).some((m) => /^Cannot [A-Z]+ \//.test(m));
}

/** logout of an instance that is already closed: 400 `The "x" instance is not connected`. */
export function isNotConnectedReply(status: number | undefined, body: unknown): boolean {
	return status === 400 && evolutionErrorMessages(body).some((m) => /not connected/i.test(m));
}

/** A send on a socket that is not open: the Baileys "Connection Closed" through the global handler. */
export function isConnectionClosedReply(status: number | undefined, body: unknown): boolean {
	return status !== undefined && status >= 500 && evolutionErrorMessages(body).some((m) => /connection closed/i.test(m));
}

/** Numbers a send was refused for because they have no WhatsApp (`[{jid,exists:false,number}]`). */
export function numbersNotOnWhatsApp(status: number | undefined, body: unknown): string[] {
	if (status !== 400 || !isRecord(body) || !isRecord(body.response) || !Array.isArray(body.response.message)) return [];
	return body.response.message
		.filter((item): item is Record<string, unknown> => isRecord(item) && item.exists === false)
		.map((item) => (typeof item.number === 'string' ? item.number : typeof item.jid === 'string' ? item.jid.split('@')[0] : '?'));
}

/**
 * The contract cause of a failed Evolution call: the Evolution-specific readings first
 * (unknown instance, closed connection, recipient not on WhatsApp), then the shared mapping.
 */
export function classifyEvolutionFailure(failure: HttpFailure, instance: string): Cause {
	if (isUnknownInstanceReply(failure.status, failure.data)) {
		return evolutionCause('config.unknown_instance', `Evolution API has no instance named "${instance}"; check the instance name in n8n.`);
	}
	if (isConnectionClosedReply(failure.status, failure.data)) {
		return evolutionCause('whatsapp.disconnected', `Evolution instance "${instance}" has no open WhatsApp connection ("Connection Closed").`);
	}
	const missing = numbersNotOnWhatsApp(failure.status, failure.data);
	if (missing.length > 0) {
		return evolutionCause('whatsapp.recipient_not_on_whatsapp', `The number ${missing.join(', ')} is not on WhatsApp; use a number that has a WhatsApp account.`);
	}
	return causeOfHttpFailure(failure, 'Evolution API');
}

// ---------------------------------------------------------------- QR / connect

export type EvolutionConnectReading =
	/** A QR object: a person must scan `qr` (or type its pairing code). */
	| { kind: 'qr'; qr: QrCode; count: number }
	/** `{"count":0}`: pairing started but the QR is not generated yet. */
	| { kind: 'not_ready' }
	/** A connectionState body (what connect/restart answer for an open instance). */
	| { kind: 'state'; reading: EvolutionStateReading }
	/** HTTP 200 `{"error":true,...}`. */
	| { kind: 'error'; message: string }
	| { kind: 'unrecognised' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG bytes of a `data:image/png;base64,…` URI (or bare base64); undefined when not a PNG. */
export function pngFromDataUri(value: unknown): Buffer | undefined {
	if (typeof value !== 'string') return undefined;
	const match = /^data:image\/png;base64,(.*)$/s.exec(value.trim());
	const base64 = (match ? match[1] : value).replace(/\s/g, '');
	if (base64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
	const bytes = Buffer.from(base64, 'base64');
	return bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE) ? bytes : undefined;
}

/** Reads a `GET /instance/connect` (or restart) reply: QR object, not-ready, state or error. */
export function parseEvolutionQr(body: unknown): EvolutionConnectReading {
	if (isEvolutionErrorBody(body)) return { kind: 'error', message: evolutionErrorBodyMessage(body) };
	if (!isRecord(body)) return { kind: 'unrecognised' };
	if (isRecord(body.instance)) return { kind: 'state', reading: classifyEvolutionState(body) };
	const png = pngFromDataUri(body.base64);
	const code = typeof body.code === 'string' && body.code !== '' ? body.code : undefined;
	const pairingCode = typeof body.pairingCode === 'string' && body.pairingCode !== '' ? body.pairingCode : undefined;
	const count = typeof body.count === 'number' ? body.count : undefined;
	if (png || code || pairingCode) {
		const qr: QrCode = { ...(png ? { png } : {}), ...(code ? { code } : {}), ...(pairingCode ? { pairingCode } : {}) };
		return { kind: 'qr', qr, count: count ?? 1 };
	}
	if (count !== undefined) return { kind: 'not_ready' };
	return { kind: 'unrecognised' };
}

// ---------------------------------------------------------------- sent messages

interface EvolutionSentMessage {
	/** Baileys key id, e.g. `3EB0…`. */
	messageId: string;
	/** ERROR | PENDING | SERVER_ACK | DELIVERY_ACK | READ | PLAYED. */
	status?: string;
	remoteJid?: string;
}

/** Reads the 201 "messageRaw" of sendText/sendMedia; undefined when it has no key id. */
export function parseSentMessage(body: unknown): EvolutionSentMessage | undefined {
	if (!isRecord(body) || !isRecord(body.key) || typeof body.key.id !== 'string' || body.key.id === '') return undefined;
	return {
		messageId: body.key.id,
		...(typeof body.status === 'string' ? { status: body.status } : {}),
		...(typeof body.key.remoteJid === 'string' ? { remoteJid: body.key.remoteJid } : {}),
	};
}

/** Evolution takes digits (or a full JID for groups); drop `+`, spaces and dashes. */
export function normaliseRecipient(to: string): string {
	const trimmed = to.trim();
	return trimmed.includes('@') ? trimmed : trimmed.replace(/\D/g, '');
}

const IMAGE_EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
};

/** A file name for sendMedia when the caller gave none, with the extension of the MIME type. */
export function defaultImageFileName(mimeType: string): string {
	return `image.${IMAGE_EXTENSIONS[mimeType.toLowerCase()] ?? 'bin'}`;
}

// ---------------------------------------------------------------- after a relink

/**
 * The state after a recovery that handed out a fresh QR. The Check never asks for a QR (that
 * could replace the one just sent), so it reads the instance as `connecting`; once this
 * recovery has issued a QR, that state is the wait for a person's scan, and saying so makes
 * the alert ask for the scan instead of promising another automatic restart.
 */
export function awaitingScan<T extends { status: Status; cause?: Cause; checks: Array<{ code?: string; message: string }>; details?: Record<string, unknown> }>(
	result: T,
	instance: string,
): T {
	if (result.cause?.code !== 'whatsapp.connecting') return result;
	const verdict = stateVerdict({ kind: 'state', state: 'connecting' }, instance, true);
	const cause = verdict.cause ?? result.cause;
	return {
		...result,
		cause,
		checks: result.checks.map((check) => (check.code === 'whatsapp.connecting' ? { ...check, code: cause.code, message: cause.message } : check)),
		details: { ...(result.details ?? {}), qrPending: true },
	};
}
