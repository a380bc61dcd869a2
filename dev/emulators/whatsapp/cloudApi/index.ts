/**
 * Emulator of the WhatsApp Business Cloud API (Meta Graph API), after
 * /work/shared/reference/apis.md §1 and Appendix item 1.
 *
 * Routes (every path starts with `/:version`; any `vNN.N` is accepted and echoed in
 * `facebook-api-version`; anything else is "Unknown path components", code 2500):
 *  - `cloudApi.node`         GET  /:version/:nodeId                the phone number node or the WABA node.
 *                                 `fields=` selects (id always included); without it a phone returns
 *                                 id, display_phone_number, verified_name, quality_rating and a WABA
 *                                 id, name, timezone_id, message_template_namespace. `fields=health_status`
 *                                 works on both (BLOCKED > LIMITED > AVAILABLE over the entities;
 *                                 PHONE_NUMBER only when the node is the phone). Unknown field → code 100.
 *  - `cloudApi.phoneNumbers` GET  /:version/:wabaId/phone_numbers   `{data:[…],paging}`; `fields=`, and
 *                                 `filtering=[{field,operator:"EQUAL",value}]` on account_mode,
 *                                 messaging_limit_tier, is_official_business_account.
 *  - `cloudApi.messages`     POST /:version/:phoneId/messages       text, image, template → `wamid.…`
 *  - `cloudApi.register`     POST /:version/:phoneId/register       `{messaging_product,pin}` → `{success:true}`
 *  - `cloudApi.deregister`   POST /:version/:phoneId/deregister     → `{success:true}`
 *  - `cloudApi.media`        POST /:version/:phoneId/media          multipart/form-data upload (`file`, `type`,
 *                                 `messaging_product=whatsapp`) → `{id:'<digits>'}`. Not in apis.md; shape from
 *                                 Meta docs, unverified. A missing/other messaging_product, a missing or empty
 *                                 `file` part or a missing/non-MIME `type` → code 100. An image message that
 *                                 sends `image.id` must name an uploaded media id, else code 100.
 *
 *  - `cloudApi.subscribedApps` GET|POST|DELETE /:version/:wabaId/subscribed_apps   the app's subscription to
 *                                 the WABA (whatsapp-canary-webhooks.md §3.C): GET `{data:[{whatsapp_business_api_data:
 *                                 {id,link,name},override_callback_uri?}]}` or `{data:[]}`; POST `{override_callback_uri?,
 *                                 verify_token?}` → `{success:true}` (subscribes); DELETE → `{success:true}` (unsubscribes).
 *
 * WhatsApp network and webhooks (runtime.ts): the phone number (digits of display_phone_number)
 * is on the network given to `createCloudApiEmulator(overrides, { network })`. Inbound messages
 * and the statuses (sent → delivered → read) of own sends are POSTed to the effective callback
 * (`subscription.override_callback_uri`, else `app.callbackUrl`) as `messages` changes signed
 * `X-Hub-Signature-256: sha256=<HMAC(app.secret, body)>`. There is no read-back route (§3.B).
 * Meta's retries (~7 days) and the `hub.challenge` verification handshake are not modelled.
 *
 * Auth: `Authorization: Bearer <token>` or `?access_token=`. No token → code 104; a token that
 * is not `accessToken` → 190 "Cannot parse access token"; `tokenState` expired → 190/463,
 * revoked → 190/460. Sent with HTTP `authErrorHttpStatus` (401 as documented; 400 as real
 * Graph is often observed to do). Unknown object id → 803 GraphMethodException, HTTP 404; a
 * known id of the wrong type (e.g. POST messages to the WABA) → 100/33, HTTP 400.
 *
 * Every reply carries x-fb-trace-id (also the body's `fbtrace_id`), x-fb-request-id,
 * x-fb-rev, x-fb-debug, facebook-api-version, x-app-usage and x-business-use-case-usage.
 * Injected faults: 401 → 190/463 (token expired); 403 → 10; 404 → 803; 429 → code 80007 on WABA routes
 * (cloudApi.phoneNumbers, cloudApi.node on the WABA id) and code 4 elsewhere, `is_transient`,
 * NO Retry-After, `estimated_time_to_regain_access` (minutes, from the fault's retryAfter) in
 * x-business-use-case-usage; 500 → code 2 `is_transient:true`; 503 → code 2.
 *
 * State switches (`emulator.patchState`, or PATCH /__emulator/state):
 *  - `tokenState`: 'valid' | 'expired' | 'revoked'; `accessToken`; `authErrorHttpStatus`: 401 | 400
 *  - `phone.status` (CONNECTED, DISCONNECTED, FLAGGED, …), `phone.quality_rating` (GREEN, YELLOW,
 *    RED, NA), `phone.messaging_limit_tier`, `phone.throughput.level`, `phone.account_mode`, …
 *  - `health.{PHONE_NUMBER,WABA,BUSINESS,APP}.can_send_message`: AVAILABLE | LIMITED | BLOCKED, with
 *    optional `additional_info` (LIMITED) / `errors` (BLOCKED); defaults are filled in when absent
 *  - `registered`: false → messages fail with 133010 (HTTP 400). register sets it true and
 *    `phone.status` CONNECTED; deregister sets it false and `phone.status` DISCONNECTED
 *  - `throughputLimited` → messages fail with 130429 (HTTP 400); `pairRateLimited` → 131056 (HTTP 400)
 *  - `pin`: the two-step verification PIN register expects (wrong one → 133005)
 *  - `sentMessages`: every accepted message, for assertions
 *  - `media`: every accepted upload (id, MIME type, file name, size), for assertions
 *  - `app.secret`, `app.callbackUrl`, `subscription.override_callback_uri`, `webhookTimeoutMs`
 *  - fault `webhookLost`: the app is not subscribed to the WABA (`subscribed_apps` empty, nothing
 *    POSTed; POST subscribed_apps restores it)
 *  - records `webhookDeliveries` (every POST attempt) and `receivedMessages` (inbound)
 * Ids (phone, WABA, business, app) are plain state too and may be changed at any time.
 */
