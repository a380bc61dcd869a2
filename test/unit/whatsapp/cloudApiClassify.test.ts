import { CAUSE_CODE_PATTERN, type Cause } from '../../../nodes/shared/contract';
import {
	REGISTRABLE_CODES,
	classifyGraphError,
	classifyHealthStatus,
	classifyMessagingTier,
	classifyPhoneNumber,
	classifyPhoneStatus,
	classifyQualityRating,
	graphErrorFacts,
	parseGraphError,
	readMediaId,
	readSentMessage,
	redactText,
	regainAccessMinutes,
	statusOfCause,
	type GraphError,
} from '../../../nodes/WhatsAppProbe/providers/cloudApiClassify';

const WITH_PIN = { pinConfigured: true };
const NO_PIN = { pinConfigured: false };
const LABEL = '+52 55 1234 5678';

/** A Graph error body as Meta sends it, parsed. */
function graphError(error: Record<string, unknown>): GraphError {
	const parsed = parseGraphError({ error: { type: 'OAuthException', fbtrace_id: 'Az8or2yhqkZ', ...error } });
	if (!parsed) throw new Error('not a Graph error body');
	return parsed;
}

function expectWellFormed(cause: Cause | undefined): Cause {
	expect(cause).toBeDefined();
	const definite = cause as Cause;
	expect(definite.code).toMatch(CAUSE_CODE_PATTERN);
	expect(definite.message.trim()).not.toBe('');
	expect(definite.message).toMatch(/[.!?]$/);
	expect(typeof definite.retryable).toBe('boolean');
	expect(typeof definite.needsHuman).toBe('boolean');
	return definite;
}

describe('classifyPhoneStatus', () => {
	test('CONNECTED is healthy, with no cause', () => {
		expect(classifyPhoneStatus('CONNECTED', LABEL, WITH_PIN)).toEqual({ status: 'healthy', message: `${LABEL} is CONNECTED`, value: 'CONNECTED' });
	});

	test.each([
		['DISCONNECTED', 'whatsapp.disconnected'],
		['OFFLINE', 'whatsapp.disconnected'],
		['PENDING', 'whatsapp.number_not_registered'],
		['UNVERIFIED', 'whatsapp.number_not_verified'],
		['FLAGGED', 'whatsapp.number_flagged'],
		['RESTRICTED', 'whatsapp.number_restricted'],
		['BANNED', 'whatsapp.number_banned'],
		['DELETED', 'whatsapp.number_banned'],
		['MIGRATED', 'whatsapp.number_migrated'],
		['SOMETHING_NEW', 'whatsapp.disconnected'],
	])('%s is down with %s', (status, code) => {
		const verdict = classifyPhoneStatus(status, LABEL, WITH_PIN);
		expect(verdict.status).toBe('down');
		expect(expectWellFormed(verdict.cause).code).toBe(code);
		expect(verdict.message).toBe(verdict.cause?.message);
		expect(verdict.message).toContain(status);
		expect(verdict.value).toBe(status);
	});

	test('RATE_LIMITED is degraded provider.rate_limited, as every rate limit (shared/failureStatus)', () => {
		const verdict = classifyPhoneStatus('RATE_LIMITED', LABEL, WITH_PIN);
		expect(verdict).toMatchObject({ status: 'degraded', value: 'RATE_LIMITED' });
		expect(expectWellFormed(verdict.cause).code).toBe('provider.rate_limited');
		expect(verdict.message).toContain('RATE_LIMITED');
	});

	test('a registrable state needs a person only when no PIN is configured', () => {
		expect(classifyPhoneStatus('DISCONNECTED', LABEL, WITH_PIN).cause).toMatchObject({ needsHuman: false, retryable: false });
		const noPin = classifyPhoneStatus('DISCONNECTED', LABEL, NO_PIN);
		expect(noPin.cause).toMatchObject({ code: 'whatsapp.disconnected', needsHuman: true });
		expect(noPin.message).toMatch(/none is configured/);
		expect(classifyPhoneStatus('PENDING', LABEL, NO_PIN).cause?.needsHuman).toBe(true);
	});

	test('states a registration cannot fix need a person even with a PIN', () => {
		for (const status of ['UNVERIFIED', 'FLAGGED', 'BANNED', 'MIGRATED']) {
			const cause = classifyPhoneStatus(status, LABEL, WITH_PIN).cause;
			expect(cause?.needsHuman).toBe(true);
			expect(REGISTRABLE_CODES.has(cause?.code ?? '')).toBe(false);
		}
	});

	test('a missing status is a malformed response, not a guess', () => {
		const verdict = classifyPhoneStatus(undefined, LABEL, WITH_PIN);
		expect(verdict.status).toBe('down');
		expect(verdict.cause?.code).toBe('provider.malformed_response');
	});
});

