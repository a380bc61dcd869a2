/**
 * The Cloud API gateway against the real Cloud API emulator (and, for replies the
 * emulator has no switch for, a scripted Graph built on the same engine): every
 * classification, every fault switch, recovery through the shared engine, sends, and
 * the token never appearing in anything the gateway returns.
 */
import type { CheckResult } from '../../../nodes/shared/contract';
import { runRecovery } from '../../../nodes/shared/recovery/runRecovery';
import { validateCheckResult, validateRecoveryResult } from '../../../nodes/shared/validate';
import { createCloudApiGateway, type CloudApiConfig } from '../../../nodes/WhatsAppProbe/providers/cloudApi';
import type { QrCode, SendOutcome, WhatsAppGateway } from '../../../nodes/WhatsAppProbe/providers/types';
import { defineEmulator, type Emulator } from '../../../dev/emulators/core/emulator';
import type { EmulatorRequest, Reply } from '../../../dev/emulators/core/types';
import { cloudApiDefaults, createCloudApiEmulator, type CloudApiState } from '../../../dev/emulators/whatsapp/cloudApi';

const TOKEN = cloudApiDefaults.accessToken;
const PIN = cloudApiDefaults.pin;
const PHONE = cloudApiDefaults.phone.id;
const WABA = cloudApiDefaults.waba.id;
// The per-call limit bounds every call, healthy ones included: it leaves a loaded machine
// room (a 300 ms limit failed a healthy local call in a fresh-system run at load 15).
const TIMEOUT_MS = 2_000;
const OPTIONS = { timeoutMs: TIMEOUT_MS };
const TEST_NUMBER = '5215598765432';

/**
 * Every result the gateway hands out goes through here: free of the token, and of the PIN
 * as a number of its own (the emulator's app id 1234567890123456 contains 123456 legitimately).
 */
function expectClean(value: unknown, secrets: string[] = [TOKEN], pins: string[] = [PIN]): void {
	const text = JSON.stringify(value);
	for (const secret of secrets) expect(text).not.toContain(secret);
	for (const pin of pins) expect(text).not.toMatch(new RegExp(`(?<![0-9])${pin}(?![0-9])`));
}

function checked(result: CheckResult): CheckResult {
	expect(validateCheckResult(result)).toEqual([]);
	expectClean(result);
	return result;
}

function failed(outcome: SendOutcome): CheckResult {
	if (outcome.ok) throw new Error(`expected the send to fail, got ${outcome.message.messageId}`);
	return checked(outcome.result);
}

function checkOf(result: CheckResult, name: string) {
	const check = result.checks.find((entry) => entry.name === name);
	if (!check) throw new Error(`no check '${name}' in ${result.checks.map((entry) => entry.name).join(', ')}`);
	return check;
}

function recover(gateway: WhatsAppGateway, options: { dryRun?: boolean; maxSteps?: number } = {}) {
	return runRecovery<{ qr?: QrCode }>({
		check: () => gateway.check(OPTIONS),
		ladder: (state) => gateway.recoveryLadder(state, OPTIONS),
		dryRun: options.dryRun ?? false,
		maxSteps: options.maxSteps ?? 2,
	});
}

