/**
 * Runs a fault's steps against a running demo: emulator control-API calls over HTTP and
 * SQL on its Postgres (one transaction per fault). Every call has a timeout; a failure
 * becomes a ChaosStepError naming the step, never a hang.
 */
import { Client } from 'pg';

import { STACK, type EmulatorName } from '../../../dev/emulators/stack';
import { ROWS, type Fault, type FaultStep } from './faults';

const HTTP_TIMEOUT_MS = 5_000;
const SQL_TIMEOUT_MS = 15_000;

export class ChaosStepError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ChaosStepError';
	}
}

interface ChaosTarget {
	emulators: Record<EmulatorName, string>;
	postgresUrl: string;
	n8n: { url: string; apiKey: string };
}

function reasonOf(error: unknown): string {
	if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${HTTP_TIMEOUT_MS} ms`;
	const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
	return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

async function callControl(baseUrl: string, emulator: string, method: string, path: string, body?: Record<string, unknown>): Promise<void> {
	const url = `${baseUrl}/__emulator${path}`;
	let response: Response;
	try {
		response = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
		});
	} catch (error) {
		throw new ChaosStepError(`the ${emulator} emulator at ${baseUrl} did not answer (${reasonOf(error)}); is the demo still running?`);
	}
	const text = await response.text();
	if (!response.ok) throw new ChaosStepError(`the ${emulator} emulator refused ${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
}

/** One call to the demo n8n's public API, with the demo's key. */
async function callN8n(n8n: ChaosTarget['n8n'], method: 'GET' | 'POST', route: string): Promise<unknown> {
	let response: Response;
	try {
		response = await fetch(`${n8n.url}/api/v1${route}`, {
			method,
			headers: { 'X-N8N-API-KEY': n8n.apiKey, 'content-type': 'application/json' },
			body: method === 'POST' ? '{}' : undefined,
			signal: AbortSignal.timeout(SQL_TIMEOUT_MS),
		});
	} catch (error) {
		throw new ChaosStepError(`the demo's n8n at ${n8n.url} did not answer (${reasonOf(error)}); is the demo still running?`);
	}
	const text = await response.text();
	if (!response.ok) throw new ChaosStepError(`n8n refused ${method} /api/v1${route}: HTTP ${response.status} ${text.slice(0, 300)}`);
	return text === '' ? {} : (JSON.parse(text) as unknown);
}

/** Publishes or unpublishes a workflow (nothing to do when it already is as asked). */
async function setWorkflowActive(n8n: ChaosTarget['n8n'], workflowId: string, active: boolean): Promise<void> {
	const workflow = (await callN8n(n8n, 'GET', `/workflows/${workflowId}`)) as { active?: unknown };
	if (workflow.active === active) return;
	await callN8n(n8n, 'POST', `/workflows/${workflowId}/${active ? 'activate' : 'deactivate'}`);
}

function describe(step: FaultStep, rows: number | null): string {
	return rows === null ? step.said : step.said.split(ROWS).join(String(rows));
}

async function runSql(postgresUrl: string, steps: Array<Extract<FaultStep, { kind: 'sql' }>>): Promise<number[]> {
	const client = new Client({
		connectionString: postgresUrl,
		connectionTimeoutMillis: HTTP_TIMEOUT_MS,
		query_timeout: SQL_TIMEOUT_MS,
		statement_timeout: SQL_TIMEOUT_MS,
	});
	// A server that goes away mid-fault reports through the query's rejection too.
	client.on('error', () => undefined);
	try {
		await client.connect();
	} catch (error) {
		throw new ChaosStepError(`cannot reach the demo's Postgres (${reasonOf(error)}); is the demo still running?`);
	}
	try {
		await client.query('BEGIN');
		const counts: number[] = [];
		for (const step of steps) {
			try {
				counts.push((await client.query(step.sql)).rowCount ?? 0);
			} catch (error) {
				throw new ChaosStepError(`SQL failed (${reasonOf(error)}): ${step.sql}`);
			}
		}
		await client.query('COMMIT');
		return counts;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** Applies the fault; returns one line per step that has something to say (emulator steps first, then SQL). */
export async function applyFault(fault: Fault, target: ChaosTarget): Promise<string[]> {
	const sqlSteps = fault.steps.filter((step): step is Extract<FaultStep, { kind: 'sql' }> => step.kind === 'sql');
	const lines: string[] = [];
	for (const step of fault.steps) {
		if (step.kind === 'emulator') {
			await callControl(target.emulators[step.emulator], step.emulator, step.method, step.path, step.body);
			lines.push(describe(step, null));
		} else if (step.kind === 'workflow') {
			await setWorkflowActive(target.n8n, step.workflowId, step.active);
			lines.push(describe(step, null));
		} else if (step.kind === 'clearFaults') {
			for (const name of Object.keys(STACK) as EmulatorName[]) await callControl(target.emulators[name], name, 'DELETE', '/faults');
			lines.push(describe(step, null));
		}
	}
	// After the HTTP steps: a database fault is the part most likely to fail (and it rolls back whole).
	if (sqlSteps.length > 0) {
		const counts = await runSql(target.postgresUrl, sqlSteps);
		sqlSteps.forEach((step, index) => lines.push(describe(step, counts[index])));
	}
	return lines.filter((line) => line !== '');
}
