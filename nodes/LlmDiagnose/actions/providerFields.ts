/**
 * The provider chain both operations share: which providers, in which order, with
 * which model, from which credentials. A provider whose credential is not set is left
 * out of the chain (the rules always remain), never an error.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { credentialBaseUrl, credentialText } from '../../shared/n8n/credentials';
import { createProvider } from '../providers/createProvider';
import { DEFAULT_BASE_URLS, DEFAULT_MODELS, LLM_PROVIDERS, LlmProviderConfigError, type LlmProvider, type LlmProviderName } from '../providers/types';
import { asNodeError } from '../../shared/n8n/errors';

const CREDENTIAL_OF: Record<LlmProviderName, string> = {
	groq: 'autorecoveryGroqApi',
	openai: 'autorecoveryOpenAiApi',
	anthropic: 'autorecoveryAnthropicApi',
};

export const providerFields: INodeProperties[] = [
	{
		displayName: 'Provider Order',
		name: 'providerOrder',
		type: 'string',
		default: 'groq, openai, anthropic',
		description: 'Comma-separated: groq, openai, anthropic. Providers without a credential are skipped; the fixed rules always answer last.',
	},
	{ displayName: 'Groq Model', name: 'groqModel', type: 'string', default: 'openai/gpt-oss-20b', description: 'Groq reports the Llama 3.x IDs as deprecated; gpt-oss is the current choice' },
	{ displayName: 'OpenAI Model', name: 'openaiModel', type: 'string', default: 'gpt-4o-mini' },
	{ displayName: 'Anthropic Model', name: 'anthropicModel', type: 'string', default: 'claude-haiku-4-5' },
];

function readProviderOrder(ctx: IExecuteFunctions, itemIndex: number): LlmProviderName[] {
	const raw = String(ctx.getNodeParameter('providerOrder', itemIndex, 'groq, openai, anthropic') ?? '');
	const names = raw.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
	const order: LlmProviderName[] = [];
	for (const name of names) {
		if (!(LLM_PROVIDERS as readonly string[]).includes(name)) {
			throw new NodeOperationError(ctx.getNode(), `Parameter "Provider Order" lists an unknown provider "${name}" (use groq, openai, anthropic)`, { itemIndex });
		}
		if (order.includes(name as LlmProviderName)) {
			throw new NodeOperationError(ctx.getNode(), `Parameter "Provider Order" lists "${name}" twice`, { itemIndex });
		}
		order.push(name as LlmProviderName);
	}
	return order;
}

interface ConfiguredProviders {
	providers: LlmProvider[];
	/** Providers in the order that have no credential set. */
	missing: LlmProviderName[];
	/** The API keys, to mask everywhere. */
	secrets: string[];
}

/** The chain's providers, in order, for those whose credential is set. */
export async function readProviders(ctx: IExecuteFunctions, itemIndex: number): Promise<ConfiguredProviders> {
	const providers: LlmProvider[] = [];
	const missing: LlmProviderName[] = [];
	const secrets: string[] = [];
	for (const name of readProviderOrder(ctx, itemIndex)) {
		let credentials;
		try {
			credentials = await ctx.getCredentials(CREDENTIAL_OF[name], itemIndex);
		} catch {
			missing.push(name);
			continue;
		}
		const apiKey = credentialText(credentials, 'apiKey');
		if (apiKey === '') {
			missing.push(name);
			continue;
		}
		secrets.push(apiKey);
		const model = String(ctx.getNodeParameter(`${name}Model`, itemIndex, DEFAULT_MODELS[name]) ?? '').trim();
		try {
			providers.push(
				createProvider({
					name,
					apiKey,
					model,
					baseUrl: credentialBaseUrl(ctx, credentialText(credentials, 'baseUrl'), itemIndex) || DEFAULT_BASE_URLS[name],
					...(name === 'openai' && credentialText(credentials, 'organization') ? { organization: credentialText(credentials, 'organization') } : {}),
				}),
			);
		} catch (error) {
			if (error instanceof LlmProviderConfigError) {
				const parameter = error.parameter === 'model' ? `"${name === 'openai' ? 'OpenAI' : name === 'groq' ? 'Groq' : 'Anthropic'} Model"` : `the ${name} credential's ${error.parameter}`;
				throw new NodeOperationError(ctx.getNode(), `Parameter ${parameter}: ${error.message}`, { itemIndex });
			}
			throw asNodeError(ctx, error, itemIndex);
		}
	}
	return { providers, missing, secrets };
}
