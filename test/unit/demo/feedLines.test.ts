import { messagesTo, slackPayloads } from '../../../scripts/lib/demo/alertFeed';
import { emailLine, executionLine, MAX_LINE, oneLine, recoverExecutionsUrl, SeenItems, slackLine, whatsappLine } from '../../../scripts/lib/demo/feedLines';
import { WORKFLOW_IDS } from '../../../scripts/workflows/ids';

describe('one line per message', () => {
	test('oneLine joins lines with " | ", drops blank ones and squeezes spaces', () => {
		expect(oneLine('*Resolved: WhatsApp*\n\n  back in 6 s.  \r\n*Status:*   working')).toBe('*Resolved: WhatsApp* | back in 6 s. | *Status:* working');
	});

	test('oneLine cuts long text at the limit with an ellipsis', () => {
		const line = oneLine('x'.repeat(1000));
		expect(line).toHaveLength(MAX_LINE);
		expect(line.endsWith('…')).toBe(true);
		expect(oneLine('short', 10)).toBe('short');
	});

	test('each source has its own prefix', () => {
		expect(slackLine({ text: 'Incident: LLM (groq) is down\nCause: 500' })).toBe('[slack] Incident: LLM (groq) is down | Cause: 500');
		expect(slackLine({ blocks: [] })).toBe('[slack] {"blocks":[]}');
		expect(emailLine({ to: ['owner@shop.local'], subject: 'Resolved: WhatsApp' })).toBe('[email → owner@shop.local] Resolved: WhatsApp');
		expect(emailLine({ to: [], subject: undefined })).toBe('[email → ?] (no subject)');
		expect(whatsappLine({ number: '5215599999999', text: 'a\nb' })).toBe('[whatsapp → +5215599999999] a | b');
	});

	test('a Recover execution links to its page in the editor', () => {
		expect(recoverExecutionsUrl('http://localhost:5679/')).toBe(`http://localhost:5679/workflow/${WORKFLOW_IDS.recover}/executions`);
		expect(executionLine({ id: '12', status: 'success' }, 'http://localhost:5679')).toBe(
			`[n8n] Recover execution 12 ended without an outcome (success): http://localhost:5679/workflow/${WORKFLOW_IDS.recover}/executions/12`,
		);
	});

	test('a Recover execution says what it recovered and whether that fixed it, from its custom data, next to n8n\'s status', () => {
		const url = (id: string) => `http://localhost:5679/workflow/${WORKFLOW_IDS.recover}/executions/${id}`;
		const line = (id: string, status: string, customData: Record<string, string>) => executionLine({ id, status, customData }, 'http://localhost:5679');
		expect(line('12', 'success', { component: 'whatsapp', target: 'evolution:ventas', action: 'whatsapp.reconnect', outcome: 'fixed' })).toBe(`[n8n] Recover execution 12 fixed it (success): whatsapp evolution:ventas, whatsapp.reconnect: ${url('12')}`);
		expect(line('13', 'error', { component: 'database', target: 'postgres:shop', action: 'database.import_catalog', outcome: 'not fixed' })).toBe(`[n8n] Recover execution 13 did not fix it (error): database postgres:shop, database.import_catalog: ${url('13')}`);
		expect(line('14', 'error', { component: 'payments', action: 'notify.escalate', outcome: 'escalated' })).toBe(`[n8n] Recover execution 14 needs a person (error): payments, notify.escalate: ${url('14')}`);
		expect(line('15', 'success', { component: 'llm', outcome: 'not needed' })).toMatch(/^\[n8n\] Recover execution 15 nothing to fix \(success\): llm: /);
		expect(line('16', 'success', { outcome: 'dry run' })).toMatch(/^\[n8n\] Recover execution 16 dry run, nothing changed \(success\): http/);
		expect(line('17', 'error', { outcome: 'maybe' })).toMatch(/^\[n8n\] Recover execution 17 ended without an outcome \(error\): http/);
	});
});

describe('SeenItems', () => {
	test('append-only sources: each item once, in arrival order', () => {
		const seen = new SeenItems<string>();
		expect(seen.fresh(['a', 'b'])).toEqual(['a', 'b']);
		expect(seen.fresh(['a', 'b'])).toEqual([]);
		expect(seen.fresh(['a', 'b', 'c'])).toEqual(['c']);
	});

	test('keyed sources (a newest-first page): each key once, whatever its position', () => {
		const seen = new SeenItems<{ id: string }>((item) => item.id);
		expect(seen.fresh([{ id: '2' }, { id: '1' }])).toEqual([{ id: '2' }, { id: '1' }]);
		expect(seen.fresh([{ id: '3' }, { id: '2' }, { id: '1' }])).toEqual([{ id: '3' }]);
		expect(seen.fresh([])).toEqual([]);
	});
});

describe('reading the catchers', () => {
	test('slackPayloads takes the accepted payloads and ignores anything malformed', () => {
		const state = { received: [{ payload: { text: 'one' } }, { payload: 'not an object' }, null, { payload: { text: 'two' } }] };
		expect(slackPayloads(state)).toEqual([{ text: 'one' }, { text: 'two' }]);
		expect(slackPayloads(undefined)).toEqual([]);
		expect(slackPayloads({ received: 'nope' })).toEqual([]);
	});

	test('messagesTo keeps the messages to that number only', () => {
		const state = {
			sentMessages: [
				{ number: '5215599999999', text: 'to the admin' },
				{ number: '5215511111111', text: 'to a customer' },
				{ number: '5215599999999', text: 42 },
			],
		};
		expect(messagesTo(state, '5215599999999')).toEqual([{ number: '5215599999999', text: 'to the admin' }]);
		expect(messagesTo({}, '1')).toEqual([]);
	});
});
