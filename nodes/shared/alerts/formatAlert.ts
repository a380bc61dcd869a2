/**
 * The text of an alert for every channel, built from a tracked item (decision,
 * incident, group) and the result it is about (cause, diagnosis, recovery).
 *
 * Owner first: the first line says what happened in plain words and what the owner
 * must do (the cause code's sentence from ownerSentences.ts), or, when resolved, that it
 * works again, after how long and how. Then what was done, why a person is needed, when
 * it started, the links where the owner acts and the status page; then a technical
 * footer (target, cause code, diagnosis, action, incident id, budget, execution).
 *
 * One language: every text is in the configured language. A cause message (the checks
 * write English) is shown in a Spanish alert only when it reads as Spanish, and an LLM
 * summary clearly in the other language (shared/language/detectLanguage) is not shown:
 * the cause code stays in the footer, and the diagnosis is replaced by the rule
 * diagnosis in the configured language, marked as such. Replacing (not translating) keeps
 * the alert path offline and deterministic; the rule text says the same kind of thing.
 *
 * Every string goes through the shared `redact` (with the secrets the caller knows)
 * before it is escaped for Slack or HTML.
 */
import { ruleDiagnosis } from '../../LlmDiagnose/diagnosis/rules';
import type { CheckResult, Status } from '../contract';
import type { AlertKind, TrackedItem } from '../incident/types';
import { detectLanguage, isOtherLanguage } from '../language/detectLanguage';
import { recoveryOutcome } from '../recovery/outcome';
import { credentialNameOf } from '../shippedCredentials';
import { BACKUP_WORKFLOW_ID, MONITOR_WORKFLOW_ID } from '../workflowIds';
import { QR_LIFETIME_MS } from './attachment';
import { formatDuration } from './duration';
import { ownerSentence, type ActPlace } from './ownerSentences';
import { LANGUAGES, PHRASES, type Language, type Phrases } from './phrases';
import { readDiagnosis, readRecovery } from './readResult';
import { redactModel, renderAlert, type AlertField, type AlertLink, type AlertModel, type FormattedAlert } from './render';

export type { FormattedAlert } from './render';

/** The result an alert is about; `diagnosis` and `recovery` are read defensively. */
export type AlertResult = CheckResult & { diagnosis?: unknown; recovery?: unknown };
export type AlertInput = TrackedItem & { result: AlertResult };

