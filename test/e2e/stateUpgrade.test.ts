/**
 * Upgrading keeps what the Monitor knows: n8n holds the Monitor's static data as saved by
 * 0.1.0 (an open WhatsApp incident, an escalated catalog incident), the user re-imports
 * the shipped Monitor as the upgrade says (its JSON carries no static data), and the next
 * tick in real n8n — run by the split nodes — continues from that state: the WhatsApp
 * incident resolves with one "resolved" alert, and nothing opens it again.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';

const FIXTURE = path.join(__dirname, '../fixtures/monitor-static-data-0.1.0.json');

let stack: MonitorStack;

beforeAll(async () => {
	stack = await startMonitorStack({ monitorStaticData: JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, unknown> });
	// The upgrade: the shipped Monitor imported over the running one, without static data.
	await stack.editMonitorSettings({});
}, 600_000);

afterAll(async () => {
	await stack?.close();
});

test('the next tick resolves the WhatsApp incident 0.1.0 left open, with one resolved alert and no new incident', async () => {
	// The emulated instance is open (healthy): the only news is that the old incident is over.
	await stack.tick();
	const whatsapp = stack.slackTexts().filter((text) => /WhatsApp/i.test(text));
	expect(whatsapp).toHaveLength(1);
	expect(whatsapp[0]).toMatch(/resolved|back/i);
	expect(whatsapp[0]).not.toMatch(/\bdown\b.*opened|new incident/i);
	// A second healthy tick has nothing more to say about WhatsApp.
	await stack.tick();
	expect(stack.slackTexts().filter((text) => /WhatsApp/i.test(text))).toHaveLength(1);
});
