/**
 * WhatsApp Probe's Relink Page operation (the node's execute, without n8n) against the
 * Evolution emulator: bad parameters name the parameter before any call; a good link shows
 * the gateway's current QR (a new one after the gateway rotates it), a pairing code for a
 * typed number, "connected ✓" after the scan, and then refuses; forged and expired links get
 * 403 without a call to the gateway. The used-links record lives in the state store (files
 * in a throw-away n8n folder).
 */
import { NodeOperationError, type ICredentialDataDecryptedObject, type IDataObject } from 'n8n-workflow';

import { signIncidentLink } from '../../../nodes/shared/links/incidentLinkToken';
import { WhatsAppProbe } from '../../../nodes/WhatsAppProbe/WhatsAppProbe.node';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createEvolutionEmulator, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { currentQrCode } from '../../../dev/emulators/whatsapp/evolution/qr';
import { qrPng } from '../../../dev/emulators/whatsapp/qrPng';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';
import { useTemporaryN8nFolder } from '../../harness/temporaryN8nFolder';

const API_KEY = 'evo-GLOBAL-relink-7c2e9a41d3';
const SECRET = 'relink-SECRET-0f9e8d7c6b5a4f3e2d1c0b9a8f7e';
const TARGET = 'evolution:ventas';

describe('Relink Page against the Evolution emulator', () => {
	useTemporaryN8nFolder();
	let emulator: Emulator<EvolutionState>;
	const node = new WhatsAppProbe();
	/** One workflow's static data: the runs of one test share the used-links record. */
	let staticData: Record<string, IDataObject>;

	beforeAll(async () => {
		emulator = createEvolutionEmulator({ apiKey: API_KEY });
		await emulator.start();
	});
	afterAll(async () => {
		await emulator.close();
	});
	beforeEach(() => {
		emulator.reset();
		staticData = {};
	});

	const credentials = (secret = SECRET): Record<string, ICredentialDataDecryptedObject> => ({
		autorecoveryEvolutionApi: { baseUrl: emulator.url, apiKey: API_KEY, instance: 'ventas' },
		autorecoveryRelinkLinkApi: { secret },
	});

	const link = (incidentId = 'inc-1', expiresAt = Date.now() + 3_600_000, now = Date.now(), secret = SECRET) =>
		signIncidentLink({ incidentId, target: TARGET, expiresAt }, secret, now);

	async function page(parameters: Record<string, unknown>, creds = credentials()): Promise<{ statusCode: number; state: string; html: string }> {
		const ctx = fakeExecuteFunctions({
			parameters: { resource: 'whatsApp', operation: 'relinkPage', gateway: 'evolution', relinkLanguage: 'en', options: { timeoutMs: 5_000 }, ...parameters },
			input: [{}],
			credentials: creds,
			staticData,
			workflowId: 'wfRelinkTest',
		});
		const [[item]] = await node.execute.call(ctx);
		return item.json as { statusCode: number; state: string; html: string };
	}

	async function errorOf(promise: Promise<unknown>): Promise<string> {
		const error = await promise.then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		const message = (error as Error).message;
		expect(message).not.toContain(SECRET);
		expect(message).not.toContain(API_KEY);
		return message;
	}

	const qrOnPage = (html: string) => /src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1];
	const currentPng = () => qrPng(currentQrCode('ventas', emulator.state.instances.ventas)).toString('base64');

	test('bad parameters name the parameter, before any call to the gateway', async () => {
		const before = emulator.requests().length;
		expect(await errorOf(page({ linkToken: link() }, { autorecoveryEvolutionApi: credentials().autorecoveryEvolutionApi }))).toMatch(/Parameter "Relink Link Secret" is not set/);
		expect(await errorOf(page({ linkToken: link() }, credentials('too-short')))).toMatch(/Parameter "Relink Link Secret" must be at least 32 characters/);
		expect(await errorOf(page({ linkToken: link(), relinkLanguage: 'fr' }))).toMatch(/Parameter "Language" must be es or en/);
		expect(emulator.requests().length).toBe(before);
	});

	test('forged, expired, empty and other-target links: 403, nothing else shown, the gateway not called', async () => {
		emulator.patchState({ instances: { ventas: { state: 'connecting' } } });
		const before = emulator.requests().length;
		const forged = link('inc-1', Date.now() + 3_600_000, Date.now(), 'another-SECRET-aaaaaaaaaaaaaaaaaaaaaaaaaaaa');
		const expired = link('inc-1', Date.now() - 60_000, Date.now() - 3_600_000);
		const otherTarget = signIncidentLink({ incidentId: 'inc-1', target: 'evolution:otra', expiresAt: Date.now() + 60_000 }, SECRET, Date.now());
		for (const token of [forged, expired, '', 'x.y', otherTarget]) {
			const answer = await page({ linkToken: token });
			expect(answer.statusCode).toBe(403);
			expect(answer.html).not.toMatch(/<img|<form|ventas|refresh/);
		}
		expect(emulator.requests().length).toBe(before);
	});

	test('the current QR, a new one after the gateway rotates it, a pairing code, then connected ✓ and the link refuses', async () => {
		emulator.patchState({ instances: { ventas: { state: 'connecting', qrCount: 1 } } });
		const token = link('inc-qr');
		const first = await page({ linkToken: token });
		expect(first.statusCode).toBe(200);
		expect(first.state).toBe('scan');
		expect(qrOnPage(first.html)).toBe(currentPng());
		expect(first.html).toMatch(/http-equiv="refresh" content="5;url=\?t=/);
		expect(first.html).not.toContain(API_KEY);
		expect(first.html).not.toContain(SECRET);

		// The gateway rotates its QR: the page shows the new one.
		emulator.patchState({ instances: { ventas: { qrCount: 2 } } });
		const second = await page({ linkToken: token });
		expect(qrOnPage(second.html)).toBe(currentPng());
		expect(qrOnPage(second.html)).not.toBe(qrOnPage(first.html));

		// A typed number: Evolution's connect?number= gives a pairing code for it.
		const paired = await page({ linkToken: token, relinkNumber: '+54 9 11 5555-1234' });
		expect(emulator.requests('evolution.connect').at(-1)?.query).toMatchObject({ number: '5491155551234' });
		const code = emulator.state.instances.ventas.pairing?.code as string;
		expect(paired.html).toContain(`id="pairing-code">${code}<`);
		const invalid = await page({ linkToken: token, relinkNumber: 'my phone' });
		expect(invalid.html).toContain('data-number-invalid="true"');

		// The owner scans the QR the page showed.
		emulator.act('scan', { instance: 'ventas', code: currentQrCode('ventas', emulator.state.instances.ventas), number: '5491155551234' });
		const connected = await page({ linkToken: token });
		expect(connected).toMatchObject({ statusCode: 200, state: 'connected' });
		expect(connected.html).toContain('WhatsApp is connected ✓');
		const after = await page({ linkToken: token });
		expect(after.statusCode).toBe(403);
		expect(after.html).toContain('already used');
		// Another incident's link is not used up.
		expect((await page({ linkToken: link('inc-other') })).statusCode).toBe(200);
	});

	test('no QR yet ({"count":0}): a waiting page that refreshes', async () => {
		emulator.patchState({ qrNotReady: true, instances: { ventas: { state: 'connecting' } } });
		const answer = await page({ linkToken: link('inc-wait') });
		expect(answer).toMatchObject({ statusCode: 200, state: 'waiting' });
		expect(answer.html).toContain('http-equiv="refresh"');
	});
});
