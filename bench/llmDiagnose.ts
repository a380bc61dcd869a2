/**
 * LLM Diagnose benchmark, against the Groq, OpenAI and Anthropic emulators.
 *   1. 100 identical failures in one run, and the same failure in 10 runs sharing the
 *      static-data cache (JSON round trip between runs): LLM calls made (target 1 each).
 *   2. Groq hangs, OpenAI answers: added latency over (Groq timeout + OpenAI's own latency,
 *      measured alone in the same run) (target ≤ 100 ms).
 *   3. Every provider hangs: how long after the deadline the rules diagnosis arrives
 *      (target ≤ 50 ms).
 *
 *   npx tsx bench/llmDiagnose.ts [--runs 5]
 */
import { parseArgs } from 'node:util';

import { createCacheStore, type DiagnosisCacheStore } from '../nodes/LlmDiagnose/diagnosis/cache';
import { createDiagnosisService } from '../nodes/LlmDiagnose/diagnosis/diagnosisService';
import { createProvider } from '../nodes/LlmDiagnose/providers/createProvider';
import type { LlmProvider } from '../nodes/LlmDiagnose/providers/types';
import type { CheckResult } from '../nodes/shared/contract';
import { createAnthropicEmulator } from '../dev/emulators/llm/anthropic';
import { createGroqEmulator } from '../dev/emulators/llm/groq';
import { createOpenAiEmulator } from '../dev/emulators/llm/openai';

const KEYS = { groq: 'bench-groq-key-not-real', openai: 'bench-openai-key-not-real', anthropic: 'bench-anthropic-key-not-real' };

const FAILURE: CheckResult = {
	component: 'whatsapp',
	target: 'evolution:ventas',
	status: 'down',
	checks: [{ name: 'connection_state', status: 'down', message: 'closed', code: 'whatsapp.disconnected' }],
	cause: { code: 'whatsapp.disconnected', message: 'Evolution says the instance is closed', retryable: true, needsHuman: false },
	latencyMs: 5,
	checkedAt: new Date().toISOString(),
};

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
	const runs = Number(values.runs);
	const groq = await createGroqEmulator({ apiKeys: [KEYS.groq] }).start();
	const openai = await createOpenAiEmulator({ apiKeys: [KEYS.openai] }).start();
	const anthropic = await createAnthropicEmulator({ apiKeys: [KEYS.anthropic] }).start();
	const providers: LlmProvider[] = [
		createProvider({ name: 'groq', apiKey: KEYS.groq, baseUrl: groq.url, model: 'openai/gpt-oss-20b' }),
		createProvider({ name: 'openai', apiKey: KEYS.openai, baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }),
		createProvider({ name: 'anthropic', apiKey: KEYS.anthropic, baseUrl: anthropic.url, model: 'claude-haiku-4-5' }),
	];
	const service = (store: DiagnosisCacheStore, deadlineMs = 20_000, perProviderTimeoutMs = 8_000) =>
		createDiagnosisService({ store, ttlMs: 3_600_000, providers, deadlineMs, perProviderTimeoutMs, language: 'es', secrets: Object.values(KEYS), maskPhoneNumbers: true });
	const calls = () => groq.requests('groq.chatCompletions').length + openai.requests('openai.chatCompletions').length + anthropic.requests('anthropic.messages').length;
	try {
		// 1. Calls for repeated failures.
		const oneRun = service(createCacheStore());
		const before = calls();
		await Promise.all(Array.from({ length: 100 }, () => oneRun.diagnose({ ...FAILURE, checkedAt: new Date().toISOString() })));
		console.log(`100 identical failures in one run: ${calls() - before} LLM call(s)  (target 1)`);
		let persisted = JSON.stringify(createCacheStore());
		const acrossBefore = calls();
		for (let run = 0; run < 10; run += 1) {
			const store = JSON.parse(persisted) as DiagnosisCacheStore;
			const run = service(store);
			await Promise.all(Array.from({ length: 10 }, () => run.diagnose(FAILURE)));
			persisted = JSON.stringify(store);
		}
		console.log(`the same failure in 10 runs (10 items each, cache through JSON): ${calls() - acrossBefore} LLM call(s)  (target 1)`);

		// 2. Groq hangs, OpenAI answers.
		const groqTimeoutMs = 1_000;
		openai.setFault('openai.chatCompletions', { latencyMs: 50 });
		const openAiAlone: number[] = [];
		const chain: number[] = [];
		groq.setFault('groq.chatCompletions', { hang: true });
		for (let run = 0; run < runs; run += 1) {
			let started = performance.now();
			await providers[1].complete({ system: 'Answer in JSON.', messages: [{ role: 'user', content: 'ping' }], maxTokens: 300, json: true, timeoutMs: 5_000 });
			openAiAlone.push(performance.now() - started);
			started = performance.now();
			const { diagnosis } = await service(createCacheStore(), 20_000, groqTimeoutMs).diagnose(FAILURE);
			chain.push(performance.now() - started);
			if (diagnosis.source !== 'openai') throw new Error(`expected OpenAI to answer, got ${diagnosis.source}`);
		}
		const added = median(chain) - (groqTimeoutMs + median(openAiAlone));
		console.log(
			`Groq hangs (timeout ${groqTimeoutMs} ms), OpenAI answers: chain median ${median(chain).toFixed(0)} ms; OpenAI alone median ${median(openAiAlone).toFixed(0)} ms; added ${added.toFixed(0)} ms  (target ≤ 100 ms)`,
		);

		// 3. Every provider hangs: rules after the deadline.
		for (const emulator of [groq, openai, anthropic]) {
			emulator.clearFaults();
			emulator.setFault('*', { hang: true });
		}
		const deadlineMs = 1_500;
		const late: number[] = [];
		for (let run = 0; run < runs; run += 1) {
			const started = performance.now();
			const { diagnosis } = await service(createCacheStore(), deadlineMs, 1_000).diagnose(FAILURE);
			late.push(performance.now() - started - deadlineMs);
			if (diagnosis.source !== 'rules') throw new Error(`expected the rules, got ${diagnosis.source}`);
		}
		console.log(`every provider hangs (deadline ${deadlineMs} ms): rules arrive median ${median(late).toFixed(0)} ms after the deadline (runs ${late.map((v) => v.toFixed(0)).join(', ')})  (target ≤ 50 ms)`);
	} finally {
		await Promise.all([groq.close(), openai.close(), anthropic.close()]);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
