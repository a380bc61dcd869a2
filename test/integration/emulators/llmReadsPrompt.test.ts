import type { Emulator } from '../../../dev/emulators/core/emulator';
import { DEFAULT_DIAGNOSIS } from '../../../dev/emulators/llm/common';
import { createAnthropicEmulator, type AnthropicState } from '../../../dev/emulators/llm/anthropic';
import { createGroqEmulator, type GroqState } from '../../../dev/emulators/llm/groq';
import { buildDiagnosisPrompt } from '../../../nodes/LlmDiagnose/diagnosis/prompt';
import { ruleDiagnosis } from '../../../nodes/LlmDiagnose/diagnosis/rules';
import type { CheckResult } from '../../../nodes/shared/contract';

const hostLoad: CheckResult = {
	component: 'host',
	target: 'host:shop-vps',
	status: 'degraded',
	cause: { code: 'host.cpu_high', message: 'CPU load is 7.9 on 2 cores for 5 minutes.', retryable: true, needsHuman: false },
	checks: [{ name: 'cpu', status: 'degraded', message: 'CPU load is 7.9 on 2 cores.', code: 'host.cpu_high' }],
	latencyMs: 3,
	checkedAt: '2026-12-07T09:00:00.000Z',
};
const emptyCatalog: CheckResult = {
	component: 'database',
	target: 'postgres:shop',
	status: 'down',
	cause: { code: 'database.catalog_empty', message: 'The products table has 0 rows.', retryable: false, needsHuman: true },
	checks: [{ name: 'catalog', status: 'down', message: 'The products table has 0 rows.', code: 'database.catalog_empty' }],
	latencyMs: 5,
	checkedAt: '2026-12-07T09:00:00.000Z',
};

async function groqAnswer(emulator: Emulator<GroqState>, messages: Array<{ role: string; content: string }>): Promise<string> {
	const response = await fetch(`${emulator.url}/openai/v1/chat/completions`, {
		method: 'POST',
		headers: { authorization: 'Bearer gsk_test_key', 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages }),
	});
	expect(response.status).toBe(200);
	const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
	return body.choices[0].message.content;
}

const promptMessages = (result: CheckResult, language: 'en' | 'es') => {
	const prompt = buildDiagnosisPrompt(result, { language, secrets: [], maskPhoneNumbers: false });
	return [
		{ role: 'system', content: prompt.system },
		{ role: 'user', content: prompt.user },
	];
};

describe('LLM emulators that answer about the failure they were given (the demo)', () => {
	let groq: Emulator<GroqState>;
	let anthropic: Emulator<AnthropicState>;
	beforeEach(async () => {
		groq = await createGroqEmulator({ answerFromPrompt: true }).start();
		anthropic = await createAnthropicEmulator({ answerFromPrompt: true }).start();
	});
	afterEach(async () => {
		await Promise.all([groq.close(), anthropic.close()]);
	});

	test('host load is diagnosed as host load, in English, with the rule for its cause', async () => {
		const answer = JSON.parse(await groqAnswer(groq, promptMessages(hostLoad, 'en'))) as Record<string, unknown>;
		const rule = ruleDiagnosis(hostLoad, 'en');
		expect(answer).toMatchObject({ rootCause: rule.rootCause, summary: rule.summary, severity: rule.severity, recommendedActions: rule.recommendedActions });
		expect(JSON.stringify(answer)).not.toMatch(/WhatsApp/);
	});

	test('an empty catalog, asked in Spanish, is answered in Spanish about the catalog', async () => {
		const answer = JSON.parse(await groqAnswer(groq, promptMessages(emptyCatalog, 'es'))) as Record<string, unknown>;
		const rule = ruleDiagnosis(emptyCatalog, 'es');
		expect(answer.summary).toBe(rule.summary);
		expect(answer.summary).not.toBe(ruleDiagnosis(emptyCatalog, 'en').summary);
	});

	test('Anthropic reads the system prompt from its own field', async () => {
		const prompt = buildDiagnosisPrompt(emptyCatalog, { language: 'es', secrets: [], maskPhoneNumbers: false });
		const response = await fetch(`${anthropic.url}/v1/messages`, {
			method: 'POST',
			headers: { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'claude-haiku-4-5-20251001', max_tokens: 400, system: prompt.system, messages: [{ role: 'user', content: prompt.user }] }),
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { content: Array<{ text: string }> };
		expect((JSON.parse(body.content[0].text) as { summary: string }).summary).toBe(ruleDiagnosis(emptyCatalog, 'es').summary);
	});

	test('scripted replies still come first; a prompt without a check result gets the default', async () => {
		groq.patchState({ replies: ['{"scripted":true}'] });
		expect(await groqAnswer(groq, promptMessages(hostLoad, 'en'))).toBe('{"scripted":true}');
		expect(await groqAnswer(groq, [{ role: 'user', content: 'hello' }])).toBe(DEFAULT_DIAGNOSIS);
	});

	test('off (every test but the demo): the canned default, whatever the prompt', async () => {
		groq.patchState({ answerFromPrompt: false });
		expect(await groqAnswer(groq, promptMessages(hostLoad, 'en'))).toBe(DEFAULT_DIAGNOSIS);
	});
});
