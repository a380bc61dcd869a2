/** Issue 20: every source is authenticated over the raw bytes before anything is parsed. */
import { createHmac } from 'node:crypto';

import { answerMetaHandshake, authenticateEvent, sameSecret } from '../../../nodes/shared/gatewayEvents/authenticate';
import { receiveEvents } from '../../../nodes/shared/gatewayEvents/receive';
import { EventRefused, type EventRequest, type EventSecrets } from '../../../nodes/shared/gatewayEvents/types';

const SECRETS: EventSecrets = { evolutionToken: 'evo-token-not-real', wahaHmacKey: 'my-secret-key', metaAppSecret: 'app-secret-not-real', metaVerifyToken: 'meatyhamhock' };

function request(body: string, headers: Record<string, string> = {}, query: Record<string, string> = {}): EventRequest {
	return { headers, query, rawBody: Buffer.from(body, 'utf8') };
}

function refusal(run: () => unknown): number | undefined {
	try {
		run();
	} catch (error) {
		if (error instanceof EventRefused) return error.statusCode;
		throw error;
	}
	return undefined;
}

describe('WAHA: X-Webhook-Hmac (HMAC-SHA512 of the raw body)', () => {
	// The documented test vector (whatsapp-canary-webhooks.md §2.C).
	const body = '{"event":"message","session":"default","engine":"WEBJS"}';
	const vector = '208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89';

	it("accepts WAHA's documented test vector, upper or lower case", () => {
		expect(refusal(() => authenticateEvent('waha', request(body, { 'x-webhook-hmac': vector, 'x-webhook-hmac-algorithm': 'sha512' }), SECRETS))).toBeUndefined();
		expect(refusal(() => authenticateEvent('waha', request(body, { 'X-Webhook-Hmac': vector.toUpperCase() }), SECRETS))).toBeUndefined();
	});

	it('missing → 401; wrong, truncated, for other bytes or another algorithm → 403', () => {
		expect(refusal(() => authenticateEvent('waha', request(body), SECRETS))).toBe(401);
		expect(refusal(() => authenticateEvent('waha', request(body, { 'x-webhook-hmac': vector.replace(/^2/, '3') }), SECRETS))).toBe(403);
		expect(refusal(() => authenticateEvent('waha', request(body, { 'x-webhook-hmac': vector.slice(0, 64) }), SECRETS))).toBe(403);
		expect(refusal(() => authenticateEvent('waha', request(`${body} `, { 'x-webhook-hmac': vector }), SECRETS))).toBe(403);
		expect(refusal(() => authenticateEvent('waha', request(body, { 'x-webhook-hmac': vector, 'x-webhook-hmac-algorithm': 'sha256' }), SECRETS))).toBe(403);
		expect(refusal(() => authenticateEvent('waha', request(body, { 'x-webhook-hmac': 'zz' }), SECRETS))).toBe(403);
	});

	it('no key configured → 403 whatever is sent', () => {
		expect(refusal(() => authenticateEvent('waha', request(body, { 'x-webhook-hmac': vector }), { ...SECRETS, wahaHmacKey: '' }))).toBe(403);
	});
});

