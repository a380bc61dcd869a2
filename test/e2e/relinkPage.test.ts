/**
 * Done-when 4 of issue 19 in real n8n: the WhatsApp session needs a person (Evolution's
 * no-op restart of a closed instance, so the recovery hands out a QR), the escalation
 * carries a signed link to the Monitor's relink page (GET /webhook/relink), the owner opens
 * it: the page shows the gateway's current QR, a new one after the gateway rotates it, a
 * pairing code for a typed number; the emulator is told the QR was scanned, the page shows
 * "connected ✓", the next tick resolves the incident, and the link then refuses (403). An
 * expired or forged link gets 403 and shows nothing else; no page holds a secret.
 */
import { signIncidentLink } from '../../nodes/shared/links/incidentLinkToken';
import { CREDENTIALS } from '../../scripts/workflows/ids';
import { MONITOR_WEBHOOKS, startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';
import { evolutionDefaults } from '../../dev/emulators/whatsapp/evolution';
import { currentQrCode } from '../../dev/emulators/whatsapp/evolution/qr';
import { qrPng } from '../../dev/emulators/whatsapp/qrPng';

const SECRET = 'e2e-relink-SECRET-not-real-7d1f3a9c5e0b2d4f';
const TARGET = 'evolution:ventas';
/** The emulator replaces a pending QR this often (a real gateway: about every 20 s). */
const QR_ROTATE_MS = 4_000;

let stack: MonitorStack;

interface Page {
	status: number;
	html: string;
	contentType: string;
}

async function open(url: string): Promise<Page> {
	const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
	return { status: response.status, html: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}

const qrOnPage = (html: string) => /src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1];
const emulatorQr = () => qrPng(currentQrCode('ventas', stack.evolution.state.instances.ventas)).toString('base64');
const qrCount = () => stack.evolution.state.instances.ventas.qrCount;

/** The page and the QR the emulator holds right after it answered; read again if the gateway rotated in between. */
async function openScanPage(url: string): Promise<{ page: Page; qr: string }> {
	for (let attempt = 0; ; attempt += 1) {
		const before = qrCount();
		const page = await open(url);
		if (qrCount() === before || attempt >= 3) return { page, qr: emulatorQr() };
	}
}

async function until<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

function expectNothingShown(page: Page): void {
	expect(page.status).toBe(403);
	expect(page.html).not.toMatch(/<img|<form|http-equiv="refresh"|ventas|pairing/i);
	expect(page.html).not.toContain(SECRET);
	expect(page.html).not.toContain(evolutionDefaults.apiKey);
}

beforeAll(async () => {
	stack = await startMonitorStack({
		monitorSettings: (n8nUrl) => ({ budgetGapMinutes: 0.01, relinkPageUrl: `${n8nUrl}/webhook/relink` }),
		extraCredentials: [{ ...CREDENTIALS.relinkLink, type: 'autorecoveryRelinkLinkApi', data: { secret: SECRET } }],
		publish: MONITOR_WEBHOOKS,
	});
	const { env } = stack;
	// Published webhooks register just after the server says it is ready; without a token the page answers 403.
	await until('the relink webhook', async () => (await open(`${env.n8n.url}/webhook/relink`)).status, (status) => status !== 404);
}, 600_000);

afterAll(async () => {
	await stack?.close();
});

describe('the relink page in real n8n', () => {
	let link = '';

	test('a session that needs a QR: one escalation whose alert links the relink page (and still attaches the QR, with its expiry)', async () => {
		const slackBefore = stack.slackTexts().length;
		const mailsBefore = stack.smtp.messages().length;
		stack.evolution.patchState({ restartCloseQuirk: true, qrRotateMs: QR_ROTATE_MS, qrLimit: 1000, instances: { ventas: { state: 'close' } } });
		const run = await stack.tick();
		expect(run.data.resultData.error).toBeUndefined();
		const fresh = stack.slackTexts().slice(slackBefore);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]).toMatch(/whatsapp\.qr_required/);
		const found = /<(http:\/\/[^|>]+\/webhook\/relink\?t=[^|>]+)\|Open the relink page>/.exec(fresh[0]);
		expect(found).not.toBeNull();
		link = (found as RegExpExecArray)[1];
		const mails = await stack.smtp.waitForMessages(mailsBefore + 1, 10_000);
		const mail = mails[mailsBefore];
		expect(mail.attachments.map((attachment) => attachment.contentType)).toContain('image/png');
		expect(mail.text).toContain(`Open the relink page: ${link}`);
		expect(mail.text).toMatch(/The QR code is attached to this message; it expires at about \d\d:\d\d UTC\./);
		expect(stack.evolution.state.instances.ventas.state).toBe('connecting');
	});

	test('the page shows the gateway\'s current QR, and the new one after the gateway rotates it', async () => {
		const first = await openScanPage(link);
		expect(first.page.status).toBe(200);
		expect(first.page.contentType).toMatch(/text\/html/);
		expect(first.page.html).toContain('data-state="scan"');
		expect(first.page.html).toMatch(/<meta http-equiv="refresh" content="5;url=\?t=/);
		expect(first.page.html).not.toMatch(/<script/i);
		expect(qrOnPage(first.page.html)).toBe(first.qr);

		const count = qrCount();
		await until('the gateway to rotate its QR', qrCount, (now) => now > count, QR_ROTATE_MS * 5);
		const second = await openScanPage(link);
		expect(qrOnPage(second.page.html)).toBe(second.qr);
		expect(qrOnPage(second.page.html)).not.toBe(qrOnPage(first.page.html));
		for (const page of [first.page, second.page]) {
			expect(page.html).not.toContain(SECRET);
			expect(page.html).not.toContain(evolutionDefaults.apiKey);
		}
	});

	test('a typed number gets a pairing code from the gateway', async () => {
		const page = await open(`${link}&number=${encodeURIComponent('+54 9 11 5555-1234')}`);
		expect(page.status).toBe(200);
		const code = stack.evolution.state.instances.ventas.pairing?.code;
		expect(code).toBeDefined();
		expect(page.html).toContain(`id="pairing-code">${code as string}<`);
		expect(stack.evolution.requests('evolution.connect').at(-1)?.query).toMatchObject({ number: '5491155551234' });
	});

	test('the owner scans the QR: the page shows connected ✓, the next tick resolves the incident, then the link refuses', async () => {
		const { page, qr } = await openScanPage(link);
		expect(qrOnPage(page.html)).toBe(qr);
		// The person scans what the page showed (the emulator accepts only the current QR).
		stack.evolution.act('scan', { instance: 'ventas', code: currentQrCode('ventas', stack.evolution.state.instances.ventas) });
		expect(stack.evolution.state.instances.ventas.state).toBe('open');

		const connected = await open(link);
		expect(connected.status).toBe(200);
		expect(connected.html).toContain('data-state="connected"');
		expect(connected.html).toMatch(/connected ✓/);
		expect(connected.html).not.toContain('http-equiv="refresh"');

		const slackBefore = stack.slackTexts().length;
		await stack.tick();
		const fresh = stack.slackTexts().slice(slackBefore);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]).toMatch(/Resolved/);
		expect(fresh[0]).toMatch(/WhatsApp/);
		expect(fresh[0]).not.toContain('relink page');

		const refused = await open(link);
		expectNothingShown(refused);
		expect(refused.html).toMatch(/already used/);
	});

	test('an expired or forged link gets 403 and shows nothing else', async () => {
		// Another incident needs a QR, so a good link would show one: the refusals are the link's, not the session's.
		stack.evolution.patchState({ instances: { ventas: { state: 'connecting' } } });
		const base = `${stack.env.n8n.url}/webhook/relink?t=`;
		const now = Date.now();
		const expired = signIncidentLink({ incidentId: 'e2e-incident', target: TARGET, expiresAt: now - 60_000 }, SECRET, now - 3_600_000);
		const forged = signIncidentLink({ incidentId: 'e2e-incident', target: TARGET, expiresAt: now + 3_600_000 }, 'e2e-another-SECRET-0123456789abcdef012345', now);
		const [payload] = expired.split('.');
		const tampered = `${Buffer.from(JSON.stringify({ i: 'e2e-incident', t: TARGET, e: now + 3_600_000 })).toString('base64url')}.${expired.split('.')[1]}`;
		for (const token of [expired, forged, tampered, payload, '']) expectNothingShown(await open(`${base}${encodeURIComponent(token)}`));
		// A good link for the same incident works: what refused the others was the link.
		const good = signIncidentLink({ incidentId: 'e2e-incident', target: TARGET, expiresAt: now + 3_600_000 }, SECRET, now);
		const page = await open(`${base}${encodeURIComponent(good)}`);
		expect(page.status).toBe(200);
		expect(page.html).toContain('data-state="scan"');
		stack.evolution.patchState({ instances: { ventas: { state: 'open' } } });
	});

	test('n8n stored the key nowhere in clear', () => {
		expect(stack.env.storedText()).not.toContain(SECRET);
	});
});
