/**
 * Executions of the Recover sub-workflow exactly as n8n's public API returns them
 * (`GET /api/v1/executions?workflowId=arRecover0000001&includeData=true`), built from
 * contract results the way the shipped workflow produces them: When Called (the failing
 * result + tracking + diagnosis) → By Component → the fixing node → Recovery Log Entry
 * (a Set node adding diagnosis, tracking, error and recoveryExecutionId) → Record Outcome →
 * Recovery Failed? → Recovery Did Not Fix It (status error) or Recovery Done. A `legacy` run
 * ends at the log entry, as Recover 0.2 saved them.
 *
 * `HISTORY` is a fixed history with known numbers; history.test.ts asserts the stats
 * equal exactly those numbers.
 */
import type { CheckResult, Component, Diagnosis, RecoveryResult } from '../../../nodes/shared/contract';
import { validateCheckResult, validateDiagnosis, validateRecoveryResult } from '../../../nodes/shared/validate';
import { escalationResult } from '../../../nodes/shared/incident/escalationResult';
import { summariseOutcome } from '../../../nodes/shared/recovery/outcome';
import type { AlertKind, Decision, IncidentRecord, TrackedItem } from '../../../nodes/shared/incident/types';
import type { RecoveryLogEntry } from '../../../nodes/RecoveryReport/history/logEntry';
import { WORKFLOW_IDS } from '../../../scripts/workflows/ids';
import { failing, healthy, HOUR, MIN, recovery, SEC } from '../incident/results';

export { HOUR, MIN, SEC };
export const DAY = 24 * HOUR;
/** "Now" for the stats: the history below is placed relative to it. */
export const NOW = Date.UTC(2026, 1, 20, 12, 0, 0);
export const RECOVER_ID = WORKFLOW_IDS.recover;

/** Secret values planted in the history (obviously fake); no output may contain them. */
export const SECRETS = ['test-evolution-key-not-real', 'test-db-password-not-real', 'test-host-token-not-real'] as const;

export type FixNode = 'Reconnect WhatsApp' | 'Repair Catalog' | 'Switch Payment Provider' | 'Switch LLM Provider' | 'Escalate';

/** The By Component switch: its output index and the node behind it (backup/logs/host fall through to Escalate). */
const ROUTES: Record<Component, [number, FixNode]> = {
	whatsapp: [0, 'Reconnect WhatsApp'],
	database: [1, 'Repair Catalog'],
	payments: [2, 'Switch Payment Provider'],
	llm: [3, 'Switch LLM Provider'],
	backup: [4, 'Escalate'],
	logs: [4, 'Escalate'],
	host: [4, 'Escalate'],
};

export interface RecoverRun {
	/** n8n execution id. */
	id: string;
	startedAt: number;
	durationMs: number;
	/** The failing result the Monitor (or a person) handed to Recover. */
	failing: CheckResult;
	/** The tracker's incident; absent: the run carries no tracking. */
	incident?: { openedAt: number; firstSeenAt?: number };
	decision?: Decision;
	alertKind?: AlertKind;
	diagnosis?: Diagnosis;
	manual?: boolean;
	forced?: boolean;
	/** n8n's execution mode: 'integrated' when the Monitor calls it. */
	mode?: string;
	/** What the fixing node returned, or the error it threw (the execution then fails). */
	outcome: { result: RecoveryResult } | { error: string };
	/** Saved by a Recover before Record Outcome (0.2): it ended at its log entry, with status success whatever the outcome. */
	legacy?: true;
}

type Json = Record<string, unknown>;

function assertValid(problems: string[], what: string): void {
	if (problems.length > 0) throw new Error(`fixture ${what} breaks the contract: ${problems.join('; ')}`);
}

