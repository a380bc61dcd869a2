/**
 * Reads an authenticated body into normalised events (./types). Each gateway's meaning is
 * taken from the WhatsApp probe's own classifiers (nodes/WhatsAppProbe/providers/*Classify.ts),
 * so an event and a probe name the same trouble with the same cause code. Nothing of the
 * body is kept beyond what the event needs: Evolution's `apikey` (an instance token) is never
 * read, stored or logged.
 */
import { createHash } from 'node:crypto';

import { classifyGraphError, cloudApiCause, statusOfCause, type GraphError } from '../../WhatsAppProbe/providers/cloudApiClassify';
import { evolutionCause } from '../../WhatsAppProbe/providers/evolutionClassify';
import { classifyWahaSession } from '../../WhatsAppProbe/providers/wahaClassify';
import { commonCause } from '../causes';
import type { Cause } from '../contract';
import { isRecord } from '../json';
import { EventRefused, type GatewayEvent, type GatewaySource } from './types';

/** Instance, session and phone-number names become part of a target: plain names only. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.@+-]{0,99}$/;

function plainName(value: unknown, what: string): string {
	if (typeof value !== 'string' || !NAME.test(value)) throw new EventRefused(400, `${what} is missing or not a plain name`);
	return value;
}

function digest(...parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** The body as a JSON object, or 400. */
export function parseJsonBody(rawBody: Buffer): Record<string, unknown> {
	if (rawBody.length === 0) throw new EventRefused(400, 'the body is empty');
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody.toString('utf8'));
	} catch {
		throw new EventRefused(400, 'the body is not valid JSON');
	}
	if (!isRecord(parsed)) throw new EventRefused(400, 'the body must be a JSON object');
	return parsed;
}

// ---------------------------------------------------------------- Evolution API v2

function evolutionConnection(base: Omit<GatewayEvent, 'signal' | 'summary'>, instance: string, data: Record<string, unknown>): GatewayEvent {
	const state = data.state;
	const reason = typeof data.statusReason === 'number' ? ` (statusReason ${data.statusReason})` : '';
	const name = `Evolution instance "${instance}"`;
	switch (state) {
		case 'open':
			return { ...base, signal: 'healthy', summary: `${name} is open${reason}` };
		case 'connecting':
			return {
				...base,
				signal: 'suspect',
				connecting: true,
				status: 'degraded',
				cause: evolutionCause('whatsapp.connecting', `${name} dropped its WhatsApp connection and is reconnecting${reason}.`),
				summary: `${name} is connecting${reason}`,
			};
		case 'close':
			// Evolution sends `close` only for drops it does not reconnect by itself (logged out, banned): a new QR is needed.
			return {
				...base,
				signal: 'outage',
				status: 'down',
				cause: evolutionCause('whatsapp.qr_required', `${name} was disconnected from WhatsApp for good${reason}: open WhatsApp on the phone and link it again with a new QR.`),
				summary: `${name} closed${reason}`,
			};
		case 'refused':
			return {
				...base,
				signal: 'outage',
				status: 'down',
				cause: evolutionCause('whatsapp.qr_limit_reached', `${name} refused the connection after too many unscanned QR codes${reason}; request a new QR and scan it.`),
				summary: `${name} refused the connection${reason}`,
			};
		default:
			return { ...base, signal: 'info', summary: `${name} reported the state ${JSON.stringify(state)}` };
	}
}

