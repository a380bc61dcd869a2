/**
 * Emulator of Evolution API v2.3.6 (Baileys), after /work/shared/reference/apis.md §2 and
 * Appendix item 2.
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
 * State switches: `instances.<name>.state`, `restartHeals`, `restartCloseQuirk`, `qrNotReady`,
 * `metricsEnabled`, `numbersNotOnWhatsApp`, `apiKey`, `instances.<name>.token`, `restartMethod`;
 * `sentMessages` records every accepted message (media too, with its type and decoded size).
 */
import { randomUUID } from 'node:crypto';

import type { Emulator } from '../core/emulator';
import { defineEmulator } from '../core/emulator';
import { routeTable } from '../core/routeTable';
import type { EmulatorRequest, FaultContext, Reply } from '../core/types';
import { ReplyError, bodyObject, digitsOnly, headerValue, randomHex, replying, retryAfterHeader, statusText, stringField, unixSeconds } from './common';
import { pngDataUri, qrPng, qrValue } from './qrPng';

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
}

const CREATED_AT = '2025-01-15T12:00:00.000Z';

function newInstance(fields: Partial<EvolutionInstance> & Pick<EvolutionInstance, 'token'>): EvolutionInstance {
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
};

type Req = EmulatorRequest<EvolutionState>;

// ---------------------------------------------------------------- envelope and guards

function envelope(status: number, message: unknown, headers: Record<string, string> = {}): Reply {
	return { status, body: { status, error: statusText(status), response: { message } }, headers };
}

function fail(status: number, message: unknown): never {
	throw new ReplyError(envelope(status, message));
}

function cannotRoute(req: Req): Reply {
	return envelope(404, [`Cannot ${req.method} ${req.path}`]);
}

function requireKey(req: Req, instance?: EvolutionInstance): void {
	const key = headerValue(req.headers, 'apikey');
	if (key && (key === req.state.apiKey || key === instance?.token)) return;
	fail(401, 'Unauthorized');
}

/** instanceExistsGuard, then the apikey guard: a missing instance is 404 whatever the key. */
function instanceRoute(handler: (req: Req, instance: EvolutionInstance, name: string) => Reply) {
	return replying<EvolutionState>((req) => {
		const name = req.params.instance;
		const instance = req.state.instances[name];
		if (!instance) fail(404, [`The "${name}" instance does not exist`]);
		requireKey(req, instance);
		return handler(req, instance, name);
	});
}

function keyRoute(handler: (req: Req) => Reply) {
	return replying<EvolutionState>((req) => {
		requireKey(req);
		return handler(req);
	});
}

// ---------------------------------------------------------------- connection

function connectionStateBody(name: string, instance: EvolutionInstance): Record<string, unknown> {
	// An instance not in memory has state undefined, which JSON drops.
	const state = instance.state ?? undefined;
	return { instance: { instanceName: name, ...(state ? { state } : {}) } };
}

/** Derived from the number, so asking twice for the same number gives the same code. */
function pairingCodeFor(number: string): string {
	const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ0123456789';
	const seed = Buffer.from(digitsOnly(number).padEnd(8, '7'));
	return Array.from({ length: 8 }, (_, i) => alphabet[(seed[i % seed.length] * (i + 3)) % alphabet.length]).join('');
}

function qrObject(req: Req, name: string, instance: EvolutionInstance): Record<string, unknown> {
	if (req.state.qrNotReady) return { count: 0 };
	if (instance.qrCount === 0) instance.qrCount = 1;
	const code = qrValue(`${name}:${instance.id}:${instance.qrCount}`);
	const number = req.query.number;
	return {
		pairingCode: number ? pairingCodeFor(number) : null,
		code,
		base64: pngDataUri(qrPng(code)),
		count: instance.qrCount,
	};
}

function touch(instance: EvolutionInstance): void {
	instance.updatedAt = new Date().toISOString();
}

/** The socket starts without usable credentials: pairing begins with a fresh QR. */
function startPairing(instance: EvolutionInstance): void {
	instance.state = 'connecting';
	instance.qrCount += 1;
	touch(instance);
}

function markOpen(instance: EvolutionInstance): void {
	instance.state = 'open';
	instance.qrCount = 0;
	instance.disconnectionReasonCode = null;
	instance.disconnectionObject = null;
	instance.disconnectionAt = null;
	touch(instance);
}

/** The controller catches the plain-object exception and calls toString() on it. */
const OBJECT_OBJECT_QUIRK = { error: true, message: '[object Object]' };

