/** Parameters every WhatsApp Probe operation shares: the call timeout and the concurrency. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { numberParameter, runDeadlineOptionFields, timeoutOptionField, timeoutParameter } from '../../shared/n8n/parameters';
import { optionsCollection } from '../../shared/n8n/fields';

export const optionsDescription: INodeProperties = optionsCollection(undefined, [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 10,
			description: 'How many input items (targets) to handle at once',
		},
		timeoutOptionField('Deadline of every call to the gateway; a hanging gateway is reported as down (net.timeout)'),
		...runDeadlineOptionFields(),
	]);

export function callOptions(ctx: IExecuteFunctions, itemIndex: number): { timeoutMs: number } {
	return { timeoutMs: timeoutParameter(ctx, itemIndex) };
}

export function concurrencyOf(ctx: IExecuteFunctions): number {
	return numberParameter(ctx, 'options.concurrency', 'Concurrency', 0, 10, { min: 1, max: 50 });
}

/** E.164 digits only (what every gateway wants), or null when it is not a phone number. */
export function phoneDigits(value: string): string | null {
	// A person's WhatsApp id (a webhook's remoteJid) names the same number.
	const digits = value.trim().replace(/@(s\.whatsapp\.net|c\.us)$/, '').replace(/[\s()+.-]/g, '');
	return /^\d{8,15}$/.test(digits) ? digits : null;
}
