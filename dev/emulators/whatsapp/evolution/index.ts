/**
 * Emulator of Evolution API v2.3.6 (Baileys), after /work/shared/reference/apis.md §2 and
 * Appendix item 2, and /work/shared/reference/whatsapp-canary-webhooks.md §1 (messages,
 * webhooks, QR limit). Files: http.ts (envelope, guards), connection.ts, instances.ts,
 * messages.ts (sends), readback.ts (findMessages, findStatusMessage), webhookRoutes.ts
 * (webhook set/find), runtime.ts (network, storage, acks, webhook POSTs), qr.ts (QR rotation,
 * `scan`), state.ts.
 *
 * Routes:
 *  - `evolution.root`            GET    /                               no key; welcome body, version 2.3.6
 *  - `evolution.verifyCreds`     POST   /verify-creds                   global key only
 *  - `evolution.metrics`         GET    /metrics                        Prometheus text; 404 unless `metricsEnabled`
 *  - `evolution.connectionState` GET    /instance/connectionState/:instance
 *  - `evolution.connect`         GET    /instance/connect/:instance[?number=]
 *  - `evolution.restart`         POST + PUT /instance/restart/:instance (POST in code since 2.2, PUT in the docs;
 *                                `restartMethod` narrows it to one, the other then gets 404 `Cannot <METHOD> /…`)
 *  - `evolution.logout`          DELETE /instance/logout/:instance
 *  - `evolution.fetchInstances`  GET    /instance/fetchInstances[?instanceName=&instanceId=&number=]
 *  - `evolution.create`          POST   /instance/create                global key only
 *  - `evolution.delete`          DELETE /instance/delete/:instance
 *  - `evolution.sendText`        POST   /message/sendText/:instance     201 messageRaw
 *  - `evolution.sendMedia`       POST   /message/sendMedia/:instance    201 messageRaw with `imageMessage` etc.
 *                                NOT in apis.md; shape from the Evolution v2 docs, unverified.
 *  - `evolution.findMessages`    POST   /chat/findMessages/:instance    stored messages, see readback.ts
 *  - `evolution.findStatusMessage` POST /chat/findStatusMessage/:instance MessageUpdate rows, see readback.ts
 *  - `evolution.webhookSet`      POST   /webhook/set/:instance          v2.1.1+ nested body, see webhookRoutes.ts
 *  - `evolution.webhookFind`     GET    /webhook/find/:instance         the row or null
 *
 * Guard order, as in the server: instance exists (404 `The "x" instance does not exist`, even
 * with a wrong key) → `apikey` header, which is the global key or that instance's own token.
 * Errors use `{status,error,response:{message}}`; unknown routes `["Cannot GET /x"]`. Evolution
 * sends no rate-limit headers; an injected 429 is the envelope plus Retry-After when given.
 *
 * Connection semantics (`state` is Baileys' open | connecting | close; null = not loaded in
 * memory, replies then omit `state`, and connect/restart answer the `[object Object]` quirk):
 *  - connect: open → the connectionState body; connecting → the current QR object; close →
 *    the socket starts, the instance becomes `connecting` and a new QR object is returned.
 *    QR object: `{pairingCode, code, base64: data-URI of a real PNG, count}`; `?number=` fills
 *    `pairingCode`. With `qrNotReady` the QR object is just `{"count":0}` (issue #2385).
 *  - restart of `open`/`connecting`: the socket is closed and reopened. With `restartHeals`
 *    (default true: the stored session is still good) the instance ends `open` and the reply is
 *    the connectionState body; without it the stored session is rejected, the instance ends
 *    `connecting` and the reply is a new QR object (a human must scan).
 *  - restart of `close`: HTTP 200 `{"error":true,"message":"[object Object]"}` and nothing
 *    changes, as v2.3.6 does (`restartCloseQuirk`, default true). Set `restartCloseQuirk: false`
 *    to have restart reconnect a closed instance like the open/connecting case, so that
 *    `restartHeals` can take it straight to `open`. Recovery code for the real server should
 *    fall back to connect after the quirk.
 *  - logout: close → 400 `The "x" instance is not connected`; otherwise the instance becomes
 *    `close` with disconnectionReasonCode 401 (loggedOut).
 *  - create: a taken name → 403 `This name "x" is already in use.` whatever the key
 *    (instanceLoggedGuard runs before the apikey guard); then global key, then `instanceName`
 *    and `integration` checks (400). `qrcode:true` starts pairing and returns the QR object.
 *  - delete: open → 400 `The "x" instance needs to be disconnected`; otherwise removed.
 *  - sendText: needs `number` and `text` (400, JSON-schema wording); a number listed in
 *    `numbersNotOnWhatsApp` → 400 `[{jid,exists:false,number}]`; an instance that is not `open`
 *    → 500 "Connection Closed" (the Baileys error through the global handler, unverified).
 *  - sendMedia (not in apis.md; shape from Evolution v2 docs, unverified): body `{number,
 *    mediatype: image|video|audio|document, mimetype, caption, media, fileName}`; `number`,
 *    `mediatype` and `media` are required (400, JSON-schema wording), an unknown mediatype is
 *    400, and `media` must be a URL or plain base64 — a `data:` URI is 400 `Owned media must be
 *    a url or base64`. Then the same checks as sendText (500 Connection Closed, 400 exists:false)
 *    and 201 messageRaw whose `message` is `{<mediatype>Message:{mimetype,caption,fileName,
 *    fileLength,…}}`.
 *  - restartMethod: `both` (default) as the emulated 2.3.6 plus the docs; `POST` is a strict
 *    2.2+ server; `PUT` an older one that answers POST with 404 `Cannot POST /instance/restart/x`
 *    (the route does not exist, so no guard runs).
 *
 * The WhatsApp network (whatsapp/network): each instance holds its `number` (or `ownerJid`) on
 * the network given to `createEvolutionEmulator(overrides, { network })` (a private one
 * otherwise). A send to a number another gateway holds is delivered there; acks come back as
 * `MessageUpdate` rows (SERVER_ACK → DELIVERY_ACK → READ, the network's timing) and
 * `messages.update` webhooks; the own row's `status` stays PENDING (2.3.0+ behaviour, §1.B).
 * Inbound messages are stored (`fromMe:false`, status DELIVERY_ACK) and POSTed as
 * `messages.upsert`. REST sends emit `send.message` (whether 2.3.6 also emits `messages.upsert`
 * with fromMe for them is UNVERIFIED; this emulator does not).
 *
 * Webhooks are POSTed for real (runtime.ts): to the instance webhook (`/webhook/set`; all
 * events when `events` is empty, `<url>/<event-name>` with byEvents, custom `headers`, a
 * `jwt_key` header becomes `Authorization: Bearer <HS256 JWT>`) and to `globalWebhook`
 * (WEBHOOK_GLOBAL_*, invisible to `/webhook/find`). Envelope `{event, instance, data,
 * destination, date_time, sender, server_url, apikey}`; `apikey` is the instance token while
 * `exposeApiKeyInWebhooks` (AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true). Events emitted:
 * MESSAGES_UPSERT, MESSAGES_UPDATE, SEND_MESSAGE, CONNECTION_UPDATE (connecting when pairing
 * starts, open, close 401 on logout, refused 428 at the QR limit), QRCODE_UPDATED. `base64`
 * is stored but changes nothing (text messages only). Every attempt, answered or not, is
 * recorded in `webhookDeliveries`; a receiver that is down never breaks the emulator.
 * Evolution's retries (up to 10, backoff from 5 s) are not modelled: one attempt each.
 * `date_time` is real UTC (Evolution writes server-local time with a `Z`).
 *
 * QR in time (qr.ts): a pending QR is replaced every `qrRotateMs` (default 20 s) and the old
 * one expires; after `qrLimit` (default 30, QRCODE_LIMIT) QRs the instance is `close` with
 * `refused`. Both defaults are UNVERIFIED (not in the reference). Action `scan`
 * (`emulator.act('scan', {instance, code | pairingCode, number?})` or
 * `POST /__emulator/actions/scan`) pairs with the current QR code or pairing code only; a
 * stale or unknown one is refused (the action throws; over HTTP a 400).
 *
 * Customers (../customers.ts): action `traffic` (`{instance, days, perHour, answerAfterS,
 * unansweredLastMinutes, everyMs}`) stores `days` of past conversations with customers (their
 * rows `fromMe:false` DELIVERY_ACK; the bot's answers `fromMe:true` with SERVER_ACK, DELIVERY_ACK,
 * READ MessageUpdate rows), so findMessages serves a real history; `everyMs` makes live customers
 * write through the network; and an emulated bot answers each direct message after
 * `answerAfterS` (`instances.<name>.botAnswerMs`). Fault `instances.<name>.botDeaf`: messages are
 * stored and POSTed, the emulated bot answers none.
 *
 * Action `drop` (drop.ts, `{instance, reconnectAfterMs?}`): an open instance loses its socket
 * the way Baileys reconnects from (`connecting`, statusReason 408, no QR); with
 * `reconnectAfterMs` it is `open` again by itself after that long (a flapping session when
 * repeated), without it it hangs in `connecting` until restarted.
 *
 * State switches: `instances.<name>.state`, `restartHeals`, `restartCloseQuirk`, `qrNotReady`,
 * `metricsEnabled`, `numbersNotOnWhatsApp`, `apiKey`, `instances.<name>.token`, `restartMethod`,
 * `qrRotateMs`, `qrLimit`, `globalWebhook`, `exposeApiKeyInWebhooks`, `webhookTimeoutMs`;
 * faults `instances.<name>.zombie` (reports open, sends stay PENDING and never leave, nothing
 * arrives; a restart heals it and the inbound backlog waiting on the network is then delivered)
 * and `instances.<name>.webhookLost` (the row is wiped as in #2694; inbound messages are stored
 * but not POSTed; `/webhook/set` restores it). Records: `sentMessages` (every accepted message,
 * media too), `messages` (stored rows by instance), `webhookDeliveries`.
 */
