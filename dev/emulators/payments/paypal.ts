/**
 * PayPal REST emulator (`https://api-m.sandbox.paypal.com` / `https://api-m.paypal.com`), after apis.md §5.
 *
 * Routes (id: method path):
 *  - `paypal.oauthToken`: POST /v1/oauth2/token. Basic client_id:secret and the form `grant_type=client_credentials`.
 *    Returns 200 `{scope,access_token,token_type,app_id,expires_in,nonce}`.
 *    Errors are OAuth-style `{error,error_description}`.
 *  - `paypal.createOrder`: POST /v2/checkout/orders. Returns 201 CREATED with an `approve` link, or
 *    PAYER_ACTION_REQUIRED with a `payer-action` link when `payment_source.paypal` is sent. A replayed
 *    `PayPal-Request-Id` gets 200 with the same order. `Prefer: return=representation` adds intent and purchase_units.
 *  - `paypal.getOrder`: GET /v2/checkout/orders/:id.
 *  - `paypal.captureOrder`: POST /v2/checkout/orders/:id/capture. Returns 201 COMPLETED, or 422 ORDER_NOT_APPROVED
 *    when the buyer has not approved. Every attempt is recorded in `captures`.
 *
 * Errors on the orders routes are `{name,message,debug_id,details[],links[]}` with a matching `paypal-debug-id` header.
 * The exception is a bad bearer token: that gets 401 OAuth-style
 * `{"error":"invalid_token","error_description":"Access Token not found in cache"}` (or "Token signature verification
 * failed" for a token PayPal never issued). A missing Authorization header gets 401 AUTHENTICATION_FAILURE.
 *
 * State switches (set with `emulator.patchState` or `PATCH /__emulator/state`):
 *  - `clientId`, `clientSecret`: the one accepted credential pair. Change either one to simulate a rotated secret.
 *  - `tokenTtlSeconds`: `expires_in` of new tokens and their real lifetime (0 means they are born expired).
 *  - `tokenGeneration`: raise it to expire every token issued so far, as if PayPal had flushed its token cache.
 *  - `revokedTokens`: these access tokens get 401 invalid_token.
 *  - `omitApproveLink`: orders carry neither an `approve` nor a `payer-action` link.
 *  - `forcePayerAction`: every new order is PAYER_ACTION_REQUIRED with a `payer-action` link.
 *  - `environment`: `sandbox` (www.sandbox.paypal.com approve links) or `live` (www.paypal.com).
 *  - `orders[id].status`: set it to `APPROVED` to play the buyer (see `approvePayPalOrder`).
 * Injected faults: 401 gets AUTHENTICATION_FAILURE on the orders routes and OAuth `invalid_client` on the token route.
 * 403 NOT_AUTHORIZED, 404 RESOURCE_NOT_FOUND, 429 RATE_LIMIT_REACHED (`Retry-After` when given),
 * 500 INTERNAL_SERVER_ERROR, 503 SERVICE_UNAVAILABLE.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { defineEmulator, type Emulator } from '../core/emulator';
import type { EmulatorRequest, Reply } from '../core/types';

/** Obviously fake credentials in PayPal's shapes (client ids start with `A`, secrets with `E`). */
export const payPalDefaults = {
	clientId: 'ATEST-paypal-client-id-emulator-not-a-real-client',
	clientSecret: 'ETEST-paypal-secret-emulator-not-a-real-secret',
	appId: 'APP-TEST00EMULATOR0',
	merchantId: 'TESTMERCHANT0',
	payeeEmail: 'merchant@example.invalid',
	tokenTtlSeconds: 32_400,
} as const;

/** Every access token PayPal issues starts like this; anything else fails "signature verification". */
const ACCESS_TOKEN_PREFIX = 'A21AA';

const SCOPES = [
	'https://uri.paypal.com/services/invoicing',
	'https://uri.paypal.com/services/payments/payment/authcode',
	'https://uri.paypal.com/services/payments/refund',
	'https://uri.paypal.com/services/payments/realtimepayment',
	'https://uri.paypal.com/payments/payouts',
	'openid',
].join(' ');

export type PayPalOrderStatus = 'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED';

export interface PayPalIssuedToken {
	issuedAt: number;
	expiresAt: number;
	generation: number;
}

export interface PayPalOrder {
	id: string;
	intent: string;
	status: PayPalOrderStatus;
	purchase_units: Array<Record<string, unknown>>;
	payment_source?: Record<string, unknown>;
	create_time: string;
	update_time?: string;
}

