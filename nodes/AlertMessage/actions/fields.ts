/** The language every alert of this node is written in. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const languageField: INodeProperties = {
	displayName: 'Language',
	name: 'language',
	type: 'options',
	options: [
		{ name: 'Spanish', value: 'es' },
		{ name: 'English', value: 'en' },
	],
	default: 'es',
};

export function languageOf(ctx: IExecuteFunctions, itemIndex: number): 'es' | 'en' {
	return ctx.getNodeParameter('language', itemIndex, 'es') === 'en' ? 'en' : 'es';
}
