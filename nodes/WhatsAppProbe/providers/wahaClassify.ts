/**
 * How WAHA's replies map onto the result contract: session statuses, its error bodies
 * (Nest 404s, the 422 "status is not as expected"), message ids, QR replies, and which
 * recovery a state calls for. Pure functions with no I/O, so every rule is unit-tested
 * without a server; waha.ts does the calls.
 */
import { commonCause } from '../../shared/causes';
import { SESSION_RESTART_MAY_FIX } from '../conversation/causes';
import type { Cause, CheckResult, Status } from '../../shared/contract';
import { causeOfHttpFailure, type HttpFailure } from '../../shared/http';
import { isRecord } from '../../shared/json';

/** Used in cause messages, so a person knows which gateway is meant. */
export const WAHA = 'WAHA';

/** WhatsApp-specific cause codes this gateway produces, with their fixed flags. */
const WAHA_CAUSES = {
	// Comes up by itself within seconds.
	'whatsapp.starting': { retryable: true, needsHuman: false },
	// Only a person scanning the QR (or entering a pairing code) links the phone again.
	'whatsapp.qr_required': { retryable: false, needsHuman: true },
	// Stays broken until restarted, which automation may do.
	'whatsapp.disconnected': { retryable: false, needsHuman: false },
	// A status this code does not know: a person should look before automation acts on it.
	'whatsapp.unknown_status': { retryable: false, needsHuman: true },
	// The configured session name does not exist on the server.
	'config.unknown_session': { retryable: false, needsHuman: true },
} as const satisfies Record<string, Omit<Cause, 'code' | 'message'>>;

type WahaCauseCode = keyof typeof WAHA_CAUSES;

function wahaCause(code: WahaCauseCode, message: string): Cause {
	return { code, message, ...WAHA_CAUSES[code] };
}

// ---------------------------------------------------------------- session info

/** The parts of WAHA's SessionInfo the probe reports; nothing secret is kept. */
export interface WahaSessionInfo {
	name: string | null;
	/** As reported: newer servers may add statuses this code does not know. */
	status: string;
	/** Newer servers send `engine: {engine: 'WEBJS', ...}`, older ones a plain string. */
	engine: string | null;
	/** The bot's own account (its number and display name), present while WORKING. */
	me: { id: string; pushName: string | null } | null;
}


