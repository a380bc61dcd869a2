/**
 * The daily report: yesterday's local day in the configured timezone (23 h and 25 h on
 * DST days) and its recovery numbers as an alert in the shape the Alert sub-workflow
 * sends (text, Slack, email), in Spanish or English.
 */
import type { FormattedAlert } from '../../../nodes/shared/alerts/formatAlert';
import { recoveryStats, type RecoveryStats } from '../../../nodes/RecoveryReport/history/stats';
import { formatDailyReport, reportWindow, type DailyReportOptions } from '../../../nodes/RecoveryReport/status/dailyReport';
import { StatusParameterError } from '../../../nodes/RecoveryReport/status/errors';
import { startOfLocalDay } from '../../../nodes/RecoveryReport/status/zonedTime';
import { logEntry } from '../../integration/statusPage/statusFixture';

const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const isoWindow = (window: { day: string; from: number; to: number }) => ({
	day: window.day,
	from: new Date(window.from).toISOString(),
	to: new Date(window.to).toISOString(),
	hours: (window.to - window.from) / HOUR,
});

function thrown(run: () => unknown): StatusParameterError {
	try {
		run();
	} catch (error) {
		if (error instanceof StatusParameterError) return error;
		throw error;
	}
	throw new Error('expected a StatusParameterError');
}

describe('reportWindow', () => {
	it('is yesterday from local midnight to local midnight (Madrid, winter, UTC+1)', () => {
		expect(isoWindow(reportWindow(at('2026-02-20T07:00:00Z'), 'Europe/Madrid'))).toEqual({
			day: '2026-02-19',
			from: '2026-02-18T23:00:00.000Z',
			to: '2026-02-19T23:00:00.000Z',
			hours: 24,
		});
	});

	it('is 23 h on the day clocks go forward (Madrid, 2026-03-29)', () => {
		expect(isoWindow(reportWindow(at('2026-03-30T06:00:00Z'), 'Europe/Madrid'))).toEqual({
			day: '2026-03-29',
			from: '2026-03-28T23:00:00.000Z',
			to: '2026-03-29T22:00:00.000Z',
			hours: 23,
		});
	});

	it('is 25 h on the day clocks go back (Madrid, 2026-10-25)', () => {
		expect(isoWindow(reportWindow(at('2026-10-26T07:00:00Z'), 'Europe/Madrid'))).toEqual({
			day: '2026-10-25',
			from: '2026-10-24T22:00:00.000Z',
			to: '2026-10-25T23:00:00.000Z',
			hours: 25,
		});
	});

	it('turns over exactly at local midnight', () => {
		expect(reportWindow(at('2026-03-29T22:00:00.000Z'), 'Europe/Madrid').day).toBe('2026-03-29');
		expect(isoWindow(reportWindow(at('2026-03-29T21:59:59.999Z'), 'Europe/Madrid'))).toEqual({
			day: '2026-03-28',
			from: '2026-03-27T23:00:00.000Z',
			to: '2026-03-28T23:00:00.000Z',
			hours: 24,
		});
	});

	it('handles a day whose midnight does not exist (Santiago skips 00:00→01:00 on 2026-09-06)', () => {
		expect(new Date(startOfLocalDay('2026-09-06', 'America/Santiago')).toISOString()).toBe('2026-09-06T04:00:00.000Z');
		expect(isoWindow(reportWindow(at('2026-09-07T12:00:00Z'), 'America/Santiago'))).toEqual({
			day: '2026-09-06',
			from: '2026-09-06T04:00:00.000Z',
			to: '2026-09-07T03:00:00.000Z',
			hours: 23,
		});
	});

	it('handles zones without DST and with half-hour offsets, and UTC', () => {
		expect(isoWindow(reportWindow(at('2026-02-20T12:00:00Z'), 'America/Mexico_City'))).toEqual({
			day: '2026-02-19',
			from: '2026-02-19T06:00:00.000Z',
			to: '2026-02-20T06:00:00.000Z',
			hours: 24,
		});
		expect(isoWindow(reportWindow(at('2026-02-20T12:00:00Z'), 'Asia/Kolkata'))).toMatchObject({ day: '2026-02-19', from: '2026-02-18T18:30:00.000Z' });
		// Across a year boundary.
		expect(isoWindow(reportWindow(at('2026-01-01T05:00:00Z'), 'UTC'))).toEqual({ day: '2025-12-31', from: '2025-12-31T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', hours: 24 });
	});

	it('throws a StatusParameterError naming timezone (or now) on bad input', () => {
		for (const timezone of ['Mars/Olympus', '', '   ', 'Europe/Madrid; DROP TABLE', undefined as unknown as string]) {
			const error = thrown(() => reportWindow(at('2026-02-20T12:00:00Z'), timezone));
			expect(error.parameter).toBe('timezone');
			expect(error.message).toMatch(/timezone must be an IANA name/);
		}
		expect(thrown(() => reportWindow(Number.NaN, 'UTC')).parameter).toBe('now');
	});
});