describe('Cloud API gateway against the Cloud API emulator', () => {
	let emulator: Emulator<CloudApiState>;
	const gateway = (overrides: Partial<CloudApiConfig> = {}) =>
		createCloudApiGateway({
			baseUrl: overrides.baseUrl ?? emulator.url,
			graphVersion: 'v23.0',
			accessToken: TOKEN,
			phoneNumberId: PHONE,
			wabaId: WABA,
			pin: PIN,
			...overrides,
		});

	beforeEach(async () => {
		emulator = await createCloudApiEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	describe('check', () => {
		test('a healthy number: every check passes and is listed, with the facts in details', async () => {
			const result = checked(await gateway().check(OPTIONS));
			expect(result).toMatchObject({ component: 'whatsapp', target: `cloudapi:${PHONE}`, status: 'healthy' });
			expect(result.cause).toBeUndefined();
			expect(result.checks.map((check) => [check.name, check.status])).toEqual([
				['token', 'healthy'],
				['status', 'healthy'],
				['quality_rating', 'healthy'],
				['messaging_limit_tier', 'healthy'],
				['health_status', 'healthy'],
			]);
			expect(checkOf(result, 'messaging_limit_tier').value).toBe('TIER_1K');
			expect(result.details).toMatchObject({
				status: 'CONNECTED',
				quality_rating: 'GREEN',
				tier: 'TIER_1K',
				health: 'AVAILABLE',
				display_phone_number: cloudApiDefaults.phone.display_phone_number,
				verified_name: cloudApiDefaults.phone.verified_name,
				phone_number_id: PHONE,
			});
		});

		test('asks for the documented fields and health_status, with the token in the header, never the URL', async () => {
			await gateway().check(OPTIONS);
			const requests = emulator.requests('cloudApi.node');
			expect(requests.map((request) => request.query.fields).sort()).toEqual([
				'health_status',
				'id,display_phone_number,verified_name,quality_rating,status,name_status,code_verification_status,messaging_limit_tier,throughput,platform_type,account_mode',
			]);
			for (const request of requests) {
				expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
				expect(request.query.access_token).toBeUndefined();
			}
		});

		test.each([
			['DISCONNECTED', 'whatsapp.disconnected'],
			['OFFLINE', 'whatsapp.disconnected'],
			['PENDING', 'whatsapp.number_not_registered'],
			['UNVERIFIED', 'whatsapp.number_not_verified'],
			['FLAGGED', 'whatsapp.number_flagged'],
			['RESTRICTED', 'whatsapp.number_restricted'],
			['BANNED', 'whatsapp.number_banned'],
			['MIGRATED', 'whatsapp.number_migrated'],
		])('status %s is down with %s', async (status, code) => {
			emulator.patchState({ phone: { status } });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe(code);
			expect(checkOf(result, 'status')).toMatchObject({ status: 'down', code, value: status });
			expect(result.details?.status).toBe(status);
		});

		test('a disconnected number needs a person only when no PIN is configured', async () => {
			emulator.patchState({ phone: { status: 'DISCONNECTED' } });
			expect(checked(await gateway().check(OPTIONS)).cause).toMatchObject({ code: 'whatsapp.disconnected', needsHuman: false });
			expect(checked(await gateway({ pin: undefined }).check(OPTIONS)).cause).toMatchObject({ code: 'whatsapp.disconnected', needsHuman: true });
		});

		test('quality YELLOW is degraded', async () => {
			emulator.patchState({ phone: { quality_rating: 'YELLOW' } });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('whatsapp.quality_yellow');
			expect(checkOf(result, 'quality_rating').value).toEqual({ rating: 'YELLOW', severity: 'medium' });
		});

		test('quality RED is degraded with high severity in the check value and the details', async () => {
			emulator.patchState({ phone: { quality_rating: 'RED', messaging_limit_tier: 'TIER_250' } });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'whatsapp.quality_red', needsHuman: true });
			expect(checkOf(result, 'quality_rating')).toMatchObject({ status: 'degraded', value: { rating: 'RED', severity: 'high' } });
			expect(result.details).toMatchObject({ quality_rating: 'RED', severity: 'high', tier: 'TIER_250' });
			expect(checkOf(result, 'messaging_limit_tier')).toMatchObject({ status: 'healthy', value: 'TIER_250' });
		});

		test('health BLOCKED is down with the entity error code, description and possible solution', async () => {
			emulator.patchState({ health: { WABA: { can_send_message: 'BLOCKED' } } });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('whatsapp.send_blocked');
			expect(result.cause?.message).toContain(`WABA ${WABA}: error 141006 There is an error with the payment method`);
			expect(result.cause?.message).toContain('fix: Add a valid payment method to the WhatsApp Business Account');
			expect(result.details?.health).toBe('BLOCKED');
			expect(checkOf(result, 'health_status').value).toMatchObject({
				can_send_message: 'BLOCKED',
				entities: expect.arrayContaining([expect.objectContaining({ entity_type: 'WABA', errors: [expect.objectContaining({ error_code: 141006 })] })]),
			});
		});

		test('health LIMITED is degraded with the additional_info text', async () => {
			emulator.patchState({ health: { APP: { can_send_message: 'LIMITED', additional_info: ['App is in development mode'] } } });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('whatsapp.send_limited');
			expect(result.cause?.message).toContain(`APP ${cloudApiDefaults.appId}: App is in development mode`);
			expect(result.details?.health).toBe('LIMITED');
		});

		test.each([401, 400] as const)('an expired token (190 with HTTP %i) is down auth.invalid_credentials on the token check', async (httpStatus) => {
			emulator.patchState({ tokenState: 'expired', authErrorHttpStatus: httpStatus });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true, retryable: false });
			expect(result.cause?.message).toMatch(/has expired/);
			expect(checkOf(result, 'token')).toMatchObject({ status: 'down', code: 'auth.invalid_credentials' });
			expect(result.details?.errors).toEqual(
				expect.arrayContaining([expect.objectContaining({ check: 'token', code: 190, subcode: 463, http_status: httpStatus })]),
			);
		});

		test('a revoked token and a token Graph does not know are rejected the same way', async () => {
			emulator.patchState({ tokenState: 'revoked', authErrorHttpStatus: 400 });
			expect(checked(await gateway().check(OPTIONS)).cause?.message).toMatch(/password change or a security reset/);
			emulator.patchState({ tokenState: 'valid' });
			const wrong = await gateway({ accessToken: 'EAAwrong-token-value' }).check(OPTIONS);
			checked(wrong);
			expectClean(wrong, ['EAAwrong-token-value']);
			expect(wrong.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		});

		test('the injected 401 is the everyday expired token', async () => {
			emulator.setFault('cloudApi.node', { status: 401 });
			expect(checked(await gateway().check(OPTIONS)).cause?.code).toBe('auth.invalid_credentials');
		});

		test('an unknown phone number id (803, HTTP 404) is down config.unknown_phone_number', async () => {
			const result = checked(await gateway({ phoneNumberId: '999999999999' }).check(OPTIONS));
			expect(result).toMatchObject({ status: 'down', target: 'cloudapi:999999999999' });
			expect(result.cause).toMatchObject({ code: 'config.unknown_phone_number', needsHuman: true });
			expect(checkOf(result, 'phone_number')).toMatchObject({ status: 'down', code: 'config.unknown_phone_number' });
		});

		test('a WABA id where the phone number id belongs is the same config problem, naming the node type', async () => {
			const result = checked(await gateway({ phoneNumberId: WABA }).check(OPTIONS));
			expect(result.cause?.code).toBe('config.unknown_phone_number');
			expect(result.cause?.message).toMatch(/WhatsAppBusinessAccount, not a phone number/);
			// Sends to it are Graph's 100/33 "unsupported request": the same cause.
			const sent = failed(await gateway({ phoneNumberId: WABA }).sendText(TEST_NUMBER, 'x', OPTIONS));
			expect(sent.cause?.code).toBe('config.unknown_phone_number');
		});

		test('429 (code 4, no Retry-After) is degraded provider.rate_limited with the regain estimate', async () => {
			emulator.setFault('cloudApi.node', { status: 429, retryAfter: 180 });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
			expect(result.cause?.message).toMatch(/app request limit .*code 4.*about 3 min/);
			expect(result.details?.regain_access_minutes).toBe(3);
		});

		test.each([500, 503])('%i (code 2, transient) is down provider.server_error', async (status) => {
			emulator.setFault('cloudApi.node', { status });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'provider.server_error', retryable: true });
		});

		test('403 (code 10) is down auth.forbidden', async () => {
			emulator.setFault('cloudApi.node', { status: 403 });
			expect(checked(await gateway().check(OPTIONS)).cause).toMatchObject({ code: 'auth.forbidden', needsHuman: true });
		});

		test('latency under the timeout is still healthy, and measured', async () => {
			emulator.setFault('cloudApi.node', { latencyMs: 200 });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('healthy');
			expect(result.latencyMs).toBeGreaterThanOrEqual(190);
			expect(checkOf(result, 'token').durationMs).toBeGreaterThanOrEqual(190);
		});

		test.each([
			['latency over the timeout', { latencyMs: 2_000 }],
			['a hanging API', { hang: true }],
		])('%s is down net.timeout within timeout + 1 s', async (_name, fault) => {
			emulator.setFault('cloudApi.node', fault);
			const started = Date.now();
			const result = checked(await gateway().check(OPTIONS));
			expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'net.timeout', retryable: true });
		});

		test('a reset connection is down net.reset', async () => {
			emulator.setFault('cloudApi.node', { reset: true });
			expect(checked(await gateway().check(OPTIONS)).cause?.code).toBe('net.reset');
		});

		test('a malformed body is down provider.malformed_response', async () => {
			emulator.setFault('cloudApi.node', { malformed: true });
			const result = checked(await gateway().check(OPTIONS));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('provider.malformed_response');
		});

		test('nothing listening is down net.unreachable', async () => {
			const url = emulator.url;
			await emulator.close();
			const result = checked(await gateway({ baseUrl: url }).check(OPTIONS));
			expect(result.cause?.code).toBe('net.unreachable');
			emulator = await createCloudApiEmulator().start();
		});

		test('a missing token or phone number id is config.missing, without calling Graph', async () => {
			expect(checked(await gateway({ accessToken: '' }).check(OPTIONS)).cause).toMatchObject({ code: 'config.missing', needsHuman: true });
			expect(checked(await gateway({ phoneNumberId: '' }).check(OPTIONS)).cause?.code).toBe('config.missing');
			expect(checked(await gateway({ graphVersion: 'latest' }).check(OPTIONS)).cause?.code).toBe('config.invalid');
			expect(emulator.requests()).toEqual([]);
		});
	});

	describe('check with a round trip', () => {
		const roundTrip = { to: TEST_NUMBER, text: 'Autorecovery probe: ignore this message' };

		test('an accepted test message is a passing round_trip check with its wamid', async () => {
			const result = checked(await gateway().check({ ...OPTIONS, roundTrip }));
			expect(result.status).toBe('healthy');
			const check = checkOf(result, 'round_trip');
			expect(check).toMatchObject({ status: 'healthy', value: { message_id: expect.stringMatching(/^wamid\./), message_status: null } });
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({ to: TEST_NUMBER, type: 'text', payload: expect.objectContaining({ text: { body: roundTrip.text, preview_url: false } }) }),
			]);
		});

		test('133010 (number not registered) is down whatsapp.number_not_registered, though the status says CONNECTED', async () => {
			emulator.patchState({ registered: false });
			const result = checked(await gateway().check({ ...OPTIONS, roundTrip }));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'whatsapp.number_not_registered', needsHuman: false });
			expect(checkOf(result, 'status').status).toBe('healthy');
		});

		test.each([
			['throughputLimited', 130429],
			['pairRateLimited', 131056],
		])('%s (code %i on HTTP 400) is a degraded rate limit', async (flag, code) => {
			emulator.patchState({ [flag]: true });
			const result = checked(await gateway().check({ ...OPTIONS, roundTrip }));
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('provider.rate_limited');
			expect(result.cause?.message).toContain(`code ${code}`);
			expect(result.details?.errors).toEqual([expect.objectContaining({ check: 'round_trip', code, http_status: 400 })]);
		});
	});

	describe('recovery through runRecovery', () => {
		test('a disconnected number is re-registered with the PIN and comes back healthy', async () => {
			emulator.patchState({ registered: false, phone: { status: 'DISCONNECTED' } });
			const { result } = await recover(gateway());
			expect(validateRecoveryResult(result)).toEqual([]);
			expectClean(result);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.register', attempted: true, success: true, before: 'down', after: 'healthy' });
			expect(result.recovery.steps.map((step) => [step.action, step.ok])).toEqual([
				['whatsapp.register', true],
				['check', true],
			]);
			const calls = emulator.requests('cloudApi.register');
			expect(calls).toHaveLength(1);
			expect(calls[0].body).toEqual({ messaging_product: 'whatsapp', pin: PIN });
		});

		test('a round trip failing with 133010 is repaired by registering too', async () => {
			emulator.patchState({ registered: false });
			const gatewayUnderTest = gateway();
			const { result } = await runRecovery({
				check: () => gatewayUnderTest.check({ ...OPTIONS, roundTrip: { to: TEST_NUMBER, text: 'probe' } }),
				ladder: (state) => gatewayUnderTest.recoveryLadder(state, OPTIONS),
				dryRun: false,
				maxSteps: 2,
			});
			expect(validateRecoveryResult(result)).toEqual([]);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.register', success: true, before: 'down', after: 'healthy' });
		});

		test('a wrong PIN: the rung fails with Meta\'s message and the number stays down', async () => {
			emulator.patchState({ registered: false, phone: { status: 'DISCONNECTED' } });
			const { result } = await recover(gateway({ pin: '654321' }));
			expect(validateRecoveryResult(result)).toEqual([]);
			expectClean(result, [TOKEN], ['654321']);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.register', attempted: true, success: false, before: 'down', after: 'down' });
			expect(result.recovery.steps[0]).toMatchObject({
				action: 'whatsapp.register',
				ok: false,
				message: 'registration refused: (#133005) Two step verification PIN Mismatch: Two step verification PIN incorrect. (code 133005)',
			});
			expect(emulator.state.phone.status).toBe('DISCONNECTED');
		});

		test('a PIN in the wrong format fails with Meta\'s "Invalid PIN format"', async () => {
			emulator.patchState({ phone: { status: 'DISCONNECTED' } });
			const { result } = await recover(gateway({ pin: '12ab' }));
			expect(validateRecoveryResult(result)).toEqual([]);
			expect(result.recovery.steps[0].message).toBe('registration refused: Invalid PIN format. PIN must be exactly 6 digits (code 100)');
		});

		test('a revoked token is escalated: nothing attempted, notify.escalate', async () => {
			emulator.patchState({ tokenState: 'revoked', phone: { status: 'DISCONNECTED' } });
			const { result } = await recover(gateway());
			expect(validateRecoveryResult(result)).toEqual([]);
			expectClean(result);
			expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false, before: 'down', after: 'down' });
			expect(result.recovery.steps).toEqual([expect.objectContaining({ action: 'notify.escalate', message: expect.stringMatching(/needs a person/) })]);
			expect(emulator.requests('cloudApi.register')).toEqual([]);
		});

		test('without a PIN a disconnected number is escalated, not registered', async () => {
			emulator.patchState({ phone: { status: 'DISCONNECTED' } });
			const { result } = await recover(gateway({ pin: undefined }));
			expect(validateRecoveryResult(result)).toEqual([]);
			expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false });
			expect(emulator.requests('cloudApi.register')).toEqual([]);
		});

		test('rate limits and transient errors are escalated: there is nothing to do but wait', async () => {
			for (const status of [429, 500]) {
				emulator.setFault('cloudApi.node', { status });
				const { result } = await recover(gateway());
				expect(validateRecoveryResult(result)).toEqual([]);
				expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false });
				expect(result.recovery.steps[0].message).toMatch(/no automatic action applies/);
			}
			expect(emulator.requests('cloudApi.register')).toEqual([]);
		});

		test('a flagged number is not "fixed" by registering: escalated', async () => {
			emulator.patchState({ phone: { status: 'FLAGGED' } });
			const { result } = await recover(gateway());
			expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false });
			expect(emulator.requests('cloudApi.register')).toEqual([]);
		});

		test('a dry run says what it would do and the emulator receives no register call', async () => {
			emulator.patchState({ registered: false, phone: { status: 'DISCONNECTED' } });
			const { result } = await recover(gateway(), { dryRun: true });
			expect(validateRecoveryResult(result)).toEqual([]);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.register', attempted: true, success: false, dryRun: true, after: 'down' });
			expect(result.recovery.steps).toEqual([
				expect.objectContaining({ action: 'whatsapp.register', message: expect.stringMatching(/^dry run: would re-register phone number/) }),
			]);
			expect(emulator.requests('cloudApi.register')).toEqual([]);
			expect(emulator.state.phone.status).toBe('DISCONNECTED');
		});

		test('maxSteps 0 calls nothing and says what was left', async () => {
			emulator.patchState({ phone: { status: 'DISCONNECTED' } });
			const { result } = await recover(gateway(), { maxSteps: 0 });
			expect(validateRecoveryResult(result)).toEqual([]);
			expect(result.recovery.success).toBe(false);
			expect(result.recovery.steps).toEqual([expect.objectContaining({ action: 'notify.escalate', message: expect.stringMatching(/maxSteps=0; 1 more action/) })]);
			expect(emulator.requests('cloudApi.register')).toEqual([]);
		});

		test('already healthy: nothing attempted', async () => {
			const { result } = await recover(gateway());
			expect(validateRecoveryResult(result)).toEqual([]);
			expect(result.recovery).toMatchObject({ attempted: false, before: 'healthy', after: 'healthy' });
			// It logs that no action was needed, not a notify.escalate nobody needs.
			expect(result.recovery.action).not.toBe('notify.escalate');
			expect(result.recovery.steps.map((step) => step.message)).toEqual(['already healthy: no action needed']);
		});
	});

	describe('getQr', () => {
		test('the Cloud API has no QR: not pending, with the reason and a check result', async () => {
			const outcome = await gateway().getQr(OPTIONS);
			if (outcome.pending) throw new Error('expected no QR');
			expect(outcome.reason).toBe('the Cloud API has no QR: numbers are registered with a PIN');
			expect(checked(outcome.result).status).toBe('healthy');
		});
	});

	describe('sendText', () => {
		test('returns the wamid and the emulator has the message', async () => {
			const outcome = await gateway().sendText(TEST_NUMBER, 'Hola, tu pedido está listo', OPTIONS);
			expectClean(outcome);
			if (!outcome.ok) throw new Error(outcome.result.cause?.message);
			expect(outcome.message.messageId).toMatch(/^wamid\./);
			expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({ id: outcome.message.messageId, to: TEST_NUMBER, payload: expect.objectContaining({ text: { body: 'Hola, tu pedido está listo', preview_url: false } }) }),
			]);
		});

		test('failures are results with classified causes', async () => {
			emulator.patchState({ registered: false });
			const unregistered = failed(await gateway().sendText(TEST_NUMBER, 'x', OPTIONS));
			expect(unregistered).toMatchObject({ status: 'down', cause: { code: 'whatsapp.number_not_registered' } });
			expect(checkOf(unregistered, 'send_text').status).toBe('down');
			expect(unregistered.details).toMatchObject({ operation: 'sendText', errors: [expect.objectContaining({ code: 133010 })] });

			emulator.patchState({ registered: true, throughputLimited: true });
			expect(failed(await gateway().sendText(TEST_NUMBER, 'x', OPTIONS))).toMatchObject({ status: 'degraded', cause: { code: 'provider.rate_limited' } });

			emulator.patchState({ throughputLimited: false, tokenState: 'revoked', authErrorHttpStatus: 400 });
			expect(failed(await gateway().sendText(TEST_NUMBER, 'x', OPTIONS)).cause?.code).toBe('auth.invalid_credentials');
		});

		test('a hanging API is net.timeout within timeout + 1 s', async () => {
			emulator.setFault('cloudApi.messages', { hang: true });
			const started = Date.now();
			const result = failed(await gateway().sendText(TEST_NUMBER, 'x', OPTIONS));
			expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
			expect(result.cause?.code).toBe('net.timeout');
		});

		test('an unreadable body is a malformed response', async () => {
			emulator.setFault('cloudApi.messages', { malformed: true });
			expect(failed(await gateway().sendText(TEST_NUMBER, 'x', OPTIONS)).cause?.code).toBe('provider.malformed_response');
		});
	});

	describe('sendImage', () => {
		const jpeg = { data: Buffer.from('JFIF-fake-jpeg-bytes-for-the-test'), mimeType: 'image/jpeg', fileName: 'producto.jpg' };

		test('uploads the image as multipart, then sends an image message referencing the media id', async () => {
			const outcome = await gateway().sendImage(TEST_NUMBER, jpeg, 'Nuestro catálogo', OPTIONS);
			expectClean(outcome);
			if (!outcome.ok) throw new Error(outcome.result.cause?.message);
			expect(outcome.message.messageId).toMatch(/^wamid\./);
			expect(emulator.state.media).toEqual([
				expect.objectContaining({ mimeType: 'image/jpeg', fileName: 'producto.jpg', size: jpeg.data.length }),
			]);
			const upload = emulator.requests('cloudApi.media')[0];
			expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
			expect(upload.headers.authorization).toBe(`Bearer ${TOKEN}`);
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({
					type: 'image',
					payload: expect.objectContaining({ image: { id: emulator.state.media[0].id, caption: 'Nuestro catálogo' } }),
				}),
			]);
		});

		test('without a file name one is made up from the MIME type', async () => {
			const outcome = await gateway().sendImage(TEST_NUMBER, { data: Buffer.from('png-bytes'), mimeType: 'image/png' }, '', OPTIONS);
			expect(outcome.ok).toBe(true);
			expect(emulator.state.media[0]).toMatchObject({ fileName: 'image.png', mimeType: 'image/png' });
			expect(emulator.state.sentMessages[0].payload).toMatchObject({ image: { id: emulator.state.media[0].id } });
		});

		test('a failed upload is a media_upload check, and no message is sent', async () => {
			emulator.setFault('cloudApi.media', { status: 500 });
			const result = failed(await gateway().sendImage(TEST_NUMBER, jpeg, 'x', OPTIONS));
			expect(result).toMatchObject({ status: 'down', cause: { code: 'provider.server_error' } });
			expect(result.checks.map((check) => [check.name, check.status])).toEqual([['media_upload', 'down']]);
			expect(emulator.requests('cloudApi.messages')).toEqual([]);
		});

		test('an upload Graph rejects (type is not a MIME type) is a bad request with Meta\'s message', async () => {
			const result = failed(await gateway().sendImage(TEST_NUMBER, { ...jpeg, mimeType: 'jpeg' }, 'x', OPTIONS));
			expect(result.cause?.code).toBe('provider.bad_request');
			expect(result.cause?.message).toContain('Param type must be a valid MIME type');
		});

		test('a send that fails after the upload keeps the passed upload check', async () => {
			emulator.patchState({ pairRateLimited: true });
			const result = failed(await gateway().sendImage(TEST_NUMBER, jpeg, 'x', OPTIONS));
			expect(result.checks.map((check) => [check.name, check.status])).toEqual([
				['media_upload', 'healthy'],
				['send_image', 'degraded'],
			]);
			expect(result.cause?.code).toBe('provider.rate_limited');
			expect(result.details?.media_id).toBe(emulator.state.media[0].id);
		});

		test('a revoked token fails the upload with auth.invalid_credentials', async () => {
			emulator.patchState({ tokenState: 'revoked' });
			expect(failed(await gateway().sendImage(TEST_NUMBER, jpeg, 'x', OPTIONS)).cause?.code).toBe('auth.invalid_credentials');
		});
	});
});