function tracking(run: RecoverRun): TrackedItem & { incident: IncidentRecord & { firstSeenAt?: number } } {
	const { component, target } = run.failing;
	const key = `${component}:${target}`;
	const openedAt = run.incident?.openedAt ?? run.startedAt;
	const cause = run.failing.cause ?? { code: 'config.invalid', message: 'fixture', retryable: false, needsHuman: true };
	return {
		key,
		component,
		target,
		decision: run.decision ?? 'recover',
		alert: run.alertKind !== undefined,
		...(run.alertKind ? { alertKind: run.alertKind } : {}),
		incident: {
			id: `${key}@${new Date(openedAt).toISOString()}`,
			key,
			component,
			target,
			openedAt,
			...(run.incident?.firstSeenAt !== undefined ? { firstSeenAt: run.incident.firstSeenAt } : {}),
			lastSeenAt: run.startedAt - SEC,
			status: run.failing.status,
			worstStatus: run.failing.status === 'healthy' ? 'down' : run.failing.status,
			cause,
			attempts: 1,
			consecutiveSuccesses: 0,
			checks: 2,
		},
		reason: 'The incident is confirmed and the budget allows an automatic action.',
		budget: { used: 1, max: 3, spent: false, nextAllowedAt: run.startedAt + 5 * MIN },
	};
}

function nodeRun(startTime: number, executionTime: number, index: number, previousNode: string | null, main: Json[][] | null, error?: Json): Json {
	return {
		startTime,
		executionIndex: index,
		source: previousNode ? [{ previousNode }] : [],
		hints: [],
		executionTime,
		executionStatus: error ? 'error' : 'success',
		...(main ? { data: { main } } : {}),
		...(error ? { error } : {}),
	};
}

const item = (json: Json): Json => ({ json, pairedItem: { item: 0 } });

