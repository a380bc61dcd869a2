import {
	DEFAULT_LINK_TTL_MS,
	LINK_SECRET_PARAMETER,
	MAX_LINK_TTL_MS,
	checkLinkUse,
	emptyUsedLinks,
	markLinkUsed,
	readUsedLinks,
	signIncidentLink,
	verifyIncidentLink,
	type LinkClaims,
} from '../../../nodes/shared/links/incidentLinkToken';
import { OptionError } from '../../../nodes/shared/optionError';

const SECRET = 'k3y-for-tests-0123456789abcdefghijklmnop';
const NOW = Date.UTC(2026, 9, 1, 12);
const CLAIMS: LinkClaims = { incidentId: 'whatsapp:evolution:ventas@2026-10-01T11:58:00.000Z', target: 'evolution:ventas', expiresAt: NOW + DEFAULT_LINK_TTL_MS };

describe('incident link tokens', () => {
	const token = signIncidentLink(CLAIMS, SECRET, NOW);

	test('a signed token verifies and gives back its claims; it is URL-safe and holds no secret', () => {
		expect(verifyIncidentLink(token, SECRET, NOW + 1000, 'evolution:ventas')).toEqual({ ok: true, claims: CLAIMS });
		expect(encodeURIComponent(token)).toBe(token);
		expect(token).not.toContain(SECRET);
		expect(Buffer.from(token.split('.')[0], 'base64url').toString()).not.toContain(SECRET);
	});

	test('expired at the expiry instant', () => {
		expect(verifyIncidentLink(token, SECRET, CLAIMS.expiresAt)).toMatchObject({ ok: false, reason: 'expired' });
	});

	test('forged: another key, a changed payload, a changed signature', () => {
		expect(verifyIncidentLink(token, `${SECRET}-other`, NOW)).toMatchObject({ ok: false, reason: 'forged' });
		const [payload, sig] = token.split('.');
		const longer = Buffer.from(JSON.stringify({ i: CLAIMS.incidentId, t: CLAIMS.target, e: CLAIMS.expiresAt + MAX_LINK_TTL_MS })).toString('base64url');
		expect(verifyIncidentLink(`${longer}.${sig}`, SECRET, NOW)).toMatchObject({ ok: false, reason: 'forged' });
		const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
		expect(verifyIncidentLink(`${payload}.${flipped}`, SECRET, NOW)).toMatchObject({ ok: false, reason: 'forged' });
		expect(verifyIncidentLink(`${payload}.${sig.slice(0, 10)}`, SECRET, NOW)).toMatchObject({ ok: false, reason: 'forged' });
	});

	test('malformed tokens are refused without throwing', () => {
		for (const bad of [undefined, 42, '', 'abc', 'a.b.c', 'a b.c', `${'x'.repeat(3000)}.y`]) {
			expect(verifyIncidentLink(bad, SECRET, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
		}
		// Correctly signed, but not our payload shape.
		const payload = Buffer.from('{"i":1}').toString('base64url');
		const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
		const signed = `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
		expect(verifyIncidentLink(signed, SECRET, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
	});

	test('a link for another target is refused', () => {
		expect(verifyIncidentLink(token, SECRET, NOW, 'evolution:otra')).toMatchObject({ ok: false, reason: 'wrong_target' });
	});

	test('reasons never contain the secret, the token or its signature', () => {
		const reasons = [verifyIncidentLink(token, `${SECRET}-x`, NOW), verifyIncidentLink(token, SECRET, CLAIMS.expiresAt), verifyIncidentLink('x.y', SECRET, NOW)];
		for (const check of reasons) {
			expect(check.ok).toBe(false);
			const text = JSON.stringify(check);
			expect(text).not.toContain(SECRET);
			expect(text).not.toContain(token.split('.')[1]);
		}
	});

	test('a short secret is an OptionError naming the parameter', () => {
		expect(() => signIncidentLink(CLAIMS, 'short', NOW)).toThrow(OptionError);
		expect(() => verifyIncidentLink(token, 'short', NOW)).toThrow(expect.objectContaining({ parameter: LINK_SECRET_PARAMETER }));
	});

	test('expiry must be in the future and within the longest lifetime', () => {
		expect(() => signIncidentLink({ ...CLAIMS, expiresAt: NOW }, SECRET, NOW)).toThrow(RangeError);
		expect(() => signIncidentLink({ ...CLAIMS, expiresAt: NOW + MAX_LINK_TTL_MS + 1 }, SECRET, NOW)).toThrow(RangeError);
	});
});

describe('works once per incident', () => {
	const token = signIncidentLink(CLAIMS, SECRET, NOW);

	test('usable until its incident is marked used, then refused (a new token for the same incident too)', () => {
		let record = emptyUsedLinks();
		expect(checkLinkUse(verifyIncidentLink(token, SECRET, NOW), record).ok).toBe(true);
		record = markLinkUsed(record, CLAIMS.incidentId, NOW + 5000);
		expect(checkLinkUse(verifyIncidentLink(token, SECRET, NOW + 6000), record)).toMatchObject({ ok: false, reason: 'already_used' });
		const again = signIncidentLink({ ...CLAIMS, expiresAt: NOW + 60_000 }, SECRET, NOW + 6000);
		expect(checkLinkUse(verifyIncidentLink(again, SECRET, NOW + 7000), record)).toMatchObject({ ok: false, reason: 'already_used' });
		// Another incident's link is unaffected.
		const other = signIncidentLink({ ...CLAIMS, incidentId: 'whatsapp:evolution:ventas@2026-10-02T00:00:00.000Z' }, SECRET, NOW);
		expect(checkLinkUse(verifyIncidentLink(other, SECRET, NOW), record).ok).toBe(true);
	});

	test('a refused token stays refused with its own reason', () => {
		expect(checkLinkUse(verifyIncidentLink('x.y', SECRET, NOW), emptyUsedLinks())).toMatchObject({ reason: 'forged' });
	});

	test('the record forgets uses older than any link could live, and survives a round trip through JSON', () => {
		const old = markLinkUsed(emptyUsedLinks(), 'old', NOW);
		const later = markLinkUsed(old, 'new', NOW + MAX_LINK_TTL_MS);
		expect(Object.keys(later.used)).toEqual(['new']);
		expect(readUsedLinks(JSON.parse(JSON.stringify(later)))).toEqual(later);
		for (const bad of [undefined, null, 'x', { v: 2, used: {} }, { v: 1 }]) expect(readUsedLinks(bad)).toEqual(emptyUsedLinks());
	});
});