/**
 * A Graph that answers what the test scripts, for replies the emulator has no switch for
 * (104, 80007 on a phone route, 131047, 131026, 131000, a token echoed in the message).
 */
interface ScriptedGraph {
	node: (req: EmulatorRequest<ScriptedGraph>) => Reply;
	messages: (req: EmulatorRequest<ScriptedGraph>) => Reply;
}

const HEALTHY_NODE: Reply = {
	status: 200,
	body: {
		id: PHONE,
		display_phone_number: '+52 55 1234 5678',
		verified_name: 'Tienda Ventas',
		quality_rating: 'GREEN',
		status: 'CONNECTED',
		messaging_limit_tier: 'TIER_1K',
		health_status: { can_send_message: 'AVAILABLE', entities: [] },
	},
};

function graphFailure(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
	return { status, body: { error: { type: 'OAuthException', fbtrace_id: 'AscriptedTrace', ...error } }, headers };
}

function createScriptedGraph(): Emulator<ScriptedGraph> {
	return defineEmulator<ScriptedGraph>({
		name: 'scriptedGraph',
		initialState: () => ({
			node: () => HEALTHY_NODE,
			messages: () => ({ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.SCRIPTED', message_status: 'accepted' }] } }),
		}),
		routes: [
			{ id: 'scripted.node', method: 'GET', path: '/:version/:nodeId', handler: (req) => req.state.node(req) },
			{ id: 'scripted.messages', method: 'POST', path: '/:version/:nodeId/messages', handler: (req) => req.state.messages(req) },
		],
		faultReply: (status) => graphFailure(status, { message: 'injected', code: 1 }),
		notFound: () => graphFailure(400, { message: 'Unknown path components', code: 2500 }),
	});
}

describe('Cloud API gateway against scripted Graph replies', () => {
	const SECRET_TOKEN = 'scripted-secret-token-0042';
	let graph: Emulator<ScriptedGraph>;
	const gateway = () =>
		createCloudApiGateway({ baseUrl: graph.url, graphVersion: 'v23.0', accessToken: SECRET_TOKEN, phoneNumberId: PHONE, wabaId: WABA, pin: PIN });
	const scriptedCheck = async (roundTrip = false) =>
		gateway().check({ ...OPTIONS, ...(roundTrip ? { roundTrip: { to: TEST_NUMBER, text: 'probe' } } : {}) });
	const clean = (result: CheckResult) => {
		expect(validateCheckResult(result)).toEqual([]);
		expectClean(result, [SECRET_TOKEN]);
		return result;
	};

	beforeEach(async () => {
		graph = await createScriptedGraph().start();
	});
	afterEach(async () => {
		await graph.close();
	});

	test('a healthy scripted Graph is healthy (the script itself is sound)', async () => {
		expect(clean(await scriptedCheck(true)).status).toBe('healthy');
	});

	test('104 (no token reached Graph) is down auth.invalid_credentials and needs a person', async () => {
		graph.state.node = () => graphFailure(401, { message: 'An access token is required to request this resource.', code: 104 });
		const result = clean(await scriptedCheck());
		expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		expect(gateway().recoveryLadder(result, OPTIONS)).toEqual([]);
	});

	test('a Graph message that echoes the token is redacted everywhere', async () => {
		const echo = (req: EmulatorRequest<ScriptedGraph>) =>
			graphFailure(400, {
				message: `(#100) Malformed access token ${String(req.headers.authorization).replace(/^Bearer /, '')}`,
				code: 100,
				error_data: { messaging_product: 'whatsapp', details: `token=${SECRET_TOKEN} pin=${PIN}` },
			});
		graph.state.node = echo;
		graph.state.messages = echo;
		const result = clean(await scriptedCheck(true));
		expect(result.cause?.message).toContain('[REDACTED]');
		const sent = await gateway().sendText(TEST_NUMBER, 'x', OPTIONS);
		expectClean(sent, [SECRET_TOKEN]);
	});

	test('80007 on HTTP 400 is a rate limit; the WABA entry of x-business-use-case-usage gives the wait', async () => {
		const usage = JSON.stringify({
			[WABA]: [{ type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: 12 }],
			'999': [{ type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: 60 }],
		});
		graph.state.node = () => graphFailure(400, { message: '(#80007) Rate limit issues', code: 80007, is_transient: true }, { 'x-business-use-case-usage': usage });
		const result = clean(await scriptedCheck());
		expect(result).toMatchObject({ status: 'degraded', cause: { code: 'provider.rate_limited' }, details: { regain_access_minutes: 12 } });
		expect(result.cause?.message).toMatch(/about 12 min/);
		expect(gateway().recoveryLadder(result, OPTIONS)).toEqual([]);
	});

	test('131000 on HTTP 500 is down provider.server_error, and nothing to repair', async () => {
		graph.state.node = () => graphFailure(500, { message: '(#131000) Something went wrong', code: 131000 });
		const result = clean(await scriptedCheck());
		expect(result.cause).toMatchObject({ code: 'provider.server_error', retryable: true });
		expect(gateway().recoveryLadder(result, OPTIONS)).toEqual([]);
	});

	test.each([
		[131047, 'whatsapp.reengagement_required'],
		[131026, 'whatsapp.recipient_undeliverable'],
	])('a round trip refused with %i is degraded %s', async (code, cause) => {
		graph.state.messages = () => graphFailure(400, { message: `(#${code}) refused`, code, error_data: { messaging_product: 'whatsapp', details: 'refused' } });
		const result = clean(await scriptedCheck(true));
		expect(result.status).toBe('degraded');
		expect(result.cause?.code).toBe(cause);
		expect(checkOf(result, 'round_trip').status).toBe('degraded');
		const sent = await gateway().sendText(TEST_NUMBER, 'x', OPTIONS);
		if (sent.ok) throw new Error('expected a failure');
		expect(clean(sent.result).cause?.code).toBe(cause);
	});

	test('a 200 without a message id is a malformed response, for sends and the round trip', async () => {
		graph.state.messages = () => ({ status: 200, body: { messaging_product: 'whatsapp', messages: [] } });
		const sent = await gateway().sendText(TEST_NUMBER, 'x', OPTIONS);
		if (sent.ok) throw new Error('expected a failure');
		expect(clean(sent.result)).toMatchObject({ status: 'down', cause: { code: 'provider.malformed_response' } });
		const result = clean(await scriptedCheck(true));
		expect(checkOf(result, 'round_trip')).toMatchObject({ status: 'down', code: 'provider.malformed_response' });
	});

	test('message_status from Graph is reported by sendText and the round trip', async () => {
		const sent = await gateway().sendText(TEST_NUMBER, 'x', OPTIONS);
		expect(sent).toMatchObject({ ok: true, message: { messageId: 'wamid.SCRIPTED', status: 'accepted' } });
		const result = clean(await scriptedCheck(true));
		expect(checkOf(result, 'round_trip').value).toEqual({ message_id: 'wamid.SCRIPTED', message_status: 'accepted' });
	});
});
