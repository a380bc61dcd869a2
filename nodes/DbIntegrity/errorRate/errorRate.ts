/**
 * The error-rate check over the bot's own log table: errors in the last N minutes
 * against a baseline (the average of the same window over the previous 24 h). A spike
 * of at least K× the baseline and at least a minimum count is `degraded`, with the
 * most frequent messages (redacted) in `details`, so the diagnosis has something to read.
 */
import type { ClientBase } from 'pg';

import type { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause } from '../../shared/contract';
import { redact } from '../../shared/redact';
import { quoteIdentifier, quoteQualifiedName } from '../../shared/sql/identifiers';

export interface ErrorRatePlan {
	table: string;
	levelColumn: string;
	timestampColumn: string;
	messageColumn: string;
	/** Level values that count as errors (compared case-insensitively). */
	errorLevels: string[];
	windowMinutes: number;
	baselineHours: number;
	/** Spike when recent ≥ factor × baseline per window... */
	spikeFactor: number;
	/** ...and recent ≥ this many errors (a quiet bot's 3 errors are not a spike). */
	minErrors: number;
	topMessages: number;
	now: Date;
}

export const DEFAULT_ERROR_RATE: Omit<ErrorRatePlan, 'now'> = {
	table: 'system_logs',
	levelColumn: 'level',
	timestampColumn: 'created_at',
	messageColumn: 'message',
	errorLevels: ['error'],
	windowMinutes: 15,
	baselineHours: 24,
	spikeFactor: 5,
	minErrors: 20,
	topMessages: 3,
};

interface ErrorRateFinding {
	recent: number;
	baselineTotal: number;
	/** Average errors per window over the baseline period. */
	baselinePerWindow: number;
	/** recent / baselinePerWindow (null when the baseline had no errors). */
	ratio: number | null;
	spike: boolean;
	topMessages: Array<{ message: string; count: number }>;
	windowStart: string;
	baselineStart: string;
}

const ERROR_SPIKE: Omit<Cause, 'message'> = { code: 'logs.error_spike', retryable: false, needsHuman: true };

export function validateErrorRatePlan(plan: ErrorRatePlan): { table: string; level: string; ts: string; message: string } {
	if (plan.errorLevels.length === 0 || plan.errorLevels.some((level) => level.trim() === '')) throw new RangeError('Parameter "Error Levels" needs at least one non-empty level');
	if (!(plan.windowMinutes > 0)) throw new RangeError('Parameter "Window (Minutes)" must be more than 0');
	if (!(plan.baselineHours * 60 >= plan.windowMinutes)) throw new RangeError('Parameter "Baseline (Hours)" must cover at least one window');
	if (!(plan.spikeFactor >= 1)) throw new RangeError('Parameter "Spike Factor" must be 1 or more');
	if (!(plan.minErrors >= 1)) throw new RangeError('Parameter "Minimum Errors" must be 1 or more');
	return {
		table: quoteQualifiedName(plan.table, 'Parameter "Log Table"'),
		level: quoteIdentifier(plan.levelColumn, 'Parameter "Level Column"'),
		ts: quoteIdentifier(plan.timestampColumn, 'Parameter "Timestamp Column"'),
		message: quoteIdentifier(plan.messageColumn, 'Parameter "Message Column"'),
	};
}

export async function readErrorRate(client: ClientBase, plan: ErrorRatePlan, secrets: string[]): Promise<ErrorRateFinding> {
	const q = validateErrorRatePlan(plan);
	const now = plan.now.getTime();
	const windowStart = new Date(now - plan.windowMinutes * 60_000);
	const baselineStart = new Date(windowStart.getTime() - plan.baselineHours * 3_600_000);
	const levels = plan.errorLevels.map((level) => level.trim().toLowerCase());
	// One range scan over the timestamp index covers both periods.
	const { rows } = await client.query<{ recent: string; baseline: string }>(
		`SELECT count(*) FILTER (WHERE ${q.ts} >= $2) AS recent, count(*) FILTER (WHERE ${q.ts} < $2) AS baseline
		 FROM ${q.table} WHERE ${q.ts} >= $1 AND ${q.ts} < $3 AND lower(${q.level}::text) = ANY($4::text[])`,
		[baselineStart, windowStart, plan.now, levels],
	);
	const recent = Number(rows[0]?.recent ?? 0);
	const baselineTotal = Number(rows[0]?.baseline ?? 0);
	const windows = (plan.baselineHours * 60) / plan.windowMinutes;
	const baselinePerWindow = baselineTotal / windows;
	const ratio = baselinePerWindow > 0 ? recent / baselinePerWindow : null;
	const spike = recent >= plan.minErrors && (ratio === null || ratio >= plan.spikeFactor);
	let topMessages: ErrorRateFinding['topMessages'] = [];
	if (recent > 0 && plan.topMessages > 0) {
		const top = await client.query<{ message: string; count: string }>(
			`SELECT left(${q.message}::text, 300) AS message, count(*) AS count FROM ${q.table}
			 WHERE ${q.ts} >= $1 AND ${q.ts} < $2 AND lower(${q.level}::text) = ANY($3::text[])
			 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $4`,
			[windowStart, plan.now, levels, plan.topMessages],
		);
		// Log lines can carry anything the bot logged: tokens, phone numbers.
		topMessages = top.rows.map((row) => ({ message: redact(row.message ?? '', { secrets, maskPhoneNumbers: true }), count: Number(row.count) }));
	}
	return { recent, baselineTotal, baselinePerWindow: Math.round(baselinePerWindow * 100) / 100, ratio: ratio === null ? null : Math.round(ratio * 10) / 10, spike, topMessages, windowStart: windowStart.toISOString(), baselineStart: baselineStart.toISOString() };
}

export function evaluateErrorRate(recorder: CheckRecorder, finding: ErrorRateFinding, plan: ErrorRatePlan, durationMs: number): Record<string, unknown> {
	const details = { ...finding, windowMinutes: plan.windowMinutes, spikeFactor: plan.spikeFactor, minErrors: plan.minErrors };
	const versus = finding.ratio === null ? 'none in the baseline' : `${finding.ratio}× the usual ${finding.baselinePerWindow}`;
	if (finding.spike) {
		const top = finding.topMessages[0] ? ` Most frequent: "${finding.topMessages[0].message.slice(0, 120)}" (${finding.topMessages[0].count}).` : '';
		recorder.degrade('error_rate', { ...ERROR_SPIKE, message: `${finding.recent} errors in the last ${plan.windowMinutes} min (${versus}).${top}` }, { value: finding.recent, durationMs });
	} else {
		recorder.pass('error_rate', `${finding.recent} errors in the last ${plan.windowMinutes} min (${versus})`, { value: finding.recent, durationMs });
	}
	return details;
}