describe('Meta: X-Hub-Signature-256 and the GET handshake', () => {
	const body = '{"object":"whatsapp_business_account","entry":[]}';
	const signature = `sha256=${createHmac('sha256', SECRETS.metaAppSecret as string).update(body).digest('hex')}`;

	it('accepts the app-secret signature of the exact bytes', () => {
		expect(refusal(() => authenticateEvent('meta', request(body, { 'x-hub-signature-256': signature }), SECRETS))).toBeUndefined();
	});

	it('missing → 401; without the sha256= prefix, of other bytes, or with another secret → 403', () => {
		expect(refusal(() => authenticateEvent('meta', request(body), SECRETS))).toBe(401);
		expect(refusal(() => authenticateEvent('meta', request(body, { 'x-hub-signature-256': signature.slice(7) }), SECRETS))).toBe(403);
		expect(refusal(() => authenticateEvent('meta', request(body.replace('[]', '[ ]'), { 'x-hub-signature-256': signature }), SECRETS))).toBe(403);
		expect(refusal(() => authenticateEvent('meta', request(body, { 'x-hub-signature-256': signature }), { ...SECRETS, metaAppSecret: 'other' }))).toBe(403);
	});

	it('the handshake echoes hub.challenge for the right verify token only', () => {
		const query = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'meatyhamhock' };
		expect(answerMetaHandshake(query, SECRETS)).toBe('1158201444');
		expect(refusal(() => answerMetaHandshake({ ...query, 'hub.verify_token': 'wrong' }, SECRETS))).toBe(403);
		expect(refusal(() => answerMetaHandshake({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }, SECRETS))).toBe(401);
		expect(refusal(() => answerMetaHandshake({ ...query, 'hub.mode': 'unsubscribe' }, SECRETS))).toBe(400);
		expect(refusal(() => answerMetaHandshake({ ...query, 'hub.challenge': '<script>' }, SECRETS))).toBe(400);
		expect(refusal(() => answerMetaHandshake(query, { ...SECRETS, metaVerifyToken: undefined }))).toBe(403);
	});
});

describe('Evolution: a token we configure (header, or query for the global webhook)', () => {
	const body = '{"event":"connection.update","instance":"ventas","data":{"state":"open"}}';

	it('accepts the header or the query token; missing → 401, wrong → 403', () => {
		expect(refusal(() => authenticateEvent('evolution', request(body, { 'x-autorecovery-token': 'evo-token-not-real' }), SECRETS))).toBeUndefined();
		expect(refusal(() => authenticateEvent('evolution', request(body, {}, { token: 'evo-token-not-real' }), SECRETS))).toBeUndefined();
		expect(refusal(() => authenticateEvent('evolution', request(body), SECRETS))).toBe(401);
		expect(refusal(() => authenticateEvent('evolution', request(body, { 'x-autorecovery-token': 'evo-token-not-rea' }), SECRETS))).toBe(403);
		expect(refusal(() => authenticateEvent('evolution', request(body, { 'x-autorecovery-token': 'evo-token-not-real!' }), SECRETS))).toBe(403);
	});

	it("Evolution's own apikey in the body is not a credential here", () => {
		const withKey = '{"event":"connection.update","instance":"ventas","data":{"state":"open"},"apikey":"evo-token-not-real"}';
		expect(refusal(() => authenticateEvent('evolution', request(withKey), SECRETS))).toBe(401);
	});
});

describe('the order: size, then authentication, then parsing', () => {
	it('an oversized body is 413 before its signature is even looked at', () => {
		expect(refusal(() => receiveEvents('evolution', request('x'.repeat(2000)), SECRETS, { maxBodyBytes: 1000 }))).toBe(413);
	});

	it('malformed JSON without authentication is 401, not 400: nothing is parsed for strangers', () => {
		expect(refusal(() => receiveEvents('evolution', request('{"event":'), SECRETS, { maxBodyBytes: 1000 }))).toBe(401);
	});

	it('authenticated but malformed → 400 (not JSON, not an object, not the source shape)', () => {
		const headers = { 'x-autorecovery-token': 'evo-token-not-real' };
		for (const body of ['{"event":', '[1]', '', '{"event":"connection.update"}', '{"event":"connection.update","instance":"../etc"}']) {
			expect(refusal(() => receiveEvents('evolution', request(body, headers), SECRETS, { maxBodyBytes: 1000 }))).toBe(400);
		}
	});
});

describe('sameSecret', () => {
	it('compares any lengths without throwing', () => {
		expect(sameSecret('a', 'a')).toBe(true);
		expect(sameSecret('a', 'ab')).toBe(false);
		expect(sameSecret('', 'a')).toBe(false);
	});
});