/** One saved Recover execution, shaped like the public API's JSON. */
export function recoverExecution(run: RecoverRun): Json {
	assertValid(validateCheckResult(run.failing), `${run.id} input`);
	if (run.diagnosis) assertValid(validateDiagnosis(run.diagnosis, run.failing.component), `${run.id} diagnosis`);
	if ('result' in run.outcome) assertValid(validateRecoveryResult(run.outcome.result), `${run.id} recovery`);

	const stoppedAt = run.startedAt + run.durationMs;
	const input: Json = {
		...run.failing,
		...(run.incident ? { tracking: tracking(run) } : {}),
		...(run.diagnosis ? { diagnosis: run.diagnosis } : {}),
		...(run.manual ? { manual: true } : {}),
		...(run.forced ? { forced: true } : {}),
	};
	const [output, fixNode] = ROUTES[run.failing.component];
	const routed: Json[][] = [[], [], [], [], []];
	routed[output] = [item(input)];
	const fixStart = run.startedAt + 20;
	const runData: Json = {
		'When Called': [nodeRun(run.startedAt + 5, 1, 0, null, [[item(input)]])],
		'By Component': [nodeRun(run.startedAt + 10, 2, 1, 'When Called', routed)],
	};
	let status: 'success' | 'error';
	let resultError: Json | undefined;
	let lastNode: string;
	if ('result' in run.outcome) {
		status = 'success';
		lastNode = 'Recovery Log Entry';
		runData[fixNode] = [nodeRun(fixStart, run.durationMs - 40, 2, 'By Component', [[item(run.outcome.result as unknown as Json)]])];
		const entry: Json = {
			...run.outcome.result,
			diagnosis: input.diagnosis,
			tracking: input.tracking,
			error: run.failing.cause?.message ?? '',
			recoveryExecutionId: run.id,
		};
		runData['Recovery Log Entry'] = [nodeRun(stoppedAt - 15, 2, 3, fixNode, [[item(entry)]])];
		if (!run.legacy) {
			// Record Outcome → Recovery Failed? → Recovery Did Not Fix It (stops in error) or Recovery Done.
			const summary = summariseOutcome(entry);
			const recorded: Json = { ...entry, outcome: { result: summary.outcome, failed: summary.failed, message: summary.message } };
			runData['Record Outcome'] = [nodeRun(stoppedAt - 12, 2, 4, 'Recovery Log Entry', [[item(recorded)]])];
			runData['Recovery Failed?'] = [nodeRun(stoppedAt - 10, 1, 5, 'Record Outcome', summary.failed ? [[item(recorded)], []] : [[], [item(recorded)]])];
			if (summary.failed) {
				status = 'error';
				lastNode = 'Recovery Did Not Fix It';
				resultError = {
					level: 'error',
					tags: {},
					message: summary.message,
					name: 'NodeOperationError',
					node: { name: 'Recovery Did Not Fix It', type: 'n8n-nodes-base.stopAndError', typeVersion: 1 },
					timestamp: stoppedAt - 5,
					context: {},
					stack: `NodeOperationError: ${summary.message}\n    at ExecuteContext.execute (/usr/local/lib/node_modules/n8n/dist/node.js:1:1)`,
				};
				runData['Recovery Did Not Fix It'] = [nodeRun(stoppedAt - 8, 1, 6, 'Recovery Failed?', null, resultError)];
			} else {
				lastNode = 'Recovery Done';
				runData['Recovery Done'] = [nodeRun(stoppedAt - 8, 1, 6, 'Recovery Failed?', [[item(recorded)]])];
			}
		}
	} else {
		status = 'error';
		lastNode = fixNode;
		resultError = {
			level: 'error',
			tags: {},
			message: run.outcome.error,
			name: 'NodeOperationError',
			node: { name: fixNode, type: 'n8n-nodes-autorecovery.dbIntegrity', typeVersion: 1 },
			timestamp: stoppedAt - 5,
			context: {},
			stack: `NodeOperationError: ${run.outcome.error}\n    at ExecuteContext.execute (/usr/local/lib/node_modules/n8n/dist/node.js:1:1)`,
		};
		runData[fixNode] = [nodeRun(fixStart, run.durationMs - 30, 2, 'By Component', null, resultError)];
	}
	return {
		id: run.id,
		finished: status === 'success',
		mode: run.mode ?? 'integrated',
		retryOf: null,
		retrySuccessId: null,
		startedAt: new Date(run.startedAt).toISOString(),
		stoppedAt: new Date(stoppedAt).toISOString(),
		workflowId: RECOVER_ID,
		waitTill: null,
		customData: {},
		status,
		data: {
			startData: {},
			resultData: { runData, lastNodeExecuted: lastNode, ...(resultError ? { error: resultError } : {}) },
			executionData: { contextData: {}, nodeExecutionStack: [], metadata: {}, waitingExecution: {}, waitingExecutionSource: {} },
		},
	};
}

// ---- Results ----

const evolution = (message: string, code = 'whatsapp.disconnected'): CheckResult => failing({ component: 'whatsapp', target: 'evolution:ventas', code, message });
const catalog = (message: string, code = 'net.timeout'): CheckResult => failing({ component: 'database', target: 'postgres:shop', code, message });
const groq = (message: string): CheckResult => failing({ component: 'llm', target: 'groq', code: 'provider.rate_limited', status: 'degraded', message });

/** The database timeout, with ids/numbers that differ between occurrences (and a password the redaction must remove). */
export const dbTimeout = (ms: number, request: string): string =>
	`Postgres query on products timed out after ${ms} ms via postgres://shop:test-db-password-not-real@db.internal:5432/shop (request ${request}).`;
export const groqLimited = (seconds: number): string => `Groq answered 429: rate limited, retry in ${seconds} s.`;

export function diagnosis(component: Component, overrides: Partial<Diagnosis> = {}): Diagnosis {
	return {
		rootCause: `The ${component} dependency failed.`,
		summary: `An automatic action usually fixes the ${component} failure.`,
		severity: 'high',
		confidence: 0.8,
		recommendedActions: [],
		rejected: [],
		source: 'groq',
		model: 'llama-3.3-70b-versatile',
		latencyMs: 640,
		fingerprint: '0123456789abcdef',
		...overrides,
	};
}

