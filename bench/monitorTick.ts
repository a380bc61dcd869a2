/**
 * Monitor benchmark, in real n8n (server running) against the emulators:
 *   1. one healthy tick with every emulator answering after 50 ms: the tick's wall time
 *      inside n8n (first node start → last node end) and n8n's own overhead, i.e. the
 *      wall time minus the probe nodes' own time, next to the probe calls alone
 *      (targets: tick ≤ 1.5 s, overhead ≤ 0.5 s);
 *   2. scenario 2 (the WhatsApp instance closes) with the default 20 s confirmation
 *      delay: from the tick's start (the fault is already there: the wait for the next
 *      tick is excluded) to the `resolved` alert arriving in Slack (target ≤ 30 s).
 *
 *   npx tsx bench/monitorTick.ts [--runs 5]
 *
 * Needs the provisioned n8n (`npm run n8n:provision`, or any e2e run) and a build.
 */
import { parseArgs } from 'node:util';

import { startMonitorStack } from '../dev/n8n/monitorStack';
import type { RunOutput } from '../dev/n8n/testN8n';

const PROBES = ['Check WhatsApp', 'Check Product Catalog', 'Check Bot Error Rate', 'Check Payment Link', 'Check LLM Providers', 'Check Server'];

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface NodeRun {
	startTime: number;
	executionTime: number;
}

function timesOf(run: RunOutput): { startedAt: number; wallMs: number; probeMs: number } {
	const runs = Object.entries(run.data.resultData.runData as unknown as Record<string, NodeRun[]>);
	const all = runs.flatMap(([, entries]) => entries);
	const startedAt = Math.min(...all.map((entry) => entry.startTime));
	const endedAt = Math.max(...all.map((entry) => entry.startTime + entry.executionTime));
	const probeMs = runs.filter(([name]) => PROBES.includes(name)).reduce((sum, [, entries]) => sum + entries.reduce((s, entry) => s + entry.executionTime, 0), 0);
	return { startedAt, wallMs: endedAt - startedAt, probeMs };
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
	const runs = Number(values.runs);
	const stack = await startMonitorStack();
	try {
		for (const emulator of [stack.evolution, stack.mercadopago, stack.paypal, stack.groq, stack.openai, stack.anthropic, stack.slack]) {
			(emulator as { setFault(route: string, fault: { latencyMs: number }): void }).setFault('*', { latencyMs: 50 });
		}
		await stack.tick(); // warm-up: first loads of node code and credentials
		const walls: number[] = [];
		const probes: number[] = [];
		const cli: number[] = [];
		for (let i = 0; i < runs; i += 1) {
			const started = performance.now();
			const run = await stack.tick();
			cli.push(performance.now() - started);
			if (run.data.resultData.error) throw new Error(`the tick failed: ${JSON.stringify(run.data.resultData.error).slice(0, 300)}`);
			const { wallMs, probeMs } = timesOf(run);
			walls.push(wallMs);
			probes.push(probeMs);
		}
		const overheads = walls.map((wall, i) => wall - probes[i]);
		console.log(`healthy tick, emulators at +50 ms, ${runs} runs:`);
		console.log(`  tick wall time inside n8n: median ${median(walls).toFixed(0)} ms (target ≤ 1500)  runs ${walls.map((v) => v.toFixed(0)).join(', ')}`);
		console.log(`  probe calls alone (the probe nodes' own time): median ${median(probes).toFixed(0)} ms`);
		console.log(`  n8n's overhead (wall − probes): median ${median(overheads).toFixed(0)} ms (target ≤ 500)`);
		console.log(`  (one \`n8n execute\` process, start to exit: median ${median(cli).toFixed(0)} ms; a running server pays none of its start-up)`);

		await stack.editMonitorSettings({ confirmDelaySeconds: 20 });
		stack.evolution.clearFaults();
		stack.evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'close' } } });
		const before = stack.slackTexts().length;
		const run = await stack.tick();
		const arrived = (stack.slack.state.received.at(-1) as { at?: string } | undefined)?.at;
		if (stack.slackTexts().length !== before + 1 || !/Resolved/i.test(stack.slackTexts()[before])) throw new Error(`expected one resolved alert, got ${JSON.stringify(stack.slackTexts().slice(before))}`);
		const { startedAt } = timesOf(run);
		const recoveredMs = (arrived ? Date.parse(arrived) : Date.now()) - startedAt;
		console.log(`scenario 2 (confirmation delay 20 s): tick start → resolved alert in Slack: ${(recoveredMs / 1000).toFixed(1)} s (target ≤ 30 s)`);
	} finally {
		await stack.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
