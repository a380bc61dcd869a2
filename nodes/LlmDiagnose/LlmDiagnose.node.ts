import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as checkProviders from './actions/checkProviders.operation';
import * as diagnose from './actions/diagnose.operation';
import { providerFields } from './actions/providerFields';
import * as recover from './actions/recover.operation';
import { router } from './actions/router';

export class LlmDiagnose implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LLM Diagnose',
		name: 'llmDiagnose',
		icon: 'file:llmDiagnose.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "diagnose" ? "diagnose failures" : $parameter["operation"] === "recover" ? "recover: use fallback" : "check LLM providers"}}',
		description: 'Explains a failing check (root cause, safe next actions) with Groq, then OpenAI, then Anthropic, then fixed rules; and checks the LLM providers',
		defaults: { name: 'LLM Diagnose' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [
			{ name: 'autorecoveryGroqApi', required: false },
			{ name: 'autorecoveryOpenAiApi', required: false },
			{ name: 'autorecoveryAnthropicApi', required: false },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Check Providers', value: 'checkProviders', description: 'Key, model, latency and rate-limit headroom of each provider, and which to use now', action: 'Check the LLM providers' },
					{ name: 'Diagnose', value: 'diagnose', description: 'Add a root cause and recommended actions to each failing check result', action: 'Diagnose failing checks' },
					{ name: 'Recover', value: 'recover', description: 'Check the providers and switch to the first usable fallback when the primary is not usable (llm.use_fallback), as a recovery result', action: 'Recover the LLM by switching to a fallback provider' },
				],
				default: 'diagnose',
			},
			...providerFields,
			...diagnose.description,
			...checkProviders.description,
			...recover.description,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
