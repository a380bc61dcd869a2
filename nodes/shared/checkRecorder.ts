/**
 * Collects the individual checks of one target and turns them into a contract
 * check result: status by the worst-of rule, cause from the first worst check.
 */
import type { Cause, CheckEntry, CheckResult, Component, Status } from './contract';
import { worstStatus } from './contract';
import { statusOfFailure } from './failureStatus';

interface CheckExtra {
	value?: unknown;
	durationMs?: number;
}

export class CheckRecorder {
	private readonly entries: Array<{ entry: CheckEntry; cause?: Cause }> = [];
	private readonly startedAt: number;

	constructor(
		readonly component: Component,
		readonly target: string,
		private readonly now: () => number = Date.now,
	) {
		this.startedAt = now();
	}

	pass(name: string, message: string, extra: CheckExtra = {}): this {
		return this.add({ name, status: 'healthy', message, ...extra });
	}

	/** Works, but at risk or on a fallback. */
	degrade(name: string, cause: Cause, extra: CheckExtra = {}): this {
		return this.add({ name, status: 'degraded', message: cause.message, code: cause.code, ...extra }, cause);
	}

	/** Does not work for its users. */
	fail(name: string, cause: Cause, extra: CheckExtra = {}): this {
		return this.add({ name, status: 'down', message: cause.message, code: cause.code, ...extra }, cause);
	}

	/** A failed call: degraded or down by the one rule (shared/failureStatus), e.g. a 429 is degraded. */
	failure(name: string, cause: Cause, extra: CheckExtra = {}, alsoDegrading?: ReadonlySet<string>): this {
		return statusOfFailure(cause, alsoDegrading) === 'degraded' ? this.degrade(name, cause, extra) : this.fail(name, cause, extra);
	}

	add(entry: CheckEntry, cause?: Cause): this {
		if (entry.status !== 'healthy' && !cause) {
			throw new Error(`check '${entry.name}' is ${entry.status} but has no cause`);
		}
		this.entries.push({ entry, cause });
		return this;
	}

	get status(): Status {
		return worstStatus(this.entries.map((e) => e.entry.status));
	}

	get checks(): CheckEntry[] {
		return this.entries.map((e) => e.entry);
	}

	/** The cause of the first check that has the worst status, if any is unhealthy. */
	get cause(): Cause | undefined {
		const status = this.status;
		if (status === 'healthy') return undefined;
		return this.entries.find((e) => e.entry.status === status)?.cause;
	}

	result(details?: Record<string, unknown>): CheckResult {
		const cause = this.cause;
		const finishedAt = this.now();
		return {
			component: this.component,
			target: this.target,
			status: this.status,
			checks: this.checks,
			...(cause ? { cause } : {}),
			latencyMs: Math.max(0, finishedAt - this.startedAt),
			checkedAt: new Date(finishedAt).toISOString(),
			...(details ? { details } : {}),
		};
	}
}

