/**
 * The alert of a maintenance run (Maintenance: Backup, Maintenance: Log Archive): which
 * steps did not work and why, read from each step's contract result, rendered like
 * every other alert so the shipped Alert sub-workflow sends it unchanged. A step that
 * needs an earlier one (a Verify needs its backup) is left out when that earlier step
 * did not work: it would only repeat the failure. Every string a person reads goes
 * through the shared `redact`.
 */
import { STATUSES, worstStatus, type Component, type Status } from '../contract';
import { isRecord } from '../json';
import { OptionError } from '../optionError';
import { redact } from '../redact';
import { LANGUAGES, PHRASES, type Language } from './phrases';
import { redactModel, renderAlert, type AlertField, type AlertModel, type FormattedAlert } from './render';

export const MAINTENANCE_TASKS = ['backup', 'logArchive'] as const;
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number];

const COMPONENT_OF: Record<MaintenanceTask, Component> = { backup: 'backup', logArchive: 'logs' };

export interface MaintenanceStep {
	/** What a person calls the step (the node's name). */
	name: string;
	/** The step's output: a contract result, or n8n's `{error}` item when the node could not produce one. */
	result: unknown;
	/** The earlier step this one needs (e.g. the backup a Verify reads); '' or absent: none. */
	needs?: string;
}

export interface MaintenanceFailure {
	step: string;
	status: Exclude<Status, 'healthy'>;
	message: string;
	code?: string;
}

export interface MaintenanceAlertOptions {
	/** Default: 'es' (the shipped workflows are in Spanish). */
	language?: Language;
	/** What was maintained (e.g. the backup folder); '' or absent: the first result's target. */
	target?: string;
	/** This run's execution: linked when `executionUrl` is an http(s) URL, else named by id. */
	executionId?: string;
	executionUrl?: string;
	/** Secret values to mask wherever they appear. */
	secrets?: string[];
}

export interface MaintenanceOutcome {
	component: Component;
	/** The worst status of the steps reported. */
	status: Status;
	failures: MaintenanceFailure[];
	/** Steps not reported because a step they need did not work. */
	leftOut: string[];
	succeeded: string[];
	/** Whether a person should be told (some step did not work). */
	alert: boolean;
	alertMessage?: FormattedAlert;
}

interface MaintenancePhrases {
	task: Record<MaintenanceTask, string>;
	title: (task: string, status: Exclude<Status, 'healthy'>, target: string) => string;
	headline: (failed: number, total: number) => string;
	succeeded: string;
	leftOut: string;
	noResult: string;
}

