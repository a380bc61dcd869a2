/** Issue 20: the Monitor's gateway-event branch as generated (scripts/workflows/monitorEvents.ts). */
import type { WorkflowJson } from '../../../scripts/workflows/builder';
import { CREDENTIALS, WORKFLOW_IDS } from '../../../scripts/workflows/ids';
import { EVENT_PATH } from '../../../scripts/workflows/monitorEvents';
import { generatedWorkflows } from '../../../scripts/workflows/shipped';
import { PROBES } from '../../../scripts/workflows/monitorParts';

const monitor = Object.values(generatedWorkflows()).find((workflow) => workflow.id === WORKFLOW_IDS.monitor) as WorkflowJson;
const node = (name: string) => {
	const found = monitor.nodes.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no node ${name}`);
	return found;
};
const targets = (from: string, output = 0) => (monitor.connections[from]?.main[output] ?? []).map((connection) => connection.node);

describe('Monitor: gateway events', () => {
	test('one raw-body POST webhook per source and a GET for Meta, entering through Settings, answered by a Respond node', () => {
		const webhooks = monitor.nodes.filter((candidate) => candidate.type === 'n8n-nodes-base.webhook' && String(candidate.parameters.path).startsWith(EVENT_PATH));
		expect(webhooks.map((webhook) => [webhook.parameters.httpMethod, webhook.parameters.path]).sort()).toEqual([
			['GET', `${EVENT_PATH}/meta`],
			['POST', `${EVENT_PATH}/evolution`],
			['POST', `${EVENT_PATH}/meta`],
			['POST', `${EVENT_PATH}/waha`],
		]);
		for (const webhook of webhooks) {
			expect(webhook.parameters.responseMode).toBe('responseNode');
			if (webhook.parameters.httpMethod === 'POST') expect(webhook.parameters.options).toMatchObject({ binaryData: true, binaryPropertyName: 'data' });
			expect(targets(webhook.name)).toEqual(['Settings']);
		}
	});

	test('each Ingest is an Incident Tracker Gateway Event node with the shipped credential and no secret in its parameters', () => {
		for (const [source, label] of [['evolution', 'Evolution'], ['waha', 'WAHA'], ['meta', 'Meta']]) {
			const ingest = node(`Ingest ${label} Event`);
			expect(ingest).toMatchObject({ type: 'n8n-nodes-autorecovery.incidentTracker', parameters: { resource: 'event', operation: 'ingest', source } });
			expect(ingest.credentials).toEqual({ autorecoveryGatewayEventsApi: CREDENTIALS.gatewayEvents });
			expect(String(ingest.parameters.requestHeaders)).toBe(`={{ $('${label} Event').first().json.headers }}`);
			expect(targets(ingest.name)).toEqual(['Respond to Gateway']);
		}
	});

	test('the answer goes first; only decided events go on to the tick\'s Route; the tick still reaches every probe', () => {
		expect(targets('Respond to Gateway')).toEqual(['Act on Event?']);
		expect(targets('Act on Event?')).toEqual(['Route']);
		// The API's Entry switch hands everything it does not answer (its fallback, the output after its rules) on to the events' switch.
		const apiRules = (node('Entry').parameters.rules as { values: unknown[] }).values.length;
		expect(targets('Entry', apiRules)).toEqual(['Gateway Event Entry']);
		// The tick starts every probe (the customer-path checks follow the WhatsApp Check, not the tick).
		expect(targets('Gateway Event Entry', 4).sort()).toEqual(PROBES.map(([, label]) => `Check ${label}`).sort());
		expect(targets('Answer Meta Verification')).toEqual(['Respond to Meta Verification']);
	});
});