import type { Emulator } from '../../core/emulator';
import { defineEmulator } from '../../core/emulator';
import { routeTable } from '../../core/routeTable';
import type { EmulatorRequest, FaultContext, Reply } from '../../core/types';
import { WhatsAppNetwork } from '../network';
import type { WebhookDelivery } from '../webhooks/sender';
import { CloudApiRuntime } from './runtime';
import { ReplyError, bodyObject, digitsOnly, headerValue, randomHex, replying, stringField } from '../common';

export type CloudApiTokenState = 'valid' | 'expired' | 'revoked';
export type CloudApiQualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN';
export type CloudApiPhoneStatus =
	| 'CONNECTED'
	| 'DISCONNECTED'
	| 'UNVERIFIED'
	| 'PENDING'
	| 'FLAGGED'
	| 'RESTRICTED'
	| 'RATE_LIMITED'
	| 'OFFLINE'
	| 'DELETED'
	| 'BANNED'
	| 'MIGRATED';
export type CloudApiMessagingTier =
	| 'TIER_50'
	| 'TIER_250'
	| 'TIER_1K'
	| 'TIER_2K'
	| 'TIER_10K'
	| 'TIER_100K'
	| 'TIER_UNLIMITED'
	| 'TIER_NOT_SET';
export type CanSendMessage = 'AVAILABLE' | 'LIMITED' | 'BLOCKED';
export type HealthEntityType = 'PHONE_NUMBER' | 'WABA' | 'BUSINESS' | 'APP';

export interface HealthError {
	error_code: number;
	error_description: string;
	possible_solution: string;
}

export interface HealthEntityState {
	can_send_message: CanSendMessage;
	/** Shown only while LIMITED; a default is used when absent. */
	additional_info?: string[];
	/** Shown only while BLOCKED; a default is used when absent. */
	errors?: HealthError[];
}