import type { Emulator } from '../../core/emulator';
import { defineEmulator } from '../../core/emulator';
import { routeTable } from '../../core/routeTable';
import type { FaultContext, Reply } from '../../core/types';
import { replying, retryAfterHeader, statusText } from '../common';
import { WhatsAppNetwork } from '../network';
import { connectionRoutes } from './connection';
import { cannotRoute, envelope, instanceRoute, keyRoute, type Req } from './http';
import { createInstance, deleteInstance, fetchInstances } from './instances';
import { sendMedia, sendText } from './messages';
import { readbackRoutes } from './readback';
import { EvolutionRuntime } from './runtime';
import { evolutionDefaults, type EvolutionState } from './state';
import { webhookRoutes } from './webhookRoutes';

export * from './state';
export { EVOLUTION_EVENTS, type EvolutionEvent } from './runtime';

// ---------------------------------------------------------------- server routes

function welcome(req: Req): Reply {
	return {
		status: 200,
		body: {
			status: 200,
			message: 'Welcome to the Evolution API, it is working!',
			version: req.state.version,
			clientName: req.state.clientName,
			manager: `${req.baseUrl}/manager`,
			documentation: 'https://doc.evolution-api.com',
			whatsappWebVersion: req.state.whatsappWebVersion,
		},
	};
}