/** A day with known numbers (see the exact texts below). */
const STATS: RecoveryStats = {
	from: '2026-02-18T23:00:00.000Z',
	to: '2026-02-19T23:00:00.000Z',
	days: 1,
	total: 8,
	succeeded: 5,
	successRate: 0.625,
	excludedDryRuns: 2,
	byComponent: {
		whatsapp: { total: 3, succeeded: 2, successRate: 0.6667, meanDetectMs: 90_000, meanRecoverMs: 150_000 },
		database: { total: 4, succeeded: 2, successRate: 0.5, meanDetectMs: 200_000, meanRecoverMs: 250_000 },
		unknown: { total: 1, succeeded: 1, successRate: 1, meanDetectMs: null, meanRecoverMs: null },
	},
	meanTimeToDetectMs: 150_000,
	meanTimeToRecoverMs: 200_500,
	mostCommonError: {
		text: 'Database did not answer within 10000 ms (pool postgres://app:test-db-password-not-real@db/shop).',
		normalised: 'database did not answer within <n> ms',
		count: 3,
	},
	mostProblematicComponent: { component: 'database', failures: 2, total: 4 },
	automaticShare: 0.75,
	escalatedShare: 0.125,
};

const QUIET: RecoveryStats = {
	...STATS,
	total: 0,
	succeeded: 0,
	successRate: null,
	excludedDryRuns: 0,
	byComponent: {},
	meanTimeToDetectMs: null,
	meanTimeToRecoverMs: null,
	mostCommonError: null,
	mostProblematicComponent: null,
	automaticShare: null,
	escalatedShare: null,
};

const MADRID: DailyReportOptions = { language: 'es', timezone: 'Europe/Madrid', day: '2026-02-19' };

function expectNoSecret(report: FormattedAlert): void {
	const text = JSON.stringify(report);
	expect(text).not.toContain('test-db-password-not-real');
	expect(text).not.toContain('test-secret-not-real-123');
}