describe('classifyQualityRating and classifyMessagingTier', () => {
	test('GREEN is healthy', () => {
		expect(classifyQualityRating('GREEN', LABEL)).toMatchObject({ status: 'healthy', value: { rating: 'GREEN' } });
	});

	test('YELLOW is degraded with medium severity', () => {
		const verdict = classifyQualityRating('YELLOW', LABEL);
		expect(verdict).toMatchObject({ status: 'degraded', value: { rating: 'YELLOW', severity: 'medium' } });
		expect(expectWellFormed(verdict.cause).code).toBe('whatsapp.quality_yellow');
	});

	test('RED is degraded with high severity and its own code', () => {
		const verdict = classifyQualityRating('RED', LABEL);
		expect(verdict).toMatchObject({ status: 'degraded', value: { rating: 'RED', severity: 'high' } });
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'whatsapp.quality_red', needsHuman: true });
	});

	test('NA, UNKNOWN or missing mean not rated yet: healthy', () => {
		for (const rating of ['NA', 'UNKNOWN', undefined]) {
			const verdict = classifyQualityRating(rating, LABEL);
			expect(verdict.status).toBe('healthy');
			expect(verdict.message).toMatch(/not rated yet/);
		}
	});

	test('the messaging tier is informational: always healthy, value is the tier', () => {
		expect(classifyMessagingTier('TIER_1K')).toEqual({ status: 'healthy', message: 'messaging limit tier TIER_1K (1,000 unique customers per 24 h)', value: 'TIER_1K' });
		expect(classifyMessagingTier('TIER_UNLIMITED').message).toMatch(/unlimited/);
		expect(classifyMessagingTier('TIER_NOT_SET')).toMatchObject({ status: 'healthy', value: 'TIER_NOT_SET' });
		expect(classifyMessagingTier(undefined)).toMatchObject({ status: 'healthy', value: null });
	});
});

describe('classifyPhoneNumber', () => {
	const fields = {
		id: '106853218861309',
		display_phone_number: LABEL,
		verified_name: 'Tienda Ventas',
		quality_rating: 'RED',
		status: 'CONNECTED',
		name_status: 'APPROVED',
		code_verification_status: 'VERIFIED',
		messaging_limit_tier: 'TIER_250',
		throughput: { level: 'STANDARD' },
		platform_type: 'CLOUD_API',
		account_mode: 'LIVE',
	};

	test('gives the status, quality and tier checks, in that order, and the facts as details', () => {
		const assessment = classifyPhoneNumber(fields, WITH_PIN);
		expect(assessment.checks.map((check) => [check.name, check.status])).toEqual([
			['status', 'healthy'],
			['quality_rating', 'degraded'],
			['messaging_limit_tier', 'healthy'],
		]);
		expect(assessment.details).toEqual({
			status: 'CONNECTED',
			quality_rating: 'RED',
			tier: 'TIER_250',
			display_phone_number: LABEL,
			verified_name: 'Tienda Ventas',
			severity: 'high',
			name_status: 'APPROVED',
			code_verification_status: 'VERIFIED',
			account_mode: 'LIVE',
			platform_type: 'CLOUD_API',
			throughput: 'STANDARD',
		});
	});

	test('labels messages with the display number, or the id when there is none', () => {
		expect(classifyPhoneNumber({ ...fields, status: 'DISCONNECTED' }, WITH_PIN).checks[0].message).toContain(LABEL);
		const withoutDisplay = classifyPhoneNumber({ id: '42', status: 'DISCONNECTED' }, WITH_PIN);
		expect(withoutDisplay.checks[0].message).toContain('42');
		expect(withoutDisplay.details).toMatchObject({ status: 'DISCONNECTED', quality_rating: null, tier: null, display_phone_number: null });
	});

	test('anything but an object is one malformed check', () => {
		for (const body of [null, 'ok', [fields]]) {
			const assessment = classifyPhoneNumber(body, WITH_PIN);
			expect(assessment.checks).toHaveLength(1);
			expect(assessment.checks[0]).toMatchObject({ name: 'phone_number', status: 'down', cause: { code: 'provider.malformed_response' } });
		}
	});
});

