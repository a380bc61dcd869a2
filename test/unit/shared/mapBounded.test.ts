import { mapBounded } from '../../../nodes/shared/n8n/runPerItem';

describe('mapBounded', () => {
	test('keeps results in input order and never exceeds the limit in flight', async () => {
		let inFlight = 0;
		let peak = 0;
		const results = await mapBounded(20, 4, async (i) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await new Promise((r) => setTimeout(r, (20 - i) % 5));
			inFlight--;
			return i * 2;
		});
		expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
		expect(peak).toBe(4);
	});

	test('handles zero items and a limit above the count', async () => {
		expect(await mapBounded(0, 10, async (i) => i)).toEqual([]);
		expect(await mapBounded(2, 10, async (i) => i)).toEqual([0, 1]);
	});
});