export interface PayPalCaptureAttempt {
	orderId: string;
	at: string;
	/** `COMPLETED`, or the issue/name of the error PayPal answered with. */
	result: string;
}

export interface PayPalState {
	environment: 'sandbox' | 'live';
	clientId: string;
	clientSecret: string;
	tokenTtlSeconds: number;
	tokenGeneration: number;
	revokedTokens: string[];
	issuedTokens: Record<string, PayPalIssuedToken>;
	omitApproveLink: boolean;
	forcePayerAction: boolean;
	orders: Record<string, PayPalOrder>;
	/** PayPal-Request-Id → order id (PayPal keeps them for 6 h; here, for the emulator's life). */
	requestIds: Record<string, string>;
	captures: PayPalCaptureAttempt[];
}

export interface PayPalIssue {
	field?: string;
	value?: string;
	location?: string;
	issue: string;
	description: string;
}

function initialPayPalState(): PayPalState {
	return {
		environment: 'sandbox',
		clientId: payPalDefaults.clientId,
		clientSecret: payPalDefaults.clientSecret,
		tokenTtlSeconds: payPalDefaults.tokenTtlSeconds,
		tokenGeneration: 1,
		revokedTokens: [],
		issuedTokens: {},
		omitApproveLink: false,
		forcePayerAction: false,
		orders: {},
		requestIds: {},
		captures: [],
	};
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** PayPal ids look like `5O190127TN364715T`: 17 upper-case alphanumerics. */
function newPayPalId(): string {
	return Array.from(randomBytes(17), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

/** `debug_id`s are 13 hex digits, e.g. `b1d1f06c7246c`. */
function newDebugId(): string {
	return randomBytes(7).toString('hex').slice(0, 13);
}

const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// Error bodies

const ERROR_MESSAGES: Record<string, string> = {
	INVALID_REQUEST: 'Request is not well-formed, syntactically incorrect, or violates schema.',
	AUTHENTICATION_FAILURE:
		'Authentication failed due to missing authorization header, or invalid authentication credentials.',
	NOT_AUTHORIZED: 'Authorization failed due to insufficient permissions.',
	RESOURCE_NOT_FOUND: 'The specified resource does not exist.',
	UNPROCESSABLE_ENTITY:
		'The requested action could not be performed, semantically incorrect, or failed business validation.',
	RATE_LIMIT_REACHED: 'Too many requests. Blocked due to rate limiting.',
	INTERNAL_SERVER_ERROR: 'An internal server error occurred.',
	SERVICE_UNAVAILABLE: 'Service Unavailable.',
};

const ERROR_NAME_BY_STATUS: Record<number, string> = {
	400: 'INVALID_REQUEST',
	401: 'AUTHENTICATION_FAILURE',
	403: 'NOT_AUTHORIZED',
	404: 'RESOURCE_NOT_FOUND',
	422: 'UNPROCESSABLE_ENTITY',
	429: 'RATE_LIMIT_REACHED',
	500: 'INTERNAL_SERVER_ERROR',
	503: 'SERVICE_UNAVAILABLE',
};

function informationLink(anchor: string): { href: string; rel: string } {
	return { href: `https://developer.paypal.com/docs/api/orders/v2/#error-${anchor}`, rel: 'information_link' };
}

/** `{name,message,debug_id,details?,links}` plus the same debug id in the `paypal-debug-id` header. */
function payPalError(status: number, name: string, details: PayPalIssue[] = []): Reply {
	const debugId = newDebugId();
	const links = details.length > 0 ? details.map((d) => informationLink(d.issue)) : [informationLink(name)];
	return {
		status,
		body: {
			name,
			message: ERROR_MESSAGES[name] ?? name,
			debug_id: debugId,
			...(details.length > 0 ? { details } : {}),
			links,
		},
		headers: { 'paypal-debug-id': debugId },
	};
}

/** The OAuth-style body that both the token endpoint and bearer checks use: no name, no debug_id in the body. */
function oauthError(status: number, error: string, description: string): Reply {
	return { status, body: { error, error_description: description } };
}

const invalidClient = (): Reply => oauthError(401, 'invalid_client', 'Client Authentication failed');

function payPalFaultReply(status: number, routeId: string, retryAfter: number | null): Reply {
	if (routeId === 'paypal.oauthToken' && status === 401) return invalidClient();
	if (routeId === 'paypal.oauthToken' && status === 400) {
		return oauthError(400, 'invalid_request', 'Request is not well-formed');
	}
	const fallback = status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'INVALID_REQUEST';
	const reply = payPalError(status, ERROR_NAME_BY_STATUS[status] ?? fallback);
	if (status === 429 && retryAfter !== null) {
		return { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfter) } };
	}
	return reply;
}

// ---------------------------------------------------------------------------------------------
// OAuth token

function basicCredentials(headers: IncomingHttpHeaders): { clientId: string; secret: string } | null {
	const match = /^Basic\s+(.+)$/i.exec(headerValue(headers, 'authorization') ?? '');
	if (!match) return null;
	const decoded = Buffer.from(match[1].trim(), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return null;
	return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** PayPal reads the token request only as a form: a JSON body leaves grant_type "NULL". */
function formField(req: EmulatorRequest<PayPalState>, name: string): unknown {
	const contentType = headerValue(req.headers, 'content-type') ?? '';
	if (!contentType.includes('application/x-www-form-urlencoded') || !isRecord(req.body)) return undefined;
	return req.body[name];
}

function issueToken(state: PayPalState): string {
	const token = `${ACCESS_TOKEN_PREFIX}test-emulator-${randomBytes(24).toString('hex')}`;
	const issuedAt = Date.now();
	state.issuedTokens[token] = {
		issuedAt,
		expiresAt: issuedAt + state.tokenTtlSeconds * 1000,
		generation: state.tokenGeneration,
	};
	return token;
}

function oauthToken(req: EmulatorRequest<PayPalState>): Reply {
	const { state } = req;
	const credentials = basicCredentials(req.headers);
	if (!credentials || credentials.clientId !== state.clientId || credentials.secret !== state.clientSecret) {
		return invalidClient();
	}
	const grantType = formField(req, 'grant_type');
	if (grantType === undefined || grantType === '') {
		return oauthError(400, 'unsupported_grant_type', 'Grant Type is NULL');
	}
	if (grantType !== 'client_credentials') {
		return oauthError(400, 'unsupported_grant_type', `Grant Type ${String(grantType)} is not supported`);
	}
	return {
		status: 200,
		body: {
			scope: SCOPES,
			access_token: issueToken(state),
			token_type: 'Bearer',
			app_id: payPalDefaults.appId,
			expires_in: state.tokenTtlSeconds,
			nonce: `${nowIso()}${randomBytes(16).toString('base64url')}`,
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Bearer check on the REST routes

/** Null when the bearer is good; otherwise PayPal's reply, which differs for missing vs bad tokens. */
function bearerProblem(req: EmulatorRequest<PayPalState>): Reply | null {
	const match = /^Bearer\s+(.+)$/i.exec(headerValue(req.headers, 'authorization') ?? '');
	if (!match) return payPalError(401, 'AUTHENTICATION_FAILURE');
	const token = match[1].trim();
	if (!token.startsWith(ACCESS_TOKEN_PREFIX)) {
		return oauthError(401, 'invalid_token', 'Token signature verification failed');
	}
	const { state } = req;
	const issued = state.issuedTokens[token];
	const usable =
		issued !== undefined &&
		issued.generation === state.tokenGeneration &&
		issued.expiresAt > Date.now() &&
		!state.revokedTokens.includes(token);
	return usable ? null : oauthError(401, 'invalid_token', 'Access Token not found in cache');
}

// ---------------------------------------------------------------------------------------------
// Orders: validation

const INTENTS = ['CAPTURE', 'AUTHORIZE'];
/** Currencies PayPal accepts; anything else is 422 CURRENCY_NOT_SUPPORTED. */
const CURRENCIES = [
	'AUD', 'BRL', 'CAD', 'CNY', 'CZK', 'DKK', 'EUR', 'HKD', 'HUF', 'ILS', 'JPY', 'MYR', 'MXN', 'TWD',
	'NZD', 'NOK', 'PHP', 'PLN', 'GBP', 'SGD', 'SEK', 'CHF', 'THB', 'USD',
];

/** PayPal's wording for each validation issue, and the HTTP status it comes with. */
const ISSUES: Record<string, { status: 400 | 422; description: string }> = {
	MALFORMED_REQUEST_JSON: { status: 400, description: 'The request JSON is not well formed.' },
	MISSING_REQUIRED_PARAMETER: { status: 400, description: 'A required field / parameter is missing.' },
	INVALID_PARAMETER_VALUE: { status: 400, description: 'The value of a field is invalid.' },
	INVALID_PARAMETER_SYNTAX: { status: 400, description: 'The value of a field does not conform to the expected format.' },
	INVALID_ARRAY_MIN_ITEMS: { status: 400, description: 'The number of items in an array parameter is too small.' },
	INVALID_ARRAY_MAX_ITEMS: { status: 400, description: 'The number of items in an array parameter is too large.' },
	CURRENCY_NOT_SUPPORTED: { status: 422, description: 'Currency code is not currently supported.' },
	REFERENCE_ID_REQUIRED: { status: 422, description: "'reference_id' is required for each 'purchase_unit' if multiple 'purchase_unit' are provided." },
	DUPLICATE_REFERENCE_ID: { status: 422, description: '`reference_id` must be unique if multiple `purchase_unit` are provided.' },
};

interface Rejection {
	status: 400 | 422;
	issue: PayPalIssue;
}

/** One `details[]` entry for a body field; `value` is echoed only when the client sent one. */
function reject(issue: string, field: string, value?: string): Rejection {
	const { status, description } = ISSUES[issue];
	return { status, issue: { field, ...(value === undefined ? {} : { value }), location: 'body', issue, description } };
}

function unitProblem(unit: unknown, index: number, unitCount: number): Rejection | null {
	if (!isRecord(unit)) return reject('INVALID_PARAMETER_SYNTAX', `/purchase_units/${index}`);
	if (unitCount > 1 && typeof unit.reference_id !== 'string') {
		return reject('REFERENCE_ID_REQUIRED', `/purchase_units/${index}/reference_id`);
	}
	const ref = typeof unit.reference_id === 'string' ? unit.reference_id : 'default';
	const base = `/purchase_units/@reference_id=='${ref}'/amount`;
	const amount = unit.amount;
	if (!isRecord(amount)) return reject('MISSING_REQUIRED_PARAMETER', base);
	if (typeof amount.currency_code !== 'string') return reject('MISSING_REQUIRED_PARAMETER', `${base}/currency_code`);
	if (typeof amount.value !== 'string') return reject('MISSING_REQUIRED_PARAMETER', `${base}/value`);
	if (!/^\d{1,10}(\.\d{1,2})?$/.test(amount.value)) {
		return reject('INVALID_PARAMETER_SYNTAX', `${base}/value`, amount.value);
	}
	if (!CURRENCIES.includes(amount.currency_code)) {
		return reject('CURRENCY_NOT_SUPPORTED', `${base}/currency_code`, amount.currency_code);
	}
	return null;
}

/** Returns the first issue PayPal would report for this create-order body, or null. */
function orderProblem(body: unknown): Rejection | null {
	if (!isRecord(body)) return reject('MALFORMED_REQUEST_JSON', '/');
	if (body.intent === undefined) return reject('MISSING_REQUIRED_PARAMETER', '/intent');
	if (typeof body.intent !== 'string' || !INTENTS.includes(body.intent)) {
		return reject('INVALID_PARAMETER_VALUE', '/intent', String(body.intent));
	}
	const units = body.purchase_units;
	if (units === undefined) return reject('MISSING_REQUIRED_PARAMETER', '/purchase_units');
	if (!Array.isArray(units) || units.length < 1) return reject('INVALID_ARRAY_MIN_ITEMS', '/purchase_units');
	if (units.length > 10) return reject('INVALID_ARRAY_MAX_ITEMS', '/purchase_units');
	for (const [index, unit] of units.entries()) {
		const problem = unitProblem(unit, index, units.length);
		if (problem) return problem;
	}
	const refs = units.map((u: unknown) => (isRecord(u) ? u.reference_id : undefined));
	if (new Set(refs).size !== refs.length) return reject('DUPLICATE_REFERENCE_ID', '/purchase_units');
	return null;
}

// ---------------------------------------------------------------------------------------------
// Orders: representation

interface Link {
	href: string;
	rel: string;
	method: string;
}

function checkoutHost(state: PayPalState): string {
	return state.environment === 'live' ? 'https://www.paypal.com' : 'https://www.sandbox.paypal.com';
}

/** HATEOAS links as PayPal sends them for each status; API links point at this emulator. */
function orderLinks(order: PayPalOrder, req: EmulatorRequest<PayPalState>): Link[] {
	const self = `${req.baseUrl}/v2/checkout/orders/${order.id}`;
	const buyerUrl = `${checkoutHost(req.state)}/checkoutnow?token=${order.id}`;
	const showBuyerLink = !req.state.omitApproveLink;
	switch (order.status) {
		case 'PAYER_ACTION_REQUIRED':
			return [
				{ href: self, rel: 'self', method: 'GET' },
				...(showBuyerLink ? [{ href: buyerUrl, rel: 'payer-action', method: 'GET' }] : []),
			];
		case 'CREATED':
			return [
				{ href: self, rel: 'self', method: 'GET' },
				...(showBuyerLink ? [{ href: buyerUrl, rel: 'approve', method: 'GET' }] : []),
				{ href: self, rel: 'update', method: 'PATCH' },
				{ href: `${self}/capture`, rel: 'capture', method: 'POST' },
			];
		case 'APPROVED':
			return [
				{ href: self, rel: 'self', method: 'GET' },
				{ href: self, rel: 'update', method: 'PATCH' },
				{ href: `${self}/capture`, rel: 'capture', method: 'POST' },
			];
		default:
			return [{ href: self, rel: 'self', method: 'GET' }];
	}
}

function fullOrder(order: PayPalOrder, req: EmulatorRequest<PayPalState>): Record<string, unknown> {
	return {
		id: order.id,
		intent: order.intent,
		status: order.status,
		...(order.payment_source ? { payment_source: order.payment_source } : {}),
		purchase_units: order.purchase_units,
		create_time: order.create_time,
		...(order.update_time ? { update_time: order.update_time } : {}),
		links: orderLinks(order, req),
	};
}

/** `Prefer: return=minimal` (PayPal's default) sends only id, status, payment_source and links. */
function minimalOrder(order: PayPalOrder, req: EmulatorRequest<PayPalState>): Record<string, unknown> {
	return {
		id: order.id,
		status: order.status,
		...(order.payment_source ? { payment_source: order.payment_source } : {}),
		links: orderLinks(order, req),
	};
}

function wantsRepresentation(headers: IncomingHttpHeaders): boolean {
	return /return=representation/i.test(headerValue(headers, 'prefer') ?? '');
}

function presentOrder(order: PayPalOrder, req: EmulatorRequest<PayPalState>): Record<string, unknown> {
	return wantsRepresentation(req.headers) ? fullOrder(order, req) : minimalOrder(order, req);
}

function normaliseUnit(unit: Record<string, unknown>): Record<string, unknown> {
	return {
		reference_id: typeof unit.reference_id === 'string' ? unit.reference_id : 'default',
		...unit,
		payee: { email_address: payPalDefaults.payeeEmail, merchant_id: payPalDefaults.merchantId },
	};
}

function buildOrder(body: Record<string, unknown>, state: PayPalState): PayPalOrder {
	const units = Array.isArray(body.purchase_units) ? body.purchase_units.filter(isRecord) : [];
	const paymentSource = isRecord(body.payment_source) ? body.payment_source : undefined;
	// With payment_source.paypal the buyer is sent to PayPal straight away: status PAYER_ACTION_REQUIRED.
	const payerAction = state.forcePayerAction || (paymentSource !== undefined && isRecord(paymentSource.paypal));
	return {
		id: newPayPalId(),
		intent: String(body.intent),
		status: payerAction ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
		purchase_units: units.map(normaliseUnit),
		...(payerAction ? { payment_source: { paypal: {} } } : {}),
		create_time: nowIso(),
	};
}

// ---------------------------------------------------------------------------------------------
// Orders: handlers

function createOrder(req: EmulatorRequest<PayPalState>): Reply {
	const authError = bearerProblem(req);
	if (authError) return authError;
	const { state } = req;
	const requestId = headerValue(req.headers, 'paypal-request-id');
	const replayed = requestId ? state.orders[state.requestIds[requestId] ?? ''] : undefined;
	if (replayed) return withDebugId(200, presentOrder(replayed, req));

	const problem = orderProblem(req.body);
	if (problem || !isRecord(req.body)) return rejectionReply(problem ?? reject('MALFORMED_REQUEST_JSON', '/'));
	const order = buildOrder(req.body, state);
	state.orders[order.id] = order;
	if (requestId) state.requestIds[requestId] = order.id;
	return withDebugId(201, presentOrder(order, req));
}

/** 400 issues come as INVALID_REQUEST, 422 ones as UNPROCESSABLE_ENTITY. */
function rejectionReply(rejection: Rejection): Reply {
	const name = rejection.status === 400 ? 'INVALID_REQUEST' : 'UNPROCESSABLE_ENTITY';
	return payPalError(rejection.status, name, [rejection.issue]);
}

function withDebugId(status: number, body: unknown): Reply {
	return { status, body, headers: { 'paypal-debug-id': newDebugId() } };
}

function orderNotFound(id: string): Reply {
	return payPalError(404, 'RESOURCE_NOT_FOUND', [
		{
			field: 'order_id',
			value: id,
			location: 'path',
			issue: 'INVALID_RESOURCE_ID',
			description: 'Specified resource ID does not exist. Please check the resource ID and try again.',
		},
	]);
}

function getOrder(req: EmulatorRequest<PayPalState>): Reply {
	const authError = bearerProblem(req);
	if (authError) return authError;
	const order = req.state.orders[req.params.id];
	// GET always returns the full representation.
	return order ? withDebugId(200, fullOrder(order, req)) : orderNotFound(req.params.id);
}

function captureRejection(order: PayPalOrder): PayPalIssue | null {
	if (order.status === 'COMPLETED') {
		return {
			issue: 'ORDER_ALREADY_CAPTURED',
			description: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
		};
	}
	if (order.status !== 'APPROVED') {
		return {
			issue: 'ORDER_NOT_APPROVED',
			description:
				"Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within Create Order call or provide a valid payment_source in the request.",
		};
	}
	return null;
}

function completeCapture(order: PayPalOrder, req: EmulatorRequest<PayPalState>): Record<string, unknown> {
	const at = nowIso();
	order.status = 'COMPLETED';
	order.update_time = at;
	order.purchase_units = order.purchase_units.map((unit) => {
		const captureId = newPayPalId();
		return {
			...unit,
			payments: {
				captures: [
					{
						id: captureId,
						status: 'COMPLETED',
						amount: unit.amount,
						final_capture: true,
						create_time: at,
						update_time: at,
						links: [{ href: `${req.baseUrl}/v2/payments/captures/${captureId}`, rel: 'self', method: 'GET' }],
					},
				],
			},
		};
	});
	return fullOrder(order, req);
}

function captureOrder(req: EmulatorRequest<PayPalState>): Reply {
	const authError = bearerProblem(req);
	if (authError) return authError;
	const { state } = req;
	const orderId = req.params.id;
	const record = (result: string) => state.captures.push({ orderId, at: new Date().toISOString(), result });
	const order = state.orders[orderId];
	if (!order) {
		record('RESOURCE_NOT_FOUND');
		return orderNotFound(orderId);
	}
	const rejection = captureRejection(order);
	if (rejection) {
		record(rejection.issue);
		return payPalError(422, 'UNPROCESSABLE_ENTITY', [rejection]);
	}
	record('COMPLETED');
	return withDebugId(201, completeCapture(order, req));
}

// ---------------------------------------------------------------------------------------------

/** Plays the buyer clicking "Pay": the order becomes APPROVED and can be captured. */
export function approvePayPalOrder(emulator: Emulator<PayPalState>, orderId: string): void {
	const order = emulator.state.orders[orderId];
	if (!order) throw new Error(`paypal emulator has no order ${orderId}`);
	order.status = 'APPROVED';
}

export function createPayPalEmulator(overrides: Partial<PayPalState> = {}): Emulator<PayPalState> {
	return defineEmulator<PayPalState>({
		name: 'paypal',
		initialState: () => ({ ...initialPayPalState(), ...structuredClone(overrides) }),
		routes: [
			{ id: 'paypal.oauthToken', method: 'POST', path: '/v1/oauth2/token', handler: oauthToken },
			{ id: 'paypal.createOrder', method: 'POST', path: '/v2/checkout/orders', handler: createOrder },
			{ id: 'paypal.getOrder', method: 'GET', path: '/v2/checkout/orders/:id', handler: getOrder },
			{ id: 'paypal.captureOrder', method: 'POST', path: '/v2/checkout/orders/:id/capture', handler: captureOrder },
		],
		faultReply: (status, ctx) => payPalFaultReply(status, ctx.routeId, ctx.retryAfter),
		notFound: () => payPalError(404, 'RESOURCE_NOT_FOUND'),
		// PayPal tags every reply with a debug id; error replies override it with the one in their body.
		commonHeaders: () => ({ 'paypal-debug-id': newDebugId() }),
	});
}
