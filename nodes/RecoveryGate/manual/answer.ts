/**
 * The answer to a manual recovery: the request as understood, the contract result each
 * component came back with (the recovery result, or the check result when it was healthy
 * and nothing was run), and what was skipped and why.
 */
import { isRecord } from '../../shared/json';
import { redact } from '../../shared/redact';
import { recoveryOutcome } from '../../shared/recovery/outcome';
import type { RefusedComponent } from './admission';
import { RECOVERABLE_COMPONENTS, type RecoverableComponent } from './request';

/** What Accept hands to Finish (through the workflow), JSON only. */
export interface ManualRequestRecord {
	id: string;
	scope: string;
	dryRun: boolean;
	force: boolean;
	components: RecoverableComponent[];
	skipped: RefusedComponent[];
	receivedAt: string;
}

const isRecoverable = (value: unknown): value is RecoverableComponent => typeof value === 'string' && (RECOVERABLE_COMPONENTS as readonly string[]).includes(value);

export function readManualRequest(value: unknown): ManualRequestRecord {
	const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
	if (!isRecord(parsed) || typeof parsed.id !== 'string' || !Array.isArray(parsed.components) || !parsed.components.every(isRecoverable)) {
		throw new Error('expected the manualRequest object of the Accept Manual Recovery node');
	}
	return {
		id: parsed.id,
		scope: String(parsed.scope ?? ''),
		dryRun: parsed.dryRun === true,
		force: parsed.force === true,
		components: parsed.components,
		skipped: Array.isArray(parsed.skipped) ? (parsed.skipped as RefusedComponent[]) : [],
		receivedAt: String(parsed.receivedAt ?? ''),
	};
}

/** Fields the workflow adds on the way that are not part of the result. */
const WORKFLOW_FIELDS = ['manualRequest', 'manual', 'forced', 'tracking'];

function asResult(item: Record<string, unknown>): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(item)) if (!WORKFLOW_FIELDS.includes(key)) result[key] = value;
	if (typeof result.error === 'string') result.error = redact(result.error);
	return result;
}

export function manualRecoveryAnswer(request: ManualRequestRecord, items: Array<Record<string, unknown>>): { statusCode: number; body: Record<string, unknown> } {
	const results = items.map(asResult);
	const answered = new Set(results.map((r) => r.component));
	const missing = request.components.filter((component) => !answered.has(component));
	const recovered = results.filter((r) => isRecord(r.recovery));
	return {
		statusCode: 200,
		body: {
			requestId: request.id,
			scope: request.scope,
			dryRun: request.dryRun,
			forced: request.force,
			summary: {
				components: request.components.length,
				recovered: recovered.filter((r) => recoveryOutcome(r.recovery) === 'fixed').length,
				attempted: recovered.length,
				alreadyHealthy: results.filter((r) => !isRecord(r.recovery) && r.status === 'healthy').length,
				skipped: request.skipped.length,
			},
			results,
			skipped: request.skipped,
			// A component whose branch produced nothing (it should not happen): said, not hidden.
			...(missing.length > 0 ? { noResult: missing } : {}),
		},
	};
}