const MAINTENANCE_PHRASES: Record<Language, MaintenancePhrases> = {
	en: {
		task: { backup: 'Backup', logArchive: 'Log archive' },
		title: (task, status, target) => `${task} ${status}${target ? ` on ${target}` : ''}`,
		headline: (failed, total) => `${failed} of ${total} step(s) did not work.`,
		succeeded: 'Worked',
		leftOut: 'Left out (a step it needs did not work)',
		noResult: 'the step gave no result',
	},
	es: {
		task: { backup: 'Copia de seguridad', logArchive: 'Archivado de logs' },
		title: (task, status, target) => `${task}: ${status === 'down' ? 'falló' : 'con problemas'}${target ? ` en ${target}` : ''}`,
		headline: (failed, total) => `No funcionaron ${failed} de ${total} paso(s).`,
		succeeded: 'Funcionaron',
		leftOut: 'Omitidos (no funcionó un paso que necesitan)',
		noResult: 'el paso no dio resultado',
	},
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** A step's status, message and cause code; anything but a contract result counts as down. */
function readStep(result: unknown, noResult: string): { status: Status; message: string; code?: string } {
	const json = isRecord(result) ? result : {};
	const status = (STATUSES as readonly unknown[]).includes(json.status) ? (json.status as Status) : 'down';
	const cause = isRecord(json.cause) ? json.cause : {};
	const error = isRecord(json.error) ? json.error.message : json.error;
	const code = text(cause.code);
	return { status, message: text(cause.message) ?? text(error) ?? noResult, ...(code ? { code } : {}) };
}

function checkInput(task: MaintenanceTask, steps: MaintenanceStep[], options: MaintenanceAlertOptions): Language {
	if (!(MAINTENANCE_TASKS as readonly string[]).includes(task)) throw new OptionError('task', `task must be one of ${MAINTENANCE_TASKS.join('|')}, got ${JSON.stringify(task)}`);
	const language = options.language ?? 'es';
	if (!(LANGUAGES as readonly string[]).includes(language)) throw new OptionError('language', `language must be one of ${LANGUAGES.join('|')}, got ${JSON.stringify(language)}`);
	if (!Array.isArray(steps) || steps.length === 0) throw new OptionError('steps', 'steps must list at least one step');
	const names = new Set<string>();
	for (const step of steps) {
		if (!text(step?.name)) throw new OptionError('steps', 'every step needs a name');
		if (names.has(step.name)) throw new OptionError('steps', `step "${step.name}" is listed twice`);
		if (step.needs && !names.has(step.needs)) throw new OptionError('steps', `step "${step.name}" needs "${step.needs}", which is not an earlier step`);
		names.add(step.name);
	}
	return language;
}

function buildModel(task: MaintenanceTask, outcome: Omit<MaintenanceOutcome, 'alertMessage'>, total: number, target: string, language: Language, options: MaintenanceAlertOptions): AlertModel {
	const m = MAINTENANCE_PHRASES[language];
	const p = PHRASES[language];
	const worst = outcome.status === 'healthy' ? 'down' : outcome.status;
	const fields: AlertField[] = outcome.failures.map((failure) => ({
		label: failure.step,
		value: `${p.status[failure.status]} - ${failure.message}${failure.code ? ` (${failure.code})` : ''}`,
	}));
	if (outcome.leftOut.length > 0) fields.push({ label: m.leftOut, value: outcome.leftOut.join(', ') });
	if (outcome.succeeded.length > 0) fields.push({ label: m.succeeded, value: outcome.succeeded.join(', ') });
	const url = options.executionUrl?.trim();
	const link = url && /^https?:\/\//i.test(url) ? { label: p.labels.execution, text: p.openExecution, url } : undefined;
	if (!link && options.executionId) fields.push({ label: p.labels.execution, value: options.executionId });
	return { title: m.title(m.task[task], worst, target), headline: m.headline(outcome.failures.length, total), fields, ...(link ? { link } : {}) };
}

/** What a maintenance run did, and its alert when a step did not work. */
export function maintenanceAlert(task: MaintenanceTask, steps: MaintenanceStep[], options: MaintenanceAlertOptions = {}): MaintenanceOutcome {
	const language = checkInput(task, steps, options);
	const secrets = options.secrets ?? [];
	const noResult = MAINTENANCE_PHRASES[language].noResult;
	const read = new Map(steps.map((step) => [step.name, readStep(step.result, noResult)]));
	const failures: MaintenanceFailure[] = [];
	const leftOut: string[] = [];
	const succeeded: string[] = [];
	for (const step of steps) {
		const { status, message, code } = read.get(step.name) as ReturnType<typeof readStep>;
		if (status === 'healthy') succeeded.push(step.name);
		else if (step.needs && read.get(step.needs)?.status !== 'healthy') leftOut.push(step.name);
		else failures.push({ step: step.name, status, message: redact(message, { secrets }), ...(code ? { code } : {}) });
	}
	const outcome = { component: COMPONENT_OF[task], status: worstStatus(failures.map((failure) => failure.status)), failures, leftOut, succeeded, alert: failures.length > 0 };
	if (!outcome.alert) return outcome;
	const firstTarget = steps.map((step) => (isRecord(step.result) ? text(step.result.target) : undefined)).find((target) => target !== undefined);
	const target = text(options.target) ?? firstTarget ?? '';
	const model = buildModel(task, outcome, steps.length, target, language, options);
	return { ...outcome, alertMessage: renderAlert(redactModel(model, secrets)) };
}
