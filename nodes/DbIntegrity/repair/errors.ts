/**
 * What can go wrong in a repair besides Postgres itself: a bad parameter (the caller's
 * problem, thrown), or a source that cannot be read or understood (a result, reported
 * in the outcome with a contract cause, never thrown out of restoreImages/importCatalog).
 */
import type { Cause } from '../../shared/contract';
import type { RepairSource } from './types';

/** A repair parameter is invalid; `parameter` names it (e.g. `batchSize`, `source.format`). */
export class RepairParameterError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(`${parameter} ${message}`);
		this.name = 'RepairParameterError';
	}
}

/** The source text is not valid JSON/CSV, or lacks a needed field: the whole source is unusable. */
export class SourceFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SourceFormatError';
	}
}

/**
 * Cause codes of a source problem (HTTP failures use the shared net and provider codes).
 * Proposed for catalog/causes.ts; kept here until the lead moves them.
 */
const REPAIR_SOURCE_CAUSES = {
	/** The file is missing, unreadable or too large. */
	'database.repair_source_unreadable': { retryable: false, needsHuman: true },
	/** The file/response is not the declared format, or lacks the configured fields. */
	'database.repair_source_invalid': { retryable: false, needsHuman: true },
} as const;

type RepairSourceCauseCode = keyof typeof REPAIR_SOURCE_CAUSES;

export function repairSourceCause(code: RepairSourceCauseCode, message: string): Cause {
	return { code, message, ...REPAIR_SOURCE_CAUSES[code] };
}

interface CheckedPlan {
	source: RepairSource;
	batchSize: number;
	maxRows: number;
	sampleSize: number;
	statementTimeoutMs: number;
}

/**
 * The numbers and the source of a plan, checked before anything runs (names are checked
 * by the identifier quoting). `needsPairFields`: restore reads sku/image fields of a
 * file or URL; import reads whole rows and ignores them.
 */
export function assertRepairParameters(plan: CheckedPlan, needsPairFields: boolean): void {
	const integerAtLeast = (parameter: string, value: number, min: number): void => {
		if (!(Number.isInteger(value) && value >= min)) throw new RepairParameterError(parameter, `must be an integer ≥ ${min}, got ${String(value)}`);
	};
	integerAtLeast('batchSize', plan.batchSize, 1);
	integerAtLeast('maxRows', plan.maxRows, 0);
	integerAtLeast('sampleSize', plan.sampleSize, 0);
	integerAtLeast('statementTimeoutMs', plan.statementTimeoutMs, 1);
	const source = plan.source;
	switch (source.kind) {
		case 'table':
			return;
		case 'url': {
			let protocol = '';
			try {
				protocol = new URL(source.url).protocol;
			} catch {
				throw new RepairParameterError('source.url', 'must be an absolute http(s) URL');
			}
			if (protocol !== 'http:' && protocol !== 'https:') throw new RepairParameterError('source.url', 'must be an http(s) URL');
			integerAtLeast('source.timeoutMs', source.timeoutMs, 1);
			break;
		}
		case 'file':
			if (typeof source.path !== 'string' || source.path.trim() === '') throw new RepairParameterError('source.path', 'must not be empty');
			break;
		default:
			throw new RepairParameterError('source.kind', `must be table, file or url, got ${JSON.stringify((source as { kind: unknown }).kind)}`);
	}
	if (source.format !== 'json' && source.format !== 'csv') {
		throw new RepairParameterError('source.format', `must be json or csv, got ${JSON.stringify(source.format)}`);
	}
	if (needsPairFields) {
		if (typeof source.skuField !== 'string' || source.skuField.trim() === '') throw new RepairParameterError('source.skuField', 'must not be empty');
		if (typeof source.imageField !== 'string' || source.imageField.trim() === '') throw new RepairParameterError('source.imageField', 'must not be empty');
	}
}
