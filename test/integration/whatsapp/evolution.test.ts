import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { CheckResult } from '../../../nodes/shared/contract';
import { runRecovery } from '../../../nodes/shared/recovery/runRecovery';
import { validateCheckResult, validateRecoveryResult } from '../../../nodes/shared/validate';
import { createEvolutionGateway, type EvolutionConfig } from '../../../nodes/WhatsAppProbe/providers/evolution';
import type { QrCode, SendOutcome, WhatsAppGateway } from '../../../nodes/WhatsAppProbe/providers/types';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import type { FaultSpec } from '../../../dev/emulators/core/types';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { PNG_SIGNATURE } from '../../../dev/emulators/whatsapp/qrPng';

/** A key that no message could contain by accident, so finding it anywhere is a leak. */
const API_KEY = 'evo-GLOBAL-k3y-7f3a9c2e51';
const INSTANCE_TOKEN = evolutionDefaults.instances.ventas.token;
// The per-call limit bounds every call, healthy ones included: it leaves a loaded machine
// room (a 300 ms limit failed a healthy local call in a fresh-system run at load 15).
const TIMEOUT_MS = 2_000;
const opts = { timeoutMs: TIMEOUT_MS };
const CUSTOMER = '5215598765432';
const NOT_ON_WHATSAPP = evolutionDefaults.numbersNotOnWhatsApp[0];

type ConnectionState = 'open' | 'connecting' | 'close' | null;

