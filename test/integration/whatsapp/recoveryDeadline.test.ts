/**
 * A hung gateway cannot make a recovery outlast its deadline (issue 22): for Evolution,
 * WAHA and the Cloud API, a ladder whose gateway hangs (the emulators' hang switch)
 * returns within the deadline + 1 s, says the deadline stopped it and where, and is still
 * a valid recovery result. Before, each call of the ladder waited its own timeout (about
 * 50 s at the default 10 s).
 */
import type { RecoveryResult } from '../../../nodes/shared/contract';
import { runRecovery } from '../../../nodes/shared/recovery/runRecovery';
import { validateRecoveryResult } from '../../../nodes/shared/validate';
import { createCloudApiGateway } from '../../../nodes/WhatsAppProbe/providers/cloudApi';
import { createEvolutionGateway } from '../../../nodes/WhatsAppProbe/providers/evolution';
import type { QrCode, WhatsAppGateway } from '../../../nodes/WhatsAppProbe/providers/types';
import { createWahaGateway } from '../../../nodes/WhatsAppProbe/providers/waha';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { cloudApiDefaults, createCloudApiEmulator } from '../../../dev/emulators/whatsapp/cloudApi';
import { createEvolutionEmulator } from '../../../dev/emulators/whatsapp/evolution';
import { createWahaEmulator } from '../../../dev/emulators/whatsapp/waha';

const DEADLINE_MS = 3_000;
/** The contract's per-call default: without the deadline, one hung call alone would take this long. */
const CALL_TIMEOUT_MS = 10_000;
/** What the bound allows beyond the deadline (issue 22: +1 s). */
const SLACK_MS = 1_000;

async function timedRecovery(gateway: WhatsAppGateway, timeoutMs = CALL_TIMEOUT_MS): Promise<{ result: RecoveryResult; elapsedMs: number }> {
	const started = Date.now();
	const { result } = await runRecovery<{ qr?: QrCode }>({
		check: (signal) => gateway.check({ timeoutMs, signal }),
		ladder: (state, signal) => gateway.recoveryLadder(state, { timeoutMs, signal }),
		dryRun: false,
		maxSteps: 3,
		deadlineMs: DEADLINE_MS,
	});
	const elapsedMs = Date.now() - started;
	expect(validateRecoveryResult(result)).toEqual([]);
	return { result, elapsedMs };
}

function expectStoppedByDeadline(result: RecoveryResult, elapsedMs: number, during: RegExp): void {
	expect(elapsedMs).toBeLessThanOrEqual(DEADLINE_MS + SLACK_MS);
	expect(result.recovery).toMatchObject({ deadlineMs: DEADLINE_MS, deadlineHit: true, success: false });
	expect(result.status).not.toBe('healthy');
	const last = result.recovery.steps.at(-1);
	expect(last).toMatchObject({ action: 'deadline', ok: false });
	expect(last?.message).toMatch(/stopped at the recovery deadline \(3 s\) during /);
	expect(last?.message).toMatch(during);
}

describe('a recovery with a hung gateway ends within its deadline + 1 s', () => {
	/** The test's emulator, closed after it. */
	let emulator: Pick<Emulator<object>, 'close'> | undefined;
	afterEach(async () => {
		await emulator?.close();
		emulator = undefined;
	});

	test('Evolution: the restart hangs (10 s per-call timeout) → stopped at 3 s during whatsapp.reconnect', async () => {
		const evolution = await createEvolutionEmulator({ apiKey: 'evo-deadline-key' }).start();
		emulator = evolution;
		evolution.patchState({ instances: { ventas: { state: 'close' } } });
		evolution.setFault('evolution.restart', { hang: true });
		const { result, elapsedMs } = await timedRecovery(createEvolutionGateway({ baseUrl: evolution.url, apiKey: 'evo-deadline-key', instance: 'ventas' }));
		expectStoppedByDeadline(result, elapsedMs, /whatsapp\.reconnect; 1 more action\(s\) not tried/);
		expect(result.recovery.steps.map((step) => step.action)).toEqual(['whatsapp.reconnect', 'deadline']);
		expect(elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
	});

	test('Evolution: every route hangs (2 s per call, the ladder would take 6 s) → stopped at 3 s', async () => {
		const evolution = await createEvolutionEmulator({ apiKey: 'evo-deadline-key' }).start();
		emulator = evolution;
		evolution.setFault('*', { hang: true });
		const { result, elapsedMs } = await timedRecovery(createEvolutionGateway({ baseUrl: evolution.url, apiKey: 'evo-deadline-key', instance: 'ventas' }), 2_000);
		expectStoppedByDeadline(result, elapsedMs, /whatsapp\.reconnect/);
		expect(result.cause?.code).toBe('net.timeout');
	});

	test('WAHA: every route hangs (2 s per call) → stopped at 3 s during the reconnect', async () => {
		const waha = await createWahaEmulator({ apiKey: 'waha-deadline-key' }).start();
		emulator = waha;
		waha.setFault('*', { hang: true });
		const { result, elapsedMs } = await timedRecovery(createWahaGateway({ baseUrl: waha.url, apiKey: 'waha-deadline-key', session: 'default' }), 2_000);
		expectStoppedByDeadline(result, elapsedMs, /whatsapp\.reconnect/);
		expect(result.cause?.code).toBe('net.timeout');
	});

	test('WAHA: a FAILED session whose restart hangs (10 s per call) → stopped at 3 s, the relink not tried', async () => {
		const waha = await createWahaEmulator({ apiKey: 'waha-deadline-key' }).start();
		emulator = waha;
		waha.patchState({ sessions: { default: { status: 'FAILED' } } });
		waha.setFault('waha.restart', { hang: true });
		const { result, elapsedMs } = await timedRecovery(createWahaGateway({ baseUrl: waha.url, apiKey: 'waha-deadline-key', session: 'default' }));
		expectStoppedByDeadline(result, elapsedMs, /whatsapp\.reconnect; 1 more action\(s\) not tried/);
		expect(waha.requests('waha.logout')).toEqual([]);
	});

	test('Cloud API: the register call hangs (10 s per call) → stopped at 3 s during whatsapp.register', async () => {
		const cloud = await createCloudApiEmulator().start();
		emulator = cloud;
		cloud.patchState({ registered: false, phone: { status: 'DISCONNECTED' } });
		cloud.setFault('cloudApi.register', { hang: true });
		const gateway = createCloudApiGateway({
			baseUrl: cloud.url,
			graphVersion: 'v23.0',
			accessToken: cloudApiDefaults.accessToken,
			phoneNumberId: cloudApiDefaults.phone.id,
			wabaId: cloudApiDefaults.waba.id,
			pin: cloudApiDefaults.pin,
		});
		const { result, elapsedMs } = await timedRecovery(gateway);
		expectStoppedByDeadline(result, elapsedMs, /whatsapp\.register/);
		expect(result.recovery.steps[0]).toMatchObject({ action: 'whatsapp.register', ok: false });
	});
});