function parseEvolution(body: Record<string, unknown>): GatewayEvent[] {
	const name = typeof body.event === 'string' ? body.event : '';
	if (name === '') throw new EventRefused(400, 'an Evolution event needs "event"');
	const instance = plainName(body.instance, '"instance"');
	const data = isRecord(body.data) ? body.data : {};
	// No event id in Evolution's envelope: what identifies it (date_time is the server's wall clock, so no trusted time).
	const base = { source: 'evolution' as const, id: digest('evolution', name, instance, body.date_time, data), name, target: `evolution:${instance}` };
	switch (name) {
		case 'connection.update':
			return [evolutionConnection(base, instance, data)];
		case 'qrcode.updated': {
			const limit = data.statusCode === 500 || (typeof data.message === 'string' && /limit/i.test(data.message));
			if (!limit) return [{ ...base, signal: 'info', summary: `Evolution instance "${instance}" has a new QR to scan` }];
			const cause = evolutionCause('whatsapp.qr_limit_reached', `Evolution instance "${instance}" reached the QR code limit without a scan; request a new QR and scan it.`);
			return [{ ...base, signal: 'outage', status: 'down', cause, summary: `Evolution instance "${instance}" reached the QR limit` }];
		}
		case 'messages.update':
			if (data.status === 'ERROR' && data.fromMe === true) {
				const cause = evolutionCause('whatsapp.disconnected', `Evolution instance "${instance}" reported a message the bot sent as failed (ERROR).`);
				return [{ ...base, signal: 'suspect', status: 'degraded', cause, summary: `a message of Evolution instance "${instance}" failed` }];
			}
			return [{ ...base, signal: 'info', summary: `message status ${JSON.stringify(data.status)} on Evolution instance "${instance}"` }];
		default:
			return [{ ...base, signal: 'info', summary: `${name} on Evolution instance "${instance}"` }];
	}
}

// ---------------------------------------------------------------- WAHA

function wahaSessionStatus(base: Omit<GatewayEvent, 'signal' | 'summary'>, session: string, payload: Record<string, unknown>): GatewayEvent {
	const status = typeof payload.status === 'string' ? payload.status : '';
	const name = `WAHA session '${session}'`;
	// `statuses`: the last three, oldest first (2025.9.4+).
	const history = Array.isArray(payload.statuses) ? payload.statuses.map((entry) => (isRecord(entry) ? entry.status : undefined)) : undefined;
	switch (status) {
		case 'WORKING':
			return { ...base, signal: 'healthy', summary: `${name} is WORKING` };
		case 'STARTING': {
			const cause = classifyWahaSession(status, session).cause;
			return { ...base, signal: 'suspect', connecting: true, status: 'degraded', ...(cause ? { cause } : {}), summary: `${name} is STARTING` };
		}
		case 'FAILED':
		case 'STOPPED': {
			const verdict = classifyWahaSession(status, session);
			return { ...base, signal: 'outage', status: 'down', ...(verdict.cause ? { cause: verdict.cause } : {}), summary: `${name} is ${status}` };
		}
		case 'SCAN_QR_CODE': {
			const verdict = classifyWahaSession(status, session);
			const cause = verdict.cause ? { cause: verdict.cause } : {};
			// A QR while pairing a new phone is setup; after WORKING it is a lost link. Without the history, the re-check decides.
			if (history === undefined) return { ...base, signal: 'suspect', status: 'down', ...cause, summary: `${name} wants a QR scan` };
			if (!history.includes('WORKING')) return { ...base, signal: 'info', summary: `${name} is pairing (QR)` };
			return { ...base, signal: 'outage', status: 'down', ...cause, summary: `${name} lost its link and wants a QR scan` };
		}
		default:
			return { ...base, signal: 'info', summary: `${name} is ${status || 'in an unnamed status'}` };
	}
}

