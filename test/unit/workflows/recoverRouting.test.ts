/**
 * Recover's By Component switch, read from the generated workflow and applied the way
 * n8n's Switch (rules mode, first match wins, fallback output last) applies it to a
 * result: which repair node each kind of failing result reaches.
 */
import type { WorkflowJson } from '../../../scripts/workflows/builder';
import { generatedWorkflows } from '../../../scripts/workflows/shipped';

interface Rule {
	conditions: { conditions: Array<{ leftValue: string; rightValue: string; operator: { operation: string } }> };
}

const recover = generatedWorkflows()['recover.json'] as WorkflowJson;
const router = recover.nodes.find((node) => node.name === 'By Component');
const rules = ((router?.parameters.rules as { values?: Rule[] } | undefined)?.values ?? []) as Rule[];

/** The name of the `$json.<field>` an expression reads (the rules only read fields). */
function fieldName(expression: string): string {
	const match = /^=\{\{ \$json\.(\w+) \}\}$/.exec(expression);
	if (!match) throw new Error(`not a field reference: ${expression}`);
	return match[1];
}

function holds(condition: Rule['conditions']['conditions'][number], item: Record<string, string>): boolean {
	const name = fieldName(condition.leftValue);
	// n8n: a field that is undefined or null does not exist.
	if (condition.operator.operation === 'notExists') return item[name] === undefined;
	const value = item[name] ?? '';
	switch (condition.operator.operation) {
		case 'equals':
			return value === condition.rightValue;
		case 'startsWith':
			return value.startsWith(condition.rightValue);
		default:
			throw new Error(`operation ${condition.operator.operation} is not modelled here`);
	}
}

/** The node the item reaches: the first rule whose conditions all hold, else the fallback (the last output). */
function routed(item: Record<string, string>): string {
	const index = rules.findIndex((rule) => rule.conditions.conditions.every((condition) => holds(condition, item)));
	const output = index === -1 ? rules.length : index;
	return recover.connections['By Component'].main[output][0].node;
}

describe("Recover's routing", () => {
	test.each([
		[{ component: 'whatsapp', target: 'evolution:ventas' }, 'Reconnect WhatsApp'],
		[{ component: 'whatsapp', target: 'evolution:ventas', probe: 'conversation' }, 'Recover Conversation'],
		[{ component: 'whatsapp', target: 'evolution:ventas', probe: 'webhook' }, 'Restore Webhook'],
		[{ component: 'whatsapp', target: 'evolution:ventas', probe: 'passive' }, 'Recover Passive'],
		// Each gateway's connection through its own node (and credential): never taken for an Evolution instance.
		[{ component: 'whatsapp', target: 'waha:default' }, 'Reconnect WhatsApp (WAHA)'],
		[{ component: 'whatsapp', target: 'cloudapi:106540352242922' }, 'Re-register WhatsApp (Cloud API)'],
		// The customer-path repairs use the shipped canary's gateway (Evolution): another gateway's such result needs a person.
		[{ component: 'whatsapp', target: 'waha:default', probe: 'conversation' }, 'Escalate'],
		[{ component: 'whatsapp', target: 'waha:default', probe: 'webhook' }, 'Escalate'],
		[{ component: 'whatsapp', target: 'cloudapi:106540352242922', probe: 'passive' }, 'Escalate'],
		// A gateway with no repair here.
		[{ component: 'whatsapp', target: 'meta:106540352242922' }, 'Escalate'],
		[{ component: 'database', target: 'postgres:shop' }, 'Repair Catalog'],
		[{ component: 'payments', target: 'mercadopago:link' }, 'Switch Payment Provider'],
		[{ component: 'llm', target: 'groq' }, 'Switch LLM Provider'],
		[{ component: 'host', target: 'host:/' }, 'Escalate'],
	])('%j → %s', (item, node) => {
		expect(routed(item)).toBe(node);
	});
});

describe("Recover's WhatsApp repair nodes", () => {
	const credentialTypeOf = { evolution: 'autorecoveryEvolutionApi', waha: 'autorecoveryWahaApi', cloudApi: 'autorecoveryWhatsAppCloudApi' } as const;
	test.each([
		['Reconnect WhatsApp', 'evolution'],
		['Reconnect WhatsApp (WAHA)', 'waha'],
		['Re-register WhatsApp (Cloud API)', 'cloudApi'],
	] as const)('%s speaks to %s with that gateway\'s credential only', (name, gateway) => {
		const node = recover.nodes.find((candidate) => candidate.name === name);
		expect(node?.parameters).toMatchObject({ gateway, operation: 'recover', target: '={{ $json.target }}' });
		expect(Object.keys(node?.credentials ?? {})).toEqual([credentialTypeOf[gateway]]);
	});
});
