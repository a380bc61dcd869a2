/** The threshold rule: enter a level at its mark, leave it only past the release mark. */
import { levelOf, levelWithHysteresis, type Marks } from '../../../nodes/shared/hysteresis';
import type { Status } from '../../../nodes/shared/contract';

const LOAD: Marks = { degraded: 2, down: 4, worse: 'higher', release: 0.2 };
const FREE: Marks = { degraded: 15, down: 5, worse: 'lower', release: 0.2 };

/** Feeds values in order, each judged against the level before it. */
function walk(values: number[], marks: Marks): Status[] {
	let previous: Status | undefined;
	return values.map((value) => (previous = levelWithHysteresis(value, marks, previous)));
}

describe('hysteresis', () => {
	test('without memory it is the plain marks', () => {
		expect([1.99, 2, 3.99, 4].map((v) => levelOf(v, LOAD))).toEqual(['healthy', 'degraded', 'degraded', 'down']);
		expect([15, 14.9, 5, 4.9].map((v) => levelOf(v, FREE))).toEqual(['healthy', 'degraded', 'degraded', 'down']);
	});

	test('a load hovering around the mark opens once and does not flap', () => {
		expect(walk([1.9, 2.1, 1.9, 2.05, 1.7, 1.61], LOAD)).toEqual(['healthy', 'degraded', 'degraded', 'degraded', 'degraded', 'degraded']);
	});

	test('it resolves below the release mark (80 % of the mark for higher-is-worse)', () => {
		expect(walk([2.5, 1.6, 1.59], LOAD)).toEqual(['degraded', 'degraded', 'healthy']);
	});

	test('down steps back to degraded below 80 % of the down mark, and a worse level is entered at once', () => {
		expect(walk([4.2, 3.5, 3.19, 5], LOAD)).toEqual(['down', 'down', 'degraded', 'down']);
		expect(walk([1, 9], LOAD)).toEqual(['healthy', 'down']);
	});

	test('lower-is-worse (free disk %) leaves a level only at 120 % of its mark or above', () => {
		expect(walk([14, 16, 17.9, 18], FREE)).toEqual(['degraded', 'degraded', 'degraded', 'healthy']);
		expect(walk([4, 5.5, 6.1], FREE)).toEqual(['down', 'down', 'degraded']);
	});
});
