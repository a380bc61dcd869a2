import { describeDeadline, runTimeLeftMs, startDeadline } from '../../../nodes/shared/deadline';

describe('startDeadline', () => {
	test('its signal aborts when the time is up, and a race then gives the late value', async () => {
		const deadline = startDeadline(50);
		expect(deadline.passed()).toBe(false);
		const value = await deadline.race(new Promise<string>(() => undefined), () => 'late');
		expect(value).toBe('late');
		expect(deadline.signal.aborted).toBe(true);
		expect(deadline.passed()).toBe(true);
		expect(deadline.remainingMs()).toBe(0);
	});

	test('work that ends in time wins the race, and its error is passed on', async () => {
		const deadline = startDeadline(5_000);
		await expect(deadline.race(Promise.resolve('done'), () => 'late')).resolves.toBe('done');
		await expect(deadline.race(Promise.reject(new Error('boom')), () => 'late')).rejects.toThrow('boom');
		deadline.end();
		expect(deadline.signal.aborted).toBe(false);
	});

	test('a race started after the deadline is late at once', async () => {
		const deadline = startDeadline(0);
		await new Promise((resolve) => setTimeout(resolve, 10));
		await expect(deadline.race(Promise.resolve('done'), () => 'late')).resolves.toBe('late');
	});
});

describe('runTimeLeftMs', () => {
	const started = Date.parse('2026-12-07T10:00:00.000Z');

	test('what is left of the run, never below 0', () => {
		expect(runTimeLeftMs('2026-12-07T10:00:00.000Z', 30, started + 10_000)).toBe(20_000);
		expect(runTimeLeftMs('2026-12-07T10:00:00.000Z', 30, started + 40_000)).toBe(0);
	});

	test('reads the time as n8n writes a date into a string field (JSON-quoted, with an offset), or epoch ms', () => {
		expect(runTimeLeftMs('"2026-12-07T07:00:00.000-03:00"', 30, started)).toBe(30_000);
		expect(runTimeLeftMs(started, 30, started + 1_000)).toBe(29_000);
	});

	test('no bound when either value is unset or unusable', () => {
		for (const [at, seconds] of [['', 30], [undefined, 30], ['not a time', 30], ['2026-12-07T10:00:00.000Z', 0], ['2026-12-07T10:00:00.000Z', undefined], ['2026-12-07T10:00:00.000Z', '30']] as const) {
			expect(runTimeLeftMs(at, seconds, started)).toBeNull();
		}
	});
});

test('describeDeadline names a deadline in seconds', () => {
	expect(describeDeadline(3_000)).toBe('3 s');
	expect(describeDeadline(1_500)).toBe('1.5 s');
});