describe('Evolution gateway against the Evolution emulator', () => {
	let emulator: Emulator<EvolutionState>;
	let gateway: WhatsAppGateway;
	/** Everything the gateway returned in a test; searched for the key afterwards. */
	let outputs: unknown[];

	const seen = <T>(value: T): T => {
		outputs.push(value);
		return value;
	};
	const gatewayFor = (overrides: Partial<EvolutionConfig> = {}) =>
		createEvolutionGateway({ baseUrl: emulator.url, apiKey: API_KEY, instance: 'ventas', ...overrides });
	const setState = (state: ConnectionState) => emulator.patchState({ instances: { ventas: { state } } });
	const emulatedState = () => emulator.state.instances.ventas.state;
	const fault = (routeId: string, spec: FaultSpec) => emulator.setFault(routeId, spec);
	const methodsOf = (routeId: string) => emulator.requests(routeId).map((r) => r.method);

	async function check(g: WhatsAppGateway = gateway, options: Parameters<WhatsAppGateway['check']>[0] = opts): Promise<CheckResult> {
		const result = seen(await g.check(options));
		expect(validateCheckResult(result)).toEqual([]);
		return result;
	}

	async function timedCheck(options = opts): Promise<{ result: CheckResult; elapsedMs: number }> {
		const started = Date.now();
		const result = await check(gateway, options);
		return { result, elapsedMs: Date.now() - started };
	}

	async function recover(dryRun = false, maxSteps = 3) {
		const run = await runRecovery({
			check: () => gateway.check(opts),
			ladder: (state) => gateway.recoveryLadder(state, opts),
			dryRun,
			maxSteps,
		});
		seen(run);
		expect(validateRecoveryResult(run.result)).toEqual([]);
		return run;
	}

	function expectPng(qr: QrCode | undefined): void {
		expect(qr?.png).toBeInstanceOf(Buffer);
		expect(qr?.png?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
		expect(qr?.png?.subarray(12, 16).toString('ascii')).toBe('IHDR');
		expect(qr?.code).toMatch(/^2@/);
	}

	function failedResult(outcome: SendOutcome): CheckResult {
		if (outcome.ok) throw new Error(`expected a failed send, got ${outcome.message.messageId}`);
		expect(validateCheckResult(outcome.result)).toEqual([]);
		return outcome.result;
	}

	beforeEach(async () => {
		emulator = await createEvolutionEmulator({ apiKey: API_KEY }).start();
		gateway = gatewayFor();
		outputs = [];
	});

	afterEach(async () => {
		await emulator.close();
		// The proof the key never leaves: in no result, message, step or extra, in any encoding.
		const everything = JSON.stringify(outputs);
		expect(everything).not.toContain(API_KEY);
		expect(everything).not.toContain(encodeURIComponent(API_KEY));
		expect(everything).not.toContain(INSTANCE_TOKEN);
	});

	test('identifies itself and registers the key as its secret', () => {
		expect(gateway.kind).toBe('evolution');
		expect(gateway.target).toBe('evolution:ventas');
		expect(gateway.secrets).toEqual([API_KEY]);
	});

	describe('check: classification', () => {
		test('open → healthy with every check listed, version and state in details', async () => {
			const result = await check();
			expect(result).toMatchObject({ component: 'whatsapp', target: 'evolution:ventas', status: 'healthy' });
			expect(result.cause).toBeUndefined();
			expect(result.checks.map((c) => [c.name, c.status])).toEqual([
				['liveness', 'healthy'],
				['connectionState', 'healthy'],
			]);
			expect(result.checks[0].value).toBe('2.3.6');
			expect(result.details).toEqual({ instance: 'ventas', state: 'open', version: '2.3.6', whatsappWebVersion: evolutionDefaults.whatsappWebVersion });
			// GET / needs no key, so it is not sent one.
			expect(emulator.requests('evolution.root')[0].headers.apikey).toBeUndefined();
			expect(emulator.requests('evolution.connectionState')[0].headers.apikey).toBe(API_KEY);
		});

		test('the instance token works as the key', async () => {
			const result = await check(gatewayFor({ apiKey: INSTANCE_TOKEN }));
			expect(result.status).toBe('healthy');
		});

		test('connecting → degraded whatsapp.connecting, and the check never calls connect (no new QR as a side effect, issue 19 §3)', async () => {
			setState('connecting');
			for (let tick = 0; tick < 3; tick += 1) {
				const result = await check();
				expect(result.status).toBe('degraded');
				expect(result.cause).toMatchObject({ code: 'whatsapp.connecting', retryable: true, needsHuman: false });
				expect(result.details).toMatchObject({ state: 'connecting', qrPending: null });
				expect(JSON.stringify(result)).not.toMatch(/2@|base64|iVBOR/);
			}
			expect(emulator.requests('evolution.connect')).toHaveLength(0);
			expect(emulator.state.instances.ventas.qrCount).toBe(0);
			expect(emulatedState()).toBe('connecting');
		});

		test('a QR that is waiting for a scan is not replaced by checks', async () => {
			setState('close');
			const qr = await gateway.getQr(opts);
			expect(qr.pending).toBe(true);
			const count = emulator.state.instances.ventas.qrCount;
			await check();
			await check();
			expect(emulator.state.instances.ventas.qrCount).toBe(count);
			expect(emulator.requests('evolution.connect')).toHaveLength(1); // Get QR's own
		});

		test('close → down whatsapp.disconnected, and the check does not call connect (which would start pairing)', async () => {
			setState('close');
			const result = await check();
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('whatsapp.disconnected');
			expect(result.checks.find((c) => c.name === 'connectionState')).toMatchObject({ status: 'down', code: 'whatsapp.disconnected', value: 'close' });
			expect(result.details).toMatchObject({ state: 'close' });
			expect(emulator.requests('evolution.connect')).toHaveLength(0);
			expect(emulatedState()).toBe('close');
		});

		test('state missing (instance not loaded) → down whatsapp.instance_not_loaded', async () => {
			setState(null);
			const result = await check();
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('whatsapp.instance_not_loaded');
			expect(result.details).toMatchObject({ state: 'not_loaded' });
		});

		test('unknown instance → down config.unknown_instance, even with a wrong key (404 comes before auth)', async () => {
			for (const apiKey of [API_KEY, 'evo-wrong-key-000']) {
				const result = await check(gatewayFor({ instance: 'soporte', apiKey }));
				expect(result.target).toBe('evolution:soporte');
				expect(result.status).toBe('down');
				expect(result.cause).toMatchObject({ code: 'config.unknown_instance', needsHuman: true, retryable: false });
				expect(result.cause?.message).toContain('"soporte"');
				expect(result.checks[0]).toMatchObject({ name: 'liveness', status: 'healthy' });
				expect(result.details).toMatchObject({ instance: 'soporte', state: null, version: '2.3.6' });
			}
		});

		test('wrong key → down auth.invalid_credentials (needs a person), liveness still passes', async () => {
			const result = await check(gatewayFor({ apiKey: 'evo-wrong-key-000' }));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
			expect(result.checks.map((c) => c.status)).toEqual(['healthy', 'down']);
		});

		test('missing settings → down config.missing without calling the server', async () => {
			const result = await check(gatewayFor({ apiKey: '', instance: ' ' }));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('config.missing');
			expect(result.cause?.message).toMatch(/API key, instance name/);
			expect(emulator.requests()).toHaveLength(0);
		});

		test('a closed port → down net.unreachable', async () => {
			const server = http.createServer();
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			const port = (server.address() as AddressInfo).port;
			await new Promise<void>((resolve) => server.close(() => resolve()));
			const result = await check(gatewayFor({ baseUrl: `http://127.0.0.1:${port}/` }));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('net.unreachable');
		});

		test('a trailing slash on the base URL is fine', async () => {
			expect((await check(gatewayFor({ baseUrl: `${emulator.url}//` }))).status).toBe('healthy');
		});
	});

	describe('check: fault switches on connectionState', () => {
		test('latency under the timeout → still healthy, duration recorded', async () => {
			fault('evolution.connectionState', { latencyMs: 250 });
			const { result } = await timedCheck();
			expect(result.status).toBe('healthy');
			expect(result.checks[1].durationMs).toBeGreaterThanOrEqual(240);
			expect(result.latencyMs).toBeGreaterThanOrEqual(240);
		});

		test('latency over the timeout → down net.timeout within timeout + 1 s', async () => {
			fault('evolution.connectionState', { latencyMs: TIMEOUT_MS + 1500 });
			const { result, elapsedMs } = await timedCheck();
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('net.timeout');
			expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
		});

		test('hang → down net.timeout within timeout + 1 s', async () => {
			fault('evolution.connectionState', { hang: true });
			const { result, elapsedMs } = await timedCheck();
			expect(result.cause).toMatchObject({ code: 'net.timeout', retryable: true });
			expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
		});

		test('every route hanging costs one timeout, not one per call', async () => {
			fault('*', { hang: true });
			const { result, elapsedMs } = await timedCheck();
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('net.timeout');
			expect(result.checks.map((c) => c.code)).toEqual(['net.timeout', 'net.timeout']);
			expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
		});

		test('reset → down net.reset', async () => {
			fault('evolution.connectionState', { reset: true });
			expect((await check()).cause?.code).toBe('net.reset');
		});

		test.each([
			[401, 'down', 'auth.invalid_credentials'],
			[403, 'down', 'auth.forbidden'],
			[429, 'degraded', 'provider.rate_limited'], // as from every provider (shared/failureStatus)
			[500, 'down', 'provider.server_error'],
			[503, 'down', 'provider.server_error'],
		])('HTTP %i → %s %s', async (status, expected, code) => {
			fault('evolution.connectionState', { status });
			const result = await check();
			expect(result.status).toBe(expected);
			expect(result.cause?.code).toBe(code);
		});

		test('429 with Retry-After says when to retry', async () => {
			fault('evolution.connectionState', { status: 429, retryAfter: 7 });
			expect((await check()).cause?.message).toMatch(/retry after 7 s/);
		});

		test('malformed JSON → down provider.malformed_response', async () => {
			fault('evolution.connectionState', { malformed: true });
			expect((await check()).cause?.code).toBe('provider.malformed_response');
		});

		test('liveness failing while the instance is open → down on liveness, and no instance action is offered', async () => {
			fault('evolution.root', { status: 502 });
			const result = await check();
			expect(result.status).toBe('down');
			expect(result.checks.map((c) => [c.name, c.status])).toEqual([
				['liveness', 'down'],
				['connectionState', 'healthy'],
			]);
			expect(result.cause?.code).toBe('provider.server_error');
			expect(gateway.recoveryLadder(result, opts)).toEqual([]);
		});

		test('a hung connect cannot slow a check of a connecting instance: the check does not call it', async () => {
			setState('connecting');
			fault('evolution.connect', { hang: true });
			const { result, elapsedMs } = await timedCheck();
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('whatsapp.connecting');
			expect(result.details).toMatchObject({ qrPending: null });
			expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1000);
		});
	});

	describe('check: round trip', () => {
		const roundTrip = (to = CUSTOMER) => ({ ...opts, roundTrip: { to, text: 'ping de salud' } });

		test('open → the test message is accepted (201 + key id) and reported as a check', async () => {
			const result = await check(gateway, roundTrip());
			expect(result.status).toBe('healthy');
			const entry = result.checks.find((c) => c.name === 'roundTrip');
			expect(entry).toMatchObject({ status: 'healthy', value: expect.stringMatching(/^3EB0/) });
			expect(result.details?.roundTrip).toEqual({ messageId: entry?.value, status: 'PENDING' });
			expect(emulator.state.sentMessages).toEqual([expect.objectContaining({ number: CUSTOMER, text: 'ping de salud' })]);
		});

		test('a test number not on WhatsApp → degraded whatsapp.recipient_not_on_whatsapp', async () => {
			const result = await check(gateway, roundTrip(NOT_ON_WHATSAPP));
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'whatsapp.recipient_not_on_whatsapp', needsHuman: true });
			expect(result.checks.map((c) => c.name)).toEqual(['liveness', 'connectionState', 'roundTrip']);
			expect(gateway.recoveryLadder(result, opts)).toEqual([]);
		});

		test('a failing send → down on the roundTrip check', async () => {
			fault('evolution.sendText', { status: 500 });
			const result = await check(gateway, roundTrip());
			expect(result.status).toBe('down');
			expect(result.checks[2]).toMatchObject({ name: 'roundTrip', status: 'down', code: 'provider.server_error' });
		});

		test('not open → the round trip is skipped (it could only fail), and said so', async () => {
			setState('close');
			const result = await check(gateway, roundTrip());
			expect(result.cause?.code).toBe('whatsapp.disconnected');
			expect(result.checks.map((c) => c.name)).toEqual(['liveness', 'connectionState']);
			expect(result.details?.roundTrip).toMatch(/skipped/);
			expect(emulator.requests('evolution.sendText')).toHaveLength(0);
		});
	});

	describe('recoveryLadder', () => {
		const actions = async () => gateway.recoveryLadder(await check(), opts).map((rung) => rung.action);

		test('healthy → nothing to do', async () => {
			expect(await actions()).toEqual([]);
		});

		test.each(['close', 'connecting', null] as const)('state %s → reconnect, then relink', async (state) => {
			setState(state);
			expect(await actions()).toEqual(['whatsapp.reconnect', 'whatsapp.relink']);
		});

		test('auth, unknown instance and missing config → empty (a person must fix them)', async () => {
			for (const g of [gatewayFor({ apiKey: 'evo-wrong-key-000' }), gatewayFor({ instance: 'soporte' }), gatewayFor({ baseUrl: '' })]) {
				const state = await check(g);
				expect(g.recoveryLadder(state, opts)).toEqual([]);
			}
		});

		test('transport failures with the state unknown → reconnect only (relink would log out a session that may be fine)', async () => {
			for (const spec of [{ hang: true }, { reset: true }, { status: 500 }, { malformed: true }] satisfies FaultSpec[]) {
				fault('evolution.connectionState', spec);
				expect(await actions()).toEqual(['whatsapp.reconnect']);
			}
		});

		test('rate limited → nothing (restarting would only add load)', async () => {
			fault('evolution.connectionState', { status: 429 });
			expect(await actions()).toEqual([]);
		});

		test('building the ladder calls nothing', async () => {
			setState('close');
			const state = await check();
			emulator.clearRequests();
			gateway.recoveryLadder(state, opts);
			expect(emulator.requests()).toHaveLength(0);
		});
	});

	describe('recovery through runRecovery', () => {
		test('restartHeals: a connecting instance is restarted (POST) and comes back healthy', async () => {
			setState('connecting');
			const { result } = await recover();
			expect(result.status).toBe('healthy');
			expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', attempted: true, success: true, before: 'degraded', after: 'healthy' });
			expect(result.recovery.steps.map((s) => [s.action, s.ok])).toEqual([
				['whatsapp.reconnect', true],
				['check', true],
			]);
			expect(result.recovery.steps[0].message).toMatch(/restart \(POST\) answered with state open/);
			expect(methodsOf('evolution.restart')).toEqual(['POST']);
			expect(emulator.requests('evolution.logout')).toHaveLength(0);
		});

		test('a closed instance heals through restart when the server does not have the close quirk', async () => {
			emulator.patchState({ restartCloseQuirk: false });
			setState('close');
			const { result } = await recover();
			expect(result.recovery).toMatchObject({ success: true, before: 'down', after: 'healthy' });
		});

		test('restart quirk on a closed instance: 200 error:true is a failure, connect starts the socket, relink hands over a QR PNG', async () => {
			setState('close');
			const run = await recover();
			const { recovery } = run.result;
			expect(recovery).toMatchObject({ action: 'whatsapp.relink', attempted: true, success: false, before: 'down', after: 'degraded' });
			expect(recovery.steps.map((s) => s.action)).toEqual(['whatsapp.reconnect', 'check', 'whatsapp.relink', 'check']);
			expect(recovery.steps[0].message).toMatch(/refused \(HTTP 200 with error:true/);
			expect(recovery.steps[0].message).toMatch(/connect accepted; .*QR is waiting/);
			expect(recovery.steps[1].message).toBe('re-check: degraded (whatsapp.connecting)');
			expect(recovery.steps[2]).toMatchObject({ ok: true, message: expect.stringMatching(/^logged out; connect accepted/) });
			expect(run.result.cause?.code).toBe('whatsapp.connecting');
			expect(run.extras).toHaveLength(2);
			expectPng(run.extras[1].qr);
			expect(methodsOf('evolution.restart')).toEqual(['POST']);
			expect(methodsOf('evolution.logout')).toEqual(['DELETE']);
			expect(emulatedState()).toBe('connecting');
		});

		test('restartHeals false: restart is accepted but the session is rejected, so it escalates to relink with a QR PNG', async () => {
			emulator.patchState({ restartHeals: false });
			setState('connecting');
			const run = await recover();
			expect(run.result.recovery).toMatchObject({ action: 'whatsapp.relink', success: false, before: 'degraded', after: 'degraded' });
			const [reconnectStep, , relinkStep] = run.result.recovery.steps;
			expect(reconnectStep).toMatchObject({ action: 'whatsapp.reconnect', ok: true, message: expect.stringMatching(/QR is waiting/) });
			expect(relinkStep).toMatchObject({ action: 'whatsapp.relink', ok: true });
			// The reconnect's QR is kept too: a person can scan whichever arrives first.
			expectPng(run.extras[0].qr);
			expectPng(run.extras[1].qr);
			// Only the rungs asked for QRs (restart, then logout + connect); the checks did not.
			expect(emulator.requests('evolution.connect')).toHaveLength(1);
		});

		test('dry run: steps say what would happen, and the server gets no restart, logout or connect', async () => {
			setState('close');
			const { result } = await recover(true);
			expect(result.recovery).toMatchObject({ dryRun: true, attempted: true, success: false, before: 'down', after: 'down' });
			expect(result.recovery.steps.map((s) => s.message)).toEqual([
				expect.stringMatching(/^dry run: would restart Evolution instance "ventas"/),
				expect.stringMatching(/^dry run: would log Evolution instance "ventas" out/),
			]);
			expect(emulator.requests('evolution.restart')).toHaveLength(0);
			expect(emulator.requests('evolution.logout')).toHaveLength(0);
			expect(emulator.requests('evolution.connect')).toHaveLength(0);
			expect(emulatedState()).toBe('close');
		});

		test('maxSteps 1: only the reconnect is tried and the rest is reported', async () => {
			setState('close');
			const { result } = await recover(false, 1);
			expect(result.recovery.steps.map((s) => s.action)).toEqual(['whatsapp.reconnect', 'check', 'notify.escalate']);
			expect(result.recovery.steps[2].message).toMatch(/maxSteps=1; 1 more action/);
			expect(emulator.requests('evolution.logout')).toHaveLength(0);
		});

		test('an older server (PUT only) answers 404 to POST: the restart falls back to PUT and heals', async () => {
			emulator.patchState({ restartMethod: 'PUT' });
			setState('connecting');
			const { result } = await recover();
			expect(result.recovery.success).toBe(true);
			expect(result.recovery.steps[0].message).toMatch(/restart \(PUT\)/);
			expect(methodsOf('evolution.restart')).toEqual(['POST', 'PUT']);
		});

		test('a strict 2.2+ server (POST only) is restarted with POST and never sees PUT', async () => {
			emulator.patchState({ restartMethod: 'POST' });
			setState('connecting');
			expect((await recover()).result.recovery.success).toBe(true);
			expect(methodsOf('evolution.restart')).toEqual(['POST']);
		});

		test('a 404 "instance does not exist" on restart is not a missing route: no PUT retry', async () => {
			setState('connecting');
			fault('evolution.restart', { status: 404, times: 1 });
			const { result } = await recover(false, 1);
			expect(result.recovery.steps[0]).toMatchObject({ ok: false, message: expect.stringMatching(/no instance named "ventas"/) });
			expect(methodsOf('evolution.restart')).toEqual(['POST']);
		});

		test('a failing restart (500) is reported as a failed step and the ladder escalates', async () => {
			setState('connecting');
			fault('evolution.restart', { status: 500 });
			const { result, extras } = await recover();
			expect(result.recovery.steps[0]).toMatchObject({ action: 'whatsapp.reconnect', ok: false, message: expect.stringMatching(/server error \(HTTP 500\)/) });
			expect(result.recovery.action).toBe('whatsapp.relink');
			expectPng(extras[1].qr);
		});

		test('a timed-out check still gets a reconnect, and the re-check finds it healed', async () => {
			setState('connecting');
			fault('evolution.connectionState', { hang: true, times: 1 });
			const { result } = await recover();
			expect(result.recovery).toMatchObject({ before: 'down', after: 'healthy', success: true, action: 'whatsapp.reconnect' });
		});

		test('auth failure → nothing attempted: escalate to a person', async () => {
			gateway = gatewayFor({ apiKey: 'evo-wrong-key-000' });
			const { result } = await recover();
			expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false });
			expect(result.recovery.steps[0].message).toMatch(/needs a person/);
			expect(emulator.requests('evolution.restart')).toHaveLength(0);
		});
	});

	describe('ladder rungs directly', () => {
		const rungs = async () => gateway.recoveryLadder(await check(), opts);

		test('relink on a closed instance: logout 400 "not connected" is fine, then connect gives the QR', async () => {
			setState('close');
			const [, relink] = await rungs();
			const outcome = seen(await relink.run());
			expect(outcome).toMatchObject({ ok: true, message: expect.stringMatching(/^already logged out; connect accepted/) });
			expectPng(outcome.qr);
		});

		test('relink when the QR is not generated yet ({"count":0}) → not ok, no QR, says so', async () => {
			emulator.patchState({ qrNotReady: true });
			setState('close');
			const [, relink] = await rungs();
			const outcome = seen(await relink.run());
			expect(outcome.ok).toBe(false);
			expect(outcome.qr).toBeUndefined();
			expect(outcome.message).toMatch(/QR is not generated yet/);
		});

		test('relink stops when logout fails for another reason', async () => {
			setState('connecting');
			const [, relink] = await rungs();
			fault('evolution.logout', { status: 401 });
			const outcome = seen(await relink.run());
			expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/^logout failed: .*rejected the credentials/) });
			expect(emulator.requests('evolution.connect')).toHaveLength(0); // the check never asks for a QR
		});

		test('reconnect of an unloaded instance: restart and connect both answer the quirk → not ok', async () => {
			setState(null);
			const [reconnect] = await rungs();
			const outcome = seen(await reconnect.run());
			expect(outcome.ok).toBe(false);
			expect(outcome.message).toMatch(/refused .*; connect answered HTTP 200 with error:true \(\[object Object\]\)/);
		});

		test('reconnect when connect hangs after the quirk → not ok, bounded by the timeout', async () => {
			setState('close');
			const [reconnect] = await rungs();
			fault('evolution.connect', { hang: true });
			const started = Date.now();
			const outcome = seen(await reconnect.run());
			expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/connect failed: Evolution API did not answer in time/) });
			expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
		});
	});

	describe('getQr', () => {
		test('connecting → the pending QR as PNG bytes and raw code', async () => {
			setState('connecting');
			const outcome = seen(await gateway.getQr(opts));
			if (!outcome.pending) throw new Error(`expected a QR, got ${outcome.reason}`);
			expectPng(outcome.qr);
			expect(outcome.qr.pairingCode).toBeUndefined();
		});

		test('a pairing number asks for a pairing code (digits only are sent)', async () => {
			setState('connecting');
			const outcome = seen(await gateway.getQr({ ...opts, pairingNumber: '+52 1 55 1111 2222' }));
			if (!outcome.pending) throw new Error(`expected a QR, got ${outcome.reason}`);
			expect(outcome.qr.pairingCode).toMatch(/^[A-Z0-9]{8}$/);
			expect(emulator.requests('evolution.connect')[0].query).toEqual({ number: '5215511112222' });
		});

		test('open → not pending, "already connected", with a healthy result', async () => {
			const outcome = seen(await gateway.getQr(opts));
			if (outcome.pending) throw new Error('expected no QR');
			expect(outcome.reason).toBe('already connected');
			expect(validateCheckResult(outcome.result)).toEqual([]);
			expect(outcome.result).toMatchObject({ status: 'healthy', details: { instance: 'ventas', state: 'open' } });
		});

		test('close → connect starts pairing and returns a QR (asking for a QR on a closed instance starts pairing)', async () => {
			setState('close');
			const outcome = seen(await gateway.getQr(opts));
			expect(outcome.pending).toBe(true);
			if (outcome.pending) expectPng(outcome.qr);
			expect(emulatedState()).toBe('connecting');
		});

		test('{"count":0} → not pending, "QR not generated yet", degraded whatsapp.qr_not_ready', async () => {
			emulator.patchState({ qrNotReady: true });
			setState('connecting');
			const outcome = seen(await gateway.getQr(opts));
			if (outcome.pending) throw new Error('expected no QR');
			expect(outcome.reason).toBe('QR not generated yet');
			expect(validateCheckResult(outcome.result)).toEqual([]);
			expect(outcome.result).toMatchObject({ status: 'degraded', cause: { code: 'whatsapp.qr_not_ready', retryable: true } });
		});

		test('failures → not pending with a down result: unloaded, wrong key, unknown instance, hang', async () => {
			const cases: Array<[() => void, WhatsAppGateway, string]> = [
				[() => setState(null), gateway, 'whatsapp.instance_not_loaded'],
				[() => undefined, gatewayFor({ apiKey: 'evo-wrong-key-000' }), 'auth.invalid_credentials'],
				[() => undefined, gatewayFor({ instance: 'soporte' }), 'config.unknown_instance'],
				[() => fault('evolution.connect', { hang: true }), gateway, 'net.timeout'],
				[() => fault('evolution.connect', { malformed: true }), gateway, 'provider.malformed_response'],
			];
			for (const [arrange, g, code] of cases) {
				arrange();
				const started = Date.now();
				const outcome = seen(await g.getQr(opts));
				expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
				if (outcome.pending) throw new Error(`expected no QR for ${code}`);
				expect(validateCheckResult(outcome.result)).toEqual([]);
				expect(outcome.result).toMatchObject({ status: 'down', cause: { code } });
				expect(outcome.reason).toBe(outcome.result.cause?.message);
				emulator.clearFaults();
			}
		});
	});

	describe('sendText', () => {
		test('201 → the Baileys key id and status; the number is sent as digits', async () => {
			const outcome = seen(await gateway.sendText('+52 1 55 9876 5432', 'Su pedido está listo', opts));
			if (!outcome.ok) throw new Error(outcome.result.cause?.message);
			expect(outcome.message).toEqual({ messageId: expect.stringMatching(/^3EB0[0-9A-F]+$/), status: 'PENDING' });
			expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
			expect(emulator.requests('evolution.sendText')[0].body).toEqual({ number: CUSTOMER, text: 'Su pedido está listo' });
			expect(emulator.state.sentMessages[0]).toMatchObject({ id: outcome.message.messageId, number: CUSTOMER });
		});

		test('400 exists:false → degraded whatsapp.recipient_not_on_whatsapp', async () => {
			const result = failedResult(seen(await gateway.sendText(NOT_ON_WHATSAPP, 'hola', opts)));
			expect(result).toMatchObject({ status: 'degraded', cause: { code: 'whatsapp.recipient_not_on_whatsapp' } });
			expect(result.checks).toEqual([expect.objectContaining({ name: 'sendText', status: 'degraded' })]);
		});

		test('500 Connection Closed → down whatsapp.disconnected', async () => {
			setState('close');
			const result = failedResult(seen(await gateway.sendText(CUSTOMER, 'hola', opts)));
			expect(result).toMatchObject({ status: 'down', cause: { code: 'whatsapp.disconnected' } });
		});

		test('empty text → degraded provider.bad_request (the request was wrong, not the gateway)', async () => {
			const result = failedResult(seen(await gateway.sendText(CUSTOMER, undefined as unknown as string, opts)));
			expect(result).toMatchObject({ status: 'degraded', cause: { code: 'provider.bad_request' } });
		});

		test('wrong key, unknown instance, 429, hang, malformed', async () => {
			const cases: Array<[WhatsAppGateway, FaultSpec | null, string, string]> = [
				[gatewayFor({ apiKey: 'evo-wrong-key-000' }), null, 'auth.invalid_credentials', 'down'],
				[gatewayFor({ instance: 'soporte' }), null, 'config.unknown_instance', 'down'],
				[gateway, { status: 429 }, 'provider.rate_limited', 'degraded'], // as from every provider
				[gateway, { hang: true }, 'net.timeout', 'down'],
				[gateway, { malformed: true }, 'provider.malformed_response', 'down'],
			];
			for (const [g, spec, code, status] of cases) {
				if (spec) fault('evolution.sendText', spec);
				const started = Date.now();
				const result = failedResult(seen(await g.sendText(CUSTOMER, 'hola', opts)));
				expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
				expect(result).toMatchObject({ status, cause: { code } });
				emulator.clearFaults();
			}
			expect(emulator.state.sentMessages).toEqual([]);
		});
	});

	describe('sendImage', () => {
		const image = { data: Buffer.concat([PNG_SIGNATURE, Buffer.from('product photo bytes')]), mimeType: 'image/png' };

		test('201 → key id; media goes as plain base64 with mediatype, mimetype, caption and a default file name', async () => {
			const outcome = seen(await gateway.sendImage(CUSTOMER, image, 'Blusa roja, talla M', opts));
			if (!outcome.ok) throw new Error(outcome.result.cause?.message);
			expect(outcome.message).toEqual({ messageId: expect.stringMatching(/^3EB0/), status: 'PENDING' });
			expect(emulator.requests('evolution.sendMedia')[0].body).toEqual({
				number: CUSTOMER,
				mediatype: 'image',
				mimetype: 'image/png',
				caption: 'Blusa roja, talla M',
				media: image.data.toString('base64'),
				fileName: 'image.png',
			});
			expect(emulator.state.sentMessages[0]).toMatchObject({ mediatype: 'image', mediaBytes: image.data.length, text: 'Blusa roja, talla M' });
		});

		test('a given file name is kept', async () => {
			const outcome = seen(await gateway.sendImage(CUSTOMER, { ...image, mimeType: 'image/jpeg', fileName: 'blusa.jpg' }, '', opts));
			expect(outcome.ok).toBe(true);
			expect(emulator.requests('evolution.sendMedia')[0].body).toMatchObject({ mimetype: 'image/jpeg', fileName: 'blusa.jpg' });
		});

		test('failures map like sendText', async () => {
			expect(failedResult(seen(await gateway.sendImage(NOT_ON_WHATSAPP, image, 'x', opts))).cause?.code).toBe('whatsapp.recipient_not_on_whatsapp');
			expect(failedResult(seen(await gatewayFor({ apiKey: 'evo-wrong-key-000' }).sendImage(CUSTOMER, image, 'x', opts))).cause?.code).toBe('auth.invalid_credentials');
			fault('evolution.sendMedia', { status: 500 });
			expect(failedResult(seen(await gateway.sendImage(CUSTOMER, image, 'x', opts))).cause?.code).toBe('provider.server_error');
			emulator.clearFaults();
			setState('close');
			const closed = failedResult(seen(await gateway.sendImage(CUSTOMER, image, 'x', opts)));
			expect(closed).toMatchObject({ status: 'down', cause: { code: 'whatsapp.disconnected' } });
			expect(closed.checks[0].name).toBe('sendImage');
		});
	});

	describe('secrets', () => {
		test('the key is sent only in the apikey header, never in a URL or body', async () => {
			setState('close');
			await recover();
			await gateway.sendText(CUSTOMER, 'x', opts);
			for (const request of emulator.requests()) {
				expect(`${request.path} ${JSON.stringify(request.query)} ${request.bodyText}`).not.toContain(API_KEY);
			}
		});

		test('a key that the server echoes back is redacted from every message', async () => {
			// An instance named after the key makes the server quote it in its 404 message.
			const leaky = gatewayFor({ instance: `x${API_KEY}` });
			const result = await check(leaky);
			expect(result.cause?.code).toBe('config.unknown_instance');
			expect(result.cause?.message).toContain('[REDACTED]');
			seen(await leaky.getQr(opts));
			seen(await leaky.sendText(CUSTOMER, 'x', opts));
			const state = await check(leaky);
			seen(leaky.recoveryLadder(state, opts).map((r) => r.description));
		});
	});
});
