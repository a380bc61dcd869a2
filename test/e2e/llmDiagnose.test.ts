/**
 * LLM Diagnose in real n8n against the Groq, OpenAI and Anthropic emulators: a Groq
 * outage falls through to OpenAI and nothing secret reaches any provider; scheduled
 * runs of the same failure make one LLM call (the cache lives in workflow static data);
 * Check Providers reports each provider and picks the fallback.
 */
import type { RecordedRequest } from '../../dev/emulators/core/types';
import type { Emulator } from '../../dev/emulators/core/emulator';
import { createAnthropicEmulator, type AnthropicState } from '../../dev/emulators/llm/anthropic';
import { createGroqEmulator, type GroqState } from '../../dev/emulators/llm/groq';
import { createOpenAiEmulator, type OpenAiState } from '../../dev/emulators/llm/openai';
import { ruleDiagnosis } from '../../nodes/LlmDiagnose/diagnosis/rules';
import type { CheckResult } from '../../nodes/shared/contract';
import { validateCheckResult, validateDiagnosedResult } from '../../nodes/shared/validate';
import { createTestN8n, nodeItems, waitFor, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const KEYS = { groq: 'e2e-groq-key-not-real', openai: 'e2e-openai-key-not-real', anthropic: 'e2e-anthropic-key-not-real' };
const WRONG_GROQ = { id: 'llmGroqWrong0001', name: 'Groq (wrong key)', type: 'autorecoveryGroqApi' };
const CREDENTIALS = {
	groq: { id: 'llmGroqCred00001', name: 'E2E Groq', type: 'autorecoveryGroqApi' },
	openai: { id: 'llmOpenAiCred001', name: 'E2E OpenAI', type: 'autorecoveryOpenAiApi' },
	anthropic: { id: 'llmAnthropic0001', name: 'E2E Anthropic', type: 'autorecoveryAnthropicApi' },
};
const LEAKED_TOKEN = 'e2e-leaked-token-5f4e3d2c1b';
const CUSTOMER_PHONE = '+54 9 11 4444-3333';

/** A failing WhatsApp check whose message carries a token and a phone number that must never reach an LLM. */
const FAILING_ITEM = {
	component: 'whatsapp',
	target: 'evolution:ventas',
	status: 'down',
	checks: [{ name: 'connection_state', status: 'down', message: 'Evolution says the instance is closed', code: 'whatsapp.disconnected' }],
	cause: {
		code: 'whatsapp.disconnected',
		message: `Instance ventas is closed (apikey=${LEAKED_TOKEN}); last customer ${CUSTOMER_PHONE}`,
		retryable: true,
		needsHuman: false,
	},
	latencyMs: 12,
	checkedAt: '2026-11-22T00:00:00.000Z',
};

type Credentials = Partial<Record<'autorecoveryGroqApi' | 'autorecoveryOpenAiApi' | 'autorecoveryAnthropicApi', { id: string; name: string }>>;

function workflow(id: string, trigger: 'manual' | 'schedule', parameters: Record<string, unknown>, credentials: Credentials): WorkflowJson {
	const triggerNode =
		trigger === 'manual'
			? { id: 't', name: 'Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }
			: { id: 't', name: 'Trigger', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0], parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 3 }] } } };
	return {
		id,
		name: `E2E LLM Diagnose ${id}`,
		nodes: [
			triggerNode,
			{ id: 's', name: 'Failing Check', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [250, 0], parameters: { mode: 'raw', jsonOutput: JSON.stringify(FAILING_ITEM), options: {} } },
			{ id: 'l', name: 'LLM Diagnose', type: 'n8n-nodes-autorecovery.llmDiagnose', typeVersion: 1, position: [500, 0], parameters, credentials },
		],
		connections: {
			Trigger: { main: [[{ node: 'Failing Check', type: 'main', index: 0 }]] },
			'Failing Check': { main: [[{ node: 'LLM Diagnose', type: 'main', index: 0 }]] },
		},
	};
}

/** What the tests need of any emulator, whatever its state type. */
type AnyEmulator = Pick<Emulator<object>, 'requests' | 'clearFaults' | 'clearRequests' | 'setFault'>;

const chatCalls = (emulator: AnyEmulator, route: string) => emulator.requests(route).length;

function everythingSent(emulators: AnyEmulator[]): string {
	return emulators
		.flatMap((emulator) => emulator.requests())
		.map((request: RecordedRequest) => request.bodyText)
		.join('\n');
}