/** Runs relative to NOW; letters name them in the test. Detect/duration seconds are the known numbers. */
function at(daysAgo: number, hoursAgo = 0): number {
	return NOW - daysAgo * DAY - hoursAgo * HOUR;
}

function run(id: string, startedAt: number, detectS: number | null, durationS: number, rest: Omit<RecoverRun, 'id' | 'startedAt' | 'durationMs' | 'incident'> & { firstSeenS?: number }): RecoverRun {
	const { firstSeenS, ...others } = rest;
	return {
		id,
		startedAt,
		durationMs: durationS * SEC,
		...(detectS !== null
			? { incident: { openedAt: startedAt - detectS * SEC, ...(firstSeenS !== undefined ? { firstSeenAt: startedAt - firstSeenS * SEC } : {}) } }
			: {}),
		...others,
	};
}

const whatsappFixed = recovery(healthy('whatsapp', 'evolution:ventas'), { action: 'whatsapp.reconnect' });
const hostDiskFull = failing({ component: 'host', target: 'host:local', code: 'host.disk_full', needsHuman: true, message: 'Disk /var/lib/n8n is 97% full (1.2 GB free).' });

/** The named runs of the fixed history (see the table in history.test.ts). */
export const RUNS = {
	/** 8 days ago: outside a 7-day window; its Groq error would make that group the most common if counted. */
	K: run('1001', at(8), 60, 20, { failing: groq(groqLimited(8)), outcome: { result: recovery(groq(groqLimited(8)), { action: 'llm.use_fallback' }) } }),
	A: run('1002', at(6), 60, 30, {
		failing: evolution('Evolution instance "ventas" is disconnected from WhatsApp (state close).'),
		diagnosis: diagnosis('whatsapp', { recommendedActions: ['whatsapp.reconnect'] }),
		outcome: { result: whatsappFixed },
	}),
	B: run('1003', at(5), 120, 40, {
		failing: evolution('Evolution API rejected apikey=test-evolution-key-not-real for instance "ventas".', 'auth.invalid_credentials'),
		outcome: { result: recovery(evolution('Evolution instance "ventas" is still disconnected.'), { action: 'whatsapp.reconnect' }) },
	}),
	/** The tracker saw the first failure 30 s before the start, the incident opened 20 s before it: detect is 30 s. */
	D: run('1004', at(4), 20, 20, {
		firstSeenS: 30,
		failing: catalog(dbTimeout(10000, '4f9c2a71b3')),
		outcome: { result: recovery(healthy('database', 'postgres:shop'), { action: 'database.reconnect' }) },
	}),
	/** The repair threw: an execution with status error and no Recovery Log Entry. */
	E: run('1005', at(3), 90, 5, { failing: catalog('The catalog has 0 products.', 'database.catalog_empty'), outcome: { error: dbTimeout(12000, '7c1e0b9a44') } }),
	/** Escalated by the tracker (its alert says so) yet still tried once. */
	F: run('1006', at(2), 300, 60, {
		decision: 'escalated',
		alertKind: 'escalated',
		failing: catalog(dbTimeout(9000, '2b8d6e0f19')),
		outcome: { result: recovery(catalog(dbTimeout(9000, '2b8d6e0f19')), { action: 'database.reconnect' }) },
		// Saved before failed recoveries stopped in error: read the same.
		legacy: true,
	}),
	G: run('1007', at(1, 12), 45, 15, {
		failing: failing({ component: 'payments', target: 'mercadopago', code: 'provider.server_error', message: 'MercadoPago answered 503 (Service Unavailable) for the health probe.' }),
		outcome: { result: recovery(healthy('payments', 'paypal'), { action: 'payments.use_fallback' }) },
	}),
	/** Nothing automatic applies to a full disk: the Escalate node answers. */
	H: run('1008', at(1, 6), 480, 2, {
		failing: hostDiskFull,
		diagnosis: diagnosis('host', { summary: 'The agent token=test-host-token-not-real cannot free space; a person must clean the disk.', recommendedActions: ['notify.escalate'] }),
		outcome: { result: escalationResult(hostDiskFull, 'No automatic action applies: a person must free disk space.') },
	}),
	/** A manual run from the endpoint: no tracking, no diagnosis. */
	C: run('1009', at(1), null, 10, {
		manual: true,
		failing: evolution('Evolution instance "ventas" is waiting for a QR scan.', 'whatsapp.qr_required'),
		outcome: { result: whatsappFixed },
	}),
	/** A forced manual run; the incident has only openedAt. */
	I: run('1010', at(0, 12), 75, 25, {
		manual: true,
		forced: true,
		decision: 'ongoing',
		failing: groq(groqLimited(12)),
		diagnosis: diagnosis('llm', { source: 'rules', recommendedActions: ['llm.use_fallback'] }),
		outcome: { result: recovery(healthy('llm', 'openai'), { action: 'llm.use_fallback' }) },
	}),
	/** A dry run: in the log, not in the stats. */
	J: run('1011', at(0, 6), 40, 3, { failing: groq(groqLimited(45)), outcome: { result: recovery(groq(groqLimited(45)), { action: 'llm.use_fallback', dryRun: true }) } }),
	L: run('1012', at(0, 1), 150, 50, { failing: groq(groqLimited(30)), outcome: { result: recovery(healthy('llm', 'openai'), { action: 'llm.use_fallback' }) } }),
} satisfies Record<string, RecoverRun>;