export interface CloudApiPhoneNumber {
	id: string;
	display_phone_number: string;
	verified_name: string;
	quality_rating: CloudApiQualityRating;
	status: CloudApiPhoneStatus;
	name_status: string;
	code_verification_status: string;
	messaging_limit_tier: CloudApiMessagingTier;
	throughput: { level: 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE' };
	platform_type: 'CLOUD_API' | 'ON_PREMISE' | 'NOT_APPLICABLE';
	account_mode: 'LIVE' | 'SANDBOX';
	is_official_business_account: boolean;
}

export interface CloudApiWaba {
	id: string;
	name: string;
	timezone_id: string;
	message_template_namespace: string;
	account_review_status: 'APPROVED' | 'PENDING' | 'REJECTED';
	business_verification_status: string;
	country: string;
	ownership_type: string;
	currency: string;
}

export interface CloudApiSentMessage {
	id: string;
	to: string;
	type: string;
	payload: Record<string, unknown>;
	at: string;
}

/** An accepted media upload. `size` is the file part's length as the engine's UTF-8 body text (exact for ASCII payloads). */
export interface CloudApiMedia {
	id: string;
	mimeType: string;
	fileName: string;
	size: number;
	at: string;
}

export interface CloudApiState {
	/** The one token Graph accepts. */
	accessToken: string;
	tokenState: CloudApiTokenState;
	/** HTTP status for codes 104/190: 401 as documented, 400 as often observed. */
	authErrorHttpStatus: 401 | 400;
	appId: string;
	businessId: string;
	pin: string;
	registered: boolean;
	phone: CloudApiPhoneNumber;
	waba: CloudApiWaba;
	health: Record<HealthEntityType, HealthEntityState>;
	throughputLimited: boolean;
	pairRateLimited: boolean;
	sentMessages: CloudApiSentMessage[];
	media: CloudApiMedia[];
	/** The app: its secret signs webhooks; `callbackUrl` is the App Dashboard callback (null: none configured). */
	app: { secret: string; callbackUrl: string | null };
	/** The app's subscription to the WABA (`subscribed_apps`); a WABA-level override callback. */
	subscription: { override_callback_uri: string | null };
	/** Fault: the app is not subscribed to the WABA — `subscribed_apps` is empty and nothing is POSTed. */
	webhookLost: boolean;
	webhookTimeoutMs: number;
	/** Every webhook POST attempted, oldest first. */
	webhookDeliveries: WebhookDelivery[];
	/** Inbound messages (test record only: the Cloud API has no read-back). */
	receivedMessages: Array<{ id: string; from: string; text: string; timestamp: number }>;
}

export const cloudApiDefaults: CloudApiState = {
	accessToken: 'EAAtest-cloud-token',
	tokenState: 'valid',
	authErrorHttpStatus: 401,
	appId: '1234567890123456',
	businessId: '555000111222333',
	pin: '123456',
	registered: true,
	phone: {
		id: '106853218861309',
		display_phone_number: '+52 55 1234 5678',
		verified_name: 'Tienda Ventas',
		quality_rating: 'GREEN',
		status: 'CONNECTED',
		name_status: 'APPROVED',
		code_verification_status: 'VERIFIED',
		messaging_limit_tier: 'TIER_1K',
		throughput: { level: 'STANDARD' },
		platform_type: 'CLOUD_API',
		account_mode: 'LIVE',
		is_official_business_account: false,
	},
	waba: {
		id: '102290129340398',
		name: 'Tienda Ventas WABA',
		timezone_id: '1',
		message_template_namespace: 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		account_review_status: 'APPROVED',
		business_verification_status: 'verified',
		country: 'MX',
		ownership_type: 'SELF',
		currency: 'USD',
	},
	health: {
		PHONE_NUMBER: { can_send_message: 'AVAILABLE' },
		WABA: { can_send_message: 'AVAILABLE' },
		BUSINESS: { can_send_message: 'AVAILABLE' },
		APP: { can_send_message: 'AVAILABLE' },
	},
	throughputLimited: false,
	pairRateLimited: false,
	sentMessages: [],
	media: [],
	app: { secret: 'cloud-app-secret', callbackUrl: null },
	subscription: { override_callback_uri: null },
	webhookLost: false,
	webhookTimeoutMs: 5_000,
	webhookDeliveries: [],
	receivedMessages: [],
};

type Req = EmulatorRequest<CloudApiState>;
type NodeKind = 'phone' | 'waba';

const VERSION_PATTERN = /^v\d+\.\d+$/;
const DEFAULT_VERSION = 'v23.0';
const PHONE_DEFAULT_FIELDS = ['id', 'display_phone_number', 'verified_name', 'quality_rating'];
const WABA_DEFAULT_FIELDS = ['id', 'name', 'timezone_id', 'message_template_namespace'];
const NODE_TYPE: Record<NodeKind, string> = {
	phone: 'WhatsAppBusinessPhoneNumber',
	waba: 'WhatsAppBusinessAccount',
};
const HEALTH_ORDER: HealthEntityType[] = ['PHONE_NUMBER', 'WABA', 'BUSINESS', 'APP'];

/** Illustrative defaults (shape from the docs; wording ours) for entities switched to LIMITED / BLOCKED. */
const DEFAULT_ADDITIONAL_INFO: Record<HealthEntityType, string> = {
	PHONE_NUMBER: 'Your phone number has reached its 24-hour messaging limit.',
	WABA: 'Your WhatsApp Business Account has reached its messaging limit.',
	BUSINESS: 'Your business portfolio is not verified; messaging is limited.',
	APP: 'Your app is in development mode; messaging is limited to test numbers.',
};
const DEFAULT_BLOCK_ERROR: Record<HealthEntityType, HealthError> = {
	PHONE_NUMBER: {
		error_code: 141000,
		error_description: 'The phone number is not registered or was disconnected.',
		possible_solution: 'Register the phone number again with POST /<PHONE_NUMBER_ID>/register.',
	},
	WABA: {
		error_code: 141006,
		error_description: 'There is an error with the payment method',
		possible_solution: 'Add a valid payment method to the WhatsApp Business Account.',
	},
	BUSINESS: {
		error_code: 141001,
		error_description: 'The business portfolio is restricted for a policy violation.',
		possible_solution: 'Review the restriction in Business Support Home.',
	},
	APP: {
		error_code: 141002,
		error_description: 'The app is restricted.',
		possible_solution: 'Review the app status in the App Dashboard.',
	},
};

// ---------------------------------------------------------------- reply plumbing

/** Per-request trace ids, so the body's fbtrace_id equals the x-fb-trace-id header. */
const traceIds = new WeakMap<object, { trace: string; request: string }>();

function traceOf(req: Req): { trace: string; request: string } {
	let ids = traceIds.get(req);
	if (!ids) {
		ids = {
			trace: Buffer.from(randomHex(8), 'hex').toString('base64url').slice(0, 11),
			request: Buffer.from(randomHex(16), 'hex').toString('base64url').slice(0, 22),
		};
		traceIds.set(req, ids);
	}
	return ids;
}

interface GraphErrorFields {
	message: string;
	type?: string;
	code: number;
	error_subcode?: number;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
	error_data?: { messaging_product: 'whatsapp'; details: string };
}

function graphError(req: Req, status: number, fields: GraphErrorFields, headers: Record<string, string> = {}): Reply {
	const error = { type: 'OAuthException', ...fields, fbtrace_id: traceOf(req).trace };
	return { status, body: { error }, headers };
}

function fail(req: Req, status: number, fields: GraphErrorFields, headers?: Record<string, string>): never {
	throw new ReplyError(graphError(req, status, fields, headers));
}

function invalidParameter(req: Req, message: string): never {
	return fail(req, 400, { message: `(#100) ${message}`, code: 100 });
}

function whatsappError(
	req: Req,
	code: number,
	title: string,
	details: string,
	extra: Partial<GraphErrorFields> = {},
): never {
	return fail(req, 400, {
		message: `(#${code}) ${title}`,
		code,
		error_data: { messaging_product: 'whatsapp', details },
		...extra,
	});
}

function versionOf(path: string): string {
	const first = path.split('/')[1] ?? '';
	return VERSION_PATTERN.test(first) ? first : DEFAULT_VERSION;
}

function businessUseCaseUsage(state: CloudApiState, usage: number, regainMinutes: number): string {
	return JSON.stringify({
		[state.waba.id]: [
			{
				type: 'whatsapp',
				call_count: usage,
				total_cputime: Math.min(usage, 1),
				total_time: Math.min(usage, 1),
				estimated_time_to_regain_access: regainMinutes,
			},
		],
	});
}

function appUsage(usage: number): string {
	return JSON.stringify({ call_count: usage, total_cputime: Math.min(usage, 1), total_time: Math.min(usage, 1) });
}

function commonHeaders(req: Req): Record<string, string> {
	const ids = traceOf(req);
	return {
		'x-fb-trace-id': ids.trace,
		'x-fb-request-id': ids.request,
		'x-fb-rev': '1019283746',
		'x-fb-debug': Buffer.from(randomHex(48), 'hex').toString('base64'),
		'facebook-api-version': versionOf(req.path),
		'x-app-usage': appUsage(1),
		'x-business-use-case-usage': businessUseCaseUsage(req.state, 1, 0),
	};
}

// ---------------------------------------------------------------- guards

function accessTokenOf(req: Req): string | undefined {
	const header = headerValue(req.headers, 'authorization');
	const bearer = header ? /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header) : null;
	if (bearer) return bearer[1];
	return req.query.access_token || undefined;
}

