import { CAUSE_CODE_PATTERN, type Cause } from '../../../nodes/shared/contract';
import { redact } from '../../../nodes/shared/redact';
import {
	assessCreatedOrder,
	bearerRejected,
	classifyOrderFailure,
	classifyTokenFailure,
	findBuyerLink,
	formatPayPalAmount,
	parseOAuthError,
	parsePayPalError,
	readTokenGrant,
	statusOfCause,
	tokenReusableUntil,
	TOKEN_EXPIRY_MARGIN_MS,
	type PayPalFailure,
} from '../../../nodes/PaymentLinkTest/providers/paypalClassify';

const SECRET = 'ETEST-unit-secret-value';
const TOKEN = 'A21AAunit-access-token-value';
const OPTIONS = { secrets: [SECRET, TOKEN] };

/** A failure as shared/http returns it for an HTTP answer. */
function answered(status: number, data: unknown, extra: Partial<PayPalFailure> = {}): PayPalFailure {
	const kind = status === 401 ? 'auth' : status === 403 ? 'forbidden' : status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : 'client_error';
	return { kind, status, data, headers: {}, retryAfterMs: null, ...extra };
}

/** PayPal's REST error body. */
function restError(name: string, message: string, details: unknown[] = []): Record<string, unknown> {
	return { name, message, debug_id: 'b1d1f06c7246c', ...(details.length > 0 ? { details } : {}), links: [] };
}

function issue(name: string, description: string, field = '/purchase_units/0/amount'): Record<string, unknown> {
	return { field, location: 'body', issue: name, description };
}

/** Well-formed, a sentence, and unchanged by a later redaction pass (nothing secret-shaped of our own making). */
function expectWellFormed(cause: Cause): Cause {
	expect(cause.code).toMatch(CAUSE_CODE_PATTERN);
	expect(cause.message).toMatch(/[.!?]$/);
	expect(typeof cause.retryable).toBe('boolean');
	expect(typeof cause.needsHuman).toBe('boolean');
	expect(redact(cause.message)).toBe(cause.message);
	expect(cause.message).not.toContain(SECRET);
	expect(cause.message).not.toContain(TOKEN);
	return cause;
}

describe('parseOAuthError', () => {
	test('reads error and error_description', () => {
		expect(parseOAuthError({ error: 'invalid_client', error_description: 'Client Authentication failed' })).toEqual({
			error: 'invalid_client',
			description: 'Client Authentication failed',
		});
		expect(parseOAuthError({ error: 'invalid_token' })).toEqual({ error: 'invalid_token' });
	});

	test.each([[null], ['text'], [{ name: 'INTERNAL_SERVER_ERROR' }], [{ error: '' }], [{ error: { code: 1 } }]])('%p is not an OAuth error', (body) => {
		expect(parseOAuthError(body)).toBeNull();
	});
});

describe('parsePayPalError', () => {
	test('reads name, message, debug_id and the issues of details[]', () => {
		const parsed = parsePayPalError(
			restError('UNPROCESSABLE_ENTITY', 'The requested action could not be performed.', [
				issue('CURRENCY_NOT_SUPPORTED', 'Currency code is not currently supported.'),
				{ description: 'no issue name: skipped' },
				'not an object',
			]),
		);
		expect(parsed).toEqual({
			name: 'UNPROCESSABLE_ENTITY',
			message: 'The requested action could not be performed.',
			debugId: 'b1d1f06c7246c',
			issues: [
				{
					issue: 'CURRENCY_NOT_SUPPORTED',
					description: 'Currency code is not currently supported.',
					field: '/purchase_units/0/amount',
					location: 'body',
				},
			],
		});
	});

	test('a body without name is not a PayPal REST error', () => {
		expect(parsePayPalError({ error: 'invalid_token' })).toBeNull();
		expect(parsePayPalError([])).toBeNull();
	});
});

