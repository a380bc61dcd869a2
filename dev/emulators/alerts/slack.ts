/**
 * Slack emulator (`https://hooks.slack.com` and `https://slack.com/api`), after apis.md §8.
 *
 * Routes (id: method path):
 *  - `slack.incomingWebhook`: POST /services/:team/:bot/:secret. Returns 200 text/plain `ok`.
 *    Errors are plain text too:
 *    400 `invalid_payload` (empty or non-JSON body, or no text/blocks/attachments), 404 `no_service` (unknown or
 *    revoked URL; `no_team` when the team is unknown), 410 `channel_is_archived` and 429 `rate_limited` + Retry-After.
 *    JSON bodies and the legacy form body `payload=<json>` are both accepted.
 *  - `slack.chatPostMessage`: POST /api/chat.postMessage. Needs `Authorization: Bearer xoxb-…`; a form body may
 *    carry `token=` instead. Logical errors are **HTTP 200** `{"ok":false,"error":…}`: `not_authed`, `invalid_auth`,
 *    `missing_scope` (with `needed`/`provided`), `channel_not_found`, `is_archived`, `not_in_channel`, `no_text`,
 *    `msg_too_long`. Success is `{ok:true,channel,ts,message}`, plus the `missing_charset` warning when the JSON
 *    Content-Type has no charset. Throttling is HTTP 429 + Retry-After with `{"ok":false,"error":"rate_limited"}`.
 *
 * State switches (set with `emulator.patchState` or `PATCH /__emulator/state`):
 *  - `webhookPaths`: webhook URLs that work. Default: `/services/T000TEST/B000TEST/xxxxTESTxxxx`.
 *    Take a path out to revoke it (404 `no_service`).
 *  - `archivedWebhookPaths`: these answer 410 `channel_is_archived`.
 *  - `botTokens`: accepted bot tokens (default `xoxb-test-…`). `botScopes`: their scopes; without `chat:write`
 *    postMessage fails with `missing_scope`.
 *  - `channels`: by id, `{name, isArchived, isMember}`. The default is `C000ALERTS` (#alerts).
 *  - `rateLimitPerSecond`: null (off, the default) or N. More than N accepted messages within one second to the
 *    same webhook or channel get 429 with `Retry-After: 1`.
 * Records: `received` holds every accepted message; `receivedSlackMessages(emulator)` returns their payloads.
 * Injected faults, on the webhook as plain text: 401 `invalid_token`, 403 `action_prohibited`, 404 `no_service`,
 * 410 `channel_is_archived`, 429 `rate_limited` (+Retry-After), 500 `rollup_error`, 503 `service_unavailable`.
 * On chat.postMessage they come as `{ok:false,error}` JSON with the same status.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { defineEmulator, type Emulator } from '../core/emulator';
import type { EmulatorRequest, Reply } from '../core/types';

/** Obviously fake values. The token is `xoxb-test-…`, so it never matches the real-token pattern. */
export const slackDefaults = {
	webhookPath: '/services/T000TEST/B000TEST/xxxxTESTxxxx',
	botToken: 'xoxb-test-emulator-not-a-real-token',
	channelId: 'C000ALERTS',
	channelName: 'alerts',
	teamId: 'T000TEST',
	botUserId: 'U000BOT',
	botId: 'B000BOT',
	appId: 'A000APP',
} as const;

/** Slack caps message text at 40,000 characters (`msg_too_long`). */
const MAX_TEXT_LENGTH = 40_000;

export interface SlackChannel {
	name: string;
	isArchived: boolean;
	isMember: boolean;
}

/** What a client sent (the parsed JSON: `text`, `blocks`, `channel`, …), as received. */
export type SlackMessagePayload = Record<string, unknown>;

export interface SlackReceivedMessage {
	via: 'webhook' | 'chat.postMessage';
	/** The webhook path, or the channel id for chat.postMessage. */
	target: string;
	payload: SlackMessagePayload;
	ts: string;
	at: string;
}

export interface SlackState {
	webhookPaths: string[];
	archivedWebhookPaths: string[];
	botTokens: string[];
	botScopes: string[];
	channels: Record<string, SlackChannel>;
	rateLimitPerSecond: number | null;
	received: SlackReceivedMessage[];
	/** Bookkeeping for `rateLimitPerSecond`: accept times (ms) per webhook path or channel id. */
	recentAccepts: Record<string, number[]>;
}

