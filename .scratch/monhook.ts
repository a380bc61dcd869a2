import fs from 'node:fs';
import { createTestN8n } from '../dev/n8n/testN8n';
async function main() {
	const env = await createTestN8n();
	try {
		const monitor = JSON.parse(fs.readFileSync('workflows/monitor.json', 'utf8'));
		await env.importCredentials([{ id: 'autorecoveryStatus01', name: 'Autorecovery status page login', type: 'httpBasicAuth', data: { user: 'u', password: 'p' } }]);
		await env.importWorkflow(monitor);
		await env.n8n.publishWorkflow(monitor.id);
		const t0 = Date.now();
		await env.startServer();
		console.log('started in', Date.now() - t0);
		for (let i = 0; i < 30; i++) {
			const r = await fetch(`${env.n8n.url}/webhook/status`, { headers: { authorization: 'Basic ' + Buffer.from('u:p').toString('base64') }, signal: AbortSignal.timeout(30000) }).catch((e) => ({ status: String(e) }));
			console.log(Date.now() - t0, 'status', (r as Response).status, r instanceof Response ? (await r.text()).slice(0, 200) : '');
			if ((r as Response).status !== 404) break;
			await new Promise((res) => setTimeout(res, 500));
		}
	} finally {
		console.log(env.n8n.tailLog(15));
		fs.cpSync(env.userFolder + '/.n8n/database.sqlite', '/tmp/monhook.sqlite');
		await env.cleanup();
	}
}
main();
