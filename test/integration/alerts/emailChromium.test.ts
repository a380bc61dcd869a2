/**
 * The alert e-mail in a real headless Chromium (Debian's `chromium`) at phone width
 * (390×844), as a phone's mail app shows an HTML part: no horizontal scroll, the first
 * line (what happened, what to do) visible without scrolling, the links where the
 * owner acts and the status page present, and nothing fetched from elsewhere. A
 * full-page screenshot is written to the temp folder for a person to look at.
 */
import { writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatAlert, type FormattedAlert } from '../../../nodes/shared/alerts/formatAlert';
import { screenshotFile } from '../../harness/screenshots';
import { failing } from '../../unit/incident/results';
import { trackResults } from '../../../nodes/shared/incident/tracker';
import { createTrackerState } from '../../../nodes/shared/incident/state';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 390, height: 844 };
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const EDITOR = 'https://n8n.example.test';
const STATUS = `${EDITOR}/webhook/status`;

/** The escalation of a revoked payment token (a person must act), in Spanish, with a long unbreakable target id. */
function revokedTokenAlert(): FormattedAlert {
	const broken = failing({ component: 'payments', target: 'mercadopago:production_account_0123456789abcdef0123456789abcdef', code: 'auth.invalid_credentials', needsHuman: true, message: 'MercadoPago rejected the access token (401).' });
	const first = trackResults(createTrackerState(), [broken], {}, T0);
	const second = trackResults(first.state, [broken], {}, T0 + 5_000);
	return formatAlert({ ...second.items[0], result: broken }, { language: 'es', now: T0 + 5_000, editorUrl: EDITOR, statusPageUrl: STATUS, executionUrl: `${EDITOR}/workflow/x/executions/1` });
}

describe('alert e-mail in headless Chromium at phone width', () => {
	const alert = revokedTokenAlert();
	let browser: Browser;
	let page: Page;
	const requests: string[] = [];

	beforeAll(async () => {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 20_000 });
		page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1, javaScriptEnabled: false });
		page.setDefaultTimeout(10_000);
		page.on('request', (request) => requests.push(request.url()));
		await page.setContent(alert.emailHtml, { waitUntil: 'load' });
	}, 600_000);

	afterAll(async () => {
		await browser?.close();
	});

	it('has no horizontal scroll at 390 px and writes a screenshot', async () => {
		const file = screenshotFile('alert-email-phone');
		writeFileSync(file, await page.screenshot({ fullPage: true, animations: 'disabled' }));
		console.log(`alert e-mail screenshot: ${file}`);
		expect(await page.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(VIEWPORT.width);
	});

	it('shows the first line (what happened, what to do) without scrolling', async () => {
		const heading = page.locator('h1');
		expect(await heading.textContent()).toBe(alert.title);
		expect(alert.title).toMatch(/^Requiere su acción: Pagos rechazó su clave/);
		const box = await heading.boundingBox();
		expect(box).not.toBeNull();
		expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(VIEWPORT.height);
		expect(box?.width ?? Infinity).toBeLessThanOrEqual(VIEWPORT.width);
	});

	it('links to the credentials and to the status page, as visible buttons', async () => {
		for (const href of [`${EDITOR}/home/credentials`, STATUS]) {
			const link = page.locator(`a[href="${href}"]`);
			expect(await link.count()).toBe(1);
			expect(await link.isVisible()).toBe(true);
		}
	});

	it('uses inline styles only: no style sheet, script, image or external request', () => {
		expect(alert.emailHtml).not.toMatch(/<(style|script|img|link|iframe)\b/i);
		expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
	});

	it('has a plain-text alternative with the same first line and the links', () => {
		expect(alert.text.split('\n')[0]).toBe(alert.title);
		expect(alert.text).toContain(STATUS);
		expect(alert.text).toContain(`${EDITOR}/home/credentials`);
	});
});
