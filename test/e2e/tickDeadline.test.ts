/**
 * A Monitor tick with a hung gateway ends within the bound its Settings state
 * (tickDeadlineSeconds) + 1 s, in real n8n (issue 22). Before, the WhatsApp check and its
 * confirmation re-check each waited their full timeout, then the recovery's ladder waited
 * one timeout per call, and the alert to the admin's WhatsApp one more.
 */
import type { NodeRun, RunOutput } from '../../dev/n8n/testN8n';
import { startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';

/** Room for the checks (the hung one cut to what is left), the confirmation re-check, the recovery and the alert. */
const TICK_DEADLINE_SECONDS = 24;
/** Starting Postgres, SMTP, the emulators and n8n takes minutes on a busy machine. */
const STACK_START_MS = 600_000;

/** The tick's wall time as n8n ran it: the first node's start to the last node's end (no CLI start-up). */
function tickElapsedMs(run: RunOutput): number {
	const runs = Object.values(run.data.resultData.runData).flat() as NodeRun[];
	const starts = runs.map((entry) => entry.startTime ?? Infinity);
	const ends = runs.map((entry) => (entry.startTime ?? 0) + (entry.executionTime ?? 0));
	return Math.max(...ends) - Math.min(...starts);
}

describe('Monitor tick bound in real n8n', () => {
	let stack: MonitorStack;

	beforeAll(async () => {
		stack = await startMonitorStack({ monitorSettings: { tickDeadlineSeconds: TICK_DEADLINE_SECONDS } });
	}, STACK_START_MS);

	afterAll(async () => {
		await stack?.close();
	});

	test('Evolution hangs on every route: the tick ends within tickDeadlineSeconds + 1 s, WhatsApp reported down (net.timeout)', async () => {
		stack.evolution.setFault('*', { hang: true });
		const run = await stack.tick();
		const elapsedMs = tickElapsedMs(run);
		// Kept in the test log: the measured figure behind the bound.
		console.log(`tick with a hung gateway: ${elapsedMs} ms (bound ${TICK_DEADLINE_SECONDS} s + 1 s)`);
		expect(run.data.resultData.error).toBeUndefined();
		expect(elapsedMs).toBeLessThanOrEqual(TICK_DEADLINE_SECONDS * 1000 + 1000);
		const whatsapp = run.data.resultData.runData['Check WhatsApp']?.[0]?.data?.main?.[0]?.[0]?.json as { status?: string; cause?: { code?: string } } | undefined;
		expect(whatsapp).toMatchObject({ status: 'down', cause: { code: 'net.timeout' } });
		// The recovery this tick ran was cut to what was left of it (its own default is 60 s). A recovery
		// that did not fix its target ends Recover in error on purpose; Collect reads its result back.
		const recovered = run.data.resultData.runData['Collect Recovery Results']?.[0]?.data?.main?.[0]?.[0]?.json as { recovery?: { deadlineMs?: number } } | undefined;
		expect(recovered?.recovery?.deadlineMs).toBeLessThan(TICK_DEADLINE_SECONDS * 1000);
	});
});
