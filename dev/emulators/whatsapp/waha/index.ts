/**
 * Emulator of WAHA (devlikeapro/waha, core, WEBJS engine), after
 * /work/shared/reference/apis.md §3 and Appendix item 3.
 *
 * Routes:
 *  - `waha.ping`           GET    /ping                          no key; `{"message":"pong"}`
 *  - `waha.health`         GET    /health                        @nestjs/terminus body; 503 unless `healthy`
 *  - `waha.listSessions`   GET    /api/sessions[?all=true]       running sessions; `all` adds STOPPED ones
 *  - `waha.createSession`  POST   /api/sessions                  `{name?,config?,start?}`; 422 if it exists
 *  - `waha.getSession`     GET    /api/sessions/:session         SessionInfo; 404 "Session not found"
 *  - `waha.updateSession`  PUT    /api/sessions/:session         new config; restarts it if running
 *  - `waha.deleteSession`  DELETE /api/sessions/:session         idempotent, empty 200
 *  - `waha.start`          POST   /api/sessions/:session/start   no-op when already running
 *  - `waha.stop`           POST   /api/sessions/:session/stop    → STOPPED (auth kept)
 *  - `waha.restart`        POST   /api/sessions/:session/restart stop, then start
 *  - `waha.logout`         POST   /api/sessions/:session/logout  auth wiped; started again if it was running
 *  - `waha.me`             GET    /api/sessions/:session/me      `{id,pushName}` while WORKING, else an
 *                                 empty body (Nest's reply for `null`)
 *  - `waha.qr`             GET    /api/:session/auth/qr          `format=image` (default): JSON
 *                                 `{mimetype,data}` with `Accept: application/json`, raw PNG bytes otherwise;
 *                                 `format=raw`: `{value}`. Waits `qrWaitMs` (real server: 5 s, polling every
 *                                 500 ms) for SCAN_QR_CODE, then 422 `{error,session,status,expected}`
 *  - `waha.requestCode`    POST   /api/:session/auth/request-code `{phoneNumber}` → `{code:"ABCD-EFGH"}`
 *  - `waha.sendText`       POST   /api/sendText                  `{session,chatId,text}`; needs WORKING (422)
 *  - `waha.sendImage`      POST   /api/sendImage                 `{session,chatId,file:{mimetype,filename?,data|url},
 *                                 caption?}`; needs WORKING (422), 400 when chatId/file fields are missing or
 *                                 `data` is not base64; replies like sendText (type `image`, hasMedia).
 *                                 Not in apis.md; shape from WAHA docs, unverified (WAHA Core may also refuse
 *                                 media as a Plus feature, which this emulator does not model).
 * POSTs answer 201 (Nest's default). Session routes that need a running session (me, qr,
 * request-code, sendText, sendImage) answer 404 "We didn't find a session with name 'x'…" when it is
 * STOPPED or unknown.
 *
 * Auth: `X-Api-Key` header or `?x-api-key=` on /api/* and /health (also on unknown paths under
 * them), unless listed in `apiKeyExcludePaths` (WHATSAPP_API_KEY_EXCLUDE_PATH, e.g. ['health']).
 * `apiKey` may be plain or `sha512:<hex>`; null disables auth. 401 is Nest's
 * `{"message":"Unauthorized","statusCode":401}`.
 *
 * Status transitions (STOPPED, STARTING, SCAN_QR_CODE, WORKING, FAILED). "Starting" a session
 * (start, restart, logout of a running one, PUT of a running one, create with start) lands in:
 *  - SCAN_QR_CODE when the session holds no WhatsApp auth (`account` null): a human must scan;
 *  - WORKING when it holds auth and `restartHeals` is true (the default);
 *  - `unhealedStatus` (default FAILED) when it holds auth and `restartHeals` is false; if that is
 *    SCAN_QR_CODE the stored auth is treated as rejected and wiped.
 * With `startingMs` > 0 the session first reports STARTING for that long (settled lazily on the
 * next request), so pollers can be tested.
 *
 *  - `waha.chatMessages`   GET    /api/:session/chats/:chatId/messages[?limit&offset&filter.*]  see readback.ts
 *  - `waha.chatMessage`    GET    /api/:session/chats/:chatId/messages/:messageId
 *
 * WhatsApp network, webhooks, QR (runtime.ts; whatsapp-canary-webhooks.md §2): a session's
 * `account.id` is its number on the network given to `createWahaEmulator(overrides, {network})`.
 * Sends are stored as `true_<chatId>_<id>` (ack 0 PENDING, source api) and progress to
 * 1 SERVER, 2 DEVICE, 3 READ; inbound messages are stored as `false_<from>@c.us_<id>` (ack 2).
 * Webhooks from `config.webhooks[]` (and `globalWebhook`, WHATSAPP_HOOK_*, not shown in the
 * config) are POSTed for real: events `message` (inbound only), `message.any` (all, source
 * api/app), `message.ack` (own only), `session.status` (`{status, statuses: last 3}`) or `*`;
 * envelope `{id, timestamp, event, session, metadata?, me, payload, engine, environment}`;
 * headers `X-Webhook-Request-Id`, `X-Webhook-Timestamp`, `User-Agent: WAHA/<version>`, custom
 * headers, and with `hmac.key` `X-Webhook-Hmac` (hex HMAC-SHA512 of the raw body) +
 * `X-Webhook-Hmac-Algorithm: sha512`. Retries are not modelled; every attempt is recorded in
 * `webhookDeliveries`. The webhook features follow the current docs although `version` says
 * 2024.10.8. PUT restarts a running session (STOPPED then the start target, each announced).
 * STARTING settles on a timer (and lazily on requests). In SCAN_QR_CODE the QR is replaced every
 * `qrRotateMs` (default 20 s) and `session.status` SCAN_QR_CODE is re-sent; after `qrLimit`
 * (default 6) QRs the session goes FAILED (limit and FAILED are UNVERIFIED). request-code's
 * code is valid for the current QR round. Action `scan` (`{session, code | pairingCode,
 * number?}`) pairs with the current QR value or pairing code only → WORKING.
 *
 * Customers (../customers.ts): action `traffic` (`{session, days, perHour, answerAfterS,
 * unansweredLastMinutes, everyMs}`) stores past conversations (customers' messages ack 2, the
 * bot's answers source api ack 3), so `chats/all/messages` serves a real history (NOWEB with its
 * store, or GOWS; WEBJS refuses `all`); live customers write every `everyMs`; an emulated bot
 * answers each direct message after `answerAfterS`. Fault `sessions.<name>.botDeaf`: messages
 * are stored and POSTed, the emulated bot answers none.
 *
 * State switches: `sessions.<name>.status`, `sessions.<name>.account`, `restartHeals`,
 * `unhealedStatus`, `startingMs`, `qrWaitMs`, `healthy`, `apiKey`, `apiKeyExcludePaths`,
 * `qrRotateMs`, `qrLimit`, `globalWebhook`, `webhookTimeoutMs`; faults `sessions.<name>.zombie`
 * (WORKING, sends stay ack 0 and never leave, nothing arrives; stop/restart heals it and the
 * waiting backlog arrives) and `sessions.<name>.webhookLost` (config shows no webhooks, nothing
 * POSTed; PUT restores). Records: `sentMessages`, `messages` (by session), `webhookDeliveries`.
 * Injected faults: 401/403/404/422/429 (Retry-After when given)/500 (WAHA's exception-filter
 * body)/503 in Nest shapes.
 */
