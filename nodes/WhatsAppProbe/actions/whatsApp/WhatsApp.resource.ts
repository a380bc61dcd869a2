/** WhatsApp Probe's one resource: its operations and their parameters. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as check from './check.operation';
import * as conversationCheck from './conversationCheck.operation';
import * as getQr from './getQr.operation';
import * as passiveCheck from './passiveCheck.operation';
import * as recover from './recover.operation';
import * as relinkPage from './relinkPage.operation';
import * as sendMessage from './sendMessage.operation';
import * as webhookCheck from './webhookCheck.operation';

export const operations = { check, conversationCheck, passiveCheck, webhookCheck, recover, getQr, relinkPage, sendMessage } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'whatsApp',
	[
		{ name: 'Check', value: 'check', description: 'Tell whether customers can reach the bot', action: 'Check the whats app connection' },
		{
			name: 'Conversation Check',
			value: 'conversationCheck',
			description: 'Send a test message from a canary number and wait for the bot\'s reply, as a customer would',
			action: 'Check the conversation with the bot',
		},
		{ name: 'Get QR', value: 'getQr', description: 'Get the pending QR code as a PNG', action: 'Get the pending QR code' },
		{
			name: 'Passive Check',
			value: 'passiveCheck',
			description: 'Without a canary: tell a deaf bot from quiet hours by its own message history (Evolution, WAHA)',
			action: 'Check the bot by its message history',
		},
		{ name: 'Recover', value: 'recover', description: 'Reconnect, relink or re-register, re-checking after each step', action: 'Recover the whats app connection' },
		{
			name: 'Relink Page',
			value: 'relinkPage',
			description: 'Answer a signed relink link with a page showing the current QR, a pairing code form, or "connected"',
			action: 'Render the relink page',
		},
		{ name: 'Send Message', value: 'sendMessage', description: 'Send a text or image, e.g. an alert to the admin', action: 'Send a whats app message' },
		{
			name: 'Webhook Check',
			value: 'webhookCheck',
			description: 'Compare the gateway\'s webhook with the expected one (or remember a healthy one)',
			action: 'Check the webhook configuration',
		},
	],
	operations,
	'check',
);