interface FormatAlertOptions {
	/** Default: 'es' (the shipped workflows are in Spanish). */
	language?: Language;
	executionUrl?: string;
	/** The n8n editor's URL: links to the credentials, the Monitor and the backups. */
	editorUrl?: string;
	/** The status page (the Monitor's GET /webhook/status). */
	statusPageUrl?: string;
	/** The alert carries the relink QR as an attachment or image. */
	hasQr?: boolean;
	/** When the attached QR was issued (epoch ms): the alert says when it expires. */
	qrIssuedAt?: number;
	/** The signed relink page link (shared/links/relinkLink) and when it expires; added after redaction, as it is. */
	relink?: { url: string; expiresAt: number };
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

/** Only web links become links: anything else (e.g. "javascript:") is never a link. */
function webUrl(url: string | undefined): string | undefined {
	const trimmed = url?.trim();
	return trimmed && /^https?:\/\//i.test(trimmed) ? trimmed : undefined;
}

/** The action's outcome in the owner's words, by the one "did it fix it?" rule (recovery/outcome); never tried reads "not attempted". */
function outcomePhrase(recovery: unknown, attempted: boolean, p: Phrases): string {
	const outcome = recoveryOutcome(recovery);
	if (outcome === 'dry run') return p.actionOutcome.dryRun;
	if (outcome === 'fixed') return p.actionOutcome.succeeded;
	return attempted ? p.actionOutcome.failed : p.actionOutcome.notAttempted;
}

function actionField(item: AlertInput, p: Phrases): string {
	const recovery = readRecovery(item.result.recovery);
	if (recovery) {
		const outcome = outcomePhrase(item.result.recovery, recovery.attempted, p);
		const extra = [p.steps(recovery.steps), ...(recovery.changed !== undefined ? [p.changed(recovery.changed)] : [])];
		return `${recovery.action}: ${outcome} (${extra.join(', ')})`;
	}
	const incident = item.incident;
	if (incident?.lastAction) return `${incident.lastAction}: ${incident.lastActionOk ? p.actionOutcome.succeeded : p.actionOutcome.failed}`;
	return p.actionOutcome.none;
}

/** "Done so far: restarted (did not fix it)", in the owner's words; undefined when nothing was done. */
function doneLine(item: AlertInput, p: Phrases): string | undefined {
	const recovery = readRecovery(item.result.recovery);
	const action = recovery?.action ?? item.incident?.lastAction;
	if (!action) return undefined;
	const outcome = recovery
		? outcomePhrase(item.result.recovery, recovery.attempted, p)
		: item.incident?.lastActionOk === true
			? p.actionOutcome.succeeded
			: p.actionOutcome.failed;
	return `${p.doneSoFar}: ${p.actionDone[action]} (${outcome}).`;
}

/** The diagnosis line; a summary in the other language is replaced by the rule diagnosis in this one. */
function diagnosisField(item: AlertInput, p: Phrases, language: Language): string | undefined {
	const diagnosis = readDiagnosis(item.result.diagnosis);
	if (!diagnosis) return undefined;
	if (isOtherLanguage(diagnosis.summary, language)) {
		const rules = rulesSummary(item, language);
		if (rules) return `${p.diagnosisBy(p.source.rules)}: ${rules} (${p.diagnosisReplaced})`;
		return undefined;
	}
	const who =
		diagnosis.source === 'cache'
			? p.diagnosisFromCache(diagnosis.cachedFrom ? p.source[diagnosis.cachedFrom] : undefined)
			: diagnosis.source
				? p.diagnosisBy(p.source[diagnosis.source], diagnosis.model)
				: undefined;
	const recommended = diagnosis.recommendedActions.length > 0 ? ` (${p.recommended}: ${diagnosis.recommendedActions.join(', ')})` : '';
	return `${who ? `${who}: ` : ''}${diagnosis.summary}${recommended}`;
}

/** The rule diagnosis of the alert's cause (the result's, else the incident's last) in the configured language. */
function rulesSummary(item: AlertInput, language: Language): string | undefined {
	const cause = item.result.cause ?? item.incident?.cause;
	if (!cause) return undefined;
	const status: Failing = item.result.status !== 'healthy' ? item.result.status : (item.incident?.worstStatus ?? 'down');
	return ruleDiagnosis({ ...item.result, status, cause }, language).summary;
}

/** Where the owner acts, as a link (only where n8n is the place, and its URL is known). */
function actLink(act: ActPlace | undefined, editorUrl: string | undefined, p: Phrases): AlertLink | undefined {
	if (!editorUrl || !act) return undefined;
	const base = editorUrl.replace(/\/+$/, '');
	if (act === 'credentials') return { label: p.act.credentials, text: p.act.credentials, url: `${base}/home/credentials` };
	if (act === 'restore') return { label: p.act.restore, text: p.act.restore, url: `${base}/workflow/${BACKUP_WORKFLOW_ID}` };
	if (act === 'settings') return { label: p.act.settings, text: p.act.settings, url: `${base}/workflow/${MONITOR_WORKFLOW_ID}` };
	return undefined;
}

function buildModel(item: AlertInput, kind: AlertKind, language: Language, options: FormatAlertOptions): AlertModel {
	const p = PHRASES[language];
	const { result, incident } = item;
	const label = p.component[item.component];
	const cause = result.cause ?? incident?.cause;
	const firstFailedAt = incident?.openedAt ?? options.now;
	const age = formatDuration(options.now - firstFailedAt);
	const duration = formatDuration(item.durationMs ?? options.now - firstFailedAt);
	// The failure began after the last good check: "at most" is worth saying when it adds a second or more.
	const lastOkAt = incident?.lastOkAt;
	const upTo = lastOkAt !== undefined && firstFailedAt - lastOkAt >= 1_000 ? formatDuration((incident?.resolvedAt ?? options.now) - lastOkAt) : undefined;
	const grouped = item.group !== undefined && item.group.size > 1;
	const service = grouped ? p.groupSubject(item.group?.size ?? 0) : label;
	const owner = ownerSentence(cause?.code ?? '', language, { service, credential: p.credentialPhrase(credentialNameOf(item.target)) });

	const lines: string[] = [];
	let title: string;
	let headline: string;
	if (kind === 'resolved') {
		const how = item.fixedBy ? p.fixedBy(p.actionDone[item.fixedBy]) : p.healedByItself;
		title = p.resolvedLine(`${label} (${item.target})`, duration, upTo, how);
		headline = '';
	} else {
		title = `${p.heading[kind](age)}: ${owner.text}`;
		headline = doneLine(item, p) ?? '';
		lines.push(p.firstFailure(age, lastOkAt !== undefined && upTo ? formatDuration(options.now - lastOkAt) : undefined));
		if (options.hasQr) lines.push(p.qrAttached(options.qrIssuedAt !== undefined ? utcClock(options.qrIssuedAt + QR_LIFETIME_MS) : undefined));
	}
	const note = kind === 'escalated' ? p.escalationWhy[incident?.escalationReason ?? 'needs_human'](incident?.attempts ?? 0) : undefined;

	const links: AlertLink[] = [];
	const act = kind === 'resolved' ? undefined : actLink(owner.act, webUrl(options.editorUrl), p);
	if (act) links.push(act);
	const statusPage = webUrl(options.statusPageUrl);
	if (statusPage) links.push({ label: p.statusPage, text: p.statusPage, url: statusPage });

	const fields: AlertField[] = [
		{ label: p.labels.component, value: label },
		{ label: p.labels.target, value: item.target },
		{ label: p.labels.status, value: p.status[result.status] },
	];
	if (cause) {
		// The checks write their messages in English: a Spanish alert shows one only when it reads as Spanish.
		const shown = language === 'en' ? !isOtherLanguage(cause.message, 'en') : detectLanguage(cause.message) === language;
		const message = shown ? `${cause.message} ` : '';
		fields.push({ label: result.cause ? p.labels.cause : p.labels.lastCause, value: `${message}(${cause.code})` });
	}
	const diagnosis = diagnosisField(item, p, language);
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
	if (webUrl(url)) link = { label: p.labels.execution, text: p.openExecution, url: url as string };
	else if (url) fields.push({ label: p.labels.execution, value: url });
	return { title, headline, ...(note ? { note } : {}), lines, links, footerTitle: p.technical, fields, ...(link ? { link } : {}) };
}

/** HH:MM in UTC. */
function utcClock(epochMs: number): string {
	return new Date(epochMs).toISOString().slice(11, 16);
}

/**
 * The relink page first among the links, with the line saying until when it works. Added
 * after redaction: its token is a signature that the shape rules would mask, and it is ours.
 */
function withRelink(model: AlertModel, kind: AlertKind, language: Language, relink: FormatAlertOptions['relink']): AlertModel {
	const url = webUrl(relink?.url);
	if (kind === 'resolved' || !relink || !url) return model;
	const p = PHRASES[language];
	return {
		...model,
		lines: [...(model.lines ?? []), p.relinkLine(utcClock(relink.expiresAt))],
		links: [{ label: p.relinkPage, text: p.relinkPage, url }, ...(model.links ?? [])],
	};
}

export function formatAlert(item: AlertInput, options: FormatAlertOptions): FormattedAlert {
	const { kind, language } = checkInput(item, options);
	return renderAlert(withRelink(redactModel(buildModel(item, kind, language, options), options.secrets ?? []), kind, language, options.relink));
}