describe('classifyHealthStatus', () => {
	const entity = (type: string, canSend: string, extra: Record<string, unknown> = {}) => ({ entity_type: type, id: `${type}-id`, can_send_message: canSend, ...extra });

	test('AVAILABLE is healthy and keeps the entities as the value', () => {
		const verdict = classifyHealthStatus({ can_send_message: 'AVAILABLE', entities: [entity('PHONE_NUMBER', 'AVAILABLE'), entity('WABA', 'AVAILABLE')] });
		expect(verdict.status).toBe('healthy');
		expect(verdict.cause).toBeUndefined();
		expect(verdict.value).toMatchObject({ can_send_message: 'AVAILABLE', entities: [{ entity_type: 'PHONE_NUMBER' }, { entity_type: 'WABA' }] });
	});

	test('BLOCKED is down with every error code, description and possible solution of the blocked entities', () => {
		const verdict = classifyHealthStatus({
			can_send_message: 'BLOCKED',
			entities: [
				entity('PHONE_NUMBER', 'AVAILABLE'),
				entity('WABA', 'BLOCKED', {
					errors: [{ error_code: 141006, error_description: 'There is an error with the payment method', possible_solution: 'Add a valid payment method.' }],
				}),
				entity('APP', 'LIMITED', { additional_info: ['App in development mode'] }),
			],
		});
		expect(verdict.status).toBe('down');
		const cause = expectWellFormed(verdict.cause);
		expect(cause).toMatchObject({ code: 'whatsapp.send_blocked', needsHuman: true, retryable: false });
		expect(cause.message).toBe(
			'WhatsApp blocks sending from this number: WABA WABA-id: error 141006 There is an error with the payment method (fix: Add a valid payment method).',
		);
		expect(verdict.value).toMatchObject({ entities: [{}, { errors: [{ error_code: 141006 }] }, { additional_info: ['App in development mode'] }] });
	});

	test('LIMITED is degraded with the additional_info text', () => {
		const verdict = classifyHealthStatus({
			can_send_message: 'LIMITED',
			entities: [entity('APP', 'LIMITED', { additional_info: ['Your app is in development mode.', 'Only test numbers can receive.'] })],
		});
		expect(verdict.status).toBe('degraded');
		expect(expectWellFormed(verdict.cause).code).toBe('whatsapp.send_limited');
		expect(verdict.message).toBe('WhatsApp limits sending from this number: APP APP-id: Your app is in development mode; Only test numbers can receive.');
	});

	test('blocked without entity errors still says so', () => {
		expect(classifyHealthStatus({ can_send_message: 'BLOCKED', entities: [entity('BUSINESS', 'BLOCKED')] }).message).toMatch(/BUSINESS BUSINESS-id: no reason given/);
		expect(classifyHealthStatus({ can_send_message: 'BLOCKED' }).message).toMatch(/no entity says why/);
	});

	test('missing health_status is malformed (down); an unknown value is degraded', () => {
		expect(classifyHealthStatus(undefined)).toMatchObject({ status: 'down', cause: { code: 'provider.malformed_response' } });
		expect(classifyHealthStatus({ entities: [] })).toMatchObject({ status: 'down' });
		expect(classifyHealthStatus({ can_send_message: 'PAUSED' })).toMatchObject({ status: 'degraded', cause: { code: 'provider.malformed_response' } });
	});

	test('texts Meta sends back are redacted', () => {
		const secret = 'cloud-secret-123456';
		const verdict = classifyHealthStatus(
			{ can_send_message: 'LIMITED', entities: [entity('APP', 'LIMITED', { additional_info: [`token ${secret} is limited`] })] },
			{ secrets: [secret] },
		);
		expect(JSON.stringify(verdict)).not.toContain(secret);
	});
});

