/** LLM Diagnose's one resource: its operations and their parameters. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as checkProviders from './checkProviders.operation';
import * as diagnose from './diagnose.operation';
import * as recover from './recover.operation';

export const operations = { diagnose, checkProviders, recover } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'llm',
	[
		{ name: 'Check Providers', value: 'checkProviders', description: 'Key, model, latency and rate-limit headroom of each provider, and which to use now', action: 'Check the LLM providers' },
		{ name: 'Diagnose', value: 'diagnose', description: 'Add a root cause and recommended actions to each failing check result', action: 'Diagnose failing checks' },
		{ name: 'Recover', value: 'recover', description: 'Check the providers and switch to the first usable fallback when the primary is not usable (llm.use_fallback), as a recovery result', action: 'Recover the LLM by switching to a fallback provider' },
	],
	operations,
	'diagnose',
);
