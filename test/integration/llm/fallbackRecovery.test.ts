/**
 * llm.use_fallback end to end without n8n: the real Groq, OpenAI and Anthropic clients
 * against their emulators, checked by recoverLlm, turned into one recovery result.
 * Groq answering 500 with OpenAI working falls back to OpenAI; every provider down
 * escalates; a rate-limited primary is kept; hangs cost one deadline; a dry run decides
 * the same. Every result passes the contract validator and carries no API key.
 */
import { DEFAULT_RECOVERY_DEADLINE_SECONDS } from '../../../nodes/shared/deadline';
import { recoverLlm } from '../../../nodes/LlmDiagnose/providers/fallbackRecovery';
import { createProvider } from '../../../nodes/LlmDiagnose/providers/createProvider';
import type { LlmProvider, LlmProviderName } from '../../../nodes/LlmDiagnose/providers/types';
import type { RecoveryResult } from '../../../nodes/shared/contract';
import { validateRecoveryResult } from '../../../nodes/shared/validate';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createAnthropicEmulator, type AnthropicState } from '../../../dev/emulators/llm/anthropic';
import { createGroqEmulator, type GroqState } from '../../../dev/emulators/llm/groq';
import { createOpenAiEmulator, type OpenAiState } from '../../../dev/emulators/llm/openai';

const KEYS: Record<LlmProviderName, string> = {
	groq: 'test-groq-key-not-real',
	openai: 'test-openai-key-not-real',
	anthropic: 'test-anthropic-key-not-real',
};
const MODELS: Record<LlmProviderName, string> = { groq: 'openai/gpt-oss-20b', openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' };
const TIMEOUT_MS = 2_000;

let groq: Emulator<GroqState>;
let openai: Emulator<OpenAiState>;
let anthropic: Emulator<AnthropicState>;

beforeAll(async () => {
	groq = await createGroqEmulator({ apiKeys: [KEYS.groq] }).start();
	openai = await createOpenAiEmulator({ apiKeys: [KEYS.openai] }).start();
	anthropic = await createAnthropicEmulator({ apiKeys: [KEYS.anthropic] }).start();
});
afterAll(async () => {
	await Promise.all([groq.close(), openai.close(), anthropic.close()]);
});
beforeEach(() => {
	for (const emulator of [groq, openai, anthropic]) emulator.reset();
	// reset() restores the default keys: keep ours.
	groq.patchState({ apiKeys: [KEYS.groq] });
	openai.patchState({ apiKeys: [KEYS.openai] });
	anthropic.patchState({ apiKeys: [KEYS.anthropic] });
});

function provider(name: LlmProviderName): LlmProvider {
	const baseUrl = { groq: groq.url, openai: `${openai.url}/v1`, anthropic: anthropic.url }[name];
	return createProvider({ name, apiKey: KEYS[name], baseUrl, model: MODELS[name] });
}

/** Valid contract for component llm, no key anywhere. */
function checked(result: RecoveryResult): RecoveryResult {
	expect(validateRecoveryResult(result)).toEqual([]);
	expect(result.component).toBe('llm');
	const text = JSON.stringify(result);
	for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
	expect(text).not.toMatch(/bearer\s+\S{6,}/i);
	return result;
}

async function recover(order: LlmProviderName[] = ['groq', 'openai', 'anthropic'], dryRun = false, timeoutMs = TIMEOUT_MS): Promise<RecoveryResult> {
	return checked(await recoverLlm({ providers: order.map(provider), checkOptions: { timeoutMs }, dryRun, deadlineMs: DEFAULT_RECOVERY_DEADLINE_SECONDS * 1000 }));
}

test('every provider works: Groq (primary) stays, nothing attempted, every provider was checked', async () => {
	const result = await recover();
	expect(result).toMatchObject({ target: 'groq', status: 'healthy', details: { model: MODELS.groq, selection: { use: 'groq', fallback: false } } });
	expect(result.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: false, success: false, before: 'healthy', after: 'healthy' });
	expect(result.recovery.steps.map((step) => step.message.split(':')[0])).toEqual(['primary groq', 'fallback 1 openai', 'fallback 2 anthropic', 'primary works']);
	expect(groq.requests('groq.chatCompletions')).toHaveLength(1);
	expect(openai.requests('openai.chatCompletions')).toHaveLength(1);
	expect(anthropic.requests('anthropic.messages')).toHaveLength(1);
});

