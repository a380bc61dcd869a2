/**
 * Format Alert's relink link through the node (without n8n): only for WhatsApp QR causes,
 * signed with the Relink Link credential for the item's incident and target; bad
 * parameters name the parameter; an empty Relink Page URL needs no credential at all.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { AlertMessage } from '../../../nodes/AlertMessage/AlertMessage.node';
import { DEFAULT_LINK_TTL_MS, verifyIncidentLink } from '../../../nodes/shared/links/incidentLinkToken';
import { description as formatAlertDescription } from '../../../nodes/AlertMessage/actions/alert/formatAlert.operation';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';
import { failing, qrRequired, SEC, T0, tokenRevoked } from '../incident/results';
import { runScenario } from '../incident/scenario';

const SECRET = 'relink-SECRET-5e4d3c2b1a0f9e8d7c6b5a4f3e2d';
const BASE = 'https://n8n.example.test/webhook/relink';

function alertItem(result: ReturnType<typeof qrRequired>): IDataObject {
	const run = runScenario([
		{ at: T0, tick: [result] },
		{ at: T0 + 20 * SEC, tick: [result] },
	]);
	const tracked = run.alerts.at(-1);
	if (!tracked) throw new Error('no alert');
	return { ...result, tracking: tracked } as unknown as IDataObject;
}

async function format(item: IDataObject, parameters: Record<string, unknown>, credentials: Record<string, IDataObject> = { autorecoveryRelinkLinkApi: { secret: SECRET } }) {
	const ctx = fakeExecuteFunctions({ parameters: { resource: 'alert', operation: 'formatAlert', language: 'en', ...parameters }, input: [item], credentials: credentials as never });
	const [[output]] = await new AlertMessage().execute.call(ctx);
	return (output.json.alertMessage as { text: string }).text;
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as Error).message).not.toContain(SECRET);
	return (error as Error).message;
}

describe('Format Alert: the relink page link', () => {
	test('a QR alert gets a link signed for its incident and target, working for the lifetime set', async () => {
		const item = alertItem(qrRequired());
		const text = await format(item, { relinkPageUrl: BASE, relinkLinkMinutes: 30 });
		const url = /Open the relink page: (\S+)/.exec(text)?.[1] as string;
		expect(url.startsWith(`${BASE}?t=`)).toBe(true);
		const token = new URL(url).searchParams.get('t');
		const incidentId = ((item.tracking as IDataObject).incident as IDataObject).id;
		const verdict = verifyIncidentLink(token, SECRET, Date.now(), 'evolution:ventas');
		expect(verdict).toMatchObject({ ok: true, claims: { incidentId } });
		if (verdict.ok) expect(verdict.claims.expiresAt - Date.now()).toBeLessThanOrEqual(30 * 60_000);
		expect(text).not.toContain(SECRET);
	});

	test('other causes and an empty Relink Page URL: no link, and no credential needed', async () => {
		expect(await format(alertItem(failing({ code: 'whatsapp.unknown_state', needsHuman: true, message: 'Evolution reports an unknown state.' })), { relinkPageUrl: BASE })).not.toContain('relink page');
		expect(await format(alertItem(tokenRevoked()), { relinkPageUrl: BASE })).not.toContain('relink page');
		expect(await format(alertItem(qrRequired()), { relinkPageUrl: '' }, {})).not.toContain('relink page');
	});

	test('bad parameters name the parameter', async () => {
		const item = alertItem(qrRequired());
		expect(await errorOf(format(item, { relinkPageUrl: 'javascript:alert(1)' }))).toMatch(/Parameter "Relink Page URL" must be an http\(s\) URL/);
		expect(await errorOf(format(item, { relinkPageUrl: BASE, relinkLinkMinutes: 0 }))).toMatch(/Parameter "Relink Link Lifetime \(Minutes\)" must be between 1 and 1440/);
		expect(await errorOf(format(item, { relinkPageUrl: BASE }, {}))).toMatch(/Parameter "Relink Link Secret" is not set/);
		expect(await errorOf(format(item, { relinkPageUrl: BASE }, { autorecoveryRelinkLinkApi: { secret: 'short' } }))).toMatch(/Parameter "Relink Link Secret" must be at least 32 characters/);
	});

	test('the lifetime parameter defaults to the link module\'s default', () => {
		expect(formatAlertDescription.find((property) => property.name === 'relinkLinkMinutes')?.default).toBe(DEFAULT_LINK_TTL_MS / 60_000);
	});
});