function authError(req: Req, fields: GraphErrorFields, status: number): Reply {
	const challenge = `OAuth "Facebook Platform" "invalid_token" "${fields.message}"`;
	return graphError(req, status, fields, { 'www-authenticate': challenge });
}

const INVALID_TOKEN: GraphErrorFields = {
	message: 'Invalid OAuth access token - Cannot parse access token',
	code: 190,
};
const EXPIRED_TOKEN: GraphErrorFields = {
	message:
		'Error validating access token: Session has expired on Friday, 21-Nov-25 10:00:00 PST. ' +
		'The current time is Friday, 21-Nov-25 11:00:00 PST.',
	code: 190,
	error_subcode: 463,
};
const REVOKED_TOKEN: GraphErrorFields = {
	message:
		'Error validating access token: The session has been invalidated because the user changed ' +
		'their password or Facebook has changed the session for security reasons.',
	code: 190,
	error_subcode: 460,
};

/** What is wrong with the request's token, or null when it is good. */
function tokenProblem(req: Req): GraphErrorFields | null {
	const token = accessTokenOf(req);
	if (!token) return { message: 'An access token is required to request this resource.', code: 104 };
	if (token !== req.state.accessToken) return INVALID_TOKEN;
	if (req.state.tokenState === 'expired') return EXPIRED_TOKEN;
	if (req.state.tokenState === 'revoked') return REVOKED_TOKEN;
	return null;
}

function unknownPath(req: Req): Reply {
	const rest = req.path.split('/').slice(2).join('/');
	return graphError(req, 400, { message: `Unknown path components: /${rest}`, code: 2500 });
}

/** No route matched: a known node asked with another method, or a path Graph does not have. */
function notFound(req: Req): Reply {
	const [, version, id, ...rest] = req.path.split('/');
	if (VERSION_PATTERN.test(version ?? '') && id && rest.length === 0 && nodeKindOf(req.state, id)) {
		return unsupportedRequestReply(req, id);
	}
	return unknownPath(req);
}

function nodeKindOf(state: CloudApiState, id: string): NodeKind | null {
	if (id === state.phone.id) return 'phone';
	if (id === state.waba.id) return 'waba';
	return null;
}

