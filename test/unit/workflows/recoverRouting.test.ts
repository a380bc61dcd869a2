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

/** The `$json.<field>` an expression reads (the rules only read fields). */
function field(expression: string, item: Record<string, string>): string {
	const match = /^=\{\{ \$json\.(\w+) \}\}$/.exec(expression);
	if (!match) throw new Error(`not a field reference: ${expression}`);
	return item[match[1]] ?? '';
}

function holds(condition: Rule['conditions']['conditions'][number], item: Record<string, string>): boolean {
	const value = field(condition.leftValue, item);
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
		// Another gateway's target (a WAHA or Meta event) is never taken for an Evolution instance.
		[{ component: 'whatsapp', target: 'waha:default' }, 'Escalate'],
		[{ component: 'whatsapp', target: 'meta:106540352242922' }, 'Escalate'],
		[{ component: 'database', target: 'postgres:shop' }, 'Repair Catalog'],
		[{ component: 'payments', target: 'mercadopago:link' }, 'Switch Payment Provider'],
		[{ component: 'llm', target: 'groq' }, 'Switch LLM Provider'],
		[{ component: 'host', target: 'host:/' }, 'Escalate'],
	])('%j → %s', (item, node) => {
		expect(routed(item)).toBe(node);
	});
});
