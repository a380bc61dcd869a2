/**
 * The alert for a failed workflow run (n8n's Error Trigger output): which workflow,
 * which node, what it said (redacted) and where to look. Same shape as formatAlert, so
 * the Alert sub-workflow sends both alike.
 */
import { isRecord } from '../json';
import { redact } from '../redact';
import { RECOVER_NODES, RECOVER_WORKFLOW_ID } from '../workflowIds';
import { escapeHtml, escapeSlack, type FormattedAlert, slackFields } from './render';

interface WorkflowErrorFacts {
	workflowName: string;
	nodeName: string;
	message: string;
	executionUrl?: string;
	at: string;
}

/** Reads n8n's Error Trigger item: `{ execution: { id, url, error: { message, node: { name } }, lastNodeExecuted }, workflow: { name } }`. */
export function readWorkflowError(item: Record<string, unknown>, now: number): WorkflowErrorFacts {
	const execution = isRecord(item.execution) ? item.execution : {};
	const workflow = isRecord(item.workflow) ? item.workflow : {};
	const error = isRecord(execution.error) ? execution.error : {};
	const node = isRecord(error.node) ? error.node : {};
	const text = (value: unknown, fallback: string) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback);
	const url = text(execution.url, '');
	return {
		workflowName: text(workflow.name, 'a workflow'),
		nodeName: text(node.name, text(execution.lastNodeExecuted, 'an unknown node')),
		message: text(error.message, 'no error message'),
		...(/^https?:\/\//.test(url) ? { executionUrl: url } : {}),
		at: new Date(now).toISOString(),
	};
}

/**
 * A Recover execution its "Recovery Did Not Fix It" node stopped: a recovery that did not fix
 * its target, failed on purpose so n8n's executions list shows it. The Monitor already alerts
 * it (with what was tried), so the Error Handler sends no second alert for it.
 */
export function isRecoveryNotFixedStop(item: Record<string, unknown>): boolean {
	const execution = isRecord(item.execution) ? item.execution : {};
	const workflow = isRecord(item.workflow) ? item.workflow : {};
	const error = isRecord(execution.error) ? execution.error : {};
	const node = isRecord(error.node) ? error.node : {};
	const failingNode = typeof node.name === 'string' ? node.name : execution.lastNodeExecuted;
	return String(workflow.id) === RECOVER_WORKFLOW_ID && failingNode === RECOVER_NODES.didNotFixIt;
}

export function formatWorkflowError(facts: WorkflowErrorFacts, language: 'es' | 'en', secrets: string[] = []): FormattedAlert {
	const clean = (value: string) => redact(value, { secrets }).slice(0, 500);
	const es = language === 'es';
	const title = es ? `Falló el flujo "${clean(facts.workflowName)}"` : `Workflow "${clean(facts.workflowName)}" failed`;
	const lines = [
		`${es ? 'Nodo' : 'Node'}: ${clean(facts.nodeName)}`,
		`${es ? 'Error' : 'Error'}: ${clean(facts.message)}`,
		`${es ? 'Cuándo' : 'When'}: ${facts.at}`,
		...(facts.executionUrl ? [`${es ? 'Detalle' : 'Details'}: ${facts.executionUrl}`] : []),
	];
	return {
		title,
		text: [title, ...lines].join('\n'),
		...slackFields([`*${escapeSlack(title)}*`, ...lines.map(escapeSlack)].join('\n')),
		emailSubject: `[autorecovery] ${title}`.replace(/\s+/g, ' '),
		emailHtml: `<h2>${escapeHtml(title)}</h2><ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
	};
}