/** Version check, then token, then object lookup: the order Graph answers in. */
function graphRoute(handler: (req: Req, kind: NodeKind) => Reply) {
	return replying<CloudApiState>((req) => {
		if (!VERSION_PATTERN.test(req.params.version)) return unknownPath(req);
		const problem = tokenProblem(req);
		if (problem) return authError(req, problem, req.state.authErrorHttpStatus);
		const kind = nodeKindOf(req.state, req.params.nodeId);
		if (!kind) {
			return graphError(req, 404, {
				message: `(#803) Some of the aliases you requested do not exist: ${req.params.nodeId}`,
				type: 'GraphMethodException',
				code: 803,
			});
		}
		return handler(req, kind);
	});
}

function unsupportedRequestReply(req: Req, id: string): Reply {
	return graphError(req, 400, {
		message:
			`Unsupported ${req.method.toLowerCase()} request. Object with ID '${id}' does not exist, ` +
			'cannot be loaded due to missing permissions, or does not support this operation. ' +
			'Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api',
		type: 'GraphMethodException',
		code: 100,
		error_subcode: 33,
	});
}

function unsupportedRequest(req: Req): never {
	throw new ReplyError(unsupportedRequestReply(req, req.params.nodeId));
}

// ---------------------------------------------------------------- nodes and fields

/** Top-level names of a `fields=` spec; nested selections like `throughput{level}` keep their root. */
function parseFields(spec: string): string[] {
	const names: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of spec) {
		if (char === '{') depth++;
		if (char === '}') depth--;
		if (char === ',' && depth === 0) {
			names.push(current);
			current = '';
		} else if (depth === 0 && char !== '}') {
			current += char;
		}
	}
	names.push(current);
	return names.map((name) => name.trim()).filter((name) => name !== '');
}

function selectFields(
	req: Req,
	kind: NodeKind,
	source: Record<string, unknown>,
	defaults: string[],
): Record<string, unknown> {
	const spec = req.query.fields;
	const fields = spec === undefined || spec.trim() === '' ? defaults : parseFields(spec);
	const selected: Record<string, unknown> = {};
	for (const field of fields) {
		if (!(field in source)) {
			invalidParameter(req, `Tried accessing nonexisting field (${field}) on node type (${NODE_TYPE[kind]})`);
		}
		selected[field] = source[field];
	}
	// Graph always returns the id, last when it was not asked for.
	if (!('id' in selected)) selected.id = source.id;
	return selected;
}

function entityId(state: CloudApiState, type: HealthEntityType): string {
	switch (type) {
		case 'PHONE_NUMBER':
			return state.phone.id;
		case 'WABA':
			return state.waba.id;
		case 'BUSINESS':
			return state.businessId;
		case 'APP':
			return state.appId;
	}
}

function healthEntity(state: CloudApiState, type: HealthEntityType): Record<string, unknown> {
	const entity = state.health[type];
	return {
		entity_type: type,
		id: entityId(state, type),
		can_send_message: entity.can_send_message,
		...(type === 'PHONE_NUMBER' ? { can_receive_call_sip: 'AVAILABLE' } : {}),
		...(entity.can_send_message === 'LIMITED'
			? { additional_info: entity.additional_info ?? [DEFAULT_ADDITIONAL_INFO[type]] }
			: {}),
		...(entity.can_send_message === 'BLOCKED' ? { errors: entity.errors ?? [DEFAULT_BLOCK_ERROR[type]] } : {}),
	};
}

/** Documented rule: BLOCKED if any entity is blocked, else LIMITED if any is limited, else AVAILABLE. */
export function aggregateCanSend(values: CanSendMessage[]): CanSendMessage {
	if (values.includes('BLOCKED')) return 'BLOCKED';
	if (values.includes('LIMITED')) return 'LIMITED';
	return 'AVAILABLE';
}

function healthStatus(state: CloudApiState, kind: NodeKind): Record<string, unknown> {
	// The PHONE_NUMBER entity appears only when the node asked about is the phone number.
	const types = HEALTH_ORDER.filter((type) => type !== 'PHONE_NUMBER' || kind === 'phone');
	return {
		can_send_message: aggregateCanSend(types.map((type) => state.health[type].can_send_message)),
		entities: types.map((type) => healthEntity(state, type)),
	};
}

function phoneSource(state: CloudApiState): Record<string, unknown> {
	return { ...state.phone, health_status: healthStatus(state, 'phone') };
}

function wabaSource(state: CloudApiState): Record<string, unknown> {
	return { ...state.waba, health_status: healthStatus(state, 'waba') };
}

function getNode(req: Req, kind: NodeKind): Reply {
	const body =
		kind === 'phone'
			? selectFields(req, kind, phoneSource(req.state), PHONE_DEFAULT_FIELDS)
			: selectFields(req, kind, wabaSource(req.state), WABA_DEFAULT_FIELDS);
	return { status: 200, body };
}

const FILTERABLE_FIELDS = new Set(['account_mode', 'messaging_limit_tier', 'is_official_business_account']);

