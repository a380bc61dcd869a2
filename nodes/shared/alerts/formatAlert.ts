/**
 * The text of an alert for every channel, built from a tracked item (decision,
 * incident, group) and the result it is about (cause, diagnosis, recovery). Each alert
 * says: component, target, status, cause, diagnosis summary and who made it, the action
 * and its result, the incident's age or duration, and the execution link. Every string
 * goes through the shared `redact` (with the secrets the caller knows) before it is
 * escaped for Slack or HTML.
 */
import type { CheckResult, Status } from '../contract';
import type { AlertKind, TrackedItem } from '../incident/types';
import { formatDuration } from './duration';
import { LANGUAGES, PHRASES, type Language, type Phrases } from './phrases';
import { readDiagnosis, readRecovery } from './readResult';
import { redactModel, renderAlert, type AlertField, type AlertModel, type FormattedAlert } from './render';

export type { FormattedAlert } from './render';

/** The result an alert is about; `diagnosis` and `recovery` are read defensively. */
export type AlertResult = CheckResult & { diagnosis?: unknown; recovery?: unknown };
export type AlertInput = TrackedItem & { result: AlertResult };

interface FormatAlertOptions {
	/** Default: 'es' (the shipped workflows are in Spanish). */
	language?: Language;
	executionUrl?: string;
	now: number;
	/** Secret values to mask wherever they appear (credential fields). */
	secrets?: string[];
}

export class AlertFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AlertFormatError';
	}
}

type Failing = Exclude<Status, 'healthy'>;

function checkInput(item: AlertInput, options: FormatAlertOptions): { kind: AlertKind; language: Language } {
	if (!item || typeof item !== 'object') throw new AlertFormatError('item must be a tracked item');
	if (!item.alertKind) throw new AlertFormatError(`item.alertKind is missing: decision "${item.decision}" is not an alert`);
	if (!item.result || typeof item.result !== 'object') throw new AlertFormatError('item.result must be the check result the alert is about');
	const language = options.language ?? 'es';
	if (!(LANGUAGES as readonly string[]).includes(language)) throw new AlertFormatError(`language must be one of ${LANGUAGES.join('|')}, got ${JSON.stringify(language)}`);
	if (typeof options.now !== 'number' || !Number.isFinite(options.now)) throw new AlertFormatError(`now must be a time in epoch milliseconds, got ${JSON.stringify(options.now)}`);
	return { kind: item.alertKind, language };
}

function actionField(item: AlertInput, p: Phrases): string {
	const recovery = readRecovery(item.result.recovery);
	if (recovery) {
		const outcome = recovery.dryRun
			? p.actionOutcome.dryRun
			: !recovery.attempted
				? p.actionOutcome.notAttempted
				: recovery.success
					? p.actionOutcome.succeeded
					: p.actionOutcome.failed;
		const extra = [p.steps(recovery.steps), ...(recovery.changed !== undefined ? [p.changed(recovery.changed)] : [])];
		return `${recovery.action}: ${outcome} (${extra.join(', ')})`;
	}
	const incident = item.incident;
	if (incident?.lastAction) return `${incident.lastAction}: ${incident.lastActionOk ? p.actionOutcome.succeeded : p.actionOutcome.failed}`;
	return p.actionOutcome.none;
}

function diagnosisField(item: AlertInput, p: Phrases): string | undefined {
	const diagnosis = readDiagnosis(item.result.diagnosis);
	if (!diagnosis) return undefined;
	const who =
		diagnosis.source === 'cache'
			? p.diagnosisFromCache(diagnosis.cachedFrom ? p.source[diagnosis.cachedFrom] : undefined)
			: diagnosis.source
				? p.diagnosisBy(p.source[diagnosis.source], diagnosis.model)
				: undefined;
	const recommended = diagnosis.recommendedActions.length > 0 ? ` (${p.recommended}: ${diagnosis.recommendedActions.join(', ')})` : '';
	return `${who ? `${who}: ` : ''}${diagnosis.summary}${recommended}`;
}

function buildModel(item: AlertInput, kind: AlertKind, p: Phrases, options: FormatAlertOptions): AlertModel {
	const { result, incident } = item;
	const label = p.component[item.component];
	const cause = result.cause ?? incident?.cause;
	const failing: Failing = result.status !== 'healthy' ? result.status : (incident?.worstStatus ?? 'down');
	const problem = (cause && p.problem(cause.code, label)) ?? p.fallbackProblem(label, failing);
	const age = formatDuration(incident ? options.now - incident.openedAt : 0);
	const duration = formatDuration(item.durationMs ?? (incident ? options.now - incident.openedAt : 0));
	const grouped = item.group !== undefined && item.group.size > 1;
	const subject = grouped ? p.groupSubject(item.group?.size ?? 0) : `${label} (${item.target})`;

	const title = p.title[kind](subject, p.isStatus(kind === 'resolved' ? result.status : failing, grouped), kind === 'resolved' ? duration : age);
	const how = item.fixedBy ? `${p.actionDone[item.fixedBy]} (${item.fixedBy})` : p.healedByItself;
	const headline = kind === 'resolved' ? p.resolvedHeadline(problem, item.target, how, duration) : p.openHeadline(problem, item.target, age);
	const note = kind === 'escalated' ? p.escalationWhy[incident?.escalationReason ?? 'needs_human'](incident?.attempts ?? 0) : undefined;

	const fields: AlertField[] = [
		{ label: p.labels.component, value: label },
		{ label: p.labels.target, value: item.target },
		{ label: p.labels.status, value: p.status[result.status] },
	];
	if (cause) fields.push({ label: result.cause ? p.labels.cause : p.labels.lastCause, value: `${cause.message} (${cause.code})` });
	const diagnosis = diagnosisField(item, p);
	if (diagnosis) fields.push({ label: p.labels.diagnosis, value: diagnosis });
	fields.push({ label: p.labels.action, value: actionField(item, p) });
	const artifacts = readRecovery(result.recovery)?.artifacts ?? [];
	if (artifacts.length > 0) fields.push({ label: p.labels.attached, value: artifacts.join(', ') });
	if (incident) {
		const facts = kind === 'resolved' ? p.incidentResolved(duration, incident.attempts) : p.incidentOpen(age, incident.attempts, item.budget.used, item.budget.max);
		fields.push({ label: p.labels.incident, value: `${incident.id}: ${facts}` });
	}
	if (grouped && item.group) fields.push({ label: p.labels.group, value: p.groupLine(item.group.size, item.group.members.join(', ')) });

	const url = options.executionUrl?.trim();
	let link: AlertModel['link'];
	// Only web links become links: anything else (e.g. "javascript:") is shown as text.
	if (url && /^https?:\/\//i.test(url)) link = { label: p.labels.execution, text: p.openExecution, url };
	else if (url) fields.push({ label: p.labels.execution, value: url });
	return { title, headline, ...(note ? { note } : {}), fields, ...(link ? { link } : {}) };
}

export function formatAlert(item: AlertInput, options: FormatAlertOptions): FormattedAlert {
	const { kind, language } = checkInput(item, options);
	return renderAlert(redactModel(buildModel(item, kind, PHRASES[language], options), options.secrets ?? []));
}