test('Groq answering 500 with OpenAI working: llm.use_fallback succeeds, the item is the OpenAI check', async () => {
	groq.setFault('groq.chatCompletions', { status: 500 });
	const result = await recover();
	expect(result).toMatchObject({ component: 'llm', target: 'openai', status: 'healthy', details: { model: MODELS.openai, selection: { use: 'openai', fallback: true } } });
	expect(result.cause).toBeUndefined();
	expect(result.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy' });
	expect(result.recovery.dryRun).toBeUndefined();
	const [groqStep, openaiStep, anthropicStep, select] = result.recovery.steps;
	expect(groqStep).toMatchObject({ action: 'check', ok: false, message: expect.stringMatching(/^primary groq: down \(provider\.server_error: /) });
	expect(openaiStep).toMatchObject({ action: 'check', ok: true, message: 'fallback 1 openai: healthy' });
	expect(anthropicStep).toMatchObject({ action: 'check', ok: true });
	expect(select).toMatchObject({ action: 'select', ok: true, message: expect.stringMatching(/^groq is down .*openai works: use it as the fallback\. Nothing is changed here/) });
});

test('Groq key rejected and OpenAI answering 401: Anthropic is the fallback', async () => {
	groq.patchState({ apiKeys: ['test-other-key-not-real'] });
	openai.setFault('*', { status: 401 });
	const result = await recover();
	expect(result).toMatchObject({ target: 'anthropic', status: 'healthy', recovery: { action: 'llm.use_fallback', attempted: true, success: true } });
	expect(result.recovery.steps[0].message).toMatch(/auth\.invalid_credentials/);
});

test('every provider down: notify.escalate, nothing attempted, the item is the Groq check', async () => {
	groq.setFault('*', { status: 500 });
	openai.setFault('*', { status: 503 });
	anthropic.setFault('*', { reset: true });
	const result = await recover();
	expect(result).toMatchObject({ target: 'groq', status: 'down', cause: { code: 'provider.server_error' } });
	expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false, before: 'down', after: 'down' });
	expect(result.recovery.steps.at(-1)).toMatchObject({ action: 'select', ok: false, message: expect.stringMatching(/^No LLM provider is usable: .*fixed rules\. Nothing to switch to: escalate to a person\.$/) });
});

test('Groq rate limited (429): still usable, kept, nothing attempted', async () => {
	groq.setFault('groq.chatCompletions', { status: 429, retryAfter: 3 });
	const result = await recover();
	expect(result).toMatchObject({ target: 'groq', status: 'degraded', cause: { code: 'provider.rate_limited' } });
	expect(result.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: false, success: false, before: 'degraded', after: 'degraded' });
});

test('hung Groq and hung OpenAI: one deadline in all (checked at once), Anthropic is the fallback', async () => {
	groq.setFault('*', { hang: true });
	openai.setFault('*', { hang: true });
	const started = Date.now();
	const result = await recover(['groq', 'openai', 'anthropic'], false, 600);
	// One after the other would take at least 1200 ms.
	expect(Date.now() - started).toBeLessThan(1_100);
	expect(result).toMatchObject({ target: 'anthropic', recovery: { action: 'llm.use_fallback', attempted: true, before: 'down' } });
	expect(result.recovery.steps.slice(0, 2).map((step) => step.message)).toEqual([
		expect.stringMatching(/^primary groq: down \(net\.timeout: /),
		expect.stringMatching(/^fallback 1 openai: down \(net\.timeout: /),
	]);
});

test('dry run of a fallback: the same decision marked dry, never a success', async () => {
	groq.setFault('groq.chatCompletions', { status: 500 });
	const result = await recover(['groq', 'openai'], true);
	expect(result).toMatchObject({ target: 'openai', status: 'healthy' });
	expect(result.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: true, success: false, dryRun: true });
	expect(result.recovery.steps.at(-1)?.message).toMatch(/^dry run: would switch to openai\./);
});

test('a single provider that is down: escalated with its own cause', async () => {
	openai.setFault('openai.listModels', { status: 401 });
	const result = await recover(['openai']);
	expect(result).toMatchObject({ target: 'openai', status: 'down', cause: { code: 'auth.invalid_credentials', needsHuman: true }, recovery: { action: 'notify.escalate', attempted: false } });
});