function connect(req: Req, instance: EvolutionInstance, name: string): Reply {
	switch (instance.state) {
		case null:
			return { status: 200, body: OBJECT_OBJECT_QUIRK };
		case 'open':
			return { status: 200, body: connectionStateBody(name, instance) };
		case 'connecting':
			return { status: 200, body: qrObject(req, name, instance) };
		case 'close':
			startPairing(instance);
			return { status: 200, body: qrObject(req, name, instance) };
	}
}

function connectionState(_req: Req, instance: EvolutionInstance, name: string): Reply {
	return { status: 200, body: connectionStateBody(name, instance) };
}

function restart(req: Req, instance: EvolutionInstance, name: string): Reply {
	if (instance.state === null) return { status: 200, body: OBJECT_OBJECT_QUIRK };
	if (instance.state === 'close' && req.state.restartCloseQuirk) return { status: 200, body: OBJECT_OBJECT_QUIRK };
	if (req.state.restartHeals) {
		markOpen(instance);
		return { status: 200, body: connectionStateBody(name, instance) };
	}
	startPairing(instance);
	return { status: 200, body: qrObject(req, name, instance) };
}

/** The method check runs before any guard: on a server without the route it is an unknown route. */
function restartRoute(req: Req): Promise<Reply> | Reply {
	const allowed = req.state.restartMethod;
	if (allowed !== 'both' && req.method !== allowed) return cannotRoute(req);
	return instanceRoute(restart)(req);
}

function logout(_req: Req, instance: EvolutionInstance, name: string): Reply {
	if (instance.state === 'close') fail(400, [`The "${name}" instance is not connected`]);
	if (instance.state !== null) {
		instance.state = 'close';
		instance.qrCount = 0;
		instance.disconnectionReasonCode = 401;
		instance.disconnectionObject = JSON.stringify({ error: { output: { statusCode: 401 } }, reason: 'loggedOut' });
		instance.disconnectionAt = new Date().toISOString();
		touch(instance);
	}
	return { status: 200, body: { status: 'SUCCESS', error: false, response: { message: 'Instance logged out' } } };
}

// ---------------------------------------------------------------- instances

/** The settings a new instance gets (Evolution's defaults); the emulator never changes them. */
const INSTANCE_SETTINGS = {
	rejectCall: false,
	msgCall: '',
	groupsIgnore: false,
	alwaysOnline: false,
	readMessages: false,
	readStatus: false,
	syncFullHistory: false,
};

function instanceRow(req: Req, name: string, instance: EvolutionInstance): Record<string, unknown> {
	return {
		id: instance.id,
		name,
		connectionStatus: instance.state ?? 'close',
		ownerJid: instance.ownerJid,
		profileName: instance.profileName,
		profilePicUrl: instance.profilePicUrl,
		integration: instance.integration,
		number: instance.number,
		businessId: instance.businessId,
		token: instance.token,
		clientName: req.state.clientName,
		disconnectionReasonCode: instance.disconnectionReasonCode,
		disconnectionObject: instance.disconnectionObject,
		disconnectionAt: instance.disconnectionAt,
		createdAt: instance.createdAt,
		updatedAt: instance.updatedAt,
		Chatwoot: null,
		Proxy: null,
		Rabbitmq: null,
		Nats: null,
		Sqs: null,
		Websocket: null,
		Setting: {
			id: `${instance.id}-setting`,
			...INSTANCE_SETTINGS,
			instanceId: instance.id,
		},
		_count: { ...instance.counts },
	};
}

/** A non-global key may only be an instance token, and then sees that instance only. */
function visibleInstances(req: Req): Array<[string, EvolutionInstance]> {
	const key = headerValue(req.headers, 'apikey');
	const all = Object.entries(req.state.instances);
	if (!key) fail(401, 'Unauthorized');
	if (key === req.state.apiKey) return all;
	const own = all.filter(([, instance]) => instance.token === key);
	if (own.length === 0) fail(401, 'Unauthorized');
	return own;
}

function fetchInstances(req: Req): Reply {
	let rows = visibleInstances(req);
	const { instanceName, instanceId, number } = req.query;
	const wanted = instanceName ?? instanceId ?? number;
	if (instanceName) rows = rows.filter(([name]) => name === instanceName);
	else if (instanceId) rows = rows.filter(([, instance]) => instance.id === instanceId);
	else if (number) rows = rows.filter(([, instance]) => instance.number === digitsOnly(number));
	if (wanted && rows.length === 0) fail(404, [`Instance "${wanted}" not found`]);
	return { status: 200, body: rows.map(([name, instance]) => instanceRow(req, name, instance)) };
}

