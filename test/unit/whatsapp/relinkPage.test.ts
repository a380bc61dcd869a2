/**
 * The relink page without n8n: the link's verdict, the page state from what the gateway
 * said, the HTML of each state (no secret, a refused page shows nothing else), and the
 * alert's link (signed, expiring, only for QR causes).
 */
import { emptyUsedLinks, markLinkUsed, signIncidentLink, verifyIncidentLink } from '../../../nodes/shared/links/incidentLinkToken';
import { needsRelinkPage, relinkBaseUrl, relinkPageUrl, signedRelinkLink } from '../../../nodes/shared/links/relinkLink';
import type { CheckResult } from '../../../nodes/shared/contract';
import { checkRelinkLink, gatewayView, pairingNumberOf, PAIRING_REFRESH_SECONDS, REFRESH_SECONDS, refusedModel, relinkPageModel } from '../../../nodes/WhatsAppProbe/relink/relinkPage';
import { renderRelinkPage } from '../../../nodes/WhatsAppProbe/relink/renderRelinkPage';
import { autorecoveryRelinkLinkTest } from '../../../nodes/shared/n8n/relinkLinkTest';
import { credentialsFromEnv, validateCredentialEnv } from '../../../scripts/lib/credentialsFromEnv';

const SECRET = 'relink-SECRET-4b9f0c2d7e8a1f3b5c6d9e0a2b4c';
const API_KEY = 'evo-API-KEY-9d8c7b6a5f4e3d2c';
const TARGET = 'evolution:ventas';
const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

const token = (overrides: { incidentId?: string; target?: string; expiresAt?: number; secret?: string; now?: number } = {}) =>
	signIncidentLink({ incidentId: overrides.incidentId ?? 'inc-1', target: overrides.target ?? TARGET, expiresAt: overrides.expiresAt ?? NOW + 3_600_000 }, overrides.secret ?? SECRET, overrides.now ?? NOW);

function result(status: CheckResult['status'], code?: string, message = 'Evolution instance "ventas" is connecting.'): CheckResult {
	return {
		component: 'whatsapp',
		target: TARGET,
		status,
		checks: [],
		...(code ? { cause: { code, message, retryable: true, needsHuman: false } } : {}),
		latencyMs: 5,
		checkedAt: new Date(NOW).toISOString(),
	};
}

describe('the link', () => {
	const check = (t: unknown, used = emptyUsedLinks(), now = NOW) => checkRelinkLink({ token: t, secret: SECRET, target: TARGET, now, used });

	test('a link signed for this target works until it expires', () => {
		expect(check(token())).toMatchObject({ ok: true, claims: { incidentId: 'inc-1', target: TARGET } });
		expect(check(token(), emptyUsedLinks(), NOW + 3_600_000)).toMatchObject({ ok: false, reason: 'expired' });
	});

	test.each([
		['no token', 'malformed', undefined],
		['an empty token', 'malformed', ''],
		['garbage', 'malformed', 'not-a-token'],
		['another key', 'forged', token({ secret: 'another-SECRET-0123456789abcdef0123456789' })],
		['a payload changed after signing', 'forged', (() => {
			const [, signature] = token().split('.');
			const payload = Buffer.from(JSON.stringify({ i: 'inc-1', t: TARGET, e: NOW + 86_400_000 })).toString('base64url');
			return `${payload}.${signature}`;
		})()],
		['another WhatsApp target', 'wrong_target', token({ target: 'evolution:otra' })],
	])('%s is refused (%s)', (_what, reason, t) => {
		expect(check(t)).toMatchObject({ ok: false, reason });
	});

	test('works once per incident: after its relink is done, refused; another incident\'s link still works', () => {
		const used = markLinkUsed(emptyUsedLinks(), 'inc-1', NOW);
		expect(check(token(), used)).toMatchObject({ ok: false, reason: 'already_used' });
		expect(check(token({ incidentId: 'inc-2' }), used)).toMatchObject({ ok: true });
	});
});

