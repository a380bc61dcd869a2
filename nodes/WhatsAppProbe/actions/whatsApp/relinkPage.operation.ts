/**
 * Relink Page: the HTML answer of the Monitor's `GET /webhook/relink?t=<signed link>`. A good
 * link (signed with the Relink Link credential's key, unexpired, for this node's target, its
 * incident's relink not done yet) gets the gateway's current QR, asked for on purpose like
 * Get QR, and a form for a pairing code; once the gateway says the session is open the page
 * says "connected ✓" and the link is used up. Anything else gets a 403 page that says why
 * and nothing more. Outputs one item `{ statusCode, html }` per input item.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { LINK_SECRET_PARAMETER, MIN_SECRET_CHARS } from '../../../shared/links/incidentLinkToken';
import { credentialText } from '../../../shared/n8n/credentials';
import { markLinkUsedState, readUsedLinksState } from '../../../shared/n8n/usedLinksState';
import { checkRelinkLink, gatewayView, pairingNumberOf, refusedModel, relinkPageModel, type RelinkLanguage } from '../../relink/relinkPage';
import { renderRelinkPage } from '../../relink/renderRelinkPage';
import { gatewayFor, gatewaySecrets } from '../../transport/gateway';
import { callOptions } from '../common';

export const RELINK_CREDENTIAL = 'autorecoveryRelinkLinkApi';

const show = { operation: ['relinkPage'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Link Token',
		name: 'linkToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		placeholder: "={{ $('Relink Page Request').first().json.query.t }}",
		description: 'The signed token of the link the owner opened (the query parameter t); an empty, forged or expired one gets a 403 page',
		displayOptions: { show },
	},
	{
		displayName: 'Typed Number',
		name: 'relinkNumber',
		type: 'string',
		default: '',
		placeholder: "={{ $('Relink Page Request').first().json.query.number }}",
		description: 'The phone number the owner typed in the page\'s form, to get a pairing code (Evolution, WAHA); empty: QR only',
		displayOptions: { show },
	},
	{
		displayName: 'Language',
		name: 'relinkLanguage',
		type: 'options',
		options: [
			{ name: 'Spanish', value: 'es' },
			{ name: 'English', value: 'en' },
		],
		default: 'es',
		description: 'Language of the page',
		displayOptions: { show },
	},
];

export const runs = 'perItem';

/** The key links are signed with, from the Relink Link credential; a missing or short one is the user's to fix. */
async function linkSecret(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	let secret = '';
	try {
		secret = credentialText(await ctx.getCredentials(RELINK_CREDENTIAL, itemIndex), 'secret');
	} catch {
		throw new NodeOperationError(ctx.getNode(), `Parameter "${LINK_SECRET_PARAMETER}" is not set: choose the Autorecovery Relink Link credential`, { itemIndex });
	}
	if (secret.length < MIN_SECRET_CHARS) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "${LINK_SECRET_PARAMETER}" must be at least ${MIN_SECRET_CHARS} characters long`, { itemIndex });
	}
	return secret;
}

function languageOf(ctx: IExecuteFunctions, itemIndex: number): RelinkLanguage {
	const language = ctx.getNodeParameter('relinkLanguage', itemIndex, 'es') as string;
	if (language !== 'es' && language !== 'en') throw new NodeOperationError(ctx.getNode(), `Parameter "Language" must be es or en, got ${String(language)}`, { itemIndex });
	return language;
}

/** Secrets masked in errors: the gateway's key and the link key. */
export async function secrets(ctx: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	const gateway = await gatewaySecrets(ctx, itemIndex).catch(() => []);
	const link = await ctx.getCredentials(RELINK_CREDENTIAL, itemIndex).then((credentials) => credentialText(credentials, 'secret'), () => '');
	return [...gateway, link].filter(Boolean);
}

function page(model: Parameters<typeof renderRelinkPage>[0]): INodeExecutionData[] {
	return [{ json: { statusCode: model.statusCode, state: model.state, html: renderRelinkPage(model) } as IDataObject }];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const language = languageOf(this, itemIndex);
	const token = this.getNodeParameter('linkToken', itemIndex, '') as unknown;
	const typed = this.getNodeParameter('relinkNumber', itemIndex, '') as unknown;
	const secret = await linkSecret(this, itemIndex);
	const options = callOptions(this, itemIndex);
	const gateway = await gatewayFor(this, itemIndex);
	const now = Date.now();
	const check = checkRelinkLink({ token: typeof token === 'string' ? token.trim() : token, secret, target: gateway.target, now, used: await readUsedLinksState(this) });
	if (!check.ok) return page(refusedModel(check.reason, language));

	const pairingNumber = pairingNumberOf(typed);
	// Asked on purpose, as Get QR: the page exists so a person can scan what the gateway shows now.
	const outcome = await gateway.getQr({ ...options, pairingNumber: pairingNumber || undefined });
	const model = relinkPageModel({
		language,
		token: String(token).trim(),
		incidentId: check.claims.incidentId,
		expiresAt: check.claims.expiresAt,
		view: gatewayView(outcome, [...gateway.secrets, secret]),
		pairingNumber,
	});
	if (model.state === 'connected') await markLinkUsedState(this, model.incidentId, now);
	return page(model);
}
