import type { CheckResult, RecoveryResult } from '../../../nodes/shared/contract';
import { runRecovery } from '../../../nodes/shared/recovery/runRecovery';
import { validateCheckResult, validateRecoveryResult } from '../../../nodes/shared/validate';
import type { CheckOptions, GatewayCallOptions, QrCode, SendOutcome, WhatsAppGateway } from '../../../nodes/WhatsAppProbe/providers/types';
import { createWahaGateway } from '../../../nodes/WhatsAppProbe/providers/waha';
import { isPng } from '../../../nodes/WhatsAppProbe/providers/wahaClassify';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createWahaEmulator, type WahaState, type WahaStatus } from '../../../dev/emulators/whatsapp/waha';
import { qrPng } from '../../../dev/emulators/whatsapp/qrPng';

/** A key no redaction shape rule would catch: only the gateway's own secrets list can hide it. */
const KEY = 'wahaKey7Qx2Lm9Vt4Rb';
const OPTIONS: GatewayCallOptions = { timeoutMs: 1_000 };
const BOT = { id: '5215512345678@c.us', pushName: 'Tienda Ventas' };
const CUSTOMER = '5215598765432';

describe('WAHA gateway against the WAHA emulator', () => {
	let emulator: Emulator<WahaState>;
	let gateway: WhatsAppGateway;
	/** Everything the gateway returned in a test, searched for the key afterwards. */
	let outputs: unknown[];

	beforeEach(async () => {
		emulator = await createWahaEmulator({ apiKey: KEY }).start();
		gateway = createWahaGateway({ baseUrl: `${emulator.url}/`, apiKey: KEY, session: 'default' });
		outputs = [];
	});
	afterEach(async () => {
		await emulator.close();
		const text = JSON.stringify(outputs);
		expect(text).not.toContain(KEY);
		expect(text).not.toContain(encodeURIComponent(KEY));
	});

	const keep = <T>(value: T): T => {
		outputs.push(value);
		return value;
	};
	const setStatus = (status: WahaStatus) => emulator.patchState({ sessions: { default: { status } } });
	const calls = (routeId: string) => emulator.requests(routeId).length;

	async function check(options: CheckOptions = OPTIONS, target = gateway): Promise<CheckResult> {
		const result = keep(await target.check(options));
		expect(validateCheckResult(result)).toEqual([]);
		return result;
	}

	async function timed<T>(run: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
		const started = Date.now();
		const value = await run();
		return { value, elapsedMs: Date.now() - started };
	}

	const checkNamed = (result: CheckResult, name: string) => result.checks.find((c) => c.name === name);

	describe('check: session classification', () => {
		test('WORKING → healthy, every check listed, details without secrets', async () => {
			const result = await check();
			expect(result).toMatchObject({ component: 'whatsapp', target: 'waha:default', status: 'healthy' });
			expect(result.cause).toBeUndefined();
			expect(result.checks.map((c) => [c.name, c.status])).toEqual([
				['server', 'healthy'],
				['session', 'healthy'],
			]);
			expect(checkNamed(result, 'session')?.value).toBe('WORKING');
			expect(result.details).toEqual({ session: 'default', status: 'WORKING', engine: 'WEBJS', me: BOT });
			// The key was really sent: the emulator would have answered 401 otherwise.
			expect(emulator.requests('waha.getSession')[0].headers['x-api-key']).toBe(KEY);
		});

		test.each([
			['STARTING', 'degraded', 'whatsapp.starting', false],
			['SCAN_QR_CODE', 'down', 'whatsapp.qr_required', true],
			['FAILED', 'down', 'whatsapp.disconnected', false],
			['STOPPED', 'down', 'whatsapp.disconnected', false],
		] as const)('%s → %s %s', async (sessionStatus, status, code, needsHuman) => {
			setStatus(sessionStatus);
			const result = await check();
			expect(result.status).toBe(status);
			expect(result.cause).toMatchObject({ code, needsHuman });
			expect(checkNamed(result, 'server')?.status).toBe('healthy');
			expect(checkNamed(result, 'session')).toMatchObject({ status, code, value: sessionStatus });
			expect(result.details).toMatchObject({ session: 'default', status: sessionStatus, me: null });
		});

		test('an unknown session → down config.unknown_session (needs a person)', async () => {
			const result = await check(OPTIONS, createWahaGateway({ baseUrl: emulator.url, apiKey: KEY, session: 'ventas' }));
			expect(result).toMatchObject({ target: 'waha:ventas', status: 'down' });
			expect(result.cause).toMatchObject({ code: 'config.unknown_session', retryable: false, needsHuman: true });
			expect(result.cause?.message).toContain("'ventas'");
		});

		test('a wrong key → down auth.invalid_credentials (needs a person); the wrong key is not echoed', async () => {
			const wrongKey = 'wrongKey5Hs8Pd3Nq';
			const result = await check(OPTIONS, createWahaGateway({ baseUrl: emulator.url, apiKey: wrongKey, session: 'default' }));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', retryable: false, needsHuman: true });
			expect(checkNamed(result, 'server')?.status).toBe('healthy');
			expect(JSON.stringify(result)).not.toContain(wrongKey);
		});
	});

	describe('check: fault switches', () => {
		test.each([
			[{ status: 401 }, 'down', 'auth.invalid_credentials'],
			[{ status: 429, retryAfter: 2 }, 'degraded', 'provider.rate_limited'],
			[{ status: 500 }, 'down', 'provider.server_error'],
			[{ status: 503 }, 'down', 'provider.server_error'],
			[{ malformed: true }, 'down', 'provider.malformed_response'],
			[{ reset: true }, 'down', 'net.reset'],
		])('session route %j → %s %s', async (fault, status, code) => {
			emulator.setFault('waha.getSession', fault);
			const result = await check();
			expect(result.status).toBe(status);
			expect(result.cause?.code).toBe(code);
			expect(checkNamed(result, 'session')).toMatchObject({ status, code });
			expect(result.details).toMatchObject({ status: null });
		});

		test('a 429 says when to retry', async () => {
			emulator.setFault('waha.getSession', { status: 429, retryAfter: 2 });
			expect((await check()).cause?.message).toMatch(/retry after 2 s/);
		});

		test('latency under the timeout → healthy, and the latency shows', async () => {
			emulator.setFault('*', { latencyMs: 300 });
			const result = await check();
			expect(result.status).toBe('healthy');
			expect(result.latencyMs).toBeGreaterThanOrEqual(290);
			expect(checkNamed(result, 'session')?.durationMs).toBeGreaterThanOrEqual(290);
		});

		test('latency over the timeout → down net.timeout within timeout + 1 s', async () => {
			emulator.setFault('waha.getSession', { latencyMs: 3_000 });
			const { value: result, elapsedMs } = await timed(() => check({ timeoutMs: 500 }));
			expect(elapsedMs).toBeLessThan(1_500);
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'net.timeout', retryable: true, needsHuman: false });
		});

		test('a hanging server (every route) → down net.timeout within timeout + 1 s, not two deadlines', async () => {
			emulator.setFault('*', { hang: true });
			const { value: result, elapsedMs } = await timed(() => check({ timeoutMs: 700 }));
			expect(elapsedMs).toBeLessThan(1_700);
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('net.timeout');
			expect(result.checks.map((c) => [c.name, c.code])).toEqual([
				['server', 'net.timeout'],
				['session', 'net.timeout'],
			]);
		});

		test('an unreachable server → down net.unreachable', async () => {
			const closed = await createWahaEmulator().start();
			const url = closed.url;
			await closed.close();
			const result = await check(OPTIONS, createWahaGateway({ baseUrl: url, apiKey: KEY, session: 'default' }));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('net.unreachable');
		});

		test('/ping failing while the session works → down from the server check, session still reported', async () => {
			emulator.setFault('waha.ping', { status: 500 });
			const result = await check();
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('provider.server_error');
			expect(checkNamed(result, 'server')?.status).toBe('down');
			expect(checkNamed(result, 'session')?.status).toBe('healthy');
		});
	});

	describe('check: round trip', () => {
		const roundTrip = { to: `+${CUSTOMER}`, text: 'autorecovery probe' };

		test('WORKING: sends a test message and reports its acceptance', async () => {
			const result = await check({ ...OPTIONS, roundTrip });
			expect(result.status).toBe('healthy');
			expect(checkNamed(result, 'round_trip')).toMatchObject({ status: 'healthy', value: expect.stringMatching(/^true_5215598765432@c\.us_3EB0/) });
			expect(emulator.state.sentMessages).toEqual([expect.objectContaining({ chatId: `${CUSTOMER}@c.us`, text: 'autorecovery probe' })]);
		});

		test('a refused send makes the item down with the send cause', async () => {
			emulator.setFault('waha.sendText', { status: 500 });
			const result = await check({ ...OPTIONS, roundTrip });
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('provider.server_error');
			expect(checkNamed(result, 'round_trip')).toMatchObject({ status: 'down', code: 'provider.server_error' });
		});

		test('not attempted while the session is not WORKING', async () => {
			setStatus('SCAN_QR_CODE');
			const result = await check({ ...OPTIONS, roundTrip });
			expect(checkNamed(result, 'round_trip')).toBeUndefined();
			expect(calls('waha.sendText')).toBe(0);
		});
	});

	describe('recovery through runRecovery', () => {
		async function recover(options: { dryRun?: boolean; maxSteps?: number; timeoutMs?: number } = {}) {
			const callOptions = { timeoutMs: options.timeoutMs ?? OPTIONS.timeoutMs };
			const run = await runRecovery<{ qr?: QrCode }>({
				check: () => gateway.check(callOptions),
				ladder: (state) => gateway.recoveryLadder(state, callOptions),
				dryRun: options.dryRun ?? false,
				maxSteps: options.maxSteps ?? 3,
			});
			keep(run);
			expect(validateRecoveryResult(run.result)).toEqual([]);
			return run;
		}
		const stepActions = (result: RecoveryResult) => result.recovery.steps.map((s) => s.action);

		test('FAILED, restart heals → reconnect succeeds, nothing wiped', async () => {
			setStatus('FAILED');
			const { result } = await recover();
			expect(result.status).toBe('healthy');
			expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', attempted: true, success: true, before: 'down', after: 'healthy' });
			expect(stepActions(result)).toEqual(['whatsapp.reconnect', 'check']);
			expect(calls('waha.restart')).toBe(1);
			expect(calls('waha.logout')).toBe(0);
			expect(emulator.state.sessions.default.account).toEqual(BOT);
		});

		test('STOPPED → started (not restarted)', async () => {
			setStatus('STOPPED');
			const { result } = await recover();
			expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', success: true });
			expect(calls('waha.start')).toBe(1);
			expect(calls('waha.restart')).toBe(0);
		});

		test('STARTING: the reconnect waits for the restart to settle before judging it', async () => {
			setStatus('STARTING');
			emulator.patchState({ startingMs: 400 });
			const { result } = await recover({ timeoutMs: 3_000 });
			expect(result.recovery).toMatchObject({ before: 'degraded', action: 'whatsapp.reconnect', success: true });
			expect(result.recovery.steps[0]).toMatchObject({ ok: true, message: expect.stringMatching(/now WORKING/) });
			expect(calls('waha.logout')).toBe(0);
		});

		test('a transport failure (session route 500 once) → restart, then healthy', async () => {
			emulator.setFault('waha.getSession', { status: 500, times: 1 });
			const { result } = await recover();
			expect(result.recovery).toMatchObject({ before: 'down', action: 'whatsapp.reconnect', success: true });
			expect(calls('waha.restart')).toBe(1);
		});

		test('restart does not heal → escalates to relink: logout, start, QR PNG for a person', async () => {
			emulator.patchState({ restartHeals: false });
			setStatus('FAILED');
			const { result, extras } = await recover();
			expect(result.recovery).toMatchObject({ action: 'whatsapp.relink', attempted: true, success: false, before: 'down', after: 'down' });
			expect(stepActions(result)).toEqual(['whatsapp.reconnect', 'check', 'whatsapp.relink', 'check']);
			expect(result.recovery.steps.map((s) => s.ok)).toEqual([false, false, true, false]);
			expect(result.cause).toMatchObject({ code: 'whatsapp.qr_required', needsHuman: true });
			const qr = extras[1].qr;
			expect(qr?.png && isPng(qr.png)).toBe(true);
			expect(qr?.code).toMatch(/^2@/);
			expect(calls('waha.restart')).toBe(1);
			expect(calls('waha.logout')).toBe(1);
			expect(emulator.state.sessions.default.account).toBeNull();
		});

		test('no stored account: restart lands in SCAN_QR_CODE → relink fetches the QR without a needless logout', async () => {
			emulator.patchState({ sessions: { default: { status: 'FAILED', account: null } } });
			const { result, extras } = await recover();
			expect(result.recovery).toMatchObject({ action: 'whatsapp.relink', success: false });
			expect(result.cause?.code).toBe('whatsapp.qr_required');
			expect(extras[1].qr?.png && isPng(extras[1].qr.png)).toBe(true);
			expect(calls('waha.logout')).toBe(0);
		});

		test('SCAN_QR_CODE → only the QR is fetched (no restart, no logout)', async () => {
			setStatus('SCAN_QR_CODE');
			const { result, extras } = await recover();
			expect(result.recovery).toMatchObject({ action: 'whatsapp.relink', attempted: true, success: false });
			expect(stepActions(result)).toEqual(['whatsapp.relink', 'check']);
			expect(extras[0].qr?.png && isPng(extras[0].qr.png)).toBe(true);
			expect(calls('waha.restart') + calls('waha.start') + calls('waha.logout')).toBe(0);
		});

		test('dry run: steps say what would happen, the emulator gets no state-changing call', async () => {
			emulator.patchState({ restartHeals: false });
			setStatus('FAILED');
			const { result, extras } = await recover({ dryRun: true });
			expect(result.recovery).toMatchObject({ dryRun: true, attempted: true, success: false, before: 'down', after: 'down' });
			expect(stepActions(result)).toEqual(['whatsapp.reconnect', 'whatsapp.relink']);
			expect(result.recovery.steps.every((s) => s.message.startsWith('dry run: would '))).toBe(true);
			expect(extras).toEqual([]);
			for (const route of ['waha.restart', 'waha.start', 'waha.stop', 'waha.logout', 'waha.qr', 'waha.requestCode']) {
				expect(calls(route)).toBe(0);
			}
			expect(emulator.state.sessions.default).toMatchObject({ status: 'FAILED', account: BOT });
		});

		test('maxSteps 1: only the reconnect, then escalation; the login is not wiped', async () => {
			emulator.patchState({ restartHeals: false });
			setStatus('FAILED');
			const { result } = await recover({ maxSteps: 1 });
			expect(stepActions(result)).toEqual(['whatsapp.reconnect', 'check', 'notify.escalate']);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', success: false });
			expect(calls('waha.logout')).toBe(0);
			expect(emulator.state.sessions.default.account).toEqual(BOT);
		});

		test('a bad key → empty ladder: escalate to a person, nothing attempted', async () => {
			gateway = createWahaGateway({ baseUrl: emulator.url, apiKey: 'wrongKey5Hs8Pd3Nq', session: 'default' });
			const { result } = await recover();
			expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false });
			expect(result.cause?.code).toBe('auth.invalid_credentials');
			expect(calls('waha.restart') + calls('waha.logout')).toBe(0);
		});

		test('an unknown session → empty ladder', async () => {
			gateway = createWahaGateway({ baseUrl: emulator.url, apiKey: KEY, session: 'ventas' });
			const { result } = await recover();
			expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false });
			expect(stepActions(result)).toEqual(['notify.escalate']);
		});

		test('a session route that keeps hanging: restart is tried, but the login is never wiped blind', async () => {
			emulator.setFault('waha.getSession', { hang: true });
			const { result } = await recover({ timeoutMs: 400 });
			expect(result.recovery).toMatchObject({ action: 'whatsapp.relink', success: false, after: 'down' });
			expect(result.cause?.code).toBe('net.timeout');
			const relink = result.recovery.steps.find((s) => s.action === 'whatsapp.relink');
			expect(relink).toMatchObject({ ok: false, message: expect.stringMatching(/^not logging out: cannot read the session status/) });
			expect(calls('waha.restart')).toBe(1);
			expect(calls('waha.logout')).toBe(0);
		});
	});

	describe('getQr', () => {
		test('SCAN_QR_CODE → the PNG and the raw value; a pairing code when a number is given', async () => {
			setStatus('SCAN_QR_CODE');
			const outcome = keep(await gateway.getQr({ ...OPTIONS, pairingNumber: '+1 213 213 2130' }));
			if (!outcome.pending) throw new Error(`expected a pending QR, got: ${outcome.reason}`);
			expect(outcome.qr.png && isPng(outcome.qr.png)).toBe(true);
			expect(outcome.qr.code).toMatch(/^2@/);
			expect(outcome.qr.pairingCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
			expect(emulator.requests('waha.qr').map((r) => r.query.format).sort()).toEqual(['image', 'raw']);
			expect(emulator.requests('waha.qr').find((r) => r.query.format === 'image')?.headers.accept).toBe('image/png');
			expect(emulator.requests('waha.requestCode')[0].body).toEqual({ phoneNumber: '12132132130', method: null });
		});

		test('without a pairing number no code is requested', async () => {
			setStatus('SCAN_QR_CODE');
			const outcome = keep(await gateway.getQr(OPTIONS));
			expect(outcome.pending && outcome.qr.pairingCode).toBeUndefined();
			expect(calls('waha.requestCode')).toBe(0);
		});

		test("WORKING → WAHA's 422: not pending, with the reason and the current check", async () => {
			const outcome = keep(await gateway.getQr(OPTIONS));
			if (outcome.pending) throw new Error('expected no QR');
			expect(outcome.reason).toBe('session is WORKING, no QR pending');
			expect(validateCheckResult(outcome.result)).toEqual([]);
			expect(outcome.result.status).toBe('healthy');
		});

		test('STOPPED → not pending (the QR route 404s), the check says why', async () => {
			setStatus('STOPPED');
			const outcome = keep(await gateway.getQr(OPTIONS));
			if (outcome.pending) throw new Error('expected no QR');
			expect(outcome.reason).toBe('session is STOPPED, no QR pending');
			expect(validateCheckResult(outcome.result)).toEqual([]);
			expect(outcome.result.cause?.code).toBe('whatsapp.disconnected');
		});

		test('an unknown session → not pending, config.unknown_session', async () => {
			const outcome = keep(await createWahaGateway({ baseUrl: emulator.url, apiKey: KEY, session: 'ventas' }).getQr(OPTIONS));
			if (outcome.pending) throw new Error('expected no QR');
			expect(outcome.result.cause?.code).toBe('config.unknown_session');
			expect(outcome.reason).toBe(outcome.result.cause?.message);
		});

		test.each([
			[{ status: 401 }, 'auth.invalid_credentials'],
			[{ status: 500 }, 'provider.server_error'],
			[{ reset: true }, 'net.reset'],
		])('QR route fault %j → not pending, %s', async (fault, code) => {
			setStatus('SCAN_QR_CODE');
			emulator.setFault('waha.qr', fault);
			const outcome = keep(await gateway.getQr(OPTIONS));
			if (outcome.pending) throw new Error('expected no QR');
			expect(validateCheckResult(outcome.result)).toEqual([]);
			expect(outcome.result.cause?.code).toBe(code);
			expect(outcome.result.checks.map((c) => c.name)).toEqual(['qr']);
		});

		test('a hanging QR route → net.timeout within timeout + 1 s', async () => {
			setStatus('SCAN_QR_CODE');
			emulator.setFault('waha.qr', { hang: true });
			const { value: outcome, elapsedMs } = await timed(() => gateway.getQr({ timeoutMs: 500 }));
			keep(outcome);
			expect(elapsedMs).toBeLessThan(1_500);
			expect(!outcome.pending && outcome.result.cause?.code).toBe('net.timeout');
		});
	});

	describe('sendText', () => {
		async function sendText(to = CUSTOMER, text = 'Hola'): Promise<SendOutcome> {
			const outcome = keep(await gateway.sendText(to, text, OPTIONS));
			if (!outcome.ok) expect(validateCheckResult(outcome.result)).toEqual([]);
			return outcome;
		}

		test('WORKING → the message id and WAHA’s ack', async () => {
			const outcome = await sendText('+52 1 55 9876 5432');
			if (!outcome.ok) throw new Error(`send failed: ${outcome.result.cause?.message}`);
			expect(outcome.message).toEqual({ messageId: expect.stringMatching(/^true_5215598765432@c\.us_3EB0/), status: 'PENDING' });
			expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
			expect(emulator.requests('waha.sendText')[0].body).toEqual({ session: 'default', chatId: `${CUSTOMER}@c.us`, text: 'Hola' });
		});

		test.each([
			['SCAN_QR_CODE', 'whatsapp.qr_required'],
			['FAILED', 'whatsapp.disconnected'],
			['STARTING', 'whatsapp.starting'],
			['STOPPED', 'whatsapp.disconnected'],
		] as const)('session %s → not sent, %s', async (sessionStatus, code) => {
			setStatus(sessionStatus);
			const outcome = await sendText();
			expect(outcome.ok).toBe(false);
			expect(!outcome.ok && outcome.result.cause?.code).toBe(code);
			expect(emulator.state.sentMessages).toEqual([]);
		});

		test('the 422 names the session status in the details', async () => {
			setStatus('SCAN_QR_CODE');
			const outcome = await sendText();
			expect(!outcome.ok && outcome.result.details).toEqual({ session: 'default', status: 'SCAN_QR_CODE' });
		});

		test('a recipient with no number → config.invalid, nothing sent', async () => {
			const outcome = await sendText('not a number');
			expect(!outcome.ok && outcome.result.cause).toMatchObject({ code: 'config.invalid', needsHuman: true });
			expect(calls('waha.sendText')).toBe(0);
		});

		test.each([
			[{ status: 401 }, 'down', 'auth.invalid_credentials'],
			[{ status: 429 }, 'degraded', 'provider.rate_limited'],
			[{ status: 500 }, 'down', 'provider.server_error'],
			[{ malformed: true }, 'down', 'provider.malformed_response'],
			[{ reset: true }, 'down', 'net.reset'],
		])('fault %j → %s %s', async (fault, status, code) => {
			emulator.setFault('waha.sendText', fault);
			const outcome = await sendText();
			if (outcome.ok) throw new Error('expected a failure');
			expect(outcome.result).toMatchObject({ status, cause: { code } });
			expect(outcome.result.checks.map((c) => c.name)).toEqual(['send_text']);
		});

		test('a hanging send → net.timeout within timeout + 1 s', async () => {
			emulator.setFault('waha.sendText', { hang: true });
			const { value: outcome, elapsedMs } = await timed(() => gateway.sendText(CUSTOMER, 'Hola', { timeoutMs: 500 }));
			keep(outcome);
			expect(elapsedMs).toBeLessThan(1_500);
			expect(!outcome.ok && outcome.result.cause?.code).toBe('net.timeout');
		});
	});

	describe('sendImage', () => {
		const png = qrPng('producto-42');

		async function sendImage(image: { data: Buffer; mimeType: string; fileName?: string }, caption = 'Nuevo'): Promise<SendOutcome> {
			const outcome = keep(await gateway.sendImage(CUSTOMER, image, caption, OPTIONS));
			if (!outcome.ok) expect(validateCheckResult(outcome.result)).toEqual([]);
			return outcome;
		}

		test('WORKING → sent as base64 with its name and caption; the message id comes back', async () => {
			const outcome = await sendImage({ data: png, mimeType: 'image/png', fileName: 'producto.png' });
			if (!outcome.ok) throw new Error(`send failed: ${outcome.result.cause?.message}`);
			expect(outcome.message.messageId).toMatch(/^true_5215598765432@c\.us_3EB0/);
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({
					chatId: `${CUSTOMER}@c.us`,
					text: 'Nuevo',
					media: { mimetype: 'image/png', filename: 'producto.png', bytes: png.length, url: null },
				}),
			]);
			expect(emulator.requests('waha.sendImage')[0].body).toMatchObject({ session: 'default', file: { data: png.toString('base64') } });
		});

		test('without a file name one is derived from the type', async () => {
			const outcome = await sendImage({ data: png, mimeType: 'image/jpeg' });
			expect(outcome.ok).toBe(true);
			expect(emulator.state.sentMessages[0].media?.filename).toBe('image.jpg');
		});

		test('session not WORKING → not sent, classified by the status WAHA names', async () => {
			setStatus('FAILED');
			const outcome = await sendImage({ data: png, mimeType: 'image/png' });
			expect(!outcome.ok && outcome.result.cause?.code).toBe('whatsapp.disconnected');
			expect(!outcome.ok && outcome.result.checks[0].name).toBe('send_image');
		});

		test('an empty image → config.invalid without a call', async () => {
			const outcome = await sendImage({ data: Buffer.alloc(0), mimeType: 'image/png' });
			expect(!outcome.ok && outcome.result.cause?.code).toBe('config.invalid');
			expect(calls('waha.sendImage')).toBe(0);
		});

		test.each([
			[{ status: 401 }, 'auth.invalid_credentials'],
			[{ status: 500 }, 'provider.server_error'],
			[{ malformed: true }, 'provider.malformed_response'],
		])('fault %j → %s', async (fault, code) => {
			emulator.setFault('waha.sendImage', fault);
			const outcome = await sendImage({ data: png, mimeType: 'image/png' });
			expect(!outcome.ok && outcome.result.cause?.code).toBe(code);
		});

		test('a hanging send → net.timeout within timeout + 1 s', async () => {
			emulator.setFault('waha.sendImage', { hang: true });
			const { value: outcome, elapsedMs } = await timed(() => gateway.sendImage(CUSTOMER, { data: png, mimeType: 'image/png' }, '', { timeoutMs: 500 }));
			keep(outcome);
			expect(elapsedMs).toBeLessThan(1_500);
			expect(!outcome.ok && outcome.result.cause?.code).toBe('net.timeout');
		});
	});

	describe('the API key never leaks', () => {
		test('through every kind of failure message, the gateway secrets list holds it', async () => {
			expect(gateway.secrets).toEqual([KEY]);
			emulator.setFault('waha.getSession', { status: 500 });
			keep(await gateway.check({ ...OPTIONS, roundTrip: { to: CUSTOMER, text: 'probe' } }));
			emulator.clearFaults();
			emulator.setFault('*', { hang: true });
			keep(await gateway.check({ timeoutMs: 300 }));
			keep(await gateway.sendText(CUSTOMER, 'x', { timeoutMs: 300 }));
			keep(await gateway.getQr({ timeoutMs: 300 }));
			// afterEach searches every output of this test (and all others) for the key.
			expect(outputs).toHaveLength(4);
		});
	});

	test('misconfiguration is misuse: it throws at creation', () => {
		expect(() => createWahaGateway({ baseUrl: '', apiKey: KEY, session: 'default' })).toThrow(/base URL/);
		expect(() => createWahaGateway({ baseUrl: emulator.url, apiKey: KEY, session: ' ' })).toThrow(/session/);
	});
});
