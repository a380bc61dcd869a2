import { createTestN8n } from '../dev/n8n/testN8n';
async function main() {
	const env = await createTestN8n();
	try {
		await env.importWorkflow({
			id: 'hookProbe0000001', name: 'hook probe', active: false,
			nodes: [
				{ id: 'a', name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: '11111111-2222-3333-4444-555555555555', parameters: { httpMethod: 'GET', path: 'probe', responseMode: 'responseNode', options: {} } },
				{ id: 'b', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [200, 0], parameters: { respondWith: 'json', responseBody: '={{ {"ok": true} }}', options: {} } },
			],
			connections: { Hook: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] } },
		});
		await env.n8n.publishWorkflow('hookProbe0000001');
		const t0 = Date.now();
		await env.startServer();
		console.log('started in', Date.now() - t0);
		for (let i = 0; i < 40; i++) {
			const r = await fetch(`${env.n8n.url}/webhook/probe`, { signal: AbortSignal.timeout(20000) }).catch((e) => ({ status: String(e) }));
			console.log(Date.now() - t0, 'status', (r as Response).status, r instanceof Response ? await r.text() : '');
			if ((r as Response).status === 200) break;
			await new Promise((res) => setTimeout(res, 500));
		}
	} finally {
		console.log(env.n8n.tailLog(30));
		await env.cleanup();
	}
}
main();