import { createHash } from 'node:crypto';


import type { Emulator } from '../../core/emulator';
import { defineEmulator } from '../../core/emulator';
import { routeTable } from '../../core/routeTable';
import type { EmulatorRequest, FaultContext, Reply } from '../../core/types';
import { ReplyError, bodyObject, digitsOnly, headerValue, randomHex, replying, retryAfterHeader, sleep, statusText, stringField, unixSeconds } from '../common';
import { WhatsAppNetwork } from '../network';
import { qrPng } from '../qrPng';
import { readbackRoutes } from './readback';
import { currentQrValue, pairingCodeFor, runtimeOf, WahaRuntime } from './runtime';
import { wahaDefaults, type WahaSession, type WahaState, type WahaStatus, type WahaStoredMessage } from './state';

export * from './state';

type Req = EmulatorRequest<WahaState>;

const QR_POLL_MS = 500;
const STATUS_NOT_AS_EXPECTED = 'Session status is not as expected. Try again later or restart the session';

// ---------------------------------------------------------------- Nest error bodies

/** Nest's HttpException body: `{message,statusCode}` bare, `{message,error,statusCode}` with a message. */
function nestError(status: number, message?: unknown, headers: Record<string, string> = {}): Reply {
	const body = message === undefined
		? { message: statusText(status), statusCode: status }
		: { message, error: statusText(status), statusCode: status };
	return { status, body, headers };
}

