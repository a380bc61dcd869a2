/**
 * WhatsApp Probe benchmark (issue: node overhead ≤ 30 ms per check; 50 Evolution
 * instances with concurrency 10 ≤ 1.3× the same calls made directly).
 *
 *   npx tsx bench/whatsappProbe.ts [--runs 5] [--latency 50]
 *
 * Runs the real n8n server (workflows called through published webhooks, so the process
 * is warm as it is for scheduled runs; one warm-up call is discarded) against the
 * Evolution emulator with added latency on every route, and, in the same run, replays
 * exactly the HTTP requests the node made
 * with plain axios (one check's calls in parallel, as the gateway does; items with the
 * same concurrency) as the baseline. The node's own time
 * is n8n's executionTime of the Probe node. Prints medians and ratios.
 */
import { parseArgs } from 'node:util';

import axios from 'axios';

import { mapBounded } from '../nodes/shared/n8n/runPerItem';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionInstance } from '../dev/emulators/whatsapp/evolution';
import { createTestN8n, type RunOutput } from '../dev/n8n/testN8n';
import type { RecordedRequest } from '../dev/emulators/core/types';

const INSTANCES = 50;
const CONCURRENCY = 10;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function probeTime(run: RunOutput): number {
	const probe = run.data.resultData.runData.Probe?.[0] as { executionTime?: number } | undefined;
	if (probe?.executionTime === undefined) throw new Error(`Probe did not run: ${JSON.stringify(run.data.resultData.error ?? {})}`);
	return probe.executionTime;
}

/**
 * Replays one check's recorded requests with axios, all at once (the gateway sends a
 * healthy check's calls in parallel, so the fair baseline does too); returns wall ms.
 */
async function replay(baseUrl: string, requests: RecordedRequest[], rename?: (path: string) => string): Promise<number> {
	const started = performance.now();
	await Promise.all(requests.map((request) =>
		axios.request({
			method: request.method,
			url: baseUrl + (rename ? rename(request.path) : request.path),
			params: request.query,
			headers: { apikey: String(request.headers.apikey ?? '') },
			data: request.bodyText || undefined,
			validateStatus: () => true,
		}),
	));
	return performance.now() - started;
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, latency: { type: 'string', default: '50' } } });
	const runs = Number(values.runs);
	const latencyMs = Number(values.latency);
	const template = evolutionDefaults.instances.ventas;
	const instances: Record<string, EvolutionInstance> = {};
	for (let i = 0; i < INSTANCES; i++) instances[`inst${i}`] = { ...structuredClone(template), id: `instance-${i}`, name: `inst${i}` } as EvolutionInstance;
	const emulator = await createEvolutionEmulator({ instances }).start();
	emulator.setFault('*', { latencyMs });
	const env = await createTestN8n();
	try {
		await env.importCredentials([
			{ id: 'benchEvolution01', name: 'Bench Evolution', type: 'autorecoveryEvolutionApi', data: { baseUrl: emulator.url, apiKey: evolutionDefaults.apiKey, instance: 'inst0' } },
		]);
		const probe = (parameters: Record<string, unknown>) => ({
			id: 'p',
			name: 'Probe',
			type: 'n8n-nodes-autorecovery.whatsAppProbe',
			typeVersion: 1,
			position: [400, 0],
			parameters: { gateway: 'evolution', operation: 'check', ...parameters },
			credentials: { autorecoveryEvolutionApi: { id: 'benchEvolution01', name: 'Bench Evolution' } },
		});
		const trigger = (path: string) => ({
			id: 't',
			name: 'Trigger',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `bench-${path}`,
			parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
		});
		await env.importWorkflow({
			id: 'benchProbeSingle',
			name: 'Bench: one check',
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
			nodes: [trigger('bench-single'), probe({})],
			connections: { Trigger: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
		});
		await env.importWorkflow({
			id: 'benchProbeFifty0',
			name: 'Bench: 50 checks',
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
			nodes: [
				trigger('bench-fifty'),
				{
					id: 'c',
					name: 'Targets',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: { jsCode: `return Array.from({ length: ${INSTANCES} }, (_, i) => ({ json: { instance: 'inst' + i } }));` },
				},
				probe({ target: '={{ $json.instance }}', options: { concurrency: CONCURRENCY } }),
			],
			connections: {
				Trigger: { main: [[{ node: 'Targets', type: 'main', index: 0 }]] },
				Targets: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] },
			},
		});

		await env.n8n.publishWorkflow('benchProbeSingle');
		await env.n8n.publishWorkflow('benchProbeFifty0');
		await env.startServer();
		const runOnce = async (workflowId: string, path: string): Promise<number> => {
			const before = new Set((await env.n8n.executions({ workflowId })).map((e) => String(e.id)));
			const response = await fetch(`${env.n8n.url}/webhook/${path}`, { method: 'POST' });
			if (!response.ok) throw new Error(`webhook ${path} answered ${response.status}: ${await response.text()}`);
			const latest = (await env.n8n.executions({ workflowId })).find((e) => !before.has(String(e.id)));
			if (!latest) throw new Error(`no new execution of ${workflowId}`);
			return probeTime((await env.n8n.execution(String(latest.id))) as unknown as RunOutput);
		};
		await runOnce('benchProbeSingle', 'bench-single');
		await runOnce('benchProbeFifty0', 'bench-fifty');

		const single = { node: [] as number[], direct: [] as number[] };
		const fifty = { node: [] as number[], direct: [] as number[] };
		for (let r = 0; r < runs; r++) {
			emulator.clearRequests();
			single.node.push(await runOnce('benchProbeSingle', 'bench-single'));
			const oneCheck = emulator.requests();
			single.direct.push(await replay(emulator.url, oneCheck));

			emulator.clearRequests();
			fifty.node.push(await runOnce('benchProbeFifty0', 'bench-fifty'));
			if (emulator.requests().length !== oneCheck.length * INSTANCES) {
				throw new Error(`the 50-item run made ${emulator.requests().length} requests, expected ${oneCheck.length * INSTANCES}`);
			}
			const started = performance.now();
			await mapBounded(INSTANCES, CONCURRENCY, (i) => replay(emulator.url, oneCheck, (path) => path.replace(/\binst0\b/, `inst${i}`)));
			fifty.direct.push(performance.now() - started);
		}
		const overhead = median(single.node) - median(single.direct);
		console.log(`WhatsApp Probe benchmark: Evolution emulator, +${latencyMs} ms per call, ${runs} runs (medians)`);
		console.log(`  one Check:  node ${median(single.node).toFixed(1)} ms vs direct ${median(single.direct).toFixed(1)} ms → node overhead ${overhead.toFixed(1)} ms (target ≤ 30 ms)`);
		console.log(
			`  ${INSTANCES} Checks, concurrency ${CONCURRENCY}: node ${median(fifty.node).toFixed(1)} ms vs direct ${median(fifty.direct).toFixed(1)} ms → ratio ${(median(fifty.node) / median(fifty.direct)).toFixed(2)}× (target ≤ 1.3×)`,
		);
	} finally {
		await env.cleanup();
		await emulator.close();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
});