describe('LLM Diagnose in real n8n', () => {
	let groq: Emulator<GroqState>;
	let openai: Emulator<OpenAiState>;
	let anthropic: Emulator<AnthropicState>;
	let env: TestN8n;
	const all = (): AnyEmulator[] => [groq, openai, anthropic];
	const withAll: Credentials = {
		autorecoveryGroqApi: CREDENTIALS.groq,
		autorecoveryOpenAiApi: CREDENTIALS.openai,
		autorecoveryAnthropicApi: CREDENTIALS.anthropic,
	};

	beforeAll(async () => {
		groq = await createGroqEmulator({ apiKeys: [KEYS.groq] }).start();
		openai = await createOpenAiEmulator({ apiKeys: [KEYS.openai] }).start();
		anthropic = await createAnthropicEmulator({ apiKeys: [KEYS.anthropic] }).start();
		env = await createTestN8n();
		await env.importCredentials([
			{ ...CREDENTIALS.groq, data: { apiKey: KEYS.groq, baseUrl: groq.url } },
			{ ...CREDENTIALS.openai, data: { apiKey: KEYS.openai, baseUrl: `${openai.url}/v1`, organization: '' } },
			{ ...CREDENTIALS.anthropic, data: { apiKey: KEYS.anthropic, baseUrl: anthropic.url } },
			{ ...WRONG_GROQ, data: { apiKey: 'e2e-wrong-groq-key', baseUrl: groq.url } },
		]);
	});
	afterAll(async () => {
		await env?.cleanup();
		await Promise.all([groq?.close(), openai?.close(), anthropic?.close()]);
	});
	afterEach(() => {
		for (const emulator of all()) {
			emulator.clearFaults();
			emulator.clearRequests();
		}
	});

	test('Groq failing with 500 falls through to OpenAI; no secret, token or phone number reaches any provider', async () => {
		groq.setFault('*', { status: 500 });
		await env.importWorkflow(workflow('llmFallThrough01', 'manual', { operation: 'diagnose', language: 'en' }, withAll));
		const [item] = nodeItems(await env.execute('llmFallThrough01'), 'LLM Diagnose');
		expect(validateDiagnosedResult(item)).toEqual([]);
		expect(item.diagnosis).toMatchObject({ source: 'openai', model: expect.stringContaining('gpt-4o-mini'), recommendedActions: ['whatsapp.reconnect'] });
		expect((item.diagnosisAttempts as Array<{ provider: string; outcome: string }>).map((a) => [a.provider, a.outcome])).toEqual([
			['groq', 'server_error'],
			['openai', 'ok'],
		]);
		expect(chatCalls(openai, 'openai.chatCompletions')).toBe(1);
		expect(chatCalls(anthropic, 'anthropic.messages')).toBe(0);
		const sent = everythingSent(all());
		expect(sent).toContain('whatsapp.disconnected');
		for (const secret of [LEAKED_TOKEN, CUSTOMER_PHONE, ...Object.values(KEYS)]) expect(sent).not.toContain(secret);
		expect(JSON.stringify(item.diagnosis)).not.toContain(LEAKED_TOKEN);
	});

	test('every provider down: the fixed rules answer, in Spanish by default', async () => {
		for (const emulator of all()) emulator.setFault('*', { status: 503 });
		await env.importWorkflow(workflow('llmAllDown000001', 'manual', { operation: 'diagnose' }, withAll));
		const [item] = nodeItems(await env.execute('llmAllDown000001'), 'LLM Diagnose');
		expect(validateDiagnosedResult(item)).toEqual([]);
		expect(item.diagnosis).toMatchObject({ source: 'rules', recommendedActions: expect.arrayContaining(['whatsapp.reconnect']) });
		const spanish = ruleDiagnosis(FAILING_ITEM as unknown as CheckResult, 'es');
		expect(item.diagnosis).toMatchObject({ rootCause: spanish.rootCause, summary: spanish.summary });
	});

	test('scheduled runs of the same failure make one LLM call: the cache lives in workflow static data', async () => {
		await env.importWorkflow(workflow('llmScheduled0001', 'schedule', { operation: 'diagnose', language: 'en' }, withAll));
		await env.n8n.publishWorkflow('llmScheduled0001');
		await env.startServer();
		const executions = await waitFor(async () => {
			const list = await env.n8n.executions({ workflowId: 'llmScheduled0001', status: 'success' });
			return list.length >= 3 ? list : undefined;
		}, 60_000, 'three scheduled executions');
		expect(executions.every((execution) => execution.mode === 'trigger')).toBe(true);
		const sources: string[] = [];
		for (const execution of executions.slice(-3)) {
			const detail = (await env.n8n.execution(execution.id)) as { data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: { diagnosis: { source: string } } }>> } }>> } } };
			sources.push(detail.data.resultData.runData['LLM Diagnose'][0].data.main[0][0].json.diagnosis.source);
		}
		expect(sources.filter((source) => source === 'groq').length).toBeLessThanOrEqual(1);
		expect(sources.filter((source) => source === 'cache').length).toBeGreaterThanOrEqual(2);
		expect(chatCalls(groq, 'groq.chatCompletions')).toBe(1);
		expect(chatCalls(openai, 'openai.chatCompletions')).toBe(0);
	});

	test('Check Providers: a wrong Groq key is down, OpenAI and Anthropic healthy, and the bot should use OpenAI (fallback)', async () => {
		await env.importWorkflow(
			workflow('llmCheckProv0001', 'manual', { operation: 'checkProviders' }, { ...withAll, autorecoveryGroqApi: { id: WRONG_GROQ.id, name: WRONG_GROQ.name } }),
		);
		const items = nodeItems(await env.execute('llmCheckProv0001'), 'LLM Diagnose');
		expect(items.map((item) => [item.target, item.status])).toEqual([
			['groq', 'down'],
			['openai', 'healthy'],
			['anthropic', 'healthy'],
		]);
		for (const item of items) expect(validateCheckResult(item)).toEqual([]);
		expect(items[0].cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		expect((items[1].details as { selection: unknown }).selection).toMatchObject({ use: 'openai', fallback: true });
		expect(JSON.stringify(items)).not.toContain('e2e-wrong-groq-key');
	});

	test('n8n stored no API key in clear text', () => {
		const stored = env.storedText();
		for (const key of [...Object.values(KEYS), 'e2e-wrong-groq-key']) expect(stored).not.toContain(key);
	});
});
