/**
 * Reads an LLM's reply into the diagnosis fields. Tolerates the usual wrapping (a
 * ```json fence, prose around one object) but nothing else: every field is checked,
 * and the problems found are what the repair message tells the model. Actions are
 * filtered against ACTIONS_BY_COMPONENT: anything else the model proposed (unknown
 * ids, SQL, commands, another component's actions) is kept only as text in `rejected`.
 */
import { ACTIONS_BY_COMPONENT, SEVERITIES, type ActionId, type Component, type Severity } from '../../shared/contract';
import { isRecord } from '../../shared/json';

interface ParsedDiagnosis {
	rootCause: string;
	summary: string;
	severity: Severity;
	confidence: number;
	recommendedActions: ActionId[];
	rejected: string[];
}

export type ParseOutcome = { ok: true; value: ParsedDiagnosis } | { ok: false; problems: string[] };

export const MAX_TEXT_FIELD_CHARS = 600;
export const MAX_REJECTED_CHARS = 200;
const MAX_REJECTED_ITEMS = 20;

function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The end index (exclusive) of the balanced JSON object starting at `start`, string-aware. */
function objectEnd(text: string, start: number): number | undefined {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
		} else if (ch === '"') inString = true;
		else if (ch === '{') depth++;
		else if (ch === '}' && --depth === 0) return i + 1;
	}
	return undefined;
}

function parseObject(candidate: string): Record<string, unknown> | undefined {
	try {
		const parsed: unknown = JSON.parse(candidate);
		return isRecord(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** Bounds the brace scan, so a reply full of braces costs little. */
const MAX_OBJECT_STARTS = 50;

/** The first JSON object in the reply: the whole text, a fenced block, or an object inside prose. */
function extractObject(text: string): Record<string, unknown> | undefined {
	const whole = parseObject(text.trim());
	if (whole) return whole;
	const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
	const inFence = fenced ? parseObject(fenced[1].trim()) : undefined;
	if (inFence) return inFence;
	let start = text.indexOf('{');
	for (let tried = 0; start !== -1 && tried < MAX_OBJECT_STARTS; tried++) {
		const end = objectEnd(text, start);
		const found = end !== undefined ? parseObject(text.slice(start, end)) : undefined;
		if (found) return found;
		start = text.indexOf('{', start + 1);
	}
	return undefined;
}

function describe(value: unknown): string {
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/** Allowed actions in the model's order without repeats; everything else as rejected text. */
function filterActions(proposed: readonly unknown[], component: Component): { recommendedActions: ActionId[]; rejected: string[] } {
	const allowed: readonly string[] = ACTIONS_BY_COMPONENT[component];
	const recommended: ActionId[] = [];
	const rejected: string[] = [];
	for (const item of proposed) {
		const text = typeof item === 'string' ? item.trim() : '';
		if (text !== '' && allowed.includes(text)) {
			if (!recommended.includes(text as ActionId)) recommended.push(text as ActionId);
			continue;
		}
		const shown = clip(describe(item).trim(), MAX_REJECTED_CHARS);
		if (shown !== '' && !rejected.includes(shown) && rejected.length < MAX_REJECTED_ITEMS) rejected.push(shown);
	}
	return { recommendedActions: recommended.length > 0 ? recommended : ['notify.escalate'], rejected };
}

function textField(value: unknown, name: string, problems: string[]): string {
	if (typeof value !== 'string' || value.trim() === '') {
		problems.push(`"${name}" must be a non-empty string`);
		return '';
	}
	return clip(value.trim().replace(/\s+/g, ' '), MAX_TEXT_FIELD_CHARS);
}

export function parseDiagnosisReply(text: string, component: Component): ParseOutcome {
	if (typeof text !== 'string' || text.trim() === '') return { ok: false, problems: ['the reply was empty'] };
	const object = extractObject(text);
	if (!object) return { ok: false, problems: ['the reply did not contain a JSON object'] };

	const problems: string[] = [];
	const rootCause = textField(object.rootCause, 'rootCause', problems);
	const summary = textField(object.summary, 'summary', problems);
	const severityText = typeof object.severity === 'string' ? object.severity.trim().toLowerCase() : undefined;
	const severity = SEVERITIES.find((s) => s === severityText);
	if (!severity) problems.push(`"severity" must be one of ${SEVERITIES.join(', ')}`);
	const confidence = object.confidence;
	const confidenceOk = typeof confidence === 'number' && Number.isFinite(confidence) && confidence >= 0 && confidence <= 1;
	if (!confidenceOk) problems.push('"confidence" must be a number from 0 to 1');
	if (!Array.isArray(object.recommendedActions)) problems.push('"recommendedActions" must be an array of action ids');

	if (problems.length > 0 || !severity || !confidenceOk || !Array.isArray(object.recommendedActions)) {
		return { ok: false, problems };
	}
	return {
		ok: true,
		value: { rootCause, summary, severity, confidence, ...filterActions(object.recommendedActions, component) },
	};
}