function fail(reply: Reply): never {
	throw new ReplyError(reply);
}

function sessionNotFound(): Reply {
	return nestError(404, 'Session not found');
}

function sessionNotRunning(name: string): Reply {
	return nestError(
		404,
		`We didn't find a session with name '${name}'.\n` +
			`Please start it first by using POST /api/sessions/${name}/start request`,
	);
}

function unexpectedStatus(name: string, session: WahaSession, expected: WahaStatus[]): Reply {
	return { status: 422, body: { error: STATUS_NOT_AS_EXPECTED, session: name, status: session.status, expected } };
}

function cannotRoute(req: Req): Reply {
	return nestError(404, `Cannot ${req.method} ${req.path}`);
}

// ---------------------------------------------------------------- auth

function keyMatches(expected: string, given: string): boolean {
	if (expected.startsWith('sha512:')) {
		return createHash('sha512').update(given).digest('hex') === expected.slice('sha512:'.length).toLowerCase();
	}
	return given === expected;
}

function needsKey(state: WahaState, path: string): boolean {
	const bare = path.replace(/^\/+/, '');
	const guarded = bare === 'health' || bare.startsWith('health/') || bare === 'api' || bare.startsWith('api/');
	const excluded = state.apiKeyExcludePaths.some((entry) => {
		const prefix = entry.replace(/^\/+/, '');
		return bare === prefix || bare.startsWith(`${prefix}/`);
	});
	return guarded && !excluded;
}

function authorized(req: Req): boolean {
	const expected = req.state.apiKey;
	if (expected === null || !needsKey(req.state, req.path)) return true;
	const given = headerValue(req.headers, 'x-api-key') ?? req.query['x-api-key'];
	return given !== undefined && keyMatches(expected, given);
}

/** `GET /ping` answers before the API-key middleware. */
function ping(): Reply {
	return { status: 200, body: { message: 'pong' } };
}

/** The API-key middleware runs before routing; then pending STARTING sessions settle. */
function wahaRoute(handler: (req: Req) => Reply | Promise<Reply>) {
	return replying<WahaState>((req) => {
		if (!authorized(req)) return nestError(401);
		settle(req.state);
		return handler(req);
	});
}

// ---------------------------------------------------------------- session lifecycle

function settle(state: WahaState): void {
	runtimeOf(state).settleNow();
}

function isRunning(session: WahaSession): boolean {
	return session.status !== 'STOPPED';
}

/** Where a start lands; see the file comment. */
function startTarget(state: WahaState, session: WahaSession): WahaStatus {
	if (!session.account) return 'SCAN_QR_CODE';
	return state.restartHeals ? 'WORKING' : state.unhealedStatus;
}

function startSession(state: WahaState, name: string, session: WahaSession): void {
	const target = startTarget(state, session);
	if (target === 'SCAN_QR_CODE') {
		session.account = null;
		session.qrCount += 1;
		session.pairing = null;
	}
	if (state.startingMs > 0) {
		session.status = 'STARTING';
		session.pending = { status: target, at: Date.now() + state.startingMs };
	} else {
		session.status = target;
		session.pending = null;
	}
	runtimeOf(state).statusChanged(name, session);
}

/** The engine's socket is torn down: a zombie socket goes with it. */
function stopSession(state: WahaState, name: string, session: WahaSession): void {
	session.status = 'STOPPED';
	session.pending = null;
	session.zombie = false;
	runtimeOf(state).statusChanged(name, session);
}

function sessionInfo(state: WahaState, name: string, session: WahaSession): Record<string, unknown> {
	const working = session.status === 'WORKING';
	return {
		name,
		status: session.status,
		config: { ...session.config, ...(session.webhookLost ? { webhooks: [] } : {}) },
		me: working ? session.account : null,
		presence: working ? 'online' : null,
		timestamps: { activity: working ? Date.now() : null },
		engine: { engine: state.engine },
	};
}

function existingSession(req: Req): [string, WahaSession] {
	const name = req.params.session;
	const session = req.state.sessions[name];
	if (!session) fail(sessionNotFound());
	return [name, session];
}