function stringOrNull(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads a SessionInfo body; null when it is not one (no status string): a malformed reply. */
export function parseWahaSessionInfo(data: unknown): WahaSessionInfo | null {
	if (!isRecord(data) || typeof data.status !== 'string' || data.status === '') return null;
	const engine = isRecord(data.engine) ? stringOrNull(data.engine.engine) : stringOrNull(data.engine);
	const me = isRecord(data.me) && typeof data.me.id === 'string' ? { id: data.me.id, pushName: stringOrNull(data.me.pushName) } : null;
	return { name: stringOrNull(data.name), status: data.status, engine, me };
}

/** Safe `details` for a result: the session's facts, never the credential. */
export function wahaDetails(session: string, info: WahaSessionInfo | null): Record<string, unknown> {
	return { session, status: info?.status ?? null, engine: info?.engine ?? null, me: info?.me ?? null };
}

interface SessionVerdict {
	status: Status;
	message: string;
	/** Present unless healthy. */
	cause?: Cause;
}

/** The contract status of a session status: WORKING healthy, STARTING degraded, the rest down. */
export function classifyWahaSession(sessionStatus: string, session: string): SessionVerdict {
	const name = `${WAHA} session '${session}'`;
	const down = (code: WahaCauseCode, message: string): SessionVerdict => ({ status: 'down', message, cause: wahaCause(code, message) });
	switch (sessionStatus) {
		case 'WORKING':
			return { status: 'healthy', message: `${name} is WORKING.` };
		case 'STARTING': {
			const message = `${name} is STARTING; it should be WORKING within moments.`;
			return { status: 'degraded', message, cause: wahaCause('whatsapp.starting', message) };
		}
		case 'SCAN_QR_CODE':
			return down('whatsapp.qr_required', `${name} is logged out and waits for a QR scan: a person must link the phone again.`);
		case 'FAILED':
			return down('whatsapp.disconnected', `${name} FAILED; restarting the session usually reconnects it.`);
		case 'STOPPED':
			return down('whatsapp.disconnected', `${name} is STOPPED; starting it reconnects WhatsApp.`);
		default:
			return down('whatsapp.unknown_status', `${name} reports an unknown status '${sessionStatus}'; check the WAHA server.`);
	}
}

function unknownSessionCause(session: string): Cause {
	return wahaCause('config.unknown_session', `${WAHA} has no session named '${session}'; create it or fix the session name in n8n.`);
}

function sessionNotRunningCause(session: string): Cause {
	return wahaCause('whatsapp.disconnected', `${WAHA} session '${session}' is not running (stopped or missing); start it first.`);
}

// ---------------------------------------------------------------- error bodies

/** The 422 body of routes that need a given status: `{error, session, status, expected}`. */
export function parseStatusNotExpected(data: unknown): { status: string; expected: string[] } | null {
	if (!isRecord(data) || typeof data.status !== 'string' || !Array.isArray(data.expected)) return null;
	return { status: data.status, expected: data.expected.filter((e): e is string => typeof e === 'string') };
}

/** The Nest 404 of routes that need a running session ("We didn't find a session with name 'x'…"). */
export function isSessionNotRunningReply(status: number | undefined, data: unknown): boolean {
	return status === 404 && isRecord(data) && typeof data.message === 'string' && /^We didn't find a session/i.test(data.message);
}

/** GET /api/sessions/{session} failed: its 404 means the session does not exist. */
export function causeOfSessionFailure(failure: HttpFailure, session: string): Cause {
	return failure.status === 404 ? unknownSessionCause(session) : causeOfHttpFailure(failure, WAHA);
}

/**
 * A session route (send, QR, pairing code) failed. WAHA says why in its body: a 422 names
 * the session's status (classified like the check does), a 404 says it is not running.
 */
export function causeOfSessionRouteFailure(failure: HttpFailure, session: string): { cause: Cause; sessionStatus: string | null } {
	const notExpected = failure.status === 422 ? parseStatusNotExpected(failure.data) : null;
	if (notExpected) {
		const verdict = classifyWahaSession(notExpected.status, session);
		if (verdict.cause) return { cause: verdict.cause, sessionStatus: notExpected.status };
	}
	if (isSessionNotRunningReply(failure.status, failure.data)) return { cause: sessionNotRunningCause(session), sessionStatus: null };
	return { cause: causeOfHttpFailure(failure, WAHA), sessionStatus: notExpected?.status ?? null };
}

// ---------------------------------------------------------------- messages

/** WAHA's chat id for a phone number (`<digits>@c.us`); ids that already name a chat (`…@g.us`) pass through. */
export function wahaChatId(to: string): string | null {
	const trimmed = to.trim();
	if (/^[^@\s]+@[a-z.]+$/i.test(trimmed)) return trimmed;
	const digits = trimmed.replace(/\D/g, '');
	return digits.length >= 5 ? `${digits}@c.us` : null;
}

/**
 * The message id of a send reply; its shape depends on the engine: WEBJS
 * `{id:{_serialized,id}}`, NOWEB `{key:{id}}`, GOWS/others `{id:"…"}`. The serialized
 * form comes first because WAHA's `reply_to` expects it.
 */
export function wahaMessageId(data: unknown): string | null {
	if (!isRecord(data)) return null;
	if (typeof data.id === 'string' && data.id !== '') return data.id;
	if (isRecord(data.id)) return stringOrNull(data.id._serialized) ?? stringOrNull(data.id.id);
	if (isRecord(data.key)) return stringOrNull(data.key.id);
	return null;
}

/** WAHA's ack levels (WAAck), named: the gateway's own word on acceptance. */
const ACK_NAMES: Record<string, string> = { '-1': 'ERROR', '0': 'PENDING', '1': 'SERVER', '2': 'DEVICE', '3': 'READ', '4': 'PLAYED' };

export function wahaAckName(data: unknown): string | undefined {
	if (!isRecord(data)) return undefined;
	if (typeof data.ackName === 'string' && data.ackName !== '') return data.ackName;
	return typeof data.ack === 'number' ? ACK_NAMES[String(data.ack)] : undefined;
}

// ---------------------------------------------------------------- QR

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Buffer): boolean {
	return bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

/**
 * The PNG in a QR reply: raw bytes (Accept: image/png), or the `{mimetype, data}` JSON
 * some servers send whatever was asked. Null when neither holds a PNG.
 */
export function qrPngFromReply(contentType: string | undefined, body: Buffer): Buffer | null {
	if (isPng(body)) return body;
	if (!contentType?.includes('json')) return null;
	try {
		const parsed: unknown = JSON.parse(body.toString('utf8'));
		if (!isRecord(parsed) || typeof parsed.data !== 'string') return null;
		const png = Buffer.from(parsed.data, 'base64');
		return isPng(png) ? png : null;
	} catch {
		return null;
	}
}

export function qrRawValue(data: unknown): string | undefined {
	return isRecord(data) && typeof data.value === 'string' && data.value !== '' ? data.value : undefined;
}

export function pairingCodeOf(data: unknown): string | undefined {
	return isRecord(data) && typeof data.code === 'string' && data.code !== '' ? data.code : undefined;
}

// ---------------------------------------------------------------- recovery

/**
 * Which recovery a state calls for:
 *  - `none`: healthy, or nothing automatic helps (bad key, unknown session, rate limit,
 *    unknown status): the caller escalates to a person;
 *  - `show_qr`: the session waits for a scan; restarting would only make a new QR;
 *  - `reconnect`: start (STOPPED) or restart the session, then relink if that does not heal.
 */
type WahaRecoveryPlan = { kind: 'none' } | { kind: 'show_qr' } | { kind: 'reconnect'; via: 'start' | 'restart' };

/** Causes a restart can cure when the session's status is not known (the call to read it failed). */
const RESTARTABLE_CAUSES = new Set([
	'whatsapp.starting',
	'whatsapp.disconnected',
	'net.timeout',
	'net.unreachable',
	'net.reset',
	'provider.server_error',
	'provider.malformed_response',
	// The customer's path: a WORKING session that received nothing (conversation canary, passive check).
	...SESSION_RESTART_MAY_FIX,
]);

/** The session status a check result recorded in its details, if it got one. */
export function sessionStatusOf(state: CheckResult): string | null {
	const status = state.details?.status;
	return typeof status === 'string' ? status : null;
}

export function planWahaRecovery(state: CheckResult): WahaRecoveryPlan {
	if (state.status === 'healthy') return { kind: 'none' };
	const code = state.cause?.code ?? '';
	if (code.startsWith('auth.') || code.startsWith('config.')) return { kind: 'none' };
	switch (sessionStatusOf(state)) {
		case 'SCAN_QR_CODE':
			return { kind: 'show_qr' };
		case 'STOPPED':
			return { kind: 'reconnect', via: 'start' };
		case 'STARTING':
		case 'FAILED':
			return { kind: 'reconnect', via: 'restart' };
		default:
			// WORKING with a failed ping/round trip, or no status at all: the cause decides.
			return RESTARTABLE_CAUSES.has(code) ? { kind: 'reconnect', via: 'restart' } : { kind: 'none' };
	}
}

/** A recipient that is not a number or chat id: a bad parameter, reported as a result. */
export function invalidRecipientCause(): Cause {
	return commonCause('config.invalid', 'The recipient is not a phone number or WhatsApp chat id; fix it in n8n.');
}

export function emptyImageCause(): Cause {
	return commonCause('config.invalid', 'The image to send is empty; check the binary input in n8n.');
}

/** A 2xx reply that does not say what it should; `what` completes "WAHA answered, but …". */
export function malformedReplyCause(what: string): Cause {
	return commonCause('provider.malformed_response', `${WAHA} answered, but ${what}.`);
}
