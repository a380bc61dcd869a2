/** Payment Link Test's one resource: its operations and their parameters. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as check from './check.operation';
import * as recover from './recover.operation';
import * as selectProvider from './selectProvider.operation';

export const operations = { check, recover, selectProvider } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'paymentLink',
	[
		{ name: 'Check', value: 'check', description: 'Check configuration and credentials and create a test payment link', action: 'Check a payment provider' },
		{ name: 'Recover', value: 'recover', description: 'Check both providers and switch to the secondary when only it works (payments.use_fallback), as a recovery result', action: 'Recover payments by switching to the fallback provider' },
		{ name: 'Select Provider', value: 'selectProvider', description: 'Pick the provider the bot should use from both providers\' checks', action: 'Select the payment provider to use' },
	],
	operations,
	'check',
);
