/** Node parameters several nodes declare the same way: the Options collection and the alert/report language. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** An "Options" collection (shown for the given operations, or always). */
export function optionsCollection(show: IDisplayOptions['show'] | undefined, options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, ...(show ? { displayOptions: { show } } : {}), options };
}

export type Language = 'es' | 'en';

/** The language a person reads (alerts, diagnoses, the status page, the daily report). */
export function languageField(show?: IDisplayOptions['show'], description?: string): INodeProperties {
	return {
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: [
			{ name: 'Spanish', value: 'es' },
			{ name: 'English', value: 'en' },
		],
		default: 'es',
		...(description ? { description } : {}),
		...(show ? { displayOptions: { show } } : {}),
	};
}

export function languageOf(ctx: IExecuteFunctions, itemIndex: number): Language {
	return ctx.getNodeParameter('language', itemIndex, 'es') === 'en' ? 'en' : 'es';
}