/** SessionParam: the session must exist and be running. */
function runningSession(state: WahaState, name: string): WahaSession {
	const session = state.sessions[name];
	if (!session || !isRunning(session)) fail(sessionNotRunning(name));
	return session;
}

function infoReply(req: Req, name: string, session: WahaSession, status = 201): Reply {
	return { status, body: sessionInfo(req.state, name, session) };
}

function listSessions(req: Req): Reply {
	const all = req.query.all === 'true';
	const sessions = Object.entries(req.state.sessions).filter(([, session]) => all || isRunning(session));
	return { status: 200, body: sessions.map(([name, session]) => sessionInfo(req.state, name, session)) };
}

function getSession(req: Req): Reply {
	const [name, session] = existingSession(req);
	return infoReply(req, name, session, 200);
}

function createSession(req: Req): Reply {
	const body = bodyObject(req.body);
	const name = stringField(body, 'name') ?? `session_${randomHex(8)}`;
	if (req.state.sessions[name]) fail(nestError(422, `Session '${name}' already exists. Use PUT to update it.`));
	const session: WahaSession = {
		status: 'STOPPED',
		config: bodyObject(body.config),
		account: null,
		qrCount: 0,
		pending: null,
	};
	req.state.sessions[name] = session;
	if (body.start === true) startSession(req.state, name, session);
	return infoReply(req, name, session);
}

function updateSession(req: Req): Reply {
	const [name, session] = existingSession(req);
	const wasRunning = isRunning(session);
	stopSession(req.state, name, session);
	session.config = bodyObject(bodyObject(req.body).config);
	session.webhookLost = false;
	if (wasRunning) startSession(req.state, name, session);
	return infoReply(req, name, session, 200);
}

function deleteSession(req: Req): Reply {
	delete req.state.sessions[req.params.session];
	return { status: 200 };
}

function start(req: Req): Reply {
	const [name, session] = existingSession(req);
	if (!isRunning(session)) startSession(req.state, name, session);
	return infoReply(req, name, session);
}

function stop(req: Req): Reply {
	const [name, session] = existingSession(req);
	stopSession(req.state, name, session);
	return infoReply(req, name, session);
}

function restart(req: Req): Reply {
	const [name, session] = existingSession(req);
	stopSession(req.state, name, session);
	startSession(req.state, name, session);
	return infoReply(req, name, session);
}

function logout(req: Req): Reply {
	const [name, session] = existingSession(req);
	const wasRunning = isRunning(session);
	stopSession(req.state, name, session);
	session.account = null;
	if (wasRunning) startSession(req.state, name, session);
	return infoReply(req, name, session);
}

function me(req: Req): Reply {
	const session = runningSession(req.state, req.params.session);
	// Nest answers a `null` result with an empty 200.
	return session.status === 'WORKING' && session.account ? { status: 200, body: session.account } : { status: 200 };
}

// ---------------------------------------------------------------- pairing

/** QRCodeSessionParam: poll until SCAN_QR_CODE or until the wait is over. */
async function waitForQrStatus(state: WahaState, session: WahaSession): Promise<boolean> {
	const deadline = Date.now() + state.qrWaitMs;
	for (;;) {
		settle(state);
		if (session.status === 'SCAN_QR_CODE') return true;
		const left = deadline - Date.now();
		if (left <= 0) return false;
		await sleep(Math.min(QR_POLL_MS, left));
	}
}

async function qr(req: Req): Promise<Reply> {
	const name = req.params.session;
	const session = runningSession(req.state, name);
	if (!(await waitForQrStatus(req.state, session))) return unexpectedStatus(name, session, ['SCAN_QR_CODE']);
	const value = currentQrValue(name, session);
	if (req.query.format === 'raw') return { status: 200, body: { value } };
	const png = qrPng(value);
	const accept = headerValue(req.headers, 'accept') ?? '';
	if (accept.includes('application/json')) {
		return { status: 200, body: { mimetype: 'image/png', data: png.toString('base64') } };
	}
	return { status: 200, raw: png, contentType: 'image/png' };
}

function requestCode(req: Req): Reply {
	const name = req.params.session;
	const session = runningSession(req.state, name);
	const phoneNumber = stringField(bodyObject(req.body), 'phoneNumber');
	if (!phoneNumber) fail(nestError(400, ['phoneNumber must be a string']));
	if (session.status !== 'SCAN_QR_CODE') return unexpectedStatus(name, session, ['SCAN_QR_CODE']);
	const number = digitsOnly(phoneNumber);
	session.pairing = { code: pairingCodeFor(number, session.qrCount), number };
	return { status: 201, body: { code: session.pairing.code } };
}