function matchesFilters(req: Req, phone: CloudApiPhoneNumber): boolean {
	const raw = req.query.filtering;
	if (raw === undefined) return true;
	let filters: unknown;
	try {
		filters = JSON.parse(raw);
	} catch {
		return invalidParameter(req, 'Param filtering must be a JSON array');
	}
	if (!Array.isArray(filters)) return invalidParameter(req, 'Param filtering must be a JSON array');
	const source: Record<string, unknown> = { ...phone };
	return filters.every((filter: unknown) => {
		const spec = bodyObject(filter);
		const field = stringField(spec, 'field') ?? '';
		if (!FILTERABLE_FIELDS.has(field) || spec.operator !== 'EQUAL') {
			return invalidParameter(req, `Filtering on ${field} with operator ${String(spec.operator)} is not supported`);
		}
		return String(source[field]) === String(spec.value);
	});
}

function listPhoneNumbers(req: Req, kind: NodeKind): Reply {
	if (kind !== 'waba') {
		invalidParameter(req, `Tried accessing nonexisting field (phone_numbers) on node type (${NODE_TYPE[kind]})`);
	}
	const phones = [req.state.phone].filter((phone) => matchesFilters(req, phone));
	const data = phones.map(() => selectFields(req, 'phone', phoneSource(req.state), PHONE_DEFAULT_FIELDS));
	const cursor = Buffer.from(req.state.phone.id).toString('base64');
	return { status: 200, body: { data, paging: { cursors: { before: cursor, after: cursor } } } };
}

// ---------------------------------------------------------------- messages

const MESSAGE_TYPES = ['text', 'image', 'template'];

function requireMessagingProduct(req: Req, body: Record<string, unknown>): void {
	if (body.messaging_product !== 'whatsapp') invalidParameter(req, 'The parameter messaging_product is required.');
}

/** Validates the parts of the payload each message type needs; returns the type. */
function validateMessage(req: Req, body: Record<string, unknown>): string {
	requireMessagingProduct(req, body);
	if (!stringField(body, 'to')) invalidParameter(req, 'The parameter to is required.');
	const type = stringField(body, 'type') ?? 'text';
	if (!MESSAGE_TYPES.includes(type)) {
		invalidParameter(req, `Param type must be one of {${MESSAGE_TYPES.join(', ').toUpperCase()}} - got "${type}".`);
	}
	const content = bodyObject(body[type]);
	if (type === 'text' && !stringField(content, 'body')) invalidParameter(req, "The parameter text['body'] is required.");
	if (type === 'image' && !stringField(content, 'link') && !stringField(content, 'id')) {
		invalidParameter(req, 'Param image must contain either id or link.');
	}
	const mediaId = type === 'image' ? stringField(content, 'id') : undefined;
	if (mediaId !== undefined && !req.state.media.some((media) => media.id === mediaId)) {
		invalidParameter(req, `Param image['id'] must be the id of an uploaded media object - got "${mediaId}".`);
	}
	if (type === 'template') {
		if (!stringField(content, 'name')) invalidParameter(req, "The parameter template['name'] is required.");
		if (!stringField(bodyObject(content.language), 'code')) {
			invalidParameter(req, "The parameter template['language']['code'] is required.");
		}
	}
	return type;
}

/** Fails the send the way Cloud API does for the switched-on conditions (all HTTP 400). */
function rejectUnsendable(req: Req): void {
	const state = req.state;
	if (!state.registered) {
		whatsappError(req, 133010, 'Account not registered', 'Account not registered');
	}
	if (state.throughputLimited) {
		whatsappError(
			req,
			130429,
			'Rate limit hit',
			'Message failed to send because there were too many messages sent from this phone number in a short period of time',
			{ error_subcode: 2494055, is_transient: true },
		);
	}
	if (state.pairRateLimited) {
		whatsappError(
			req,
			131056,
			'(Business Account, Consumer Account) pair rate limit hit',
			'Message failed to send because there were too many messages sent from this phone number ' +
				'to the same phone number in a short period of time.',
		);
	}
}

function newWamid(to: string): string {
	const inner = `${digitsOnly(to)}${randomHex(9).toUpperCase()}`;
	return `wamid.HBgL${Buffer.from(inner).toString('base64').replace(/=+$/, '')}`;
}

function sendMessage(req: Req, kind: NodeKind): Reply {
	if (kind !== 'phone') unsupportedRequest(req);
	const body = bodyObject(req.body);
	const type = validateMessage(req, body);
	rejectUnsendable(req);
	const to = stringField(body, 'to') ?? '';
	const id = newWamid(to);
	req.state.sentMessages.push({ id, to, type, payload: body, at: new Date().toISOString() });
	const text = type === 'text' ? stringField(bodyObject(body.text), 'body') ?? '' : `[${type}]`;
	runtimes.get(req.state)?.sent(id, to, text);
	// Templates come back with message_status; plain session messages usually do not.
	const message = type === 'template' ? { id, message_status: 'accepted' } : { id };
	return {
		status: 200,
		body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: digitsOnly(to) }], messages: [message] },
	};
}