function parseWaha(body: Record<string, unknown>, requestId: string | undefined): GatewayEvent[] {
	const name = typeof body.event === 'string' ? body.event : '';
	if (name === '') throw new EventRefused(400, 'a WAHA event needs "event"');
	const session = plainName(body.session, '"session"');
	const payload = isRecord(body.payload) ? body.payload : {};
	const id = typeof body.id === 'string' && body.id !== '' ? `waha:${body.id}` : requestId ? `waha:${requestId}` : digest('waha', name, session, body.timestamp, payload);
	const at = typeof body.timestamp === 'number' && Number.isFinite(body.timestamp) ? body.timestamp : undefined;
	const base = { source: 'waha' as const, id, name, target: `waha:${session}`, ...(at !== undefined ? { at } : {}) };
	if (name === 'session.status') return [wahaSessionStatus(base, session, payload)];
	if (name === 'message.ack' && payload.ack === -1 && payload.fromMe !== false) {
		const cause = classifyWahaSession('FAILED', session).cause ?? commonCause('provider.server_error', `WAHA session '${session}' reported a failed message.`);
		const failed = { ...cause, message: `WAHA session '${session}' reported a message the bot sent as failed (ack -1).` };
		return [{ ...base, signal: 'suspect', status: 'degraded', cause: failed, summary: `a message of WAHA session '${session}' failed (ack -1)` }];
	}
	return [{ ...base, signal: 'info', summary: `${name} on WAHA session '${session}'` }];
}

// ---------------------------------------------------------------- Meta Cloud API

/** Error codes about one recipient or one message, not about the bot's number: recorded, never an incident. */
export const RECIPIENT_ERROR_CODES: ReadonlySet<number> = new Set([
	131026, // undeliverable: not on WhatsApp, old app, terms not accepted
	131047, // re-engagement: more than 24 h since the customer wrote
	131049, // Meta chose not to deliver (per-user marketing limits)
	131050, // the customer stopped marketing messages
	131051, // unsupported message type
	131052, // media download error
	131053, // media upload error
	131056, // pair rate limit: too many messages to this one customer
]);

function graphErrorOf(value: unknown): GraphError | undefined {
	if (!isRecord(value)) return undefined;
	const code = typeof value.code === 'number' ? value.code : typeof value.code === 'string' && /^\d+$/.test(value.code) ? Number(value.code) : null;
	const data = isRecord(value.error_data) ? value.error_data : {};
	const message = [value.title, value.message].find((text): text is string => typeof text === 'string' && text !== '') ?? '';
	return { code, subcode: null, type: null, message, details: typeof data.details === 'string' ? data.details : null, isTransient: false, fbtraceId: null };
}

/** A failure Meta reported, classified: one customer's problem (info) or the bot's (outage). */
function metaFailure(base: Omit<GatewayEvent, 'signal' | 'summary'>, error: GraphError | undefined, what: string): GatewayEvent {
	if (!error) return { ...base, signal: 'info', summary: `${what} failed without an error code` };
	const label = error.code === null ? 'no code' : `code ${error.code}`;
	const cause: Cause = classifyGraphError(error);
	if (error.code !== null && RECIPIENT_ERROR_CODES.has(error.code)) {
		return { ...base, signal: 'info', cause, summary: `${what} failed for one customer (${label}, ${cause.code}): not the bot's problem` };
	}
	const status = statusOfCause(cause);
	return { ...base, signal: 'outage', status: status === 'healthy' ? 'degraded' : status, cause, summary: `${what} failed (${label}, ${cause.code})` };
}

const ACCOUNT_EVENTS: Record<string, Parameters<typeof cloudApiCause>[0]> = {
	DISABLED_UPDATE: 'whatsapp.number_banned',
	ACCOUNT_RESTRICTION: 'whatsapp.number_restricted',
	ACCOUNT_VIOLATION: 'whatsapp.policy_blocked',
	ACCOUNT_DELETED: 'whatsapp.number_banned',
	ACCOUNT_OFFBOARDED: 'whatsapp.number_migrated',
};

const QUALITY_EVENTS: Record<string, Parameters<typeof cloudApiCause>[0]> = {
	FLAGGED: 'whatsapp.number_flagged',
	DOWNGRADE: 'whatsapp.quality_red',
};

