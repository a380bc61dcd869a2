/**
 * Reads the optional parts of the item an alert is about — the diagnosis LLM Diagnose
 * merged in and the recovery of the action — narrowing from `unknown`, because they
 * arrive through workflow data: a missing or malformed part is left out of the alert.
 */
import { DIAGNOSIS_SOURCES, isActionId, type ActionId, type DiagnosisSource } from '../contract';
import { isRecord, trimmedText } from '../json';

interface DiagnosisFacts {
	summary: string;
	source?: DiagnosisSource;
	model?: string;
	/** On a cache hit: who made the cached diagnosis. */
	cachedFrom?: Exclude<DiagnosisSource, 'cache'>;
	recommendedActions: string[];
}

interface RecoveryFacts {
	action: ActionId;
	attempted: boolean;
	success: boolean;
	dryRun: boolean;
	steps: number;
	changed?: number;
	artifacts: string[];
}

function isSource(value: unknown): value is DiagnosisSource {
	return typeof value === 'string' && (DIAGNOSIS_SOURCES as readonly string[]).includes(value);
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

export function readDiagnosis(value: unknown): DiagnosisFacts | undefined {
	if (!isRecord(value)) return undefined;
	const summary = trimmedText(value.summary) ?? trimmedText(value.rootCause);
	if (!summary) return undefined;
	const cachedFrom = isSource(value.cachedFrom) && value.cachedFrom !== 'cache' ? value.cachedFrom : undefined;
	const model = trimmedText(value.model);
	return {
		summary,
		...(isSource(value.source) ? { source: value.source } : {}),
		...(model ? { model } : {}),
		...(cachedFrom ? { cachedFrom } : {}),
		recommendedActions: strings(value.recommendedActions),
	};
}

export function readRecovery(value: unknown): RecoveryFacts | undefined {
	if (!isRecord(value) || !isActionId(value.action)) return undefined;
	const changed = typeof value.changed === 'number' && Number.isFinite(value.changed) ? value.changed : undefined;
	return {
		action: value.action,
		attempted: value.attempted === true,
		success: value.success === true,
		dryRun: value.dryRun === true,
		steps: Array.isArray(value.steps) ? value.steps.length : 0,
		...(changed !== undefined ? { changed } : {}),
		artifacts: strings(value.artifacts),
	};
}
