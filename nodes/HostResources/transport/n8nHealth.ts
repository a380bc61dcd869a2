/** n8n's own health: `/healthz/readiness`, and `/metrics` when the instance exposes it. */
import type { Cause } from '../../shared/contract';
import { causeOfHttpFailure, httpRequest } from '../../shared/http';

interface N8nMetrics {
	/** Jobs waiting in the queue (queue mode only). */
	queueWaiting?: number;
	/** Failed workflow executions since n8n started, when exported. */
	failedExecutions?: number;
}

export type N8nHealth =
	| { ready: true; latencyMs: number; metrics?: N8nMetrics }
	| { ready: false; latencyMs: number; cause: Cause };

/** Sums the samples of each metric in Prometheus' text format. */
export function parsePrometheus(text: string): Map<string, number> {
	const totals = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line.startsWith('#') || line.trim() === '') continue;
		const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
		if (!match) continue;
		const value = Number(match[3]);
		if (Number.isFinite(value)) totals.set(match[1], (totals.get(match[1]) ?? 0) + value);
	}
	return totals;
}

export function metricsFrom(text: string): N8nMetrics {
	const totals = parsePrometheus(text);
	const metrics: N8nMetrics = {};
	const waiting = totals.get('n8n_scaling_mode_queue_jobs_waiting');
	if (waiting !== undefined) metrics.queueWaiting = waiting;
	const failed = totals.get('n8n_workflow_failed_total');
	if (failed !== undefined) metrics.failedExecutions = failed;
	return metrics;
}

export async function checkN8nHealth(baseUrl: string, timeoutMs: number, includeMetrics: boolean): Promise<N8nHealth> {
	const base = baseUrl.replace(/\/+$/, '');
	const readiness = await httpRequest({ method: 'GET', url: `${base}/healthz/readiness`, timeoutMs });
	if (!readiness.ok) {
		const cause =
			readiness.status === 503
				? { code: 'host.n8n_not_ready', message: 'n8n answers but is not ready (database or migrations).', retryable: true, needsHuman: false }
				: causeOfHttpFailure(readiness, 'n8n');
		return { ready: false, latencyMs: readiness.durationMs, cause };
	}
	if (!includeMetrics) return { ready: true, latencyMs: readiness.durationMs };
	const metrics = await httpRequest<string>({ method: 'GET', url: `${base}/metrics`, timeoutMs, responseType: 'text' });
	return { ready: true, latencyMs: readiness.durationMs, metrics: metrics.ok ? metricsFrom(metrics.data) : {} };
}
