/**
 * The demo's terminal feed: one line per alert (Slack, e-mail, WhatsApp to the admin)
 * and per recovery in n8n's history, so a newcomer watches them arrive. Plain
 * formatting plus a tracker of what was printed already.
 */
import { RECOVERY_OUTCOMES, type RecoveryOutcome } from '../../../nodes/shared/recovery/outcome';
import { WORKFLOW_IDS } from '../../workflows/ids';

export const MAX_LINE = 300;

/** Collapses a multi-line message into one line, cut at `max` characters. */
export function oneLine(text: string, max = MAX_LINE): string {
	const flat = text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '')
		.join(' | ')
		.replace(/\s+/g, ' ');
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function slackLine(payload: Record<string, unknown>): string {
	const text = typeof payload.text === 'string' ? payload.text : JSON.stringify(payload);
	return `[slack] ${oneLine(text)}`;
}

export function emailLine(mail: { to: string[]; subject: string | undefined }): string {
	return `[email → ${mail.to.join(', ') || '?'}] ${oneLine(mail.subject ?? '(no subject)')}`;
}

export function whatsappLine(message: { number: string; text: string }): string {
	return `[whatsapp → +${message.number}] ${oneLine(message.text)}`;
}

/** The Recover workflow's execution list in the editor: the recovery log. */
export function recoverExecutionsUrl(editorUrl: string): string {
	return `${editorUrl.replace(/\/+$/, '')}/workflow/${WORKFLOW_IDS.recover}/executions`;
}

function recoverExecutionUrl(editorUrl: string, executionId: string): string {
	return `${recoverExecutionsUrl(editorUrl)}/${executionId}`;
}

/** How each outcome reads in the feed (shared/recovery/outcome decides which it is; Record Outcome stores it as custom data). */
const OUTCOME_WORDS: Record<RecoveryOutcome, string> = {
	fixed: 'fixed it',
	'not fixed': 'did not fix it',
	escalated: 'needs a person',
	'not needed': 'nothing to fix',
	'dry run': 'dry run, nothing changed',
};

/** A Recover execution as the public API lists it with `includeData=true` (its custom data says what and how it ended). */
export interface RecoverExecution {
	id: string;
	status: string;
	customData?: Record<string, string>;
}

/** "[n8n] Recover execution 12 did not fix it (error): whatsapp evolution:ventas, whatsapp.relink: <link>". */
export function executionLine(execution: RecoverExecution, editorUrl: string): string {
	const data = execution.customData ?? {};
	const outcome = (RECOVERY_OUTCOMES as readonly string[]).includes(data.outcome) ? OUTCOME_WORDS[data.outcome as RecoveryOutcome] : 'ended without an outcome';
	const what = [data.component, data.target].filter(Boolean).join(' ');
	const subject = [what, data.action].filter(Boolean).join(', ');
	return `[n8n] Recover execution ${execution.id} ${outcome} (${execution.status})${subject ? `: ${subject}` : ''}: ${recoverExecutionUrl(editorUrl, execution.id)}`;
}

/**
 * Remembers which items were printed. Append-only sources (the catchers' lists) are
 * tracked by position; sources that page (n8n's newest-first history) by key.
 */
export class SeenItems<T> {
	private count = 0;
	private readonly keys = new Set<string>();

	constructor(private readonly keyOf?: (item: T) => string) {}

	/** The items not returned before, oldest first when the source is append-only. */
	fresh(items: T[]): T[] {
		if (!this.keyOf) {
			const fresh = items.slice(this.count);
			this.count = Math.max(this.count, items.length);
			return fresh;
		}
		const keyOf = this.keyOf;
		const fresh = items.filter((item) => !this.keys.has(keyOf(item)));
		for (const item of fresh) this.keys.add(keyOf(item));
		return fresh;
	}
}