// ---------------------------------------------------------------- messages

function sendText(req: Req): Reply {
	const body = bodyObject(req.body);
	const chatId = stringField(body, 'chatId');
	const text = stringField(body, 'text');
	const problems = [
		...(chatId ? [] : ['chatId must be a string']),
		...(text !== undefined ? [] : ['text must be a string']),
	];
	if (problems.length > 0 || chatId === undefined || text === undefined) fail(nestError(400, problems));
	const name = stringField(body, 'session') ?? 'default';
	const session = runningSession(req.state, name);
	if (session.status !== 'WORKING') return unexpectedStatus(name, session, ['WORKING']);
	const id = `3EB0${randomHex(10).toUpperCase()}`;
	req.state.sentMessages.push({ session: name, id, chatId, text, at: new Date().toISOString() });
	const reply = sentMessageReply(session, chatId, id, text, false);
	runtimeOf(req.state).sent(name, session, storedOwn(session, chatId, id, text, false), id);
	return reply;
}

/** The sender's stored copy: `true_<chatId>_<id>`, ack 0 PENDING, source api. */
function storedOwn(session: WahaSession, chatId: string, id: string, body: string, media: boolean): WahaStoredMessage {
	return {
		id: `true_${chatId}_${id}`,
		timestamp: unixSeconds(),
		from: session.account?.id ?? '',
		fromMe: true,
		source: 'api',
		to: chatId,
		body,
		hasMedia: media,
		media: null,
		ack: 0,
		ackName: 'PENDING',
		replyTo: null,
		_data: {},
		chatId,
	};
}

