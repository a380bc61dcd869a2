import {
	DEFAULT_SILENCE_MS,
	emptyInboundRateModel,
	inboundRateCheckEntry,
	judgeSilence,
	observeInbound,
	readInboundRateModel,
	resolveSilenceThreshold,
	type InboundRateModel,
} from '../../../../nodes/WhatsAppProbe/conversation/inboundRate';
import { OptionError } from '../../../../nodes/shared/optionError';

const HOUR = 3_600_000;
const TICK = 5 * 60_000;
// Monday 2026-10-05 00:00 UTC.
const MONDAY = Date.UTC(2026, 9, 5);

/** A bot busy 9:00–21:00 UTC (12 messages an hour, one every 5 min) and silent at night, observed by 5-minute ticks. */
function busyBot(days: number, start = MONDAY): { model: InboundRateModel; end: number } {
	let model = emptyInboundRateModel();
	for (let t = start; t < start + days * 24 * HOUR; t += TICK) {
		const hour = new Date(t).getUTCHours();
		const messages = hour >= 9 && hour < 21 ? [t + 1000] : [];
		model = observeInbound(model, t, t + TICK, messages);
	}
	return { model, end: start + days * 24 * HOUR };
}

describe('learning the usual inbound rate', () => {
	test('learns per hour of the week and of the day from fully observed hours', () => {
		const { model } = busyBot(2);
		expect(model.week[10]).toEqual([12, 1]); // Monday 10:00
		expect(model.week[24 + 10]).toEqual([12, 1]); // Tuesday 10:00
		expect(model.day[10]).toEqual([12, 2]);
		expect(model.day[3]).toEqual([0, 2]);
	});

	test('a partly observed hour teaches nothing (a Monitor down for a while does not learn silence)', () => {
		let model = observeInbound(emptyInboundRateModel(), MONDAY + 10 * HOUR + 30 * 60_000, MONDAY + 11 * HOUR, []);
		model = observeInbound(model, MONDAY + 11 * HOUR, MONDAY + 11 * HOUR + TICK, []);
		expect(model.day[10]).toEqual([0, 0]);
	});

	test('small and versioned: survives JSON, and a corrupt or older record starts over', () => {
		const { model } = busyBot(3);
		expect(readInboundRateModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
		expect(JSON.stringify(model).length).toBeLessThan(4000);
		for (const bad of [undefined, 'x', { v: 0 }, { ...model, week: [[1, 1]] }, { ...model, v: 2 }]) expect(readInboundRateModel(bad)).toEqual(emptyInboundRateModel());
	});
});

describe('judging a silence', () => {
	test('no judgement in the first days: learning, never an outage', () => {
		const { model, end } = busyBot(2);
		const silent = observeInbound(model, end, end + 10 * HOUR, []); // Wednesday 00:00–10:00, nothing
		const verdict = judgeSilence(silent, end + 10 * HOUR + 30 * 60_000, DEFAULT_SILENCE_MS);
		expect(verdict.kind).toBe('learning');
		expect(inboundRateCheckEntry(verdict).entry.status).toBe('healthy');
	});

	test('a busy hour with nothing received is an outage, degraded with its own cause', () => {
		const { model, end } = busyBot(7);
		// Next Monday: messages until 10:00, then none.
		let m = observeInbound(model, end, end + 10 * HOUR, Array.from({ length: 10 }, (_, i) => end + 9 * HOUR + i * TICK));
		m = observeInbound(m, end + 10 * HOUR, end + 11 * HOUR + 30 * 60_000, []);
		const verdict = judgeSilence(m, end + 11 * HOUR + 30 * 60_000, DEFAULT_SILENCE_MS);
		expect(verdict.kind).toBe('outage');
		const { entry, cause } = inboundRateCheckEntry(verdict);
		expect(entry).toMatchObject({ name: 'inboundRate', status: 'degraded', code: 'whatsapp.inbound_silent' });
		expect(cause).toMatchObject({ code: 'whatsapp.inbound_silent', retryable: false, needsHuman: false });
	});

	test('the same silence at night is quiet hours: healthy', () => {
		const { model, end } = busyBot(7);
		let m = observeInbound(model, end - 4 * HOUR, end, []);
		m = observeInbound(m, end, end + 5 * HOUR, []);
		const verdict = judgeSilence(m, end + 5 * HOUR, DEFAULT_SILENCE_MS);
		expect(verdict.kind).toBe('quiet');
		expect(inboundRateCheckEntry(verdict).entry).toMatchObject({ status: 'healthy' });
	});

	test('a recent message means receiving', () => {
		const { model, end } = busyBot(7);
		expect(judgeSilence(model, end, DEFAULT_SILENCE_MS).kind).not.toBe('outage');
		const m = observeInbound(model, end, end + TICK, [end + 1000]);
		expect(judgeSilence(m, end + TICK, DEFAULT_SILENCE_MS)).toMatchObject({ kind: 'receiving' });
	});

	test('the threshold parameter is checked', () => {
		expect(resolveSilenceThreshold()).toBe(DEFAULT_SILENCE_MS);
		expect(() => resolveSilenceThreshold(1000)).toThrow(OptionError);
		expect(() => resolveSilenceThreshold('x')).toThrow(expect.objectContaining({ parameter: 'Silence Threshold' }));
	});
});
