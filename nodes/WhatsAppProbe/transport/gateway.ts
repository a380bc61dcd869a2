/**
 * Builds the gateway client for one item from the node's credential and the item's
 * target override (instance, session or phone number id), so many input items can
 * check many targets behind one credential.
 */
import { NodeOperationError, type ICredentialDataDecryptedObject, type IExecuteFunctions } from 'n8n-workflow';

import { credentialBaseUrl, credentialText as text } from '../../shared/n8n/credentials';

import { createCloudApiGateway } from '../providers/cloudApi';
import { createEvolutionGateway } from '../providers/evolution';
import type { GatewayKind, WhatsAppGateway } from '../providers/types';
import { createWahaGateway } from '../providers/waha';
import { PROVIDER_BASE_URLS } from '../../shared/providerBaseUrls';

const CREDENTIAL_BY_GATEWAY: Record<GatewayKind, string> = {
	cloudApi: 'autorecoveryWhatsAppCloudApi',
	evolution: 'autorecoveryEvolutionApi',
	waha: 'autorecoveryWahaApi',
};

function gatewayKind(ctx: IExecuteFunctions, itemIndex: number): GatewayKind {
	const kind = ctx.getNodeParameter('gateway', itemIndex) as string;
	if (!(kind in CREDENTIAL_BY_GATEWAY)) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Gateway" has an unsupported value: ${kind}`, { itemIndex });
	}
	return kind as GatewayKind;
}

/**
 * The instance, session or phone number id to use instead of the credential's. A result's
 * target (`evolution:ventas`, as the probes write it) is accepted as well: its gateway
 * prefix is dropped when it names this gateway.
 */
export function targetOverride(value: string, kind: GatewayKind): string {
	const trimmed = value.trim();
	const prefix = `${TARGET_PREFIX[kind]}:`;
	return trimmed.startsWith(prefix) ? trimmed.slice(prefix.length) : trimmed;
}

/** How each gateway's results name their targets (providers/*: `evolution:ventas`, `waha:default`, `cloudapi:<id>`). */
const TARGET_PREFIX: Record<GatewayKind, string> = { evolution: 'evolution', waha: 'waha', cloudApi: 'cloudapi' };

/** Secret values of the item's credential, for redacting error messages. */
export async function gatewaySecrets(ctx: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_BY_GATEWAY[gatewayKind(ctx, itemIndex)], itemIndex);
	return ['accessToken', 'apiKey', 'pin'].map((key) => text(credentials, key)).filter(Boolean);
}

export async function gatewayFor(ctx: IExecuteFunctions, itemIndex: number): Promise<WhatsAppGateway> {
	const kind = gatewayKind(ctx, itemIndex);
	const credentials = await ctx.getCredentials(CREDENTIAL_BY_GATEWAY[kind], itemIndex);
	const override = targetOverride(String(ctx.getNodeParameter('target', itemIndex, '') ?? ''), kind);
	return buildGateway(ctx, itemIndex, kind, credentials, override);
}

/** The gateways a canary can use: it must read its own inbox, which the Cloud API cannot. */
export type CanaryGatewayKind = Exclude<GatewayKind, 'cloudApi'>;

/**
 * The canary's credential types: copies of the gateways' types under their own names, because
 * n8n keys a node's credentials by type and the bot's and the canary's may be the same gateway.
 */
export const CANARY_CREDENTIAL_BY_GATEWAY: Record<CanaryGatewayKind, string> = {
	evolution: 'autorecoveryCanaryEvolutionApi',
	waha: 'autorecoveryCanaryWahaApi',
};

export const CANARY_CREDENTIAL_PARAMETER = 'Canary Credential';

function canaryKind(ctx: IExecuteFunctions, itemIndex: number): CanaryGatewayKind {
	const kind = ctx.getNodeParameter('canaryGateway', itemIndex, 'evolution') as string;
	if (!(kind in CANARY_CREDENTIAL_BY_GATEWAY)) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Canary Gateway" must be Evolution API or WAHA, got: ${kind}`, { itemIndex });
	}
	return kind as CanaryGatewayKind;
}

async function canaryCredentials(ctx: IExecuteFunctions, itemIndex: number): Promise<{ kind: CanaryGatewayKind; credentials: ICredentialDataDecryptedObject }> {
	const kind = canaryKind(ctx, itemIndex);
	try {
		return { kind, credentials: await ctx.getCredentials(CANARY_CREDENTIAL_BY_GATEWAY[kind], itemIndex) };
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			`Parameter "${CANARY_CREDENTIAL_PARAMETER}" is not set: choose the canary number's ${kind === 'evolution' ? 'Evolution API' : 'WAHA'} credential (a second WhatsApp number you own)`,
			{ itemIndex },
		);
	}
}

/** The canary's gateway, from its own credential (no target override: the canary is one number). */
export async function canaryGatewayFor(ctx: IExecuteFunctions, itemIndex: number): Promise<WhatsAppGateway> {
	const { kind, credentials } = await canaryCredentials(ctx, itemIndex);
	return buildGateway(ctx, itemIndex, kind, credentials, '');
}

/** Secret values of the bot's and the canary's credentials (Conversation Check uses both). */
export async function conversationSecrets(ctx: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	const bot = await gatewaySecrets(ctx, itemIndex).catch(() => []);
	const canary = await canaryCredentials(ctx, itemIndex).then(({ credentials }) => text(credentials, 'apiKey'), () => '');
	return [...bot, canary].filter(Boolean);
}

function buildGateway(ctx: IExecuteFunctions, itemIndex: number, kind: GatewayKind, credentials: ICredentialDataDecryptedObject, override: string): WhatsAppGateway {
	const baseUrl = credentialBaseUrl(ctx, text(credentials, 'baseUrl') || PROVIDER_BASE_URLS.metaGraph, itemIndex);
	if (kind === 'evolution') {
		return createEvolutionGateway({ baseUrl, apiKey: text(credentials, 'apiKey'), instance: override || text(credentials, 'instance') });
	}
	if (kind === 'waha') {
		return createWahaGateway({ baseUrl, apiKey: text(credentials, 'apiKey'), session: override || text(credentials, 'session') || 'default' });
	}
	const graphVersion = text(credentials, 'graphVersion') || 'v23.0';
	if (!/^v\d+\.\d+$/.test(graphVersion)) {
		throw new NodeOperationError(ctx.getNode(), `The credential's "Graph API Version" must look like v23.0, got "${graphVersion}"`, { itemIndex });
	}
	return createCloudApiGateway({
		baseUrl,
		graphVersion,
		accessToken: text(credentials, 'accessToken'),
		phoneNumberId: override || text(credentials, 'phoneNumberId'),
		wabaId: text(credentials, 'wabaId') || undefined,
		pin: text(credentials, 'pin') || undefined,
	});
}