function parseMetaChange(entryId: string, entryTime: number | undefined, field: string, value: Record<string, unknown>, accountTarget: string | undefined): GatewayEvent[] {
	const metadata = isRecord(value.metadata) ? value.metadata : {};
	const phoneId = typeof metadata.phone_number_id === 'string' && NAME.test(metadata.phone_number_id) ? metadata.phone_number_id : undefined;
	const target = `cloudapi:${phoneId ?? accountTarget ?? entryId}`;
	const base = (id: string, at?: number) => ({ source: 'meta' as const, id, name: field, target, ...(at !== undefined ? { at } : {}) });
	if (field === 'messages') {
		const events: GatewayEvent[] = [];
		for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
			if (!isRecord(status) || typeof status.id !== 'string' || typeof status.status !== 'string') continue;
			const at = typeof status.timestamp === 'string' && /^\d+$/.test(status.timestamp) ? Number(status.timestamp) * 1000 : undefined;
			const eventBase = { ...base(`meta:${status.id}:${status.status}`, at), name: 'statuses' };
			if (status.status !== 'failed') {
				events.push({ ...eventBase, signal: 'info', summary: `a message was ${status.status}` });
				continue;
			}
			const errors = Array.isArray(status.errors) ? status.errors : [];
			events.push(metaFailure(eventBase, graphErrorOf(errors[0]), 'a message the bot sent'));
		}
		for (const error of Array.isArray(value.errors) ? value.errors : []) {
			const parsed = graphErrorOf(error);
			events.push(metaFailure({ ...base(`meta:${digest(entryId, entryTime, error)}`, entryTime), name: 'errors' }, parsed, 'sending'));
		}
		if (events.length === 0) events.push({ ...base(`meta:${digest(entryId, entryTime, field, value)}`, entryTime), signal: 'info', summary: 'a message or other update for the bot' });
		return events;
	}
	const event = typeof value.event === 'string' ? value.event : '';
	const eventBase = base(`meta:${digest(entryId, entryTime, field, value)}`, entryTime);
	const code = field === 'account_update' ? ACCOUNT_EVENTS[event] : field === 'phone_number_quality_update' ? QUALITY_EVENTS[event] : undefined;
	if (!code) return [{ ...eventBase, signal: 'info', summary: `${field} ${event || '(no event)'}` }];
	const cause = cloudApiCause(code, `Meta reported ${event} on the WhatsApp Business Account (${field}): see WhatsApp Manager.`);
	return [{ ...eventBase, signal: 'outage', status: statusOfCause(cause) === 'degraded' ? 'degraded' : 'down', cause, summary: `${field} ${event}` }];
}

function parseMeta(body: Record<string, unknown>, accountTarget: string | undefined): GatewayEvent[] {
	if (body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) throw new EventRefused(400, 'a Meta event needs object "whatsapp_business_account" and an entry list');
	const events: GatewayEvent[] = [];
	for (const entry of body.entry) {
		if (!isRecord(entry) || !Array.isArray(entry.changes)) throw new EventRefused(400, 'each Meta entry needs a changes list');
		const entryId = typeof entry.id === 'string' && NAME.test(entry.id) ? entry.id : 'unknown';
		const entryTime = typeof entry.time === 'number' && Number.isFinite(entry.time) ? entry.time * 1000 : undefined;
		for (const change of entry.changes) {
			if (!isRecord(change) || typeof change.field !== 'string' || !isRecord(change.value)) throw new EventRefused(400, 'each Meta change needs a field and a value');
			events.push(...parseMetaChange(entryId, entryTime, change.field, change.value, accountTarget));
		}
	}
	return events;
}

export interface ParseOptions {
	/** WAHA's X-Webhook-Request-Id, the event id when the envelope has none (older servers). */
	requestId?: string;
	/** Meta: the phone number id account-wide events (account_update, quality) belong to; default the entry's id. */
	metaPhoneNumberId?: string;
}

/** The events in an authenticated body; 400 (EventRefused) when it is not the source's shape. */
export function parseEvents(source: GatewaySource, body: Record<string, unknown>, options: ParseOptions = {}): GatewayEvent[] {
	if (source === 'evolution') return parseEvolution(body);
	if (source === 'waha') return parseWaha(body, options.requestId);
	return parseMeta(body, options.metaPhoneNumberId);
}