/** A WEBJS-style message reply, shared by sendText and sendImage. */
function sentMessageReply(session: WahaSession, chatId: string, id: string, body: string, media: boolean): Reply {
	return {
		status: 201,
		body: {
			id: { fromMe: true, remote: chatId, id, _serialized: `true_${chatId}_${id}` },
			ack: 0,
			hasMedia: media,
			body,
			type: media ? 'image' : 'chat',
			timestamp: unixSeconds(),
			from: session.account?.id ?? null,
			to: chatId,
			fromMe: true,
		},
	};
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** sendImage: not in apis.md; the body shape follows WAHA's docs (MessageImageRequest) and is unverified. */
function sendImage(req: Req): Reply {
	const body = bodyObject(req.body);
	const chatId = stringField(body, 'chatId');
	const file = bodyObject(body.file);
	const mimetype = stringField(file, 'mimetype');
	const data = stringField(file, 'data');
	const url = stringField(file, 'url');
	const caption = stringField(body, 'caption');
	const problems = [
		...(chatId ? [] : ['chatId must be a string']),
		...(mimetype ? [] : ['file.mimetype must be a string']),
		...(data !== undefined || url !== undefined ? [] : ['file.data or file.url must be given']),
		...(data === undefined || (data.length % 4 === 0 && BASE64.test(data)) ? [] : ['file.data must be base64']),
	];
	if (problems.length > 0 || chatId === undefined || mimetype === undefined) fail(nestError(400, problems));
	const name = stringField(body, 'session') ?? 'default';
	const session = runningSession(req.state, name);
	if (session.status !== 'WORKING') return unexpectedStatus(name, session, ['WORKING']);
	const id = `3EB0${randomHex(10).toUpperCase()}`;
	req.state.sentMessages.push({
		session: name,
		id,
		chatId,
		text: caption ?? '',
		at: new Date().toISOString(),
		media: {
			mimetype,
			filename: stringField(file, 'filename') ?? null,
			bytes: data === undefined ? 0 : Buffer.from(data, 'base64').length,
			url: url ?? null,
		},
	});
	runtimeOf(req.state).sent(name, session, storedOwn(session, chatId, id, caption ?? '', true), id);
	return sentMessageReply(session, chatId, id, caption ?? '', true);
}

// ---------------------------------------------------------------- server routes

function health(req: Req): Reply {
	if (req.state.healthy) return { status: 200, body: { status: 'ok', info: {}, error: {}, details: {} } };
	// Which indicator fails is illustrative; the envelope is @nestjs/terminus's.
	const down = { 'sessionsFiles.space': { status: 'down', message: 'Used disk storage exceeded the set threshold' } };
	return { status: 503, body: { status: 'error', info: {}, error: down, details: down } };
}

function notFound(req: Req): Reply {
	return authorized(req) ? cannotRoute(req) : nestError(401);
}

// ---------------------------------------------------------------- faults

/** WAHA's AllExceptionsFilter body for a non-HTTP exception. */
function internalError(req: Req): Reply {
	const message = 'Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.';
	const query = Object.fromEntries(Object.entries(req.query).filter(([key]) => key !== 'x-api-key'));
	return {
		status: 500,
		body: {
			statusCode: 500,
			timestamp: new Date().toISOString(),
			exception: { message, name: 'ProtocolError', stack: `ProtocolError: ${message}\n    at CDPSession.send` },
			request: { path: req.path, method: req.method, body: req.body ?? {}, query },
			version: { version: req.state.version, engine: req.state.engine, tier: 'CORE', browser: '/usr/bin/chromium' },
		},
	};
}

function faultReply(status: number, ctx: FaultContext<WahaState>): Reply {
	const req = ctx.request;
	switch (status) {
		case 401:
			return nestError(401);
		case 403:
			return nestError(403, 'Forbidden resource');
		case 404:
			return req.params.session ? sessionNotFound() : cannotRoute(req);
		case 422: {
			const name = req.params.session ?? stringField(bodyObject(req.body), 'session') ?? 'default';
			const session = req.state.sessions[name];
			return session ? unexpectedStatus(name, session, ['SCAN_QR_CODE']) : nestError(422, STATUS_NOT_AS_EXPECTED);
		}
		case 429:
			return {
				status: 429,
				body: { statusCode: 429, message: 'ThrottlerException: Too Many Requests' },
				headers: retryAfterHeader(ctx.retryAfter),
			};
		case 500:
			return internalError(req);
		default:
			return nestError(status);
	}
}

// ---------------------------------------------------------------- emulator

export interface WahaEmulatorOptions {
	/** The WhatsApp network to attach to; without one the emulator gets a private network. */
	network?: WhatsAppNetwork;
}

export function createWahaEmulator(overrides: Partial<WahaState> = {}, options: WahaEmulatorOptions = {}): Emulator<WahaState> {
	const runtime = new WahaRuntime(options.network ?? new WhatsAppNetwork(), options.network === undefined);
	const readback = readbackRoutes({ nestError, runningSession, unexpectedStatus });
	const emulator = defineEmulator<WahaState>({
		name: 'waha',
		initialState: () => runtime.bind(structuredClone({ ...wahaDefaults, ...overrides })),
		faultReply,
		notFound,
		actions: { scan: (body) => runtime.scan(body), traffic: (body) => runtime.traffic(body) },
		onStop: (reason) => runtime.stop(reason),
		routes: routeTable('waha', {
			ping: ['GET /ping', ping],
			health: ['GET /health', wahaRoute(health)],
			listSessions: ['GET /api/sessions', wahaRoute(listSessions)],
			createSession: ['POST /api/sessions', wahaRoute(createSession)],
			getSession: ['GET /api/sessions/:session', wahaRoute(getSession)],
			updateSession: ['PUT /api/sessions/:session', wahaRoute(updateSession)],
			deleteSession: ['DELETE /api/sessions/:session', wahaRoute(deleteSession)],
			start: ['POST /api/sessions/:session/start', wahaRoute(start)],
			stop: ['POST /api/sessions/:session/stop', wahaRoute(stop)],
			restart: ['POST /api/sessions/:session/restart', wahaRoute(restart)],
			logout: ['POST /api/sessions/:session/logout', wahaRoute(logout)],
			me: ['GET /api/sessions/:session/me', wahaRoute(me)],
			qr: ['GET /api/:session/auth/qr', wahaRoute(qr)],
			requestCode: ['POST /api/:session/auth/request-code', wahaRoute(requestCode)],
			sendText: ['POST /api/sendText', wahaRoute(sendText)],
			sendImage: ['POST /api/sendImage', wahaRoute(sendImage)],
			chatMessages: ['GET /api/:session/chats/:chatId/messages', wahaRoute(readback.chatMessages)],
			chatMessage: ['GET /api/:session/chats/:chatId/messages/:messageId', wahaRoute(readback.chatMessage)],
		}),
	});
	runtime.emulator = emulator;
	return emulator;
}