// ---------------------------------------------------------------- media (not in apis.md; shape from Meta docs, unverified)

interface MultipartPart {
	name: string;
	fileName?: string;
	contentType?: string;
	content: string;
}

function multipartBoundary(req: Req): string | null {
	const contentType = headerValue(req.headers, 'content-type') ?? '';
	if (!/^multipart\/form-data\b/i.test(contentType)) return null;
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : null;
}

/** Just enough of RFC 7578 to read form fields and a file part (headers, then content, CRLF-delimited). */
export function parseMultipart(bodyText: string, boundary: string): MultipartPart[] {
	const parts: MultipartPart[] = [];
	// The first section is the preamble; a section starting with `--` follows the closing delimiter.
	for (const section of bodyText.split(`--${boundary}`).slice(1)) {
		if (section.startsWith('--')) break;
		const body = section.startsWith('\r\n') ? section.slice(2) : section;
		const headerEnd = body.indexOf('\r\n\r\n');
		if (headerEnd < 0) continue;
		const headers = new Map<string, string>();
		for (const line of body.slice(0, headerEnd).split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
		}
		const disposition = headers.get('content-disposition') ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
		if (name === undefined) continue;
		const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
		const content = body.slice(headerEnd + 4).replace(/\r\n$/, '');
		parts.push({ name, content, ...(fileName !== undefined ? { fileName } : {}), ...(headers.has('content-type') ? { contentType: headers.get('content-type') } : {}) });
	}
	return parts;
}

/** Meta media ids are long decimal strings. */
function newMediaId(): string {
	const digits = [...Buffer.from(randomHex(15), 'hex')].map((byte) => byte % 10).join('');
	return `${1 + (Number.parseInt(randomHex(1), 16) % 9)}${digits}`;
}

function uploadMedia(req: Req, kind: NodeKind): Reply {
	if (kind !== 'phone') unsupportedRequest(req);
	const boundary = multipartBoundary(req);
	const parts = boundary ? parseMultipart(req.bodyText, boundary) : [];
	const field = (name: string) => parts.find((part) => part.name === name && part.fileName === undefined)?.content;
	if (field('messaging_product') !== 'whatsapp') invalidParameter(req, 'The parameter messaging_product is required.');
	const file = parts.find((part) => part.name === 'file' && part.fileName !== undefined);
	if (!file || file.content === '') invalidParameter(req, 'The parameter file is required.');
	const mimeType = field('type');
	if (!mimeType) invalidParameter(req, 'The parameter type is required.');
	if (!/^[\w.+-]+\/[\w.+-]+$/.test(mimeType)) invalidParameter(req, `Param type must be a valid MIME type - got "${mimeType}".`);
	const id = newMediaId();
	req.state.media.push({ id, mimeType, fileName: file.fileName ?? '', size: file.content.length, at: new Date().toISOString() });
	return { status: 200, body: { id } };
}

// ---------------------------------------------------------------- subscribed_apps (§3.C)

