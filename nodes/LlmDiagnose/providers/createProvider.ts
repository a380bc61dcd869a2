/** The provider client for a config, by name: the one place that knows all three. */
import { createAnthropicProvider } from './anthropic';
import { createGroqProvider } from './groq';
import { createOpenAiProvider } from './openai';
import { LLM_PROVIDERS, LlmProviderConfigError, type LlmProvider, type LlmProviderConfig } from './types';

export function createProvider(config: LlmProviderConfig): LlmProvider {
	switch (config?.name) {
		case 'groq':
			return createGroqProvider(config);
		case 'openai':
			return createOpenAiProvider(config);
		case 'anthropic':
			return createAnthropicProvider(config);
		default:
			throw new LlmProviderConfigError('name', `config.name must be one of ${LLM_PROVIDERS.join(', ')}, got ${JSON.stringify((config as { name?: unknown } | undefined)?.name)}.`);
	}
}