describe('parseGraphError', () => {
	test('reads code, subcode, type, message, details, transience and trace id', () => {
		expect(
			parseGraphError({
				error: {
					message: '(#130429) Rate limit hit',
					type: 'OAuthException',
					code: 130429,
					error_subcode: 2494055,
					is_transient: true,
					error_data: { messaging_product: 'whatsapp', details: 'Too many messages' },
					fbtrace_id: 'Az8or2yhqkZ',
				},
			}),
		).toEqual({
			code: 130429,
			subcode: 2494055,
			type: 'OAuthException',
			message: '(#130429) Rate limit hit',
			details: 'Too many messages',
			isTransient: true,
			fbtraceId: 'Az8or2yhqkZ',
		});
	});

	test('bodies that are not a Graph error give null', () => {
		for (const body of [null, undefined, 'Bad Gateway', { error: 'nope' }, { success: false }, [1]]) expect(parseGraphError(body)).toBeNull();
	});
});

describe('classifyGraphError', () => {
	test.each([
		[{ code: 190, error_subcode: 463, message: 'Error validating access token: Session has expired' }, 'auth.invalid_credentials', /has expired/],
		[{ code: 190, error_subcode: 460, message: 'Error validating access token: The session has been invalidated' }, 'auth.invalid_credentials', /password change/],
		[{ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }, 'auth.invalid_credentials', /it is invalid/],
		[{ code: 104, message: 'An access token is required to request this resource.' }, 'auth.invalid_credentials', /no access token/],
		[{ code: 10, message: '(#10) Application does not have permission for this action' }, 'auth.forbidden', /whatsapp_business_messaging/],
		[{ code: 200, message: '(#200) Permissions error' }, 'auth.forbidden', /refused access/],
		[{ code: 803, type: 'GraphMethodException', message: '(#803) Some of the aliases you requested do not exist: 1' }, 'config.unknown_phone_number', /Phone Number ID/],
		[{ code: 100, error_subcode: 33, message: 'Unsupported get request.' }, 'config.unknown_phone_number', /Phone Number ID/],
		[
			{ code: 100, message: '(#100) Tried accessing nonexisting field (status) on node type (WhatsAppBusinessAccount)' },
			'config.unknown_phone_number',
			/is a WhatsAppBusinessAccount, not a phone number/,
		],
		[{ code: 100, message: '(#100) Tried accessing nonexisting field (colour) on node type (WhatsAppBusinessPhoneNumber)' }, 'provider.bad_request', /colour/],
		[{ code: 133010, message: '(#133010) Account not registered' }, 'whatsapp.number_not_registered', /re-register/],
		[{ code: 133005, message: '(#133005) Two step verification PIN Mismatch' }, 'whatsapp.pin_mismatch', /PIN Mismatch/],
		[{ code: 131047, message: '(#131047) Re-engagement message' }, 'whatsapp.reengagement_required', /template/],
		[{ code: 131026, message: '(#131026) Message Undeliverable' }, 'whatsapp.recipient_undeliverable', /cannot be delivered/],
		[{ code: 368, message: '(#368) Temporarily blocked for policies violations' }, 'whatsapp.policy_blocked', /policy/],
		[{ code: 131031, message: '(#131031) Account has been locked' }, 'whatsapp.number_banned', /locked/],
		[{ code: 2, is_transient: true, message: 'An unexpected error has occurred.' }, 'provider.server_error', /transient/],
		[{ code: 1, message: 'An unknown error has occurred.' }, 'provider.server_error', /transient/],
		[{ code: 131000, message: '(#131000) Something went wrong' }, 'provider.server_error', /Something went wrong/],
		[{ code: 131057, message: '(#131057) Account in maintenance mode' }, 'provider.server_error', /maintenance/],
		[{ code: 100, message: '(#100) Invalid parameter' }, 'provider.bad_request', /Invalid parameter/],
	])('%j → %s', (error, code, message) => {
		const cause = expectWellFormed(classifyGraphError(graphError(error), { httpStatus: 400 }));
		expect(cause.code).toBe(code);
		expect(cause.message).toMatch(message);
	});

	test('a bad or missing token needs a person and is not retryable, whatever the HTTP status', () => {
		for (const httpStatus of [400, 401, undefined]) {
			expect(classifyGraphError(graphError({ code: 190, error_subcode: 463 }), { httpStatus })).toMatchObject({
				code: 'auth.invalid_credentials',
				needsHuman: true,
				retryable: false,
			});
		}
	});

	test.each([4, 17, 32, 613, 80007, 130429, 131048, 131056])('code %i is a rate limit even on HTTP 400', (code) => {
		const cause = classifyGraphError(graphError({ code, message: `(#${code}) limit` }), { httpStatus: 400 });
		expect(cause).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
		expect(cause.message).toContain(`code ${code}`);
	});

	test('rate limits say when access returns, from estimated_time_to_regain_access, or that Meta gave no time', () => {
		const error = graphError({ code: 4, message: '(#4) Application request limit reached', is_transient: true });
		expect(classifyGraphError(error, { httpStatus: 429, regainAccessMinutes: 3 }).message).toMatch(/about 3 min/);
		expect(classifyGraphError(error, { httpStatus: 429, regainAccessMinutes: null }).message).toMatch(/no wait time/);
		expect(classifyGraphError(error, { httpStatus: 429, regainAccessMinutes: 0 }).message).toMatch(/no wait time/);
	});

	test('the Retry-After fact is what this reply said, not what Meta usually sends', () => {
		const error = graphError({ code: 4, message: '(#4) Application request limit reached', is_transient: true });
		const sent = classifyGraphError(error, { httpStatus: 429, regainAccessMinutes: null, retryAfterMs: 7_000 }).message;
		expect(sent).toContain('retry after 7 s');
		expect(sent).not.toMatch(/no Retry-After|sends no/);
		expect(classifyGraphError(error, { httpStatus: 429, regainAccessMinutes: 3, retryAfterMs: 60_000 }).message).toMatch(/about 3 min \(retry after 60 s\)/);
		expect(classifyGraphError(error, { httpStatus: 429, regainAccessMinutes: 3, retryAfterMs: null }).message).toMatch(/about 3 min \(no Retry-After sent\)/);
		expect(classifyGraphError(error, { httpStatus: 429, regainAccessMinutes: null }).message).toContain('(no Retry-After sent)');
	});

	test('133010 needs a person only without a PIN', () => {
		const error = graphError({ code: 133010, message: '(#133010) Account not registered' });
		expect(classifyGraphError(error, WITH_PIN).needsHuman).toBe(false);
		expect(classifyGraphError(error, NO_PIN).needsHuman).toBe(true);
		expect(classifyGraphError(error).needsHuman).toBe(true);
	});

	test('unknown codes fall back on transience, then on the HTTP status', () => {
		const unknown = (extra: Record<string, unknown> = {}) => graphError({ code: 987654, message: '(#987654) New thing', ...extra });
		expect(classifyGraphError(unknown({ is_transient: true }), { httpStatus: 400 }).code).toBe('provider.server_error');
		expect(classifyGraphError(unknown(), { httpStatus: 401 }).code).toBe('auth.invalid_credentials');
		expect(classifyGraphError(unknown(), { httpStatus: 403 }).code).toBe('auth.forbidden');
		expect(classifyGraphError(unknown(), { httpStatus: 404 }).code).toBe('provider.not_found');
		expect(classifyGraphError(unknown(), { httpStatus: 429 }).code).toBe('provider.rate_limited');
		expect(classifyGraphError(unknown(), { httpStatus: 502 }).code).toBe('provider.server_error');
		expect(classifyGraphError(unknown(), { httpStatus: 400 }).code).toBe('provider.bad_request');
		expect(classifyGraphError(unknown()).message).toContain('(#987654) New thing');
		expect(classifyGraphError(graphError({ message: 'no code at all' }), { httpStatus: 400 }).message).toContain('no error code');
	});

	test('Meta text that echoes the token (by value or by shape) never reaches the cause', () => {
		const token = 'cloud-secret-token-0001';
		const echoed = graphError({ code: 100, message: `(#100) Malformed access token ${token}`, error_data: { details: `access_token=${token}` } });
		const cause = classifyGraphError(echoed, { httpStatus: 400, secrets: [token] });
		expect(cause.message).not.toContain(token);
		expect(cause.message).toContain('[REDACTED]');
		const shaped = graphError({ code: 100, message: '(#100) Malformed access token EAAGm0PX4ZCpsBAKZBa1b2c3d4' });
		expect(classifyGraphError(shaped).message).not.toContain('EAAGm0PX4ZCpsBAKZBa1b2c3d4');
	});

	test('the error_data details are added when they say more than the message', () => {
		const error = graphError({ code: 100, message: '(#100) Invalid parameter', error_data: { details: 'Param to is not a valid phone number' } });
		expect(classifyGraphError(error).message).toContain('(#100) Invalid parameter: Param to is not a valid phone number');
	});
});