function subscribedApps(req: Req, kind: NodeKind): Reply {
	if (kind !== 'waba') unsupportedRequest(req);
	const state = req.state;
	if (req.method === 'GET') {
		if (state.webhookLost) return { status: 200, body: { data: [] } };
		const override = state.subscription.override_callback_uri;
		const app = { whatsapp_business_api_data: { id: state.appId, link: `https://www.facebook.com/games/?app_id=${state.appId}`, name: 'Tienda Ventas Bot' } };
		return { status: 200, body: { data: [{ ...app, ...(override ? { override_callback_uri: override } : {}) }] } };
	}
	if (req.method === 'DELETE') {
		state.webhookLost = true;
		return { status: 200, body: { success: true } };
	}
	const body = bodyObject(req.body);
	const override = stringField(body, 'override_callback_uri');
	if (override !== undefined) {
		if (!/^https:\/\//.test(override) && !/^http:\/\/127\.0\.0\.1[:/]/.test(override)) invalidParameter(req, 'Param override_callback_uri must be a valid https URL');
		if (override.length > 200) invalidParameter(req, 'Param override_callback_uri must be at most 200 characters');
		if (!stringField(body, 'verify_token')) invalidParameter(req, 'The parameter verify_token is required.');
	}
	state.subscription.override_callback_uri = override ?? null;
	state.webhookLost = false;
	return { status: 200, body: { success: true } };
}

// ---------------------------------------------------------------- registration

function register(req: Req, kind: NodeKind): Reply {
	if (kind !== 'phone') unsupportedRequest(req);
	const body = bodyObject(req.body);
	requireMessagingProduct(req, body);
	const pin = body.pin;
	if (pin === undefined || pin === null || pin === '') invalidParameter(req, 'The parameter pin is required.');
	const details = 'Invalid PIN format. PIN must be exactly 6 digits';
	if (!/^\d{6}$/.test(String(pin))) {
		fail(req, 400, { message: details, code: 100, error_data: { messaging_product: 'whatsapp', details } });
	}
	if (String(pin) !== req.state.pin) {
		whatsappError(req, 133005, 'Two step verification PIN Mismatch', 'Two step verification PIN incorrect.');
	}
	req.state.registered = true;
	req.state.phone.status = 'CONNECTED';
	return { status: 200, body: { success: true } };
}

function deregister(req: Req, kind: NodeKind): Reply {
	if (kind !== 'phone') unsupportedRequest(req);
	req.state.registered = false;
	req.state.phone.status = 'DISCONNECTED';
	return { status: 200, body: { success: true } };
}

// ---------------------------------------------------------------- faults

function isWabaRequest(ctx: FaultContext<CloudApiState>): boolean {
	return ctx.routeId === 'cloudApi.phoneNumbers' || ctx.request.params.nodeId === ctx.request.state.waba.id;
}

function rateLimitReply(ctx: FaultContext<CloudApiState>): Reply {
	const req = ctx.request;
	const regainMinutes = Math.max(1, Math.ceil((ctx.retryAfter ?? 60) / 60));
	// Meta sends no Retry-After: clients back off on estimated_time_to_regain_access.
	const headers = {
		'x-business-use-case-usage': businessUseCaseUsage(req.state, 100, regainMinutes),
		'x-app-usage': appUsage(isWabaRequest(ctx) ? 1 : 100),
	};
	if (isWabaRequest(ctx)) {
		return graphError(
			req,
			429,
			{
				message:
					'(#80007) There have been too many calls to this WhatsApp Business account. Wait a bit and try again. ' +
					'For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
				code: 80007,
				is_transient: true,
			},
			headers,
		);
	}
	const appLimit = { message: '(#4) Application request limit reached', code: 4, is_transient: true };
	return graphError(req, 429, appLimit, headers);
}

function faultReply(status: number, ctx: FaultContext<CloudApiState>): Reply {
	const req = ctx.request;
	switch (status) {
		case 400:
			return graphError(req, 400, { message: '(#100) Invalid parameter', code: 100 });
		case 401:
			// The everyday production 401: the token expired.
			return authError(req, EXPIRED_TOKEN, 401);
		case 403:
			return graphError(req, 403, { message: '(#10) Application does not have permission for this action', code: 10 });
		case 404:
			return graphError(req, 404, {
				message: `(#803) Some of the aliases you requested do not exist: ${req.params.nodeId ?? req.path}`,
				type: 'GraphMethodException',
				code: 803,
			});
		case 429:
			return rateLimitReply(ctx);
		case 500:
			return graphError(req, 500, {
				message: 'An unexpected error has occurred. Please retry your request later.',
				code: 2,
				is_transient: true,
			});
		case 503:
			return graphError(req, 503, { message: '(#2) Service temporarily unavailable', code: 2, is_transient: true });
		default:
			return graphError(req, status, {
				message: status >= 500 ? 'An unknown error has occurred.' : '(#100) Invalid parameter',
				code: status >= 500 ? 1 : 100,
				...(status >= 500 ? { is_transient: true } : {}),
			});
	}
}

// ---------------------------------------------------------------- emulator

const runtimes = new WeakMap<object, CloudApiRuntime>();

export interface CloudApiEmulatorOptions {
	/** The WhatsApp network to attach to; without one the emulator gets a private network. */
	network?: WhatsAppNetwork;
}

export function createCloudApiEmulator(
	overrides: Partial<CloudApiState> = {},
	options: CloudApiEmulatorOptions = {},
): Emulator<CloudApiState> {
	const runtime = new CloudApiRuntime(options.network ?? new WhatsAppNetwork(), options.network === undefined);
	const bind = (state: CloudApiState) => {
		runtimes.set(state, runtime);
		return state;
	};
	const emulator = defineEmulator<CloudApiState>({
		name: 'cloudApi',
		initialState: () => bind(structuredClone({ ...cloudApiDefaults, ...overrides })),
		onStop: (reason) => runtime.stop(reason),
		faultReply,
		notFound,
		commonHeaders,
		routes: routeTable('cloudApi', {
			node: ['GET /:version/:nodeId', graphRoute(getNode)],
			phoneNumbers: ['GET /:version/:nodeId/phone_numbers', graphRoute(listPhoneNumbers)],
			messages: ['POST /:version/:nodeId/messages', graphRoute(sendMessage)],
			register: ['POST /:version/:nodeId/register', graphRoute(register)],
			deregister: ['POST /:version/:nodeId/deregister', graphRoute(deregister)],
			media: ['POST /:version/:nodeId/media', graphRoute(uploadMedia)],
			subscribedApps: ['GET|POST|DELETE /:version/:nodeId/subscribed_apps', graphRoute(subscribedApps)],
		}),
	});
	runtime.emulator = emulator;
	return emulator;
}