describe('what the gateway said', () => {
	test('a pending QR is shown; "no QR" with a healthy re-check is connected; anything else waits, redacted', () => {
		expect(gatewayView({ pending: true, qr: { png: PNG, code: '2@raw', pairingCode: 'WZYEH1YY' } }, [])).toEqual({ kind: 'qr', png: PNG, pairingCode: 'WZYEH1YY' });
		expect(gatewayView({ pending: false, reason: 'already connected', result: result('healthy') }, [])).toEqual({ kind: 'connected' });
		const waiting = gatewayView({ pending: false, reason: 'x', result: result('down', 'net.unreachable', `Evolution at http://evo refused apikey=${API_KEY}`) }, [API_KEY]);
		expect(waiting.kind).toBe('waiting');
		expect(JSON.stringify(waiting)).not.toContain(API_KEY);
	});

	test('a typed number: digits in international format, empty is none, anything else invalid', () => {
		expect(pairingNumberOf('+54 9 11 5555-1234')).toBe('5491155551234');
		expect(pairingNumberOf('')).toBe('');
		expect(pairingNumberOf(undefined)).toBe('');
		expect(pairingNumberOf('call me')).toBeNull();
		expect(pairingNumberOf(['5491155551234'])).toBeNull();
	});
});

describe('the page', () => {
	const base = { language: 'en' as const, token: token(), incidentId: 'inc-1', expiresAt: NOW + 3_600_000, pairingNumber: '' as string | null };

	test('scan: the current QR as an image, refreshing itself every few seconds to the bare link, a pairing form, no script', () => {
		const model = relinkPageModel({ ...base, view: { kind: 'qr', png: PNG } });
		expect(model).toMatchObject({ state: 'scan', statusCode: 200, refreshSeconds: REFRESH_SECONDS });
		const html = renderRelinkPage(model);
		expect(html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
		expect(html).toContain(`<meta http-equiv="refresh" content="${REFRESH_SECONDS};url=?t=${encodeURIComponent(base.token)}">`);
		expect(html).toMatch(/<form method="get">/);
		expect(html).toContain('name="number"');
		expect(html).not.toMatch(/<script/i);
		expect(html).toContain('11:00 UTC');
	});

	test('a pairing code for the typed number: shown, and the page waits longer before it refreshes (without the number)', () => {
		const model = relinkPageModel({ ...base, pairingNumber: '5491155551234', view: { kind: 'qr', png: PNG, pairingCode: 'WZYEH1YY' } });
		expect(model).toMatchObject({ state: 'scan', pairingCode: 'WZYEH1YY', pairingNumber: '5491155551234', refreshSeconds: PAIRING_REFRESH_SECONDS });
		const html = renderRelinkPage(model);
		expect(html).toContain('id="pairing-code">WZYEH1YY<');
		expect(html).toContain(`content="${PAIRING_REFRESH_SECONDS};url=?t=`);
		expect(html).not.toMatch(/url=[^"]*number=/);
	});

	test('an invalid typed number: the QR page says so, no pairing code is asked for', () => {
		const model = relinkPageModel({ ...base, pairingNumber: null, view: { kind: 'qr', png: PNG } });
		expect(model).toMatchObject({ state: 'scan', numberInvalid: true });
		expect(renderRelinkPage(model)).toContain('data-number-invalid="true"');
	});

	test('connected: "connected ✓", the link is to be used up, no refresh, nothing else', () => {
		const model = relinkPageModel({ ...base, view: { kind: 'connected' } });
		expect(model).toEqual({ state: 'connected', statusCode: 200, language: 'en', markUsed: true, incidentId: 'inc-1' });
		const html = renderRelinkPage(model);
		expect(html).toContain('WhatsApp is connected ✓');
		expect(html).not.toContain('http-equiv="refresh"');
		expect(html).not.toContain(base.token);
		expect(html).not.toContain('<img');
	});

	test('waiting: the reason, escaped, and a refresh', () => {
		const model = relinkPageModel({ ...base, view: { kind: 'waiting', reason: 'QR <not> ready' } });
		const html = renderRelinkPage(model);
		expect(html).toContain('QR &lt;not&gt; ready');
		expect(html).toContain('http-equiv="refresh"');
	});

	test.each(['malformed', 'forged', 'expired', 'wrong_target', 'already_used'] as const)('refused (%s): 403, the reason and nothing else', (reason) => {
		const model = refusedModel(reason, 'es');
		expect(model.statusCode).toBe(403);
		const html = renderRelinkPage(model);
		expect(html).toContain('data-state="refused"');
		expect(html).not.toMatch(/<img|<form|http-equiv="refresh"|ventas|evolution/);
	});

	test('no page holds the key or the gateway\'s API key', () => {
		const pages = [
			relinkPageModel({ ...base, view: { kind: 'qr', png: PNG, pairingCode: 'ABCD' }, pairingNumber: '5491155551234' }),
			relinkPageModel({ ...base, view: gatewayView({ pending: false, reason: 'x', result: result('down', 'auth.invalid_credentials', `apikey ${API_KEY} refused`) }, [API_KEY, SECRET]) }),
			relinkPageModel({ ...base, view: { kind: 'connected' } }),
			refusedModel('forged', 'en'),
		].map(renderRelinkPage);
		for (const html of pages) {
			expect(html).not.toContain(SECRET);
			expect(html).not.toContain(API_KEY);
		}
	});

	test('Spanish by default in the shipped Monitor', () => {
		expect(renderRelinkPage(relinkPageModel({ ...base, language: 'es', view: { kind: 'connected' } }))).toContain('WhatsApp está conectado ✓');
	});
});

describe('the alert\'s link', () => {
	test('offered for QR causes (or an alert carrying a QR) only', () => {
		expect(needsRelinkPage('whatsapp.qr_required', false)).toBe(true);
		expect(needsRelinkPage('whatsapp.qr_limit_reached', false)).toBe(true);
		expect(needsRelinkPage('whatsapp.disconnected', true)).toBe(true);
		expect(needsRelinkPage('whatsapp.disconnected', false)).toBe(false);
		expect(needsRelinkPage(undefined, false)).toBe(false);
	});

	test('only http(s) base URLs without a fragment', () => {
		expect(relinkBaseUrl(' https://n8n.example.com/webhook/relink ')).toBe('https://n8n.example.com/webhook/relink');
		expect(relinkBaseUrl('javascript:alert(1)')).toBeUndefined();
		expect(relinkBaseUrl('https://n8n.example.com/relink#x')).toBeUndefined();
		expect(relinkPageUrl('https://a.test/webhook/relink?x=1', 'p.s')).toBe('https://a.test/webhook/relink?x=1&t=p.s');
	});

	test('signed for the incident and target, expiring after its lifetime (default 2 h, at most 24 h)', () => {
		const link = signedRelinkLink({ baseUrl: 'https://n8n.example.com/webhook/relink', secret: SECRET, incidentId: 'inc-9', target: TARGET, now: NOW });
		expect(link.expiresAt).toBe(NOW + 2 * 3_600_000);
		const t = decodeURIComponent(new URL(link.url).searchParams.get('t') ?? '');
		expect(verifyIncidentLink(t, SECRET, NOW, TARGET)).toMatchObject({ ok: true, claims: { incidentId: 'inc-9', expiresAt: NOW + 2 * 3_600_000 } });
		expect(link.url).not.toContain(SECRET);
		expect(signedRelinkLink({ baseUrl: 'https://a.test/r', secret: SECRET, incidentId: 'i', target: TARGET, now: NOW, ttlMs: 7 * 86_400_000 }).expiresAt).toBe(NOW + 86_400_000);
	});
});

describe('the key', () => {
	test('.env: a short AUTORECOVERY_RELINK_SECRET is a problem that never echoes it; a long one makes the credential', () => {
		expect(validateCredentialEnv({ AUTORECOVERY_RELINK_SECRET: 'short-secret-value' })).toEqual(['AUTORECOVERY_RELINK_SECRET must be at least 32 characters long (e.g. openssl rand -base64 32)']);
		expect(credentialsFromEnv({ AUTORECOVERY_RELINK_SECRET: SECRET })).toEqual([{ id: 'autorecoveryRelink01', name: 'Autorecovery relink link', type: 'autorecoveryRelinkLinkApi', data: { secret: SECRET } }]);
	});

	test('the credential\'s Test button: long enough or not, never the key', async () => {
		const test = (secret: unknown) => autorecoveryRelinkLinkTest.call({} as never, { id: '1', name: 'k', type: 'autorecoveryRelinkLinkApi', data: { secret } } as never);
		expect(await test(SECRET)).toMatchObject({ status: 'OK' });
		const short = await test('abc');
		expect(short).toMatchObject({ status: 'Error' });
		expect(short.message).not.toContain('abc');
	});
});