const INTEGRATIONS: EvolutionIntegration[] = ['WHATSAPP-BAILEYS', 'WHATSAPP-BUSINESS', 'EVOLUTION'];

function integrationOf(body: Record<string, unknown>): EvolutionIntegration {
	const requested = stringField(body, 'integration') ?? 'WHATSAPP-BAILEYS';
	const known = INTEGRATIONS.find((integration) => integration === requested);
	if (!known) fail(400, ['Invalid integration']);
	return known;
}

function createInstance(req: Req): Reply {
	const body = bodyObject(req.body);
	const name = stringField(body, 'instanceName');
	// instanceLoggedGuard runs before the apikey guard: a taken name is 403 whatever the key.
	if (name && req.state.instances[name]) fail(403, [`This name "${name}" is already in use.`]);
	if (headerValue(req.headers, 'apikey') !== req.state.apiKey) fail(401, 'Unauthorized');
	if (!name) fail(400, ['instance requires property "instanceName"']);
	const integration = integrationOf(body);
	const token = stringField(body, 'token') ?? randomUUID().toUpperCase();
	const wantsQr = body.qrcode === true && integration === 'WHATSAPP-BAILEYS';
	const instance = newInstance({
		token,
		integration,
		number: stringField(body, 'number') ?? null,
		createdAt: new Date().toISOString(),
		updatedAt: new Date().toISOString(),
	});
	req.state.instances[name] = instance;
	if (wantsQr) startPairing(instance);
	return {
		status: 201,
		body: {
			instance: {
				instanceName: name,
				instanceId: instance.id,
				integration,
				webhookWaBusiness: null,
				accessTokenWaBusiness: '',
				status: 'created',
			},
			hash: token,
			webhook: {},
			websocket: {},
			rabbitmq: {},
			sqs: {},
			settings: { ...INSTANCE_SETTINGS },
			...(wantsQr ? { qrcode: qrObject(req, name, instance) } : {}),
		},
	};
}

function deleteInstance(req: Req, instance: EvolutionInstance, name: string): Reply {
	if (instance.state === 'open') fail(400, [`The "${name}" instance needs to be disconnected`]);
	delete req.state.instances[name];
	return { status: 200, body: { status: 'SUCCESS', error: false, response: { message: 'Instance deleted' } } };
}

// ---------------------------------------------------------------- messages

/** JSON-schema (`jsonschema` package) wording, as Evolution's dataValidate passes it through. */
function validateSendText(body: Record<string, unknown>): { number: string; text: string } {
	const problems: string[] = [];
	for (const property of ['number', 'text']) {
		if (body[property] === undefined) problems.push(`instance requires property "${property}"`);
	}
	if (body.number !== undefined && typeof body.number !== 'string') problems.push('Invalid format');
	if (body.text !== undefined && typeof body.text !== 'string') problems.push('text is not of a type(s) string');
	if (problems.length > 0) fail(400, problems);
	return { number: String(body.number), text: String(body.text) };
}

/** What a send adds to the common steps: the message's log entry and its reply body. */
interface Outgoing {
	number: string;
	text: string;
	logged?: Partial<EvolutionSentMessage>;
	messageType: string;
	message: (id: string) => Record<string, unknown>;
}

/** The steps every send shares: connection, recipient on WhatsApp, the log, the 201 reply. */
function deliver(req: Req, instance: EvolutionInstance, name: string, out: Outgoing): Reply {
	if (instance.state !== 'open') fail(500, 'Connection Closed');
	const digits = digitsOnly(out.number.split('@')[0]);
	const jid = `${digits}@s.whatsapp.net`;
	if (req.state.numbersNotOnWhatsApp.includes(digits)) fail(400, [{ jid, exists: false, number: digits }]);
	const id = `3EB0${randomHex(9).toUpperCase()}`;
	req.state.sentMessages.push({ instance: name, id, number: digits, text: out.text, at: new Date().toISOString(), ...out.logged });
	instance.counts.Message += 1;
	return {
		status: 201,
		body: {
			key: { remoteJid: jid, fromMe: true, id },
			pushName: instance.profileName ?? '',
			status: 'PENDING',
			message: out.message(id),
			messageType: out.messageType,
			messageTimestamp: unixSeconds(),
			instanceId: instance.id,
			source: 'unknown',
		},
	};
}

