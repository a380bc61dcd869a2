/** DB Integrity's one resource: its operations and their parameters. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as check from './check.operation';
import * as checkErrorRate from './checkErrorRate.operation';
import * as repair from './repair.operation';

// Repair writes over the live catalog (images, a whole import): an AI agent may check, not repair
// (docs/development.md, "AI agents"); the Recover workflow runs it as a plain node.
export const operations = { check, checkErrorRate, repair: { ...repair, notForAgents: true } } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'catalog',
	[
		{ name: 'Check', value: 'check', description: 'Check the catalog: connectivity, empty, missing images, duplicates, orphans, prices, custom checks', action: 'Check the product catalog' },
		{ name: 'Check Error Rate', value: 'checkErrorRate', description: 'Compare recent errors in the bot\'s log table with their usual rate (Postgres)', action: 'Check the error rate of the bot logs' },
		{ name: 'Repair', value: 'repair', description: 'Restore images, import an empty catalog or reconnect, safely and in batches', action: 'Repair the product catalog' },
	],
	operations,
	'check',
);
