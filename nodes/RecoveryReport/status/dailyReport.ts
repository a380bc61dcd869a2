/**
 * The daily report: yesterday's recovery numbers (the recovery stats of that local
 * day) as an alert for every channel, in the same shape as formatAlert's output so the
 * shipped Alert sub-workflow sends it unchanged. A day without recoveries says so.
 */
import { formatDuration } from '../../shared/alerts/duration';
import { LANGUAGES, type Language } from '../../shared/alerts/phrases';
import { renderAlert, type AlertField, type AlertModel, type FormattedAlert } from '../../shared/alerts/render';
import type { ComponentKey, ComponentStats, RecoveryStats } from '../history/stats';
import { StatusParameterError } from './errors';
import { formatPercent } from './percent';
import { REPORT_PHRASES, type ReportPhrases } from './reportPhrases';
import { safeCauseMessage } from './safeText';
import { checkTimezone, isCalendarDay } from './zonedTime';

export { reportWindow } from './reportWindow';

export interface DailyReportOptions {
	language: Language;
	/** IANA timezone the day is in (shown in the title). */
	timezone: string;
	/** `YYYY-MM-DD`: the reported day. */
	day: string;
	/** Secret values to mask wherever they appear. */
	secrets?: string[];
}

function checkInput(stats: RecoveryStats, options: DailyReportOptions): void {
	if (!stats || typeof stats !== 'object' || typeof stats.total !== 'number' || !stats.byComponent || typeof stats.byComponent !== 'object') {
		throw new StatusParameterError('stats', 'stats must be what recoveryStats returns');
	}
	if (!options || !(LANGUAGES as readonly string[]).includes(options.language)) {
		throw new StatusParameterError('language', `language must be one of ${LANGUAGES.join('|')}, got ${JSON.stringify(options?.language)}`);
	}
	checkTimezone(options.timezone);
	if (!isCalendarDay(options.day)) throw new StatusParameterError('day', `day must be a calendar date YYYY-MM-DD, got ${JSON.stringify(options.day)}`);
}

function percentOr(ratio: number | null, language: Language, p: ReportPhrases): string {
	return ratio === null ? p.noData : formatPercent(ratio, language);
}

function durationOr(ms: number | null, p: ReportPhrases): string {
	return ms === null ? p.noData : formatDuration(ms);
}

function componentLine(key: ComponentKey, stats: ComponentStats, language: Language, p: ReportPhrases): string {
	return `${p.component[key]} ${stats.succeeded}/${stats.total} (${percentOr(stats.successRate, language, p)})`;
}

function buildModel(stats: RecoveryStats, options: DailyReportOptions, p: ReportPhrases): AlertModel {
	const { language } = options;
	const secrets = options.secrets ?? [];
	const title = p.title(options.day, options.timezone);
	const dryRuns: AlertField[] = stats.excludedDryRuns > 0 ? [{ label: p.labels.dryRuns, value: p.dryRunsNotCounted(stats.excludedDryRuns) }] : [];
	if (stats.total === 0) {
		return { title, headline: p.quietHeadline, fields: [{ label: p.labels.recoveries, value: '0' }, ...dryRuns] };
	}
	const byComponent = (Object.entries(stats.byComponent) as Array<[ComponentKey, ComponentStats | undefined]>)
		.filter((entry): entry is [ComponentKey, ComponentStats] => entry[1] !== undefined)
		.map(([key, value]) => componentLine(key, value, language, p));
	const error = stats.mostCommonError;
	const worst = stats.mostProblematicComponent;
	const fields: AlertField[] = [
		{ label: p.labels.successRate, value: `${percentOr(stats.successRate, language, p)} (${p.ofTotal(stats.succeeded, stats.total)})` },
		{ label: p.labels.byComponent, value: byComponent.join('; ') },
		{ label: p.labels.meanTimeToDetect, value: durationOr(stats.meanTimeToDetectMs, p) },
		{ label: p.labels.meanTimeToRecover, value: durationOr(stats.meanTimeToRecoverMs, p) },
		{ label: p.labels.mostCommonError, value: error ? `${safeCauseMessage(error.text, secrets) || p.rawReply} (${p.times(error.count)})` : p.none },
		{ label: p.labels.mostProblematic, value: worst ? `${p.component[worst.component]}: ${p.failures(worst.failures, worst.total)}` : p.none },
		{ label: p.labels.automaticEscalated, value: p.shares(percentOr(stats.automaticShare, language, p), percentOr(stats.escalatedShare, language, p)) },
		...dryRuns,
	];
	return { title, headline: p.headline(stats.total, stats.succeeded, percentOr(stats.successRate, language, p)), fields };
}

export function formatDailyReport(stats: RecoveryStats, options: DailyReportOptions): FormattedAlert {
	checkInput(stats, options);
	return renderAlert(buildModel(stats, options, REPORT_PHRASES[options.language]));
}
