/**
 * The status page in a real headless Chromium (Debian's `chromium`) on a phone-sized
 * viewport (390×844): the page is served by a local HTTP server, screenshotted whole,
 * and every status badge's background pixel is checked against its status colour.
 * Also: no horizontal scroll, no text under 14 px, no request but the page itself, and
 * the script-named target shows as text without running.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { renderStatusPage } from '../../../nodes/RecoveryReport/status/renderStatusPage';
import { buildStatusModel } from '../../../nodes/RecoveryReport/status/statusModel';
import type { PageStatus } from '../../../nodes/RecoveryReport/status/types';
import { screenshotFile } from '../../harness/screenshots';
import { EVIL_TARGET, FIXTURE_SECRETS, fixtureInput } from './statusFixture';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 390, height: 844 };
/** Per channel: antialiasing never reaches the sampled inner area, so this can stay tight. */
const TOLERANCE = 8;
/** The colours, written out here (not imported) so a wrong stylesheet fails the test. */
const STATUS_COLOURS: Record<PageStatus, string> = { healthy: '#1a7f37', degraded: '#bf8700', down: '#cf222e', unknown: '#6e7781' };

function rgb(hex: string): [number, number, number] {
	return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function pixel(png: PNG, x: number, y: number): [number, number, number] {
	const at = (png.width * Math.round(y) + Math.round(x)) * 4;
	return [png.data[at], png.data[at + 1], png.data[at + 2]];
}

function expectColour(actual: [number, number, number], hex: string, what: string): void {
	const expected = rgb(hex);
	const off = actual.map((value, i) => Math.abs(value - expected[i]));
	if (Math.max(...off) > TOLERANCE) throw new Error(`${what}: expected ${hex} (${expected.join(',')}), got ${actual.join(',')}`);
}

describe('status page in headless Chromium on a phone viewport', () => {
	const html = renderStatusPage(buildStatusModel(fixtureInput('es')));
	const served: string[] = [];
	let server: http.Server;
	let url: string;
	let browser: Browser;
	let page: Page;
	const requests: string[] = [];
	const dialogs: string[] = [];

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			served.push(`${req.method} ${req.url}`);
			if (req.url === '/webhook/status') {
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
				res.end(html);
			} else {
				res.writeHead(404).end();
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/status`;
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 20_000 });
		page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		page.setDefaultTimeout(10_000);
		page.on('request', (request) => requests.push(request.url()));
		page.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.dismiss();
		});
		const response = await page.goto(url, { waitUntil: 'load' });
		expect(response?.status()).toBe(200);
	}, 600_000);

	afterAll(async () => {
		await browser?.close();
		await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
	});

	it('colours every status badge with its status colour (sampled from a full-page screenshot)', async () => {
		const shot = await page.screenshot({ fullPage: true, animations: 'disabled' });
		const file = screenshotFile('status-page-phone');
		writeFileSync(file, shot);
		console.log(`status page screenshot: ${file}`);
		const png = PNG.sync.read(shot);
		expect(png.width).toBe(VIEWPORT.width);

		const badges = page.locator('[data-status]');
		const seen: Array<[string, string]> = [];
		for (let i = 0; i < (await badges.count()); i += 1) {
			const badge = badges.nth(i);
			const status = (await badge.getAttribute('data-status')) as PageStatus;
			const component = (await badge.getAttribute('data-component')) ?? '';
			const box = await badge.boundingBox();
			if (!box) throw new Error(`badge ${component} is not visible`);
			expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
			// The left padding (18 px) is background only: sample a few pixels there, away from the rounded corners.
			for (const [dx, dy] of [[6, 0], [9, -3], [9, 3], [12, 0]]) {
				expectColour(pixel(png, box.x + dx, box.y + box.height / 2 + dy), STATUS_COLOURS[status], `${component} badge (${status})`);
			}
			seen.push([component, status]);
		}
		expect(seen).toEqual([
			['whatsapp', 'down'],
			['database', 'healthy'],
			['payments', 'degraded'],
			['llm', 'unknown'],
		]);

		// The overall banner is red: something is down.
		const banner = await page.locator('[data-overall]').boundingBox();
		if (!banner) throw new Error('no overall banner');
		expectColour(pixel(png, banner.x + 6, banner.y + banner.height / 2), STATUS_COLOURS.down, 'overall banner');
	});

	it('does not scroll sideways on a 390 px phone', async () => {
		expect(await page.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(VIEWPORT.width);
		expect(await page.evaluate('document.body.scrollWidth')).toBeLessThanOrEqual(VIEWPORT.width);
	});

	it('shows no text smaller than 14 px', async () => {
		const sizes = (await page.evaluate(`(() => {
			const found = [];
			for (const element of document.body.querySelectorAll('*')) {
				const hasText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== '');
				if (!hasText) continue;
				const rect = element.getBoundingClientRect();
				if (rect.width === 0 || rect.height === 0) continue;
				found.push([element.tagName + '.' + element.className, parseFloat(getComputedStyle(element).fontSize)]);
			}
			return found;
		})()`)) as Array<[string, number]>;
		expect(sizes.length).toBeGreaterThan(40);
		const small = sizes.filter(([, size]) => size < 14);
		expect(small).toEqual([]);
	});

	it('requests nothing but the page itself', () => {
		expect(requests).toEqual([url]);
		// The browser may ask for a favicon on its own; the page asks for nothing.
		expect(served.filter((line) => line !== 'GET /favicon.ico')).toEqual(['GET /webhook/status']);
	});

	it('shows the script-named target as text, runs nothing and shows no secret', async () => {
		expect(dialogs).toEqual([]);
		await expect(page.getByText(EVIL_TARGET, { exact: true }).isVisible()).resolves.toBe(true);
		expect(await page.locator('script').count()).toBe(0);
		const text = (await page.evaluate('document.documentElement.outerHTML')) as string;
		for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
		expect(await page.evaluate('document.documentElement.lang')).toBe('es');
		await expect(page.getByText('Requiere una persona', { exact: true }).isVisible()).resolves.toBe(true);
		await expect(page.getByText(/Automatización en pausa hasta 2026-02-20 13:45/).isVisible()).resolves.toBe(true);
	});

	// Last: it loads the page once more (the request test above counts the loads).
	it('reads on a desktop too: no sideways scroll at 1280 px, the column stays a readable width, every badge shown', async () => {
		const desktop = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
		try {
			await desktop.goto(url, { waitUntil: 'load' });
			writeFileSync(screenshotFile('status-page-desktop'), await desktop.screenshot({ fullPage: true, animations: 'disabled' }));
			expect(await desktop.evaluate('document.scrollingElement.scrollWidth')).toBeLessThanOrEqual(1280);
			const widest = await desktop.locator('[data-status]').evaluateAll((badges) => Math.max(...badges.map((badge) => badge.closest('section, li, div')?.getBoundingClientRect().width ?? 0)));
			// A line of text across a whole 1280 px screen is hard to read: the page keeps its column narrower.
			expect(widest).toBeGreaterThan(0);
			expect(widest).toBeLessThanOrEqual(1000);
			expect(await desktop.locator('[data-status]').count()).toBe(await page.locator('[data-status]').count());
		} finally {
			await desktop.close();
		}
	});
});