describe('classifyTokenFailure', () => {
	test('invalid_client: auth.invalid_credentials for a human, naming the environment', () => {
		const verdict = classifyTokenFailure(answered(401, { error: 'invalid_client', error_description: 'Client Authentication failed' }), {
			...OPTIONS,
			environment: 'live',
		});
		expect(verdict.status).toBe('down');
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true, retryable: false });
		expect(verdict.cause.message).toContain('invalid_client (Client Authentication failed)');
		expect(verdict.cause.message).toContain('live credentials');
		expect(verdict.facts).toMatchObject({ httpStatus: 401, error: 'invalid_client' });
	});

	test.each([
		['unsupported_grant_type', 400, 'provider.bad_request'],
		['invalid_request', 400, 'provider.bad_request'],
		['invalid_grant', 400, 'provider.bad_request'],
		['unauthorized_client', 401, 'auth.forbidden'],
		['access_denied', 403, 'auth.forbidden'],
		['server_error', 500, 'provider.server_error'],
		['temporarily_unavailable', 503, 'provider.server_error'],
	])('%s (HTTP %i) is %s', (error, status, code) => {
		const verdict = classifyTokenFailure(answered(status, { error, error_description: 'as PayPal says' }), OPTIONS);
		expect(expectWellFormed(verdict.cause).code).toBe(code);
		expect(verdict.cause.message).toContain(error);
		expect(verdict.status).toBe('down');
	});

	test('an OAuth error PayPal may add later falls back to its status', () => {
		expect(classifyTokenFailure(answered(401, { error: 'brand_new_error' }), OPTIONS).cause.code).toBe('auth.invalid_credentials');
		expect(classifyTokenFailure(answered(400, { error: 'brand_new_error' }), OPTIONS).cause.code).toBe('provider.bad_request');
	});

	test('a name-shaped 429 without Retry-After: provider.rate_limited, degraded', () => {
		const verdict = classifyTokenFailure(answered(429, restError('RATE_LIMIT_REACHED', 'Too many requests. Blocked due to rate limiting.')), OPTIONS);
		expect(verdict.status).toBe('degraded');
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
		expect(verdict.cause.message).toContain('no Retry-After sent');
	});

	test.each([
		['timeout', 'net.timeout'],
		['unreachable', 'net.unreachable'],
		['reset', 'net.reset'],
	] as const)('transport failure %s is %s', (kind, code) => {
		const verdict = classifyTokenFailure({ kind, retryAfterMs: null }, OPTIONS);
		expect(expectWellFormed(verdict.cause).code).toBe(code);
		expect(verdict.status).toBe('down');
		expect(verdict.facts).toEqual({ kind });
	});

	test('a 200 with a body that is not JSON: provider.malformed_response', () => {
		const verdict = classifyTokenFailure({ kind: 'malformed', status: 200, data: '{"access_tok', headers: {}, retryAfterMs: null }, OPTIONS);
		expect(expectWellFormed(verdict.cause).code).toBe('provider.malformed_response');
	});

	test("a proxy's HTML error page is not quoted", () => {
		const verdict = classifyTokenFailure(answered(502, '<html><body>Bad Gateway</body></html>'), OPTIONS);
		expect(expectWellFormed(verdict.cause).code).toBe('provider.server_error');
		expect(verdict.cause.message).not.toContain('<html>');
	});
});

