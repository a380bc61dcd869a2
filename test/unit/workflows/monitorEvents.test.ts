/** Issue 20: the gateway events as generated: webhooks in Autorecovery: Triggers, lanes in the Monitor (scripts/workflows/monitorEvents.ts, triggers.ts). */
import type { WorkflowJson } from '../../../scripts/workflows/builder';
import { CREDENTIALS, WORKFLOW_IDS } from '../../../scripts/workflows/ids';
import { MONITOR_ENTRIES } from '../../../scripts/workflows/monitorEntries';
import { EVENT_PATH } from '../../../scripts/workflows/monitorEvents';
import { generatedWorkflows } from '../../../scripts/workflows/shipped';
import { PROBES } from '../../../scripts/workflows/monitorParts';

const workflows = Object.values(generatedWorkflows());
const monitor = workflows.find((workflow) => workflow.id === WORKFLOW_IDS.monitor) as WorkflowJson;
const triggers = workflows.find((workflow) => workflow.id === WORKFLOW_IDS.triggers) as WorkflowJson;
const nodeOf = (workflow: WorkflowJson) => (name: string) => {
	const found = workflow.nodes.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no node ${name} in ${workflow.name}`);
	return found;
};
const targetsIn = (workflow: WorkflowJson) => (from: string, output = 0) => (workflow.connections[from]?.main[output] ?? []).map((connection) => connection.node);
const node = nodeOf(monitor);
const targets = targetsIn(monitor);
const trigger = nodeOf(triggers);
const triggerTargets = targetsIn(triggers);

describe('gateway events: the webhooks (Autorecovery: Triggers)', () => {
	const webhooks = triggers.nodes.filter((candidate) => candidate.type === 'n8n-nodes-base.webhook' && String(candidate.parameters.path).startsWith(EVENT_PATH));

	test('one raw-body POST webhook per source and a GET for Meta, each answered by a Respond node', () => {
		expect(webhooks.map((webhook) => [webhook.parameters.httpMethod, webhook.parameters.path]).sort()).toEqual([
			['GET', `${EVENT_PATH}/meta`],
			['POST', `${EVENT_PATH}/evolution`],
			['POST', `${EVENT_PATH}/meta`],
			['POST', `${EVENT_PATH}/waha`],
		]);
		for (const webhook of webhooks) {
			expect(webhook.parameters.responseMode).toBe('responseNode');
			if (webhook.parameters.httpMethod === 'POST') expect(webhook.parameters.options).toMatchObject({ binaryData: true, binaryPropertyName: 'data' });
		}
	});

	test('each goes to the Monitor with its entry and waits for the answer, which goes back to the gateway', () => {
		const entries: Record<string, string> = { 'Evolution Event': MONITOR_ENTRIES.evolution, 'WAHA Event': MONITOR_ENTRIES.waha, 'Meta Event': MONITOR_ENTRIES.meta, 'Meta Verification': MONITOR_ENTRIES.metaVerification };
		for (const webhook of webhooks) {
			const [entry] = triggerTargets(webhook.name);
			expect(JSON.stringify(trigger(entry).parameters)).toContain(`"value":"${entries[webhook.name]}"`);
			const [call] = triggerTargets(entry);
			expect(trigger(call).parameters).toMatchObject({ workflowId: { value: WORKFLOW_IDS.monitor }, options: { waitForSubWorkflow: true } });
			const [respond] = triggerTargets(call);
			expect(trigger(respond).type).toBe('n8n-nodes-base.respondToWebhook');
		}
	});

	test('after the answer, only decided events go back to the Monitor, without waiting', () => {
		for (const name of ['Evolution Event', 'WAHA Event', 'Meta Event']) expect(triggerTargets(`Answer ${name}`)).toEqual(['Decided?']);
		expect(triggerTargets('Answer Meta Verification')).toEqual([]);
		expect(triggerTargets('Decided?')).toEqual(['Decision Entry']);
		expect(trigger('Decision Entry').parameters).toMatchObject({ assignments: { assignments: [{ name: 'entry', value: MONITOR_ENTRIES.eventDecision }, { name: 'decision', value: '={{ $json }}' }] } });
		expect(trigger(triggerTargets('Decision Entry')[0]).parameters).toMatchObject({ workflowId: { value: WORKFLOW_IDS.monitor }, options: { waitForSubWorkflow: false } });
	});
});

describe('gateway events: the lanes (Autorecovery: Monitor)', () => {
	test('each Ingest is an Incident Tracker Gateway Event node with the shipped credential, reading the request from the call', () => {
		for (const [source, label] of [['evolution', 'Evolution'], ['waha', 'WAHA'], ['meta', 'Meta']]) {
			const ingest = node(`Ingest ${label} Event`);
			expect(ingest).toMatchObject({ type: 'n8n-nodes-autorecovery.incidentTracker', parameters: { resource: 'event', operation: 'ingest', source } });
			expect(ingest.credentials).toEqual({ autorecoveryGatewayEventsApi: CREDENTIALS.gatewayEvents });
			expect(String(ingest.parameters.requestHeaders)).toBe("={{ $('When Called').first().json.headers }}");
			// Its items are the answer: the lane ends there.
			expect(targets(ingest.name)).toEqual([]);
		}
	});

	test('decided events join the tick\'s Route; the tick still reaches every probe', () => {
		const rules = (node('Gateway Event Entry').parameters.rules as { values: Array<{ conditions: { conditions: Array<{ rightValue: string }> } }> }).values;
		const decisionBranch = rules.findIndex((rule) => rule.conditions.conditions[0].rightValue === MONITOR_ENTRIES.eventDecision);
		expect(targets('Gateway Event Entry', decisionBranch)).toEqual(['Decided Events']);
		expect(targets('Decided Events')).toEqual(['Route']);
		// The API's Entry switch hands everything it does not answer (its fallback, the output after its rules) on to the events' switch.
		const apiRules = (node('Entry').parameters.rules as { values: unknown[] }).values.length;
		expect(targets('Entry', apiRules)).toEqual(['Gateway Event Entry']);
		// The tick (the fallback) starts every probe (the customer-path checks follow the WhatsApp Check, not the tick).
		expect(targets('Gateway Event Entry', rules.length).sort()).toEqual(PROBES.map(([, label]) => `Check ${label}`).sort());
	});
});
