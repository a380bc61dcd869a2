import { createRouter } from '../../shared/n8n/router';
import { readProviders } from './providerFields';
import * as llm from './llm/Llm.resource';

export const router = createRouter({
	resources: { llm: llm.operations },
	secrets: async (ctx, itemIndex) => (await readProviders(ctx, itemIndex)).secrets,
});