describe('classifyOrderFailure', () => {
	test('invalid_token on the REST route: auth.invalid_credentials, and bearerRejected says refresh', () => {
		const failure = answered(401, { error: 'invalid_token', error_description: 'Access Token not found in cache' });
		const verdict = classifyOrderFailure(failure, OPTIONS);
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		expect(verdict.cause.message).toContain('invalid_token (Access Token not found in cache)');
		expect(bearerRejected(failure)).toBe(true);
	});

	test('bearerRejected: any 401 yes; 403, 429 and 500 no', () => {
		expect(bearerRejected(answered(401, restError('AUTHENTICATION_FAILURE', 'Authentication failed.')))).toBe(true);
		expect(bearerRejected(answered(403, restError('NOT_AUTHORIZED', 'Authorization failed.')))).toBe(false);
		expect(bearerRejected(answered(429, restError('RATE_LIMIT_REACHED', 'Too many requests.')))).toBe(false);
		expect(bearerRejected(answered(500, restError('INTERNAL_SERVER_ERROR', 'An internal server error occurred.')))).toBe(false);
	});

	test('CURRENCY_NOT_SUPPORTED: config.invalid with the issue, its text and its field', () => {
		const body = restError('UNPROCESSABLE_ENTITY', 'The requested action could not be performed.', [
			issue('CURRENCY_NOT_SUPPORTED', 'Currency code is not currently supported.', "/purchase_units/@reference_id=='default'/amount/currency_code"),
		]);
		const verdict = classifyOrderFailure(answered(422, body), OPTIONS);
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'config.invalid', needsHuman: true });
		expect(verdict.cause.message).toContain(
			"UNPROCESSABLE_ENTITY / CURRENCY_NOT_SUPPORTED (Currency code is not currently supported, at /purchase_units/@reference_id=='default'/amount/currency_code)",
		);
		expect(verdict.facts).toEqual({
			kind: 'client_error',
			httpStatus: 422,
			error: 'UNPROCESSABLE_ENTITY',
			issues: ['CURRENCY_NOT_SUPPORTED'],
			debugId: 'b1d1f06c7246c',
		});
	});

	test.each(['PAYEE_ACCOUNT_RESTRICTED', 'PAYEE_ACCOUNT_LOCKED_OR_CLOSED'])('%s: payments.account_restricted', (name) => {
		const verdict = classifyOrderFailure(answered(422, restError('UNPROCESSABLE_ENTITY', 'x', [issue(name, 'The merchant account is restricted.')])), OPTIONS);
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'payments.account_restricted', needsHuman: true, retryable: false });
		expect(verdict.status).toBe('down');
	});

	test('400 INVALID_REQUEST with an unknown issue: provider.bad_request quoting it', () => {
		const body = restError('INVALID_REQUEST', 'Request is not well-formed.', [issue('MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.', '/intent')]);
		const verdict = classifyOrderFailure(answered(400, body), OPTIONS);
		expect(expectWellFormed(verdict.cause).code).toBe('provider.bad_request');
		expect(verdict.cause.message).toContain('INVALID_REQUEST / MISSING_REQUIRED_PARAMETER (A required field / parameter is missing, at /intent)');
	});

	test.each([
		[401, 'AUTHENTICATION_FAILURE', 'auth.invalid_credentials', 'down'],
		[403, 'NOT_AUTHORIZED', 'auth.forbidden', 'down'],
		[404, 'RESOURCE_NOT_FOUND', 'provider.not_found', 'down'],
		[500, 'INTERNAL_SERVER_ERROR', 'provider.server_error', 'down'],
		[503, 'SERVICE_UNAVAILABLE', 'provider.server_error', 'down'],
		[429, 'RATE_LIMIT_REACHED', 'provider.rate_limited', 'degraded'],
	])('%i %s: %s, %s', (status, name, code, overall) => {
		const verdict = classifyOrderFailure(answered(status, restError(name, `${name} happened.`)), OPTIONS);
		expect(expectWellFormed(verdict.cause).code).toBe(code);
		expect(verdict.cause.message).toContain(name);
		expect(verdict.status).toBe(overall);
		expect(verdict.facts).toMatchObject({ httpStatus: status, error: name, debugId: 'b1d1f06c7246c' });
	});

	test('429 with a Retry-After too long to wait: says how long; after a retry: says it waited', () => {
		const body = restError('RATE_LIMIT_REACHED', 'Too many requests.');
		const tooLong = classifyOrderFailure(answered(429, body, { retryAfterMs: 30_000 }), OPTIONS);
		expect(tooLong.cause.message).toContain('retry after 30 s, longer than the timeout allows');
		expect(tooLong.facts.retryAfterMs).toBe(30_000);
		const afterRetry = classifyOrderFailure(answered(429, body, { retryAfterMs: 1_000, retried: true }), OPTIONS);
		expect(expectWellFormed(afterRetry.cause).message).toContain('after waiting once');
		expect(afterRetry.facts.retried).toBe(true);
	});

	test('the debug id comes from the header when the body has none', () => {
		const verdict = classifyOrderFailure(answered(401, { error: 'invalid_token' }, { headers: { 'paypal-debug-id': 'f00dfeed12345' } }), OPTIONS);
		expect(verdict.facts.debugId).toBe('f00dfeed12345');
	});

	test('secrets PayPal echoes back are masked in the message', () => {
		const body = restError('INVALID_REQUEST', 'bad', [issue('INVALID_PARAMETER_VALUE', `value ${SECRET} and ${TOKEN} rejected`)]);
		const verdict = classifyOrderFailure(answered(400, body), OPTIONS);
		expect(expectWellFormed(verdict.cause).message).toContain('[REDACTED]');
	});
});

describe('statusOfCause', () => {
	test('only rate limits are degraded', () => {
		const cause = (code: string): Cause => ({ code, message: 'x.', retryable: true, needsHuman: false });
		expect(statusOfCause(cause('provider.rate_limited'))).toBe('degraded');
		for (const code of ['provider.server_error', 'net.timeout', 'auth.invalid_credentials', 'payments.no_payment_link']) {
			expect(statusOfCause(cause(code))).toBe('down');
		}
	});
});

describe('readTokenGrant', () => {
	test('reads access_token, expires_in and app_id', () => {
		expect(
			readTokenGrant({ scope: 'openid', access_token: TOKEN, token_type: 'Bearer', app_id: 'APP-1', expires_in: 32_400, nonce: 'n' }),
		).toEqual({ accessToken: TOKEN, expiresInSeconds: 32_400, appId: 'APP-1' });
	});

	test('expires_in as a string, missing or negative', () => {
		expect(readTokenGrant({ access_token: TOKEN, expires_in: '60' })?.expiresInSeconds).toBe(60);
		expect(readTokenGrant({ access_token: TOKEN })?.expiresInSeconds).toBeNull();
		expect(readTokenGrant({ access_token: TOKEN, expires_in: -5 })?.expiresInSeconds).toBeNull();
	});

	test.each([[null], [{}], [{ access_token: '' }], [{ access_token: TOKEN, token_type: 'MAC' }], ['A21AA...']])('%p is no usable grant', (body) => {
		expect(readTokenGrant(body)).toBeNull();
	});
});

