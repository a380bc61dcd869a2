/**
 * Reading n8n's JSON log lines (N8N_LOG_FORMAT=json) for who ran what in queue mode:
 * the main process logs "Enqueued execution <id> (job <n>)", a worker logs
 * "Worker started execution <id> (job <n>)" with the workflow id in its metadata.
 * Lines that are not JSON (task-runner output, stack traces) are skipped.
 */
import fs from 'node:fs';

export interface LogLine {
	level: string;
	message: string;
	metadata: Record<string, unknown>;
	/** Epoch ms of the line's timestamp (winston puts it in `metadata`); NaN when missing. */
	time: number;
}

export interface WorkerExecution {
	executionId: string;
	workflowId: string;
}

export function readJsonLog(file: string): LogLine[] {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	return text.split('\n').flatMap((line) => {
		if (!line.startsWith('{')) return [];
		try {
			const parsed = JSON.parse(line) as unknown;
			if (parsed === null || typeof parsed !== 'object') return [];
			const record = parsed as Record<string, unknown>;
			if (typeof record.message !== 'string') return [];
			const metadata = record.metadata !== null && typeof record.metadata === 'object' ? (record.metadata as Record<string, unknown>) : {};
			return [{ level: String(record.level ?? ''), message: record.message, metadata, time: Date.parse(String(record.timestamp ?? metadata.timestamp ?? '')) }];
		} catch {
			return [];
		}
	});
}

const STARTED = /^Worker started execution (\S+) \(job \S+\)$/;
const FINISHED = /^Worker finished execution (\S+) \(job \S+\)$/;
const ENQUEUED = /^Enqueued execution (\S+) \(job \S+\)$/;

/** Executions this process ran as a worker, in log order. */
export function workerStartedExecutions(file: string): WorkerExecution[] {
	return readJsonLog(file).flatMap((line) => {
		const match = STARTED.exec(line.message);
		return match ? [{ executionId: match[1], workflowId: String(line.metadata.workflowId ?? '') }] : [];
	});
}

/** Executions this (main) process handed to the queue, in log order. */
export function enqueuedExecutions(file: string): string[] {
	return readJsonLog(file).flatMap((line) => {
		const match = ENQUEUED.exec(line.message);
		return match ? [match[1]] : [];
	});
}

/** Executions this process finished as a worker (ids), in log order. */
export function workerFinishedExecutions(file: string): string[] {
	return readJsonLog(file).flatMap((line) => {
		const match = FINISHED.exec(line.message);
		return match ? [match[1]] : [];
	});
}

export interface RunSpan {
	executionId: string;
	worker: string;
	startedAt: number;
	/** Undefined while the run is still going. */
	finishedAt?: number;
}

/** When each execution a worker ran started and finished, by its log's timestamps. */
export function workerRunSpans(file: string, worker: string): RunSpan[] {
	const spans = new Map<string, RunSpan>();
	for (const line of readJsonLog(file)) {
		const started = STARTED.exec(line.message);
		if (started) spans.set(started[1], { executionId: started[1], worker, startedAt: line.time });
		const finished = FINISHED.exec(line.message);
		const span = finished ? spans.get(finished[1]) : undefined;
		if (span) span.finishedAt = line.time;
	}
	return [...spans.values()];
}

/** Pairs of runs where one started before the other finished (ordered by start). */
export function overlappingRuns(spans: RunSpan[]): Array<[RunSpan, RunSpan]> {
	const ordered = [...spans].sort((a, b) => a.startedAt - b.startedAt);
	const overlaps: Array<[RunSpan, RunSpan]> = [];
	for (let i = 1; i < ordered.length; i += 1) {
		const previous = ordered[i - 1];
		if (previous.finishedAt === undefined || ordered[i].startedAt < previous.finishedAt) overlaps.push([previous, ordered[i]]);
	}
	return overlaps;
}