function initialSlackState(): SlackState {
	return {
		webhookPaths: [slackDefaults.webhookPath],
		archivedWebhookPaths: [],
		botTokens: [slackDefaults.botToken],
		botScopes: ['chat:write', 'incoming-webhook'],
		channels: { [slackDefaults.channelId]: { name: slackDefaults.channelName, isArchived: false, isMember: true } },
		rateLimitPerSecond: null,
		received: [],
		recentAccepts: {},
	};
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Webhook replies are bare text codes, not JSON. */
const plain = (status: number, text: string, headers: Record<string, string> = {}): Reply => ({
	status,
	text,
	contentType: 'text/plain; charset=utf-8',
	headers,
});

/** Web API replies: JSON, and HTTP 200 even for logical errors. */
const webApi = (body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Reply => ({
	status,
	body,
	contentType: 'application/json; charset=utf-8',
	headers,
});

const webApiError = (error: string, extra: Record<string, unknown> = {}): Reply =>
	webApi({ ok: false, error, ...extra });

function hasContent(payload: Record<string, unknown>): boolean {
	const nonEmptyList = (value: unknown) => Array.isArray(value) && value.length > 0;
	return (
		(typeof payload.text === 'string' && payload.text.trim() !== '') ||
		nonEmptyList(payload.blocks) ||
		nonEmptyList(payload.attachments)
	);
}

/** Slack timestamps are `<unix seconds>.<6 digits>` and unique per channel. */
function nextTs(state: SlackState): string {
	const seconds = Math.floor(Date.now() / 1000);
	const sequence = String(state.received.length + 1).padStart(6, '0');
	return `${seconds}.${sequence}`;
}

/** True when accepting one more message for `key` would exceed `rateLimitPerSecond`. */
function overRateLimit(state: SlackState, key: string): boolean {
	if (state.rateLimitPerSecond === null) return false;
	const now = Date.now();
	const recent = (state.recentAccepts[key] ?? []).filter((t) => now - t < 1000);
	state.recentAccepts[key] = recent;
	return recent.length >= state.rateLimitPerSecond;
}

function accept(
	state: SlackState,
	via: SlackReceivedMessage['via'],
	target: string,
	payload: SlackMessagePayload,
): string {
	const ts = nextTs(state);
	state.received.push({ via, target, payload, ts, at: new Date().toISOString() });
	(state.recentAccepts[target] ??= []).push(Date.now());
	return ts;
}

// ---------------------------------------------------------------------------------------------
// Incoming webhook

/** JSON body, or the legacy `payload=<json>` form field; null when it is neither. */
function webhookPayload(req: EmulatorRequest<SlackState>): Record<string, unknown> | null {
	const contentType = headerValue(req.headers, 'content-type') ?? '';
	if (contentType.includes('application/x-www-form-urlencoded')) {
		if (!isRecord(req.body) || typeof req.body.payload !== 'string') return null;
		try {
			const parsed: unknown = JSON.parse(req.body.payload);
			return isRecord(parsed) ? parsed : null;
		} catch {
			return null;
		}
	}
	return isRecord(req.body) ? req.body : null;
}

function knownTeams(state: SlackState): string[] {
	return [...state.webhookPaths, ...state.archivedWebhookPaths].map((path) => path.split('/')[2]);
}

function incomingWebhook(req: EmulatorRequest<SlackState>): Reply {
	const { state } = req;
	const path = `/services/${req.params.team}/${req.params.bot}/${req.params.secret}`;
	if (state.archivedWebhookPaths.includes(path)) return plain(410, 'channel_is_archived');
	if (!state.webhookPaths.includes(path)) {
		return plain(404, knownTeams(state).includes(req.params.team) ? 'no_service' : 'no_team');
	}
	if (overRateLimit(state, path)) return plain(429, 'rate_limited', { 'retry-after': '1' });
	const payload = webhookPayload(req);
	if (!payload || !hasContent(payload)) return plain(400, 'invalid_payload');
	accept(state, 'webhook', path, payload);
	return plain(200, 'ok');
}

// ---------------------------------------------------------------------------------------------
// chat.postMessage

/** Bearer header, or `token` in a form body. Slack ignores a token inside a JSON body. */
function webApiToken(req: EmulatorRequest<SlackState>): string | null {
	const bearer = /^Bearer\s+(.+)$/i.exec(headerValue(req.headers, 'authorization') ?? '');
	if (bearer) return bearer[1].trim();
	const contentType = headerValue(req.headers, 'content-type') ?? '';
	if (contentType.includes('application/x-www-form-urlencoded') && isRecord(req.body)) {
		return typeof req.body.token === 'string' && req.body.token !== '' ? req.body.token : null;
	}
	return null;
}

/** Accepts a channel id (`C000ALERTS`) or a name with or without `#`. */
function findChannel(state: SlackState, ref: string): [string, SlackChannel] | null {
	if (state.channels[ref]) return [ref, state.channels[ref]];
	const name = ref.replace(/^#/, '');
	const entry = Object.entries(state.channels).find(([, channel]) => channel.name === name);
	return entry ?? null;
}

/** Slack warns (but still posts) when a JSON body is sent without `charset=utf-8`. */
function charsetWarning(req: EmulatorRequest<SlackState>): Record<string, unknown> {
	const contentType = headerValue(req.headers, 'content-type') ?? '';
	if (!contentType.includes('application/json') || /charset=/i.test(contentType)) return {};
	return { warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } };
}

/** Blocks arrive as a JSON string in form bodies. */
function formField(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

function messagePayload(body: unknown): SlackMessagePayload {
	if (!isRecord(body)) return {};
	const payload: SlackMessagePayload = { ...body };
	delete payload.token; // a form-body token must not end up in the recorded message
	if (payload.blocks !== undefined) payload.blocks = formField(payload.blocks);
	if (payload.attachments !== undefined) payload.attachments = formField(payload.attachments);
	return payload;
}

function postedMessage(payload: SlackMessagePayload, ts: string): Record<string, unknown> {
	return {
		user: slackDefaults.botUserId,
		type: 'message',
		ts,
		bot_id: slackDefaults.botId,
		app_id: slackDefaults.appId,
		text: typeof payload.text === 'string' ? payload.text : '',
		team: slackDefaults.teamId,
		...(payload.blocks ? { blocks: payload.blocks } : {}),
		...(payload.attachments ? { attachments: payload.attachments } : {}),
	};
}

function chatPostMessage(req: EmulatorRequest<SlackState>): Reply {
	const { state } = req;
	const token = webApiToken(req);
	if (token === null) return webApiError('not_authed');
	if (!state.botTokens.includes(token)) return webApiError('invalid_auth');
	if (!state.botScopes.includes('chat:write')) {
		return webApiError('missing_scope', { needed: 'chat:write', provided: state.botScopes.join(',') });
	}
	const payload = messagePayload(req.body);
	const channel = typeof payload.channel === 'string' ? findChannel(state, payload.channel) : null;
	if (!channel) return webApiError('channel_not_found');
	const [channelId, info] = channel;
	if (info.isArchived) return webApiError('is_archived');
	if (!info.isMember) return webApiError('not_in_channel');
	if (!hasContent(payload)) return webApiError('no_text');
	if (typeof payload.text === 'string' && payload.text.length > MAX_TEXT_LENGTH) return webApiError('msg_too_long');
	if (overRateLimit(state, channelId)) {
		return webApi({ ok: false, error: 'rate_limited' }, 429, { 'retry-after': '1' });
	}
	const ts = accept(state, 'chat.postMessage', channelId, payload);
	return webApi({ ok: true, channel: channelId, ts, message: postedMessage(payload, ts), ...charsetWarning(req) });
}

// ---------------------------------------------------------------------------------------------
// Faults and unknown paths

const WEBHOOK_FAULT_TEXT: Record<number, string> = {
	400: 'invalid_payload',
	401: 'invalid_token',
	403: 'action_prohibited',
	404: 'no_service',
	410: 'channel_is_archived',
	429: 'rate_limited',
	500: 'rollup_error',
	503: 'service_unavailable',
};

const WEB_API_FAULT_ERROR: Record<number, string> = {
	400: 'invalid_arguments',
	401: 'invalid_auth',
	403: 'access_denied',
	404: 'channel_not_found',
	429: 'rate_limited',
	500: 'internal_error',
	503: 'service_unavailable',
};

function slackFaultReply(status: number, routeId: string, retryAfter: number | null): Reply {
	const headers: Record<string, string> =
		status === 429 && retryAfter !== null ? { 'retry-after': String(retryAfter) } : {};
	if (routeId === 'slack.chatPostMessage') {
		return webApi({ ok: false, error: WEB_API_FAULT_ERROR[status] ?? 'fatal_error' }, status, headers);
	}
	return plain(status, WEBHOOK_FAULT_TEXT[status] ?? (status >= 500 ? 'rollup_error' : 'invalid_payload'), headers);
}

function slackNotFound(req: EmulatorRequest<SlackState>): Reply {
	if (req.path.startsWith('/api/')) {
		return webApi({ ok: false, error: 'unknown_method', req_method: req.path.slice('/api/'.length) }, 404);
	}
	return plain(404, 'no_service');
}

// ---------------------------------------------------------------------------------------------

/** Payloads of every accepted message (webhook and chat.postMessage, or only one kind), oldest first. */
export function receivedSlackMessages(
	emulator: Emulator<SlackState>,
	via?: SlackReceivedMessage['via'],
): SlackMessagePayload[] {
	return emulator.state.received.filter((m) => via === undefined || m.via === via).map((m) => m.payload);
}

export function createSlackEmulator(overrides: Partial<SlackState> = {}): Emulator<SlackState> {
	return defineEmulator<SlackState>({
		name: 'slack',
		initialState: () => ({ ...initialSlackState(), ...structuredClone(overrides) }),
		routes: [
			{ id: 'slack.incomingWebhook', method: 'POST', path: '/services/:team/:bot/:secret', handler: incomingWebhook },
			{ id: 'slack.chatPostMessage', method: 'POST', path: '/api/chat.postMessage', handler: chatPostMessage },
		],
		faultReply: (status, ctx) => slackFaultReply(status, ctx.routeId, ctx.retryAfter),
		notFound: slackNotFound,
	});
}