describe('tokenReusableUntil', () => {
	test('a 9 h token is reused until a minute before it expires', () => {
		expect(tokenReusableUntil(1_000, 32_400)).toBe(1_000 + 32_400_000 - TOKEN_EXPIRY_MARGIN_MS);
	});

	test('a short-lived token keeps a tenth of its life as margin', () => {
		expect(tokenReusableUntil(1_000, 10)).toBe(1_000 + 9_000);
	});

	test('a token born expired, or of unknown lifetime, is never reused', () => {
		expect(tokenReusableUntil(1_000, 0)).toBe(1_000);
		expect(tokenReusableUntil(1_000, null)).toBe(1_000);
	});
});

describe('formatPayPalAmount', () => {
	test.each([
		[1, 'USD', '1.00'],
		[12.5, 'EUR', '12.50'],
		[1500, 'JPY', '1500'],
		[1500.4, 'jpy', '1500'],
		[99, 'HUF', '99'],
	])('%p %s is "%s"', (amount, currency, value) => {
		expect(formatPayPalAmount(amount, currency)).toBe(value);
	});

	test.each([[0, 'USD'], [-1, 'USD'], [Number.NaN, 'USD'], [Number.POSITIVE_INFINITY, 'USD'], [0.001, 'USD'], [0.4, 'JPY'], [1e11, 'USD']])(
		'%p %s is refused',
		(amount, currency) => {
			expect(formatPayPalAmount(amount, currency)).toBeNull();
		},
	);
});

describe('findBuyerLink', () => {
	const self = { href: 'https://api-m.paypal.com/v2/checkout/orders/ID', rel: 'self', method: 'GET' };

	test('an approve link', () => {
		expect(findBuyerLink([self, { href: 'https://www.paypal.com/checkoutnow?token=ID', rel: 'approve', method: 'GET' }])).toEqual({
			rel: 'approve',
			href: 'https://www.paypal.com/checkoutnow?token=ID',
		});
	});

	test('a payer-action link, whatever the case of rel', () => {
		expect(findBuyerLink([self, { href: 'https://www.paypal.com/checkoutnow?token=ID', rel: 'PAYER-ACTION' }])?.rel).toBe('payer-action');
	});

	test('no buyer link, or one that is not https, is none', () => {
		expect(findBuyerLink([self])).toBeNull();
		expect(findBuyerLink([{ href: 'http://www.paypal.com/checkoutnow?token=ID', rel: 'approve' }])).toBeNull();
		expect(findBuyerLink([{ href: 'not a url', rel: 'approve' }])).toBeNull();
		expect(findBuyerLink([{ rel: 'approve' }])).toBeNull();
		expect(findBuyerLink('approve')).toBeNull();
		expect(findBuyerLink(undefined)).toBeNull();
	});
});

describe('assessCreatedOrder', () => {
	const approve = { href: 'https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T', rel: 'approve', method: 'GET' };

	test('an order with an approve link is healthy, the link kept whole (its token= is the order id)', () => {
		const verdict = assessCreatedOrder({ id: '5O190127TN364715T', status: 'CREATED', links: [approve] }, OPTIONS);
		expect(verdict).toEqual({
			status: 'healthy',
			message: 'PayPal created test order 5O190127TN364715T (CREATED) with an approve link',
			value: { orderId: '5O190127TN364715T', orderStatus: 'CREATED', linkRel: 'approve', paymentLink: approve.href },
		});
	});

	test('an order without a buyer link: payments.no_payment_link, listing the links it had', () => {
		const verdict = assessCreatedOrder({ id: 'ID1', status: 'CREATED', links: [{ href: 'https://x/self', rel: 'self' }] }, OPTIONS);
		expect(verdict.status).toBe('down');
		expect(expectWellFormed(verdict.cause as Cause)).toMatchObject({ code: 'payments.no_payment_link', needsHuman: true });
		expect(verdict.cause?.message).toContain('links: self');
		expect(verdict.value).toEqual({ orderId: 'ID1', orderStatus: 'CREATED', linkRels: ['self'] });
	});

	test('something that is not an order: provider.malformed_response', () => {
		for (const body of [null, [], { status: 'CREATED' }]) {
			const verdict = assessCreatedOrder(body, OPTIONS);
			expect(expectWellFormed(verdict.cause as Cause).code).toBe('provider.malformed_response');
		}
	});

	test('a known secret inside a link is masked', () => {
		const verdict = assessCreatedOrder({ id: 'ID2', links: [{ href: `https://www.paypal.com/checkoutnow?x=${TOKEN}`, rel: 'approve' }] }, OPTIONS);
		expect(JSON.stringify(verdict)).not.toContain(TOKEN);
	});
});
