/**
 * The shared HTTP classification on its own, for failures of any client: answers by
 * their status (and their retry-after), no answer by the codes and messages along the
 * error's cause chain, as axios (httpRequest) and fetch (groq-sdk) report them; and
 * headers of either client as one lower-cased record.
 */
import { answeredFailure, callTarget, normaliseHeaders, unansweredFailure } from '../../../nodes/shared/http';

const call = { target: callTarget('POST', 'https://api.groq.com/openai/v1?key=x'), durationMs: 12, timeoutMs: 500, secrets: ['sk-secret-123'] };

/** An error with a code and a cause, the way Node and undici build them. */
function error(message: string, code?: string, cause?: unknown): Error {
	return Object.assign(new Error(message), code ? { code } : {}, cause ? { cause } : {});
}

test('callTarget names the method and host only', () => {
	expect(call.target).toBe('POST api.groq.com');
	expect(callTarget('GET', 'not a url')).toBe('GET an invalid URL');
});

describe('normaliseHeaders', () => {
	test('a plain object (axios): lower-cased keys, arrays joined, empty values dropped', () => {
		expect(normaliseHeaders({ 'Retry-After': 3, 'Set-Cookie': ['a', 'b'], 'X-None': undefined })).toEqual({ 'retry-after': '3', 'set-cookie': 'a, b' });
	});
	test('a fetch Headers (SDKs): lower-cased', () => {
		expect(normaliseHeaders(new Headers({ 'X-RateLimit-Remaining-Tokens': '7' }))).toEqual({ 'x-ratelimit-remaining-tokens': '7' });
	});
	test('nothing: an empty record', () => {
		expect(normaliseHeaders(undefined)).toEqual({});
		expect(normaliseHeaders(null)).toEqual({});
	});
});

describe('answeredFailure', () => {
	test.each([
		[401, 'auth'],
		[403, 'forbidden'],
		[429, 'rate_limited'],
		[498, 'client_error'],
		[500, 'server_error'],
		[529, 'server_error'],
		[404, 'client_error'],
	] as const)('HTTP %i is %s', (status, kind) => {
		expect(answeredFailure({ status, headers: {}, data: null }, call)).toMatchObject({ ok: false, kind, status, durationMs: 12, message: `POST api.groq.com answered HTTP ${status}` });
	});
	test('the wait a 429 asks for, from any client\'s headers, and the body kept', () => {
		const failure = answeredFailure({ status: 429, headers: new Headers({ 'Retry-After': '8' }), data: { error: { code: 'rate_limit_exceeded' } } }, call);
		expect(failure).toMatchObject({ kind: 'rate_limited', retryAfterMs: 8_000, headers: { 'retry-after': '8' }, data: { error: { code: 'rate_limit_exceeded' } } });
	});
});

describe('unansweredFailure', () => {
	test('a passed deadline is a timeout, whatever the error', () => {
		expect(unansweredFailure(error('This operation was aborted', 'ERR_CANCELED'), true, call)).toMatchObject({ kind: 'timeout', retryAfterMs: null, message: 'POST api.groq.com did not answer within 500 ms' });
	});

	test.each([
		['axios: refused', error('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'), 'unreachable'],
		['axios: unknown host', error('getaddrinfo ENOTFOUND nowhere.invalid', 'ENOTFOUND'), 'unreachable'],
		['axios: connect timeout', error('timeout of 500ms exceeded', 'ETIMEDOUT'), 'timeout'],
		['axios: socket hang up', error('socket hang up', 'ECONNRESET'), 'reset'],
		['axios: body too large', error('maxContentLength size of 20 exceeded', 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED'), 'malformed'],
		['fetch: refused, two levels down', error('Connection error.', undefined, error('fetch failed', undefined, error('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'))), 'unreachable'],
		['fetch: other side closed', error('Connection error.', undefined, error('fetch failed', undefined, error('other side closed', 'UND_ERR_SOCKET'))), 'reset'],
		['fetch: body terminated', error('Connection error.', undefined, error('terminated')), 'reset'],
		['anything else', error('something odd'), 'unreachable'],
	] as const)('%s → %s', (_label, thrown, kind) => {
		expect(unansweredFailure(thrown, false, call).kind).toBe(kind);
	});

	test('the message quotes the innermost message (what happened), secrets masked', () => {
		const thrown = error('Connection error.', undefined, error('fetch failed', undefined, error('connect ECONNREFUSED 10.0.0.1:443 (key sk-secret-123)', 'ECONNREFUSED')));
		const failure = unansweredFailure(thrown, false, call);
		expect(failure.message).toMatch(/^POST api\.groq\.com failed: connect ECONNREFUSED 10\.0\.0\.1:443/);
		expect(failure.message).not.toContain('sk-secret-123');
	});

	test('a thrown non-error still gives a message', () => {
		expect(unansweredFailure('boom', false, call)).toMatchObject({ kind: 'unreachable', message: 'POST api.groq.com failed: boom' });
	});
});
