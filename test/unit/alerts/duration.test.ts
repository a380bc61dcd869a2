import { formatDuration } from '../../../nodes/shared/alerts/duration';

describe('formatDuration', () => {
	test.each([
		[0, '0 s'],
		[-5, '0 s'],
		[Number.NaN, '0 s'],
		[400, '0 s'],
		[600, '1 s'],
		[40_000, '40 s'],
		[59_600, '1 min'],
		[180_000, '3 min'],
		[200_000, '3 min 20 s'],
		[2 * 3_600_000 + 5 * 60_000, '2 h 5 min'],
		[2 * 3_600_000 + 5 * 60_000 + 40_000, '2 h 5 min'],
		[2 * 3_600_000 + 40_000, '2 h'],
		[4 * 3_600_000, '4 h'],
		[86_400_000 + 4 * 3_600_000 + 60_000, '1 d 4 h'],
	])('%p ms → %p', (ms, text) => {
		expect(formatDuration(ms)).toBe(text);
	});
});