describe('formatDailyReport', () => {
	it('writes the day in Spanish by default wording, for every channel', () => {
		const report = formatDailyReport(STATS, MADRID);
		expect(report.title).toBe('Informe diario del 2026-02-19 (Europe/Madrid)');
		expect(report.emailSubject).toBe(report.title);
		expect(report.text).toBe(
			[
				'Informe diario del 2026-02-19 (Europe/Madrid)',
				'8 recuperaciones, 5 funcionaron (62,5 %).',
				'',
				'Tasa de éxito: 62,5 % (5 de 8)',
				'Por componente: WhatsApp 2/3 (66,67 %); Base de datos 2/4 (50 %); Componente desconocido 1/1 (100 %)',
				'Tiempo medio de detección: 2 min 30 s',
				'Tiempo medio de recuperación: 3 min 21 s',
				'Error más frecuente: Database did not answer within 10000 ms (pool postgres://app:[REDACTED]@db/shop). (3 veces)',
				'Componente más problemático: Base de datos: 2 de 4 fallaron',
				'Automáticas / escaladas: 75 % automáticas, 12,5 % escaladas a una persona',
				'Simulaciones: 2 (no se cuentan arriba)',
			].join('\n'),
		);
		expect(report.slackText.split('\n').slice(0, 4)).toEqual([
			'*Informe diario del 2026-02-19 (Europe/Madrid)*',
			'8 recuperaciones, 5 funcionaron (62,5 %).',
			'',
			'*Tasa de éxito:* 62,5 % (5 de 8)',
		]);
		expect(report.emailHtml).toMatch(/<h1 style="[^"]*">Informe diario del 2026-02-19 \(Europe\/Madrid\)<\/h1>\n<p style="[^"]*">8 recuperaciones, 5 funcionaron \(62,5 %\).<\/p>/);
		expect(report.emailHtml).toContain('<strong>Componente más problemático:</strong> Base de datos: 2 de 4 fallaron</p>');
		expectNoSecret(report);
	});

	it('writes the day in English', () => {
		const report = formatDailyReport(STATS, { ...MADRID, language: 'en' });
		expect(report.text).toBe(
			[
				'Daily report for 2026-02-19 (Europe/Madrid)',
				'8 recoveries, 5 succeeded (62.5 %).',
				'',
				'Success rate: 62.5 % (5 of 8)',
				'By component: WhatsApp 2/3 (66.67 %); Database 2/4 (50 %); Unknown component 1/1 (100 %)',
				'Mean time to detect: 2 min 30 s',
				'Mean time to recover: 3 min 21 s',
				'Most common error: Database did not answer within 10000 ms (pool postgres://app:[REDACTED]@db/shop). (3 times)',
				'Most problematic component: Database: 2 of 4 failed',
				'Automatic / escalated: 75 % automatic, 12.5 % escalated to a person',
				'Dry runs: 2 (not counted above)',
			].join('\n'),
		);
		expectNoSecret(report);
	});

	it('reads well on a quiet day', () => {
		expect(formatDailyReport(QUIET, MADRID).text).toBe(
			['Informe diario del 2026-02-19 (Europe/Madrid)', 'Un día tranquilo: no hizo falta ninguna recuperación.', '', 'Recuperaciones: 0'].join('\n'),
		);
		expect(formatDailyReport({ ...QUIET, excludedDryRuns: 1 }, { ...MADRID, language: 'en' }).text).toBe(
			['Daily report for 2026-02-19 (Europe/Madrid)', 'A quiet day: no recoveries were needed.', '', 'Recoveries: 0', 'Dry runs: 1 (not counted above)'].join('\n'),
		);
	});

	it('says "no data" for unknown means and "none" when nothing failed; singular wording for one', () => {
		const one: RecoveryStats = {
			...QUIET,
			total: 1,
			succeeded: 1,
			successRate: 1,
			byComponent: { llm: { total: 1, succeeded: 1, successRate: 1, meanDetectMs: null, meanRecoverMs: null } },
			mostCommonError: { text: 'Groq rate limited (429).', normalised: 'groq rate limited (<n>).', count: 1 },
			automaticShare: 1,
			escalatedShare: 0,
		};
		const en = formatDailyReport(one, { ...MADRID, language: 'en' }).text.split('\n');
		expect(en[1]).toBe('1 recovery, 1 succeeded (100 %).');
		expect(en).toContain('Mean time to detect: no data');
		expect(en).toContain('Most common error: Groq rate limited (429). (1 time)');
		expect(en).toContain('Most problematic component: none');
		expect(en).toContain('Automatic / escalated: 100 % automatic, 0 % escalated to a person');
		const es = formatDailyReport(one, MADRID).text.split('\n');
		expect(es[1]).toBe('1 recuperación, 1 funcionó (100 %).');
		expect(es).toContain('Tiempo medio de recuperación: sin datos');
		expect(es).toContain('Error más frecuente: Groq rate limited (429). (1 vez)');
	});

	it('never quotes a raw provider body or a known secret in the most common error', () => {
		const raw = { ...STATS, mostCommonError: { text: '{"error":"invalid api key test-secret-not-real-123"}', normalised: 'x', count: 2 } };
		const report = formatDailyReport(raw, { ...MADRID, language: 'en', secrets: ['test-secret-not-real-123'] });
		expect(report.text).toContain('Most common error: a raw provider reply (not quoted) (2 times)');
		expectNoSecret(report);
		const known = { ...STATS, mostCommonError: { text: 'Login failed for test-secret-not-real-123.', normalised: 'x', count: 2 } };
		expectNoSecret(formatDailyReport(known, { ...MADRID, secrets: ['test-secret-not-real-123'] }));
	});

	it('escapes markup for Slack and email', () => {
		const markup = { ...STATS, mostCommonError: { text: 'Bad <b>gateway</b> & co', normalised: 'x', count: 1 } };
		const report = formatDailyReport(markup, { ...MADRID, language: 'en' });
		// The tag starts a raw body and is cut; what is left is escaped.
		expect(report.text).toContain('Most common error: Bad (1 time)');
		const amp = formatDailyReport({ ...STATS, mostCommonError: { text: 'Tom & Jerry > 3', normalised: 'x', count: 1 } }, MADRID);
		expect(amp.slackText).toContain('Tom &amp; Jerry &gt; 3');
		expect(amp.emailHtml).toContain('Tom &amp; Jerry &gt; 3');
	});

	it('reports what recoveryStats computes over the local day window', () => {
		const window = reportWindow(at('2026-10-26T07:00:00Z'), 'Europe/Madrid'); // the 25 h day
		const entries = [
			logEntry({ timestamp: new Date(window.from - 1).toISOString(), executionId: 'before' }),
			logEntry({ timestamp: new Date(window.from).toISOString(), success: true, executionId: 'first' }),
			logEntry({ timestamp: new Date(window.from + 24.5 * HOUR).toISOString(), component: 'database', success: false, recoverMs: null, error: 'Database did not answer.', executionId: 'in the extra hour' }),
			logEntry({ timestamp: new Date(window.to).toISOString(), executionId: 'next day' }),
		];
		const ofTheDay = entries.filter((e) => Date.parse(e.timestamp) >= window.from && Date.parse(e.timestamp) < window.to);
		// Entries are already cut to the day; 2 days of look-back covers a 25 h day.
		const stats = recoveryStats(ofTheDay, { now: window.to, days: 2 });
		const text = formatDailyReport(stats, { language: 'en', timezone: 'Europe/Madrid', day: window.day }).text;
		expect(text).toContain('Daily report for 2026-10-25 (Europe/Madrid)');
		expect(text).toContain('2 recoveries, 1 succeeded (50 %).');
		expect(text).toContain('By component: WhatsApp 1/1 (100 %); Database 0/1 (0 %)');
		expect(text).toContain('Most problematic component: Database: 1 of 1 failed');
	});

	it('throws a StatusParameterError naming the bad option', () => {
		expect(thrown(() => formatDailyReport(null as unknown as RecoveryStats, MADRID)).parameter).toBe('stats');
		expect(thrown(() => formatDailyReport(STATS, { ...MADRID, language: 'pt' as 'es' })).parameter).toBe('language');
		expect(thrown(() => formatDailyReport(STATS, { ...MADRID, timezone: 'Nowhere/Land' })).parameter).toBe('timezone');
		for (const day of ['2026-02-30', '19/02/2026', '', '2026-2-19']) expect(thrown(() => formatDailyReport(STATS, { ...MADRID, day })).parameter).toBe('day');
	});
});