export type RunName = keyof typeof RUNS;

/** Executions of other workflows and ones that are not (yet) readable recoveries. */
export function otherExecutions(): unknown[] {
	const monitor: Json = {
		...recoverExecution(run('1013', at(0, 2), null, 4, { failing: groq(groqLimited(5)), outcome: { result: recovery(healthy('llm', 'openai'), { action: 'llm.use_fallback' }) } })),
		workflowId: WORKFLOW_IDS.monitor,
	};
	const running = recoverExecution(run('1014', at(0, 0.01), 30, 1, { failing: groq(groqLimited(5)), outcome: { result: recovery(healthy('llm', 'openai'), { action: 'llm.use_fallback' }) } }));
	Object.assign(running, { status: 'running', finished: false, stoppedAt: null });
	const waiting = { ...running, id: '1015', status: 'waiting' };
	// Listed without includeData=true: no run data at all.
	const withoutData: Json = { ...recoverExecution(RUNS.A), id: '1016' };
	delete withoutData.data;
	const badStart = { ...recoverExecution(RUNS.A), id: '1017', startedAt: 'not a date' };
	return [monitor, running, waiting, withoutData, badStart, null, 'garbage', 42, [], {}];
}

/** Every execution of the fixed history, shuffled (the API's order must not matter). */
export function historyExecutions(): unknown[] {
	const recoveries = (['E', 'L', 'A', 'K', 'C', 'J', 'H', 'B', 'F', 'I', 'G', 'D'] as RunName[]).map((name) => recoverExecution(RUNS[name]));
	const others = otherExecutions();
	return [...recoveries.slice(0, 5), ...others.slice(0, 5), ...recoveries.slice(5), ...others.slice(5)];
}

/** A log entry built directly, for stats tests that need one specific shape. */
export function logEntry(overrides: Partial<RecoveryLogEntry> = {}): RecoveryLogEntry {
	return {
		timestamp: new Date(NOW - HOUR).toISOString(),
		component: 'whatsapp',
		target: 'evolution:ventas',
		error: 'Evolution instance "ventas" is disconnected.',
		diagnosis: null,
		action: 'whatsapp.reconnect',
		success: true,
		dryRun: false,
		outcome: 'fixed',
		notNeeded: false,
		manual: false,
		forced: false,
		automatic: true,
		escalated: false,
		durationMs: 10 * SEC,
		detectMs: 60 * SEC,
		recoverMs: 70 * SEC,
		executionId: '1',
		executionUrl: null,
		...overrides,
	};
}
