/** Format Incident Alert: the alert text of each item the Incident Tracker wants announced (others are dropped). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { alertAttachment } from '../../../shared/alerts/attachment';
import { formatAlert, type AlertInput } from '../../../shared/alerts/formatAlert';
import { executionUrl } from '../../../shared/executionUrl';
import { isRecord } from '../../../shared/json';
import { executionBaseUrlField, executionBaseUrlOf, recoverWorkflowIdField, recoverWorkflowIdOf } from '../../../shared/n8n/executionLinks';
import { languageOf } from '../../../shared/n8n/fields';
import { credentialText } from '../../../shared/n8n/credentials';
import { DEFAULT_LINK_TTL_MS, LINK_SECRET_PARAMETER, MAX_LINK_TTL_MS, MIN_SECRET_CHARS } from '../../../shared/links/incidentLinkToken';
import { needsRelinkPage, relinkBaseUrl, signedRelinkLink } from '../../../shared/links/relinkLink';

const show = { show: { operation: ['formatAlert'] } };

export const description: INodeProperties[] = [
	{ ...executionBaseUrlField, description: "The n8n editor URL: an alert after a recovery links to that recovery's execution (the item's recoveryExecutionId); empty: no link", displayOptions: show },
	{ ...recoverWorkflowIdField, displayOptions: show },
	{
		displayName: 'Status Page URL',
		name: 'statusPageUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/status',
		description: 'Linked from every alert (the Monitor\'s status page); empty: no link',
		displayOptions: show,
	},
	{
		displayName: 'Relink Page URL',
		name: 'relinkPageUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/relink',
		description:
			"Alerts that need a QR scan link this page (the Monitor's GET /webhook/relink) with a signed link for their incident; needs the Autorecovery Relink Link credential. Empty: no link.",
		displayOptions: show,
	},
	{
		displayName: 'Relink Link Lifetime (Minutes)',
		name: 'relinkLinkMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_LINK_TTL_MS / 60_000 },
		default: 120,
		description: 'How long a relink link works after the alert is sent',
		displayOptions: show,
	},
];

export const runs = 'perItem';

const RELINK_CREDENTIAL = 'autorecoveryRelinkLinkApi';

/** The relink page's signed link for this alert, when the page is configured and the cause needs a scan. */
async function relinkLink(ctx: IExecuteFunctions, itemIndex: number, tracking: IDataObject, result: IDataObject, hasQr: boolean): Promise<{ url: string; expiresAt: number } | undefined> {
	const raw = String(ctx.getNodeParameter('relinkPageUrl', itemIndex, '') ?? '').trim();
	if (raw === '') return undefined;
	const baseUrl = relinkBaseUrl(raw);
	if (!baseUrl) throw new NodeOperationError(ctx.getNode(), 'Parameter "Relink Page URL" must be an http(s) URL without a #fragment, e.g. https://n8n.example.com/webhook/relink', { itemIndex });
	const minutes = Number(ctx.getNodeParameter('relinkLinkMinutes', itemIndex, DEFAULT_LINK_TTL_MS / 60_000));
	if (!Number.isFinite(minutes) || minutes < 1 || minutes * 60_000 > MAX_LINK_TTL_MS) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Relink Link Lifetime (Minutes)" must be between 1 and ${MAX_LINK_TTL_MS / 60_000}`, { itemIndex });
	}
	const incident = isRecord(tracking.incident) ? tracking.incident : undefined;
	const cause = isRecord(result.cause) ? result.cause : isRecord(incident?.cause) ? incident.cause : undefined;
	const causeCode = typeof cause?.code === 'string' ? cause.code : undefined;
	const incidentId = typeof incident?.id === 'string' ? incident.id : '';
	const target = typeof result.target === 'string' ? result.target : '';
	if (tracking.alertKind === 'resolved' || result.component !== 'whatsapp' || incidentId === '' || target === '' || !needsRelinkPage(causeCode, hasQr)) return undefined;
	let secret = '';
	try {
		secret = credentialText(await ctx.getCredentials(RELINK_CREDENTIAL, itemIndex), 'secret');
	} catch {
		throw new NodeOperationError(ctx.getNode(), `Parameter "${LINK_SECRET_PARAMETER}" is not set: choose the Autorecovery Relink Link credential, or leave "Relink Page URL" empty`, { itemIndex });
	}
	if (secret.length < MIN_SECRET_CHARS) throw new NodeOperationError(ctx.getNode(), `Parameter "${LINK_SECRET_PARAMETER}" must be at least ${MIN_SECRET_CHARS} characters long`, { itemIndex });
	return signedRelinkLink({ baseUrl, secret, incidentId, target, now: Date.now(), ttlMs: Math.round(minutes * 60_000) });
}

/** When the QR the item carries was issued: the time of the result that brought it. */
function qrIssuedAt(result: IDataObject): number | undefined {
	const at = typeof result.checkedAt === 'string' ? Date.parse(result.checkedAt) : NaN;
	return Number.isFinite(at) ? at : undefined;
}

/** The Recover execution an item comes back from (set by the shipped Recover's log entry); null when none. */
function recoveryExecutionId(value: unknown): string | null {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const item = this.getInputData()[itemIndex];
	const tracking = item.json.tracking;
	if (!isRecord(tracking)) throw new NodeOperationError(this.getNode(), `Input item ${itemIndex} has no "tracking": connect an Incident Tracker's output`, { itemIndex });
	if (tracking.alert !== true) return [];
	const { tracking: _tracking, ...result } = item.json;
	const base = executionBaseUrlOf(this, itemIndex);
	const executionId = recoveryExecutionId(item.json.recoveryExecutionId);
	const link = base && executionId ? executionUrl(base, recoverWorkflowIdOf(this, itemIndex), executionId) : null;
	const attachment = alertAttachment(Object.keys(item.binary ?? {}));
	const statusPageUrl = String(this.getNodeParameter('statusPageUrl', itemIndex, '') ?? '').trim();
	const relink = await relinkLink(this, itemIndex, tracking as IDataObject, result as IDataObject, attachment.hasImage);
	const issuedAt = attachment.hasImage ? qrIssuedAt(result as IDataObject) : undefined;
	const message = formatAlert({ ...(tracking as unknown as AlertInput), result: result as unknown as AlertInput['result'] }, {
		language: languageOf(this, itemIndex),
		...(link ? { executionUrl: link } : {}),
		// The editor is where a person changes a credential or opens the Monitor and the backups.
		...(base ? { editorUrl: base } : {}),
		...(statusPageUrl ? { statusPageUrl } : {}),
		hasQr: attachment.hasImage,
		...(issuedAt !== undefined ? { qrIssuedAt: issuedAt } : {}),
		...(relink ? { relink } : {}),
		now: Date.now(),
	});
	const alertMessage = { ...message, ...attachment };
	return [{ json: { ...item.json, alertMessage } as unknown as IDataObject, binary: item.binary }];
}
