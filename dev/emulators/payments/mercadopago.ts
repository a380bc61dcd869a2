/**
 * MercadoPago emulator (`https://api.mercadopago.com`), after apis.md §4.
 *
 * Routes (id: method path):
 *  - `mercadopago.usersMe`: GET /users/me. The health probe. Its `tags` include `test_user` when `testUser` is on.
 *  - `mercadopago.createPreference`: POST /checkout/preferences (the SDK posts to `/checkout/preferences/`).
 *    Returns 201 with `id = "<collector_id>-<uuid>"`, plus `init_point` and `sandbox_init_point` on the site's
 *    domain. Replaying the same `X-Idempotency-Key` returns the same preference.
 *  - `mercadopago.getPreference`: GET /checkout/preferences/:id.
 *
 * Auth is `Authorization: Bearer <token>`. Every error uses MP's envelope
 * `{message,error,status,cause:[{code,description,data}]}`:
 *  - no token: 401, cause 5 "Must provide your access_token to proceed"
 *  - an Authorization header that is not `Bearer …`: 400 "Invalid credentials", cause 17
 *  - unknown or revoked token: 401 `unauthorized`, cause `invalid_access_token`
 *  - an `APP_USR-` token while live credentials are off: 401, cause 7 "Unauthorized use of live credentials"
 *  - bad items: 400 `bad_request`, cause `invalid_items` ("unit_price invalid", …)
 *
 * State switches (set with `emulator.patchState` or `PATCH /__emulator/state`):
 *  - `validTokens`: accepted tokens. Default: the sandbox `TEST-…` and the production `APP_USR-…` token.
 *  - `revokedTokens`: these get 401 even if they are also listed as valid.
 *  - `liveCredentialsEnabled`: when false, `APP_USR-` tokens get the cause-7 401.
 *  - `testUser`: adds the `test_user` tag on /users/me.
 *  - `siteId`: `MLA` (→ `.com.ar`, ARS), `MLB`, `MLM`, `MLC`, `MCO`, `MPE` or `MLU`.
 *  - `omitInitPoint`, `omitSandboxInitPoint`: leave that link out of preference bodies.
 * Records: `preferences` (by id) and `idempotencyKeys` (X-Idempotency-Key → preference id).
 * Injected faults 401/403/404/429/500/502/503/504 use the same envelope. 429 carries `Retry-After` in seconds.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { defineEmulator, type Emulator } from '../core/emulator';
import type { EmulatorRequest, Reply } from '../core/types';

interface SiteInfo {
	domain: string;
	currency: string;
	country: string;
	utcOffset: string;
}

/** Which domain the links use, which currency items default to, and which local time `date_created` is in. */
const SITES: Record<string, SiteInfo> = {
	MLA: { domain: 'com.ar', currency: 'ARS', country: 'AR', utcOffset: '-03:00' },
	MLB: { domain: 'com.br', currency: 'BRL', country: 'BR', utcOffset: '-03:00' },
	MLM: { domain: 'com.mx', currency: 'MXN', country: 'MX', utcOffset: '-06:00' },
	MLC: { domain: 'cl', currency: 'CLP', country: 'CL', utcOffset: '-04:00' },
	MCO: { domain: 'com.co', currency: 'COP', country: 'CO', utcOffset: '-05:00' },
	MPE: { domain: 'com.pe', currency: 'PEN', country: 'PE', utcOffset: '-05:00' },
	MLU: { domain: 'com.uy', currency: 'UYU', country: 'UY', utcOffset: '-03:00' },
};

/**
 * Obviously fake credentials in the real shapes. In the production token the app id is deliberately not numeric,
 * so that the commit hook's live-key pattern never matches it.
 */
export const mercadoPagoDefaults = {
	appId: '0000000000000000',
	collectorId: 123456789,
	siteId: 'MLA',
	/** `TEST-<app_id>-<MMDDHH>-<hash>-<user_id>`. */
	sandboxToken: 'TEST-0000000000000000-010100-deadbeefdeadbeefdeadbeefdeadbeef-123456789',
	/** `APP_USR-<app_id>-<MMDDHH>-<hash>-<user_id>`. */
	productionToken: 'APP_USR-TESTAPP-010100-deadbeefdeadbeefdeadbeefdeadbeef-123456789',
} as const;

export interface MercadoPagoItem {
	id: string;
	title: string;
	description: string;
	category_id: string;
	currency_id: string;
	quantity: number;
	unit_price: number;
	[key: string]: unknown;
}