function sendText(req: Req, instance: EvolutionInstance, name: string): Reply {
	const { number, text } = validateSendText(bodyObject(req.body));
	return deliver(req, instance, name, { number, text, messageType: 'conversation', message: () => ({ conversation: text }) });
}

const MEDIA_TYPES: EvolutionMediaType[] = ['image', 'video', 'audio', 'document'];

interface MediaRequest {
	number: string;
	mediatype: EvolutionMediaType;
	mimetype: string | undefined;
	caption: string;
	media: string;
	fileName: string | undefined;
}

/** Unverified: after the v2 docs' mediaMessageSchema and the "url or base64" check of the service. */
function validateSendMedia(body: Record<string, unknown>): MediaRequest {
	const problems: string[] = [];
	for (const property of ['number', 'mediatype', 'media']) {
		if (body[property] === undefined) problems.push(`instance requires property "${property}"`);
	}
	if (body.number !== undefined && typeof body.number !== 'string') problems.push('Invalid format');
	const mediatype = MEDIA_TYPES.find((type) => type === body.mediatype);
	if (body.mediatype !== undefined && !mediatype) problems.push(`instance.mediatype is not one of enum values: ${MEDIA_TYPES.join(',')}`);
	if (body.media !== undefined && typeof body.media !== 'string') problems.push('media is not of a type(s) string');
	if (problems.length > 0 || !mediatype) fail(400, problems);
	return {
		number: String(body.number),
		mediatype,
		mimetype: stringField(body, 'mimetype'),
		caption: stringField(body, 'caption') ?? '',
		media: String(body.media),
		fileName: stringField(body, 'fileName'),
	};
}

const PLAIN_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decoded byte count of base64 media, null for a URL; anything else (a data: URI too) is refused. */
function mediaBytes(media: string): number | null {
	if (/^https?:\/\//i.test(media)) return null;
	const compact = media.replace(/\s/g, '');
	if (compact === '' || !PLAIN_BASE64.test(compact)) fail(400, ['Owned media must be a url or base64']);
	return Buffer.from(compact, 'base64').length;
}

function sendMedia(req: Req, instance: EvolutionInstance, name: string): Reply {
	const media = validateSendMedia(bodyObject(req.body));
	const bytes = mediaBytes(media.media);
	const messageType = `${media.mediatype}Message`;
	return deliver(req, instance, name, {
		number: media.number,
		text: media.caption,
		logged: {
			mediatype: media.mediatype,
			...(media.mimetype ? { mimetype: media.mimetype } : {}),
			...(media.fileName ? { fileName: media.fileName } : {}),
			mediaBytes: bytes,
		},
		messageType,
		message: (id) => ({
			[messageType]: {
				url: `https://mmg.whatsapp.net/v/t62.7118-24/${id}.enc`,
				mimetype: media.mimetype ?? 'application/octet-stream',
				caption: media.caption,
				...(media.fileName ? { fileName: media.fileName } : {}),
				fileLength: String(bytes ?? 0),
			},
		}),
	});
}

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

export function createEvolutionEmulator(overrides: Partial<EvolutionState> = {}): Emulator<EvolutionState> {
	return defineEmulator<EvolutionState>({
		name: 'evolution',
		initialState: () => structuredClone({ ...evolutionDefaults, ...overrides }),
		faultReply,
		notFound: cannotRoute,
		routes: routeTable('evolution', {
			root: ['GET /', welcome],
			verifyCreds: ['POST /verify-creds', keyRoute(verifyCreds)],
			metrics: ['GET /metrics', metrics],
			connectionState: ['GET /instance/connectionState/:instance', instanceRoute(connectionState)],
			connect: ['GET /instance/connect/:instance', instanceRoute(connect)],
			restart: ['POST|PUT /instance/restart/:instance', restartRoute],
			logout: ['DELETE /instance/logout/:instance', instanceRoute(logout)],
			fetchInstances: ['GET /instance/fetchInstances', replying(fetchInstances)],
			create: ['POST /instance/create', replying(createInstance)],
			delete: ['DELETE /instance/delete/:instance', instanceRoute(deleteInstance)],
			sendText: ['POST /message/sendText/:instance', instanceRoute(sendText)],
			sendMedia: ['POST /message/sendMedia/:instance', instanceRoute(sendMedia)],
		}),
	});
}