function verifyCreds(): Reply {
	return { status: 200, body: { status: 200, message: 'Credentials are valid' } };
}

function metrics(req: Req): Reply {
	if (!req.state.metricsEnabled) return cannotRoute(req);
	const instances = Object.entries(req.state.instances);
	const lines = [
		'# HELP evolution_environment_info Environment information',
		'# TYPE evolution_environment_info gauge',
		`evolution_environment_info{version="${req.state.version}",clientName="${req.state.clientName}"} 1`,
		'# HELP evolution_instances_total Total number of instances',
		'# TYPE evolution_instances_total gauge',
		`evolution_instances_total ${instances.length}`,
		'# HELP evolution_instance_up 1 if instance state is open, else 0',
		'# TYPE evolution_instance_up gauge',
		...instances.map(
			([name, i]) =>
				`evolution_instance_up{instance="${name}",integration="${i.integration}"} ${i.state === 'open' ? 1 : 0}`,
		),
		'# HELP evolution_instance_state Instance state as a labelled metric',
		'# TYPE evolution_instance_state gauge',
		...instances.map(
			([name, i]) =>
				`evolution_instance_state{instance="${name}",integration="${i.integration}",state="${i.state ?? 'unknown'}"} 1`,
		),
	];
	return { status: 200, text: `${lines.join('\n')}\n`, contentType: 'text/plain; version=0.0.4; charset=utf-8' };
}