/** A stored preference. `init_point`/`sandbox_init_point` are always stored; the omit switches act when it is sent. */
export interface MercadoPagoPreference {
	id: string;
	collector_id: number;
	client_id: string;
	operation_type: string;
	date_created: string;
	external_reference: string;
	init_point: string;
	sandbox_init_point: string;
	items: MercadoPagoItem[];
	payer: Record<string, unknown>;
	back_urls: Record<string, unknown>;
	auto_return: string;
	notification_url: string | null;
	site_id: string;
	marketplace: string;
	expires: boolean;
	[key: string]: unknown;
}

export interface MercadoPagoState {
	appId: string;
	siteId: string;
	testUser: boolean;
	liveCredentialsEnabled: boolean;
	validTokens: string[];
	revokedTokens: string[];
	omitInitPoint: boolean;
	omitSandboxInitPoint: boolean;
	preferences: Record<string, MercadoPagoPreference>;
	idempotencyKeys: Record<string, string>;
}

export interface MercadoPagoCause {
	code: number | string;
	description: string;
	data: unknown;
}

export interface MercadoPagoErrorBody {
	message: string;
	error: string;
	status: number;
	cause: MercadoPagoCause[];
}

function initialMercadoPagoState(): MercadoPagoState {
	return {
		appId: mercadoPagoDefaults.appId,
		siteId: mercadoPagoDefaults.siteId,
		testUser: false,
		liveCredentialsEnabled: true,
		validTokens: [mercadoPagoDefaults.sandboxToken, mercadoPagoDefaults.productionToken],
		revokedTokens: [],
		omitInitPoint: false,
		omitSandboxInitPoint: false,
		preferences: {},
		idempotencyKeys: {},
	};
}

// ---------------------------------------------------------------------------------------------
// Error envelope

function mpError(status: number, error: string, message: string, cause: MercadoPagoCause[] = []): Reply {
	const body: MercadoPagoErrorBody = { message, error, status, cause };
	return { status, body };
}

function mpCause(code: number | string, description: string): MercadoPagoCause {
	return { code, description, data: null };
}

const missingToken = (): Reply =>
	mpError(401, 'unauthorized', 'Must provide your access_token to proceed', [
		mpCause(5, 'Must provide your access_token to proceed'),
	]);

const invalidCredentials = (): Reply =>
	mpError(400, 'bad_request', 'Invalid credentials', [mpCause(17, 'Invalid credentials')]);

const invalidAccessToken = (): Reply =>
	mpError(401, 'unauthorized', 'invalid_access_token', [mpCause('invalid_access_token', 'access denied')]);

const liveCredentialsNotEnabled = (): Reply =>
	mpError(401, 'unauthorized', 'Unauthorized use of live credentials', [
		mpCause(7, 'Unauthorized use of live credentials'),
	]);

const invalidItems = (description: string): Reply =>
	mpError(400, 'bad_request', description, [mpCause('invalid_items', description)]);

/** What MP says for an injected status, in its own envelope. */
function mercadoPagoFaultReply(status: number, retryAfter: number | null): Reply {
	switch (status) {
		case 400:
			return mpError(400, 'bad_request', 'Invalid request', []);
		case 401:
			return invalidAccessToken();
		case 403:
			return mpError(403, 'forbidden', 'At least one policy returned UNAUTHORIZED.', []);
		case 404:
			return mpError(404, 'not_found', 'Resource not found', []);
		case 429: {
			const reply = mpError(429, 'too_many_requests', 'Too many requests', []);
			return retryAfter === null ? reply : { ...reply, headers: { 'retry-after': String(retryAfter) } };
		}
		case 500:
			return mpError(500, 'internal_server_error', 'Internal server error', []);
		case 502:
			return mpError(502, 'bad_gateway', 'Bad gateway', []);
		case 503:
			return mpError(503, 'service_unavailable', 'Service unavailable', []);
		case 504:
			return mpError(504, 'gateway_timeout', 'Gateway timeout', []);
		default:
			return mpError(status, 'error', `HTTP ${status}`, []);
	}
}

// ---------------------------------------------------------------------------------------------
// Auth

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** MP's glossary: the user/collector id is "the last digits of the access_token, after the last dash". */
export function userIdFromToken(token: string): number {
	const last = token.slice(token.lastIndexOf('-') + 1);
	return /^\d+$/.test(last) ? Number(last) : mercadoPagoDefaults.collectorId;
}

const isProductionToken = (token: string): boolean => token.startsWith('APP_USR-');

interface Caller {
	token: string;
	userId: number;
}

