/** The Conversation Check's interval: which runs send a canary message. */
import { conversationDue, DUE_SHARE, intervalMs } from '../../../../nodes/WhatsAppProbe/conversation/interval';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);

describe('conversationDue', () => {
	test('0 minutes (the default): every run is due', () => {
		expect(intervalMs(0)).toBe(0);
		expect(conversationDue(NOW - 1000, NOW, intervalMs(0))).toBe(true);
	});

	test('every 15 minutes with 5-minute ticks: one run in three', () => {
		const every = intervalMs(15);
		let last: unknown;
		const due = [0, 5, 10, 15, 20, 25, 30].map((minute) => {
			const now = NOW + minute * MIN;
			const ok = conversationDue(last, now, every);
			if (ok) last = now;
			return ok;
		});
		expect(due).toEqual([true, false, false, true, false, false, true]);
	});

	test('a tick a few seconds early still counts; nothing remembered, a time in the future or garbage: due', () => {
		const every = intervalMs(10);
		expect(conversationDue(NOW - every * DUE_SHARE, NOW, every)).toBe(true);
		expect(conversationDue(NOW - every * DUE_SHARE + 1, NOW, every)).toBe(false);
		expect(conversationDue(undefined, NOW, every)).toBe(true);
		expect(conversationDue(NOW + MIN, NOW, every)).toBe(true);
		expect(conversationDue('yesterday', NOW, every)).toBe(true);
	});
});