// ---------------------------------------------------------------- faults

function faultReply(status: number, ctx: FaultContext<EvolutionState>): Reply {
	const req = ctx.request;
	switch (status) {
		case 401:
			return envelope(401, 'Unauthorized');
		case 403:
			return envelope(403, ['Missing global api key', 'The global api key must be set']);
		case 404:
			return req.params.instance
				? envelope(404, [`The "${req.params.instance}" instance does not exist`])
				: cannotRoute(req);
		case 429:
			return envelope(429, statusText(429), retryAfterHeader(ctx.retryAfter));
		default:
			return envelope(status, statusText(status));
	}
}

// ---------------------------------------------------------------- emulator

export interface EvolutionEmulatorOptions {
	/** The WhatsApp network to attach to; without one the emulator gets a private network. */
	network?: WhatsAppNetwork;
}

export function createEvolutionEmulator(
	overrides: Partial<EvolutionState> = {},
	options: EvolutionEmulatorOptions = {},
): Emulator<EvolutionState> {
	const runtime = new EvolutionRuntime(options.network ?? new WhatsAppNetwork(), options.network === undefined);
	const emulator = defineEmulator<EvolutionState>({
		name: 'evolution',
		initialState: () => runtime.bind(structuredClone({ ...evolutionDefaults, ...overrides })),
		faultReply,
		notFound: cannotRoute,
		actions: { scan: (body) => runtime.pairing.scan(body), traffic: (body) => runtime.traffic(body), drop: (body) => runtime.drops.drop(body) },
		onStop: (reason) => runtime.stop(reason),
		routes: routeTable('evolution', {
			root: ['GET /', welcome],
			verifyCreds: ['POST /verify-creds', keyRoute(verifyCreds)],
			metrics: ['GET /metrics', metrics],
			connectionState: ['GET /instance/connectionState/:instance', connectionRoutes.connectionState],
			connect: ['GET /instance/connect/:instance', connectionRoutes.connect],
			restart: ['POST|PUT /instance/restart/:instance', connectionRoutes.restart],
			logout: ['DELETE /instance/logout/:instance', connectionRoutes.logout],
			fetchInstances: ['GET /instance/fetchInstances', replying(fetchInstances)],
			create: ['POST /instance/create', replying(createInstance)],
			delete: ['DELETE /instance/delete/:instance', instanceRoute(deleteInstance)],
			sendText: ['POST /message/sendText/:instance', instanceRoute(sendText)],
			sendMedia: ['POST /message/sendMedia/:instance', instanceRoute(sendMedia)],
			findMessages: ['POST /chat/findMessages/:instance', readbackRoutes.findMessages],
			findStatusMessage: ['POST /chat/findStatusMessage/:instance', readbackRoutes.findStatusMessage],
			webhookSet: ['POST /webhook/set/:instance', webhookRoutes.set],
			webhookFind: ['GET /webhook/find/:instance', webhookRoutes.find],
		}),
	});
	runtime.emulator = emulator;
	return emulator;
}
