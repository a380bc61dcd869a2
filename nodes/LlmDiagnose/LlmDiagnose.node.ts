import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { providerFields } from './actions/providerFields';
import { resourceField } from '../shared/n8n/resource';
import * as llm from './actions/llm/Llm.resource';
import { router } from './actions/router';

export class LlmDiagnose implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LLM Diagnose',
		name: 'llmDiagnose',
		icon: { light: 'file:llmDiagnose.svg', dark: 'file:llmDiagnose.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "diagnose" ? "diagnose failures" : $parameter["operation"] === "recover" ? "recover: use fallback" : "check LLM providers"}}',
		description: 'Explains a failing check (root cause, safe next actions) with Groq, then OpenAI, then Anthropic, then fixed rules; and checks the LLM providers',
		defaults: { name: 'LLM Diagnose' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'autorecoveryGroqApi', required: false },
			{ name: 'autorecoveryOpenAiApi', required: false },
			{ name: 'autorecoveryAnthropicApi', required: false },
		],
		properties: [
			resourceField([{ name: 'LLM', value: 'llm' }]),
			...llm.description,
			...providerFields,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
