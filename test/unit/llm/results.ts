/** Failing check results for the diagnosis tests, built the way the probes build them. */
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { Cause, CheckResult, Component } from '../../../nodes/shared/contract';

export interface FailingOptions {
	component?: Component;
	target?: string;
	code?: string;
	message?: string;
	status?: 'degraded' | 'down';
	needsHuman?: boolean;
	retryable?: boolean;
	details?: Record<string, unknown>;
	value?: unknown;
	/** Fixed clock, so checkedAt is deterministic. */
	at?: number;
}

export function failingResult(options: FailingOptions = {}): CheckResult {
	const at = options.at ?? Date.UTC(2026, 0, 15, 10, 0, 0);
	const cause: Cause = {
		code: options.code ?? 'net.timeout',
		message: options.message ?? 'Postgres did not answer within 10000 ms.',
		retryable: options.retryable ?? true,
		needsHuman: options.needsHuman ?? false,
	};
	const recorder = new CheckRecorder(options.component ?? 'database', options.target ?? 'postgres:shop', () => at);
	recorder.pass('config', 'parameters are valid');
	if (options.status === 'degraded') recorder.degrade('probe', cause, { value: options.value, durationMs: 12 });
	else recorder.fail('probe', cause, { value: options.value, durationMs: 12 });
	return recorder.result(options.details);
}

export function healthyResult(): CheckResult {
	return new CheckRecorder('database', 'postgres:shop', () => 0).pass('probe', 'ok').result();
}
