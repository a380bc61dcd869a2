/**
 * The result vocabulary every node speaks (see the project's design contract):
 * components, statuses, check results, recovery results, diagnoses and the only
 * actions automation may take. Plain TypeScript, no n8n types, so workflows,
 * the incident logic and tests can all rely on one shape.
 */

export const COMPONENTS = ['whatsapp', 'database', 'payments', 'llm', 'backup', 'logs', 'host'] as const;
export type Component = (typeof COMPONENTS)[number];

export const STATUSES = ['healthy', 'degraded', 'down'] as const;
export type Status = (typeof STATUSES)[number];

const STATUS_RANK: Record<Status, number> = { healthy: 0, degraded: 1, down: 2 };

/** The worst-of rule: an item's status is the worst of its checks (healthy when none). */
export function worstStatus(statuses: Iterable<Status>): Status {
	let worst: Status = 'healthy';
	for (const status of statuses) if (STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
	return worst;
}

export const ACTION_IDS = [
	'whatsapp.reconnect',
	'whatsapp.relink',
	'whatsapp.register',
	'whatsapp.restore_webhook',
	'database.reconnect',
	'database.restore_images',
	'database.import_catalog',
	'payments.use_fallback',
	'llm.use_fallback',
	'backup.run',
	'backup.prune',
	'logs.archive',
	'notify.escalate',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

/** Which actions make sense for a failing component (escalation always does). */
export const ACTIONS_BY_COMPONENT: Record<Component, readonly ActionId[]> = {
	whatsapp: ['whatsapp.reconnect', 'whatsapp.relink', 'whatsapp.register', 'whatsapp.restore_webhook', 'notify.escalate'],
	database: ['database.reconnect', 'database.restore_images', 'database.import_catalog', 'notify.escalate'],
	payments: ['payments.use_fallback', 'notify.escalate'],
	llm: ['llm.use_fallback', 'notify.escalate'],
	backup: ['backup.run', 'backup.prune', 'notify.escalate'],
	logs: ['logs.archive', 'notify.escalate'],
	host: ['backup.prune', 'logs.archive', 'notify.escalate'],
};

export function isActionId(value: unknown): value is ActionId {
	return typeof value === 'string' && (ACTION_IDS as readonly string[]).includes(value);
}

/** A stable dotted id such as `whatsapp.qr_required` or `net.timeout`. */
export const CAUSE_CODE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export interface Cause {
	code: string;
	/** One sentence a person can act on; never contains a secret. */
	message: string;
	/** Would the same call likely succeed later by itself? */
	retryable: boolean;
	/** Can no automatic action fix it? */
	needsHuman: boolean;
}

export interface CheckEntry {
	name: string;
	status: Status;
	message: string;
	value?: unknown;
	durationMs?: number;
	/** Extension: the cause code of a failing check, so the item cause is traceable to it. */
	code?: string;
}

export interface CheckResult {
	component: Component;
	/** Which instance, e.g. `evolution:ventas`, `postgres:shop`, `mercadopago`, `groq`. */
	target: string;
	/**
	 * Extension: which of a component's probes produced the result, when one target has several
	 * (WhatsApp: `conversation`, `webhook`; absent for the component's own Check). Part of the
	 * incident key, so each probe of a target has its own incident.
	 */
	probe?: string;
	status: Status;
	checks: CheckEntry[];
	cause?: Cause;
	latencyMs: number;
	/** ISO-8601 UTC. */
	checkedAt: string;
	details?: Record<string, unknown>;
}

export interface RecoveryStep {
	action: string;
	ok: boolean;
	message: string;
	durationMs: number;
}

export interface Recovery {
	action: ActionId;
	attempted: boolean;
	/** A re-check after the action came back healthy. */
	success: boolean;
	dryRun?: boolean;
	before: Status;
	after: Status;
	steps: RecoveryStep[];
	/** The bound the whole recovery ran under, ms. */
	deadlineMs?: number;
	/** The deadline passed before the recovery ended: the last step (action `deadline`) says where it stopped. */
	deadlineHit?: boolean;
	changed?: number;
	artifacts?: string[];
}

export interface RecoveryResult extends CheckResult {
	recovery: Recovery;
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DIAGNOSIS_SOURCES = ['groq', 'openai', 'anthropic', 'rules', 'cache'] as const;
export type DiagnosisSource = (typeof DIAGNOSIS_SOURCES)[number];

export interface Diagnosis {
	rootCause: string;
	summary: string;
	severity: Severity;
	/** 0..1 */
	confidence: number;
	recommendedActions: ActionId[];
	rejected: string[];
	source: DiagnosisSource;
	model?: string;
	latencyMs: number;
	fingerprint: string;
}