describe('redactText', () => {
	test('masks secrets anywhere and the PIN only where it stands alone', () => {
		const options = { secrets: ['cloud-secret-token-0001'], numericSecrets: ['123456'] };
		expect(redactText('token cloud-secret-token-0001, PIN 123456, app 1234567890123456', options)).toBe(
			'token [REDACTED], PIN [REDACTED], app 1234567890123456',
		);
		expect(redactText('nothing to hide', {})).toBe('nothing to hide');
	});
});

describe('details and headers', () => {
	test('graphErrorFacts keeps ids for Meta support, not text', () => {
		expect(graphErrorFacts(graphError({ code: 190, error_subcode: 463, message: 'secret text' }), 400)).toEqual({
			code: 190,
			subcode: 463,
			type: 'OAuthException',
			http_status: 400,
			fbtrace_id: 'Az8or2yhqkZ',
		});
	});

	test('regainAccessMinutes reads the WABA entry, else the largest; null when absent or unreadable', () => {
		const header = JSON.stringify({
			'111': [{ type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: 7 }],
			'222': [{ type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: 2 }],
		});
		expect(regainAccessMinutes(header, '222')).toBe(2);
		expect(regainAccessMinutes(header, '333')).toBe(7);
		expect(regainAccessMinutes(header)).toBe(7);
		expect(regainAccessMinutes(undefined)).toBeNull();
		expect(regainAccessMinutes('not json')).toBeNull();
		expect(regainAccessMinutes(JSON.stringify({ '111': [{ type: 'whatsapp' }] }))).toBeNull();
	});

	test('statusOfCause: rate limits, quality, limited sending and recipient problems degrade; the rest is down', () => {
		const cause = (code: string): Cause => ({ code, message: 'x.', retryable: true, needsHuman: false });
		for (const code of ['provider.rate_limited', 'whatsapp.send_limited', 'whatsapp.reengagement_required', 'whatsapp.recipient_undeliverable']) {
			expect(statusOfCause(cause(code))).toBe('degraded');
		}
		for (const code of ['auth.invalid_credentials', 'net.timeout', 'provider.server_error', 'config.unknown_phone_number', 'whatsapp.number_not_registered']) {
			expect(statusOfCause(cause(code))).toBe('down');
		}
	});

	test('readSentMessage and readMediaId read success bodies and reject others', () => {
		expect(readSentMessage({ messages: [{ id: 'wamid.A', message_status: 'accepted' }] })).toEqual({ messageId: 'wamid.A', status: 'accepted' });
		expect(readSentMessage({ messages: [{ id: 'wamid.B' }] })).toEqual({ messageId: 'wamid.B' });
		for (const body of [{}, { messages: [] }, { messages: [{}] }, null]) expect(readSentMessage(body)).toBeNull();
		expect(readMediaId({ id: '1037543291543636' })).toBe('1037543291543636');
		expect(readMediaId({ id: 42 })).toBe('42');
		expect(readMediaId({ success: true })).toBeNull();
	});
});
