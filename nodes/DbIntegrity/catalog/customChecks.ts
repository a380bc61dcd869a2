/**
 * User-defined checks: named SQL queries that each return a count. They run in a
 * READ ONLY transaction with a statement timeout, over the extended query protocol
 * (one statement only: `SELECT 1; COMMIT; DELETE ...` is refused by the server), and
 * are always rolled back, so a custom check can never change data.
 */
import type { ClientBase, QueryConfig } from 'pg';

import type { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause } from '../../shared/contract';
import { describePgError } from '../../shared/sql/describePgError';
import { catalogCause } from './causes';

export interface CustomCheck {
	name: string;
	query: string;
	/** Unhealthy when the count is above this (default 0: any row is a finding). */
	maxCount: number;
	/** How bad a finding is. */
	severity: 'degraded' | 'down';
}

export class CustomCheckDefinitionError extends Error {}

const NAME = /^[A-Za-z0-9 _.:-]{1,60}$/;

/** Rejects unusable definitions before anything runs (names must be unique and readable). */
export function validateCustomChecks(checks: CustomCheck[], parameter = 'Parameter "Custom Checks"'): void {
	const seen = new Set<string>();
	checks.forEach((check, index) => {
		const where = `${parameter} (entry ${index + 1})`;
		if (!NAME.test(check.name)) throw new CustomCheckDefinitionError(`${where}: the name must be 1-60 letters, digits, spaces or _.:-, got ${JSON.stringify(check.name)}`);
		if (seen.has(check.name)) throw new CustomCheckDefinitionError(`${where}: the name "${check.name}" is used twice`);
		seen.add(check.name);
		if (check.query.trim() === '') throw new CustomCheckDefinitionError(`${where}: the query is empty`);
		if (!Number.isFinite(check.maxCount) || check.maxCount < 0) throw new CustomCheckDefinitionError(`${where}: the maximum count must be 0 or more`);
	});
}

function customCheckName(check: CustomCheck): string {
	return `custom:${check.name}`;
}

/** The count in the first column of the first row; NaN when there is none. */
function countOf(rows: Array<Record<string, unknown>>): number {
	const first = rows[0];
	if (!first) return Number.NaN;
	const value = Object.values(first)[0];
	return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

async function runOne(client: ClientBase, check: CustomCheck, statementTimeoutMs: number): Promise<{ count: number } | { error: unknown }> {
	await client.query('BEGIN TRANSACTION READ ONLY');
	try {
		await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(statementTimeoutMs))}`);
		// Extended protocol: the server accepts exactly one statement. (`queryMode` is pg's, missing from @types/pg.)
		const query: QueryConfig & { queryMode: 'extended' } = { text: check.query, values: [], queryMode: 'extended' };
		const result = await client.query<Record<string, unknown>>(query);
		return { count: countOf(result.rows) };
	} catch (error) {
		return { error };
	} finally {
		await client.query('ROLLBACK').catch(() => undefined);
	}
}

function failureCause(check: CustomCheck, error: unknown): Cause {
	const { cause } = describePgError(error, `Custom check "${check.name}"`);
	const pgMessage = typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : '';
	// Server messages name tables and columns, never credentials; they help the person fix the query.
	return { ...cause, message: pgMessage ? `${cause.message.replace(/\.$/, '')}: ${pgMessage.slice(0, 300)}` : cause.message };
}

/** Runs each custom check and records it; a broken query marks only its own check as down. */
export async function runCustomChecks(client: ClientBase, checks: CustomCheck[], statementTimeoutMs: number, recorder: CheckRecorder): Promise<Record<string, number | null>> {
	const counts: Record<string, number | null> = {};
	for (const check of checks) {
		const started = performance.now();
		const outcome = await runOne(client, check, statementTimeoutMs);
		const durationMs = Math.round(performance.now() - started);
		const name = customCheckName(check);
		if ('error' in outcome) {
			counts[check.name] = null;
			recorder.fail(name, failureCause(check, outcome.error), { durationMs });
			continue;
		}
		counts[check.name] = outcome.count;
		if (Number.isNaN(outcome.count)) {
			recorder.fail(name, catalogCause('database.custom_check_failed', `Custom check "${check.name}" must return one row whose first column is a count.`), { durationMs });
		} else if (outcome.count > check.maxCount) {
			const cause = catalogCause('database.custom_check_failed', `Custom check "${check.name}" found ${outcome.count} (allowed: ${check.maxCount}).`);
			if (check.severity === 'down') recorder.fail(name, cause, { value: outcome.count, durationMs });
			else recorder.degrade(name, cause, { value: outcome.count, durationMs });
		} else {
			recorder.pass(name, `${outcome.count} (allowed: ${check.maxCount})`, { value: outcome.count, durationMs });
		}
	}
	return counts;
}