/** Returns who is calling, or the error reply MP would give instead. */
function authenticate(req: EmulatorRequest<MercadoPagoState>): Caller | Reply {
	const header = headerValue(req.headers, 'authorization')?.trim() ?? '';
	if (header === '') return missingToken();
	const match = /^Bearer\s*(.*)$/i.exec(header);
	if (!match) return invalidCredentials();
	const token = match[1].trim();
	if (token === '') return missingToken();
	const { state } = req;
	if (state.revokedTokens.includes(token) || !state.validTokens.includes(token)) return invalidAccessToken();
	if (isProductionToken(token) && !state.liveCredentialsEnabled) return liveCredentialsNotEnabled();
	return { token, userId: userIdFromToken(token) };
}

const isReply = (value: Caller | Reply): value is Reply => 'status' in value;

// ---------------------------------------------------------------------------------------------
// Users

function siteOf(state: MercadoPagoState): SiteInfo {
	return SITES[state.siteId] ?? SITES.MLA;
}

function usersMe(req: EmulatorRequest<MercadoPagoState>): Reply {
	const caller = authenticate(req);
	if (isReply(caller)) return caller;
	const { state } = req;
	const site = siteOf(state);
	const testUser = state.testUser;
	return {
		status: 200,
		body: {
			id: caller.userId,
			nickname: testUser ? `TESTUSER${caller.userId}` : 'SALESBOT_DEMO',
			registration_date: '2024-01-01T10:00:00.000-04:00',
			first_name: testUser ? 'Test' : 'Demo',
			last_name: testUser ? 'Test' : 'Seller',
			gender: '',
			country_id: site.country,
			email: testUser ? `test_user_${caller.userId}@testuser.com` : 'seller@example.invalid',
			identification: { number: '00000000', type: 'DNI' },
			address: { address: null, city: null, state: null, zip_code: null },
			phone: { area_code: '011', extension: '', number: '00000000', verified: false },
			alternative_phone: { area_code: '', extension: '', number: '' },
			user_type: 'normal',
			tags: testUser ? ['normal', 'test_user'] : ['normal'],
			logo: null,
			points: 0,
			site_id: state.siteId,
			permalink: `http://perfil.mercadolibre.${site.domain}/SALESBOT_DEMO`,
			seller_experience: 'NEWBIE',
			seller_reputation: { level_id: null, power_seller_status: null, transactions: { total: 0 } },
			buyer_reputation: { canceled_transactions: 0, tags: [], transactions: { total: 0 } },
			status: {
				site_status: 'active',
				list: { allow: true, codes: [], immediate_payment: { required: false, reasons: [] } },
				buy: { allow: true, codes: [], immediate_payment: { required: false, reasons: [] } },
				sell: { allow: true, codes: [], immediate_payment: { required: false, reasons: [] } },
				billing: { allow: true, codes: [] },
				mercadopago_account_type: 'personal',
				mercadoenvios: 'not_accepted',
				immediate_payment: false,
				confirmed_email: true,
				user_type: 'eventual',
				required_action: '',
			},
			company: { brand_name: null, city_tax_id: '', corporate_name: '', identification: '', state_tax_id: '' },
			credit: { consumed: 0, credit_level_id: 'MP_DEFAULT', rank: 'newbie' },
			context: { ip_address: '127.0.0.1' },
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Preferences

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isPositiveNumber = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value) && value > 0;
const isPositiveInteger = (value: unknown): value is number => isPositiveNumber(value) && Number.isInteger(value);

/** Checks the three fields MP requires per item; returns MP's description of the first problem. */
function itemProblem(item: unknown): string | null {
	if (!isRecord(item)) return 'items invalid';
	if (!isNonEmptyString(item.title)) return 'title invalid';
	if (!isPositiveInteger(item.quantity)) return 'quantity invalid';
	if (!isPositiveNumber(item.unit_price)) return 'unit_price invalid';
	return null;
}

function itemsProblem(items: unknown): string | null {
	if (!Array.isArray(items) || items.length === 0) return 'items invalid';
	for (const item of items) {
		const problem = itemProblem(item);
		if (problem) return problem;
	}
	return null;
}

function normaliseItem(item: Record<string, unknown>, currency: string): MercadoPagoItem {
	return {
		...item,
		id: typeof item.id === 'string' ? item.id : '',
		title: String(item.title),
		description: typeof item.description === 'string' ? item.description : '',
		category_id: typeof item.category_id === 'string' ? item.category_id : '',
		currency_id: typeof item.currency_id === 'string' ? item.currency_id : currency,
		quantity: Number(item.quantity),
		unit_price: Number(item.unit_price),
	};
}

/** `2025-07-13T19:33:40.852-04:00`: MP answers in the site's local time with an offset, not in UTC. */
function localTimestamp(utcOffset: string, at = new Date()): string {
	const sign = utcOffset.startsWith('-') ? -1 : 1;
	const [hours, minutes] = utcOffset.slice(1).split(':').map(Number);
	const shifted = new Date(at.getTime() + sign * (hours * 60 + minutes) * 60_000);
	return shifted.toISOString().replace('Z', utcOffset);
}

function buildPreference(
	body: Record<string, unknown>,
	items: unknown[],
	caller: Caller,
	state: MercadoPagoState,
): MercadoPagoPreference {
	const site = siteOf(state);
	const id = `${caller.userId}-${randomUUID()}`;
	return {
		additional_info: typeof body.additional_info === 'string' ? body.additional_info : '',
		auto_return: typeof body.auto_return === 'string' ? body.auto_return : '',
		back_urls: isRecord(body.back_urls) ? body.back_urls : { failure: '', pending: '', success: '' },
		binary_mode: body.binary_mode === true,
		client_id: state.appId,
		collector_id: caller.userId,
		date_created: localTimestamp(site.utcOffset),
		expires: body.expires === true,
		external_reference: typeof body.external_reference === 'string' ? body.external_reference : '',
		id,
		init_point: `https://www.mercadopago.${site.domain}/checkout/v1/redirect?pref_id=${id}`,
		sandbox_init_point: `https://sandbox.mercadopago.${site.domain}/checkout/v1/redirect?pref_id=${id}`,
		items: items.filter(isRecord).map((item) => normaliseItem(item, site.currency)),
		marketplace: 'NONE',
		metadata: isRecord(body.metadata) ? body.metadata : {},
		notification_url: typeof body.notification_url === 'string' ? body.notification_url : null,
		operation_type: 'regular_payment',
		payer: { name: '', surname: '', email: '', ...(isRecord(body.payer) ? body.payer : {}) },
		site_id: state.siteId,
	};
}

/** The preference as sent, honouring the omit switches (which act at read time, so they can be flipped later). */
function presentPreference(preference: MercadoPagoPreference, state: MercadoPagoState): Record<string, unknown> {
	const shown: Record<string, unknown> = { ...preference };
	if (state.omitInitPoint) delete shown.init_point;
	if (state.omitSandboxInitPoint) delete shown.sandbox_init_point;
	return shown;
}

function createPreference(req: EmulatorRequest<MercadoPagoState>): Reply {
	const caller = authenticate(req);
	if (isReply(caller)) return caller;
	const { state } = req;
	const idempotencyKey = headerValue(req.headers, 'x-idempotency-key');
	const replayedId = idempotencyKey ? state.idempotencyKeys[idempotencyKey] : undefined;
	const replayed = replayedId ? state.preferences[replayedId] : undefined;
	if (replayed) return { status: 201, body: presentPreference(replayed, state) };

	if (!isRecord(req.body)) {
		return mpError(400, 'bad_request', 'Invalid JSON body', [mpCause('invalid_body', 'Invalid JSON body')]);
	}
	const problem = itemsProblem(req.body.items);
	if (problem) return invalidItems(problem);

	const items: unknown[] = Array.isArray(req.body.items) ? req.body.items : [];
	const preference = buildPreference(req.body, items, caller, state);
	state.preferences[preference.id] = preference;
	if (idempotencyKey) state.idempotencyKeys[idempotencyKey] = preference.id;
	return { status: 201, body: presentPreference(preference, state) };
}

function getPreference(req: EmulatorRequest<MercadoPagoState>): Reply {
	const caller = authenticate(req);
	if (isReply(caller)) return caller;
	const preference = req.state.preferences[req.params.id];
	// A preference belongs to its collector: another account's token cannot see it.
	if (!preference || preference.collector_id !== caller.userId) {
		return mpError(404, 'not_found', `The preference with identifier ${req.params.id} was not found`, []);
	}
	return { status: 200, body: presentPreference(preference, req.state) };
}

// ---------------------------------------------------------------------------------------------

export function createMercadoPagoEmulator(overrides: Partial<MercadoPagoState> = {}): Emulator<MercadoPagoState> {
	return defineEmulator<MercadoPagoState>({
		name: 'mercadopago',
		initialState: () => ({ ...initialMercadoPagoState(), ...structuredClone(overrides) }),
		routes: [
			{ id: 'mercadopago.usersMe', method: 'GET', path: '/users/me', handler: usersMe },
			// The engine accepts an optional trailing slash, so this also serves the SDK's `/checkout/preferences/`.
			{ id: 'mercadopago.createPreference', method: 'POST', path: '/checkout/preferences', handler: createPreference },
			{ id: 'mercadopago.getPreference', method: 'GET', path: '/checkout/preferences/:id', handler: getPreference },
		],
		faultReply: (status, ctx) => mercadoPagoFaultReply(status, ctx.retryAfter),
		notFound: (req) => mpError(404, 'not_found', `Resource ${req.path} not found`, []),
	});
}
