import { compareWebhook, webhookCheckEntry } from '../../../../nodes/WhatsAppProbe/webhook/compareWebhook';
import { captureExpectedWebhook, mergeExpectedWebhook, readExpectedWebhook, type ExpectedWebhook } from '../../../../nodes/WhatsAppProbe/webhook/expectedWebhook';
import { evolutionWebhookSetRequest, metaSubscribeRequest, wahaSessionUpdateRequest } from '../../../../nodes/WhatsAppProbe/webhook/restoreWebhook';
import { readEvolutionWebhook, readMetaSubscribedApps, readWahaWebhooks, webhookUrlKey } from '../../../../nodes/WhatsAppProbe/webhook/webhookConfig';
import { OptionError } from '../../../../nodes/shared/optionError';

const NOW = Date.UTC(2026, 9, 1, 12);
const HEADER_SECRET = 'hdr-s3cr3t-value-0123456789';
const HMAC_KEY = 'hmac-k3y-value-0123456789';
const URL = 'https://bot.example.com/webhook/evo';

// Evolution GET /webhook/find (reference §1.C), with a secret header.
const evolutionHealthy = {
	id: 'cm1', url: URL, headers: { 'X-Webhook-Secret': HEADER_SECRET }, enabled: true,
	events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'], webhookByEvents: false, webhookBase64: false, createdAt: 'x', updatedAt: 'y', instanceId: 'i',
};
// After `docker restart` (Evolution #2694).
const evolutionWiped = { url: '', events: [], headers: null, enabled: true };
// WAHA GET /api/sessions/{s} (reference §2.C).
const wahaSession = (webhooks: unknown[]) => ({ name: 'default', status: 'WORKING', config: { proxy: null, webhooks, debug: false }, me: { id: '1@c.us' } });
const wahaHook = { url: URL, events: ['message', 'session.status'], hmac: { key: HMAC_KEY }, retries: null, customHeaders: [{ name: 'X-Token', value: HEADER_SECRET }] };
// Meta GET /{WABA}/subscribed_apps (reference §3.C).
const metaApps = { data: [{ whatsapp_business_api_data: { id: '67084', link: 'https://x', name: 'Bot' } }] };

const noSecret = (value: unknown) => {
	const text = JSON.stringify(value);
	expect(text).not.toContain(HEADER_SECRET);
	expect(text).not.toContain(HMAC_KEY);
};

describe('reading each gateway into one shape', () => {
	test('Evolution: header names kept, values dropped; read-model names mapped', () => {
		const reading = readEvolutionWebhook(evolutionHealthy);
		expect(reading.hooks).toEqual([{ url: URL, enabled: true, events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'], allEvents: false, headerNames: ['x-webhook-secret'], signed: false, byEvents: false, base64: false }]);
		noSecret(reading);
		expect(readEvolutionWebhook(null).hooks).toEqual([]);
		expect(readEvolutionWebhook(evolutionWiped).hooks[0]).toMatchObject({ url: null, allEvents: true });
		expect(readEvolutionWebhook({ ...evolutionHealthy, events: ['messages.upsert'], headers: { jwt_key: HEADER_SECRET } }).hooks[0]).toMatchObject({ events: ['MESSAGES_UPSERT'], signed: true, headerNames: [] });
	});

	test('WAHA: every webhook, HMAC as a flag, * as every event', () => {
		const reading = readWahaWebhooks(wahaSession([wahaHook, { url: 'https://other.example.com', events: ['*'] }]));
		expect(reading.hooks).toEqual([
			{ url: URL, enabled: true, events: ['message', 'session.status'], allEvents: false, headerNames: ['x-token'], signed: true },
			{ url: 'https://other.example.com', enabled: true, events: [], allEvents: true, headerNames: [], signed: false },
		]);
		noSecret(reading);
		expect(readWahaWebhooks({ name: 'default', status: 'WORKING' }).hooks).toEqual([]);
	});

	test('Meta: one entry per subscribed app', () => {
		expect(readMetaSubscribedApps(metaApps).hooks).toEqual([{ url: null, enabled: true, events: [], allEvents: false, headerNames: [], signed: false, appId: '67084' }]);
		expect(readMetaSubscribedApps({ data: [] }).hooks).toEqual([]);
	});

	test('URL keys ignore host case, trailing slash and query, not path case', () => {
		expect(webhookUrlKey('HTTPS://Bot.Example.com/webhook/evo/?t=1')).toBe(webhookUrlKey(URL));
		expect(webhookUrlKey('https://bot.example.com/webhook/EVO')).not.toBe(webhookUrlKey(URL));
	});
});

describe('remember what healthy looked like', () => {
	test('captures URL, events, header names and flags, never their values', () => {
		const captured = captureExpectedWebhook(readEvolutionWebhook(evolutionHealthy), NOW);
		expect(captured).toEqual({
			v: 1, gateway: 'evolution', url: URL, events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'], byEvents: false, base64: false,
			headerNames: ['x-webhook-secret'], capturedAt: '2026-10-01T12:00:00.000Z',
		});
		const waha = captureExpectedWebhook(readWahaWebhooks(wahaSession([wahaHook])), NOW);
		expect(waha).toMatchObject({ url: URL, signed: true, headerNames: ['x-token'] });
		noSecret([captured, waha]);
		expect(readExpectedWebhook(JSON.parse(JSON.stringify(captured)))).toEqual(captured);
	});

	test('a URL with a query or credentials is stored without them, and marked incomplete', () => {
		const captured = captureExpectedWebhook(readEvolutionWebhook({ ...evolutionHealthy, url: `https://user:pw@bot.example.com/hook?token=${HEADER_SECRET}` }), NOW);
		expect(captured).toMatchObject({ url: 'https://bot.example.com/hook', urlIncomplete: true });
		noSecret(captured);
		expect(JSON.stringify(captured)).not.toContain('pw@');
	});

	test('nothing to capture from a broken reading or several Meta apps', () => {
		expect(captureExpectedWebhook(readEvolutionWebhook(evolutionWiped), NOW)).toBeUndefined();
		expect(captureExpectedWebhook(readWahaWebhooks(wahaSession([{ url: URL, events: ['session.status'] }])), NOW)).toBeUndefined();
		expect(captureExpectedWebhook(readMetaSubscribedApps({ data: [...metaApps.data, ...metaApps.data] }), NOW)).toBeUndefined();
		expect(captureExpectedWebhook(readMetaSubscribedApps(metaApps), NOW)).toMatchObject({ gateway: 'cloudApi', appId: '67084' });
		for (const bad of [undefined, { v: 2 }, { v: 1, gateway: 'x', events: [] }]) expect(readExpectedWebhook(bad)).toBeUndefined();
	});

	test('parameters win field by field; empty parameters keep the captured values', () => {
		const captured = captureExpectedWebhook(readEvolutionWebhook(evolutionHealthy), NOW)!;
		expect(mergeExpectedWebhook('evolution', {}, captured)).toEqual(captured);
		const merged = mergeExpectedWebhook('evolution', { url: ' https://new.example.com/hook ', events: ['messages.upsert'] }, captured);
		expect(merged).toMatchObject({ url: 'https://new.example.com/hook', events: ['MESSAGES_UPSERT'], headerNames: ['x-webhook-secret'] });
		expect(mergeExpectedWebhook('evolution', {}, undefined)).toBeUndefined();
		expect(mergeExpectedWebhook('waha', {}, captured)).toBeUndefined(); // captured for another gateway
		expect(mergeExpectedWebhook('evolution', { url: 'https://x.example.com/h' }, { ...captured, urlIncomplete: true })?.urlIncomplete).toBeUndefined();
	});

	test('a bad Webhook URL parameter is an OptionError naming it', () => {
		expect(() => mergeExpectedWebhook('evolution', { url: 'bot.example.com/hook' })).toThrow(OptionError);
		expect(() => mergeExpectedWebhook('evolution', { url: 'ftp://x' })).toThrow(expect.objectContaining({ parameter: 'Webhook URL' }));
	});
});

describe('compareWebhook', () => {
	const expected = captureExpectedWebhook(readEvolutionWebhook(evolutionHealthy), NOW)!;

	test('as captured: ok, and a healthy check entry', () => {
		const comparison = compareWebhook(readEvolutionWebhook(evolutionHealthy), expected);
		expect(comparison).toEqual({ ok: true, problems: [] });
		expect(webhookCheckEntry(comparison, 'evolution').entry.status).toBe('healthy');
	});

	test('wiped after a restart: missing, a down entry with its own cause', () => {
		const comparison = compareWebhook(readEvolutionWebhook(evolutionWiped), expected);
		expect(comparison).toMatchObject({ ok: false, code: 'whatsapp.webhook_missing' });
		const { entry, cause } = webhookCheckEntry(comparison, 'evolution', 12);
		expect(entry).toMatchObject({ name: 'webhook', status: 'down', code: 'whatsapp.webhook_missing', durationMs: 12 });
		expect(cause).toMatchObject({ code: 'whatsapp.webhook_missing', retryable: false, needsHuman: false });
		expect(compareWebhook(readEvolutionWebhook(null), expected).ok).toBe(false);
	});

	test('every difference is named in plain words, without secrets', () => {
		const changed = { ...evolutionHealthy, url: 'https://elsewhere.example.com/x?token=abc', enabled: false, events: ['CONNECTION_UPDATE'], headers: {}, webhookByEvents: true };
		const comparison = compareWebhook(readEvolutionWebhook(changed), expected);
		expect(comparison.ok).toBe(false);
		expect(comparison.problems).toEqual([
			'it points to https://elsewhere.example.com/x?…, expected https://bot.example.com/webhook/evo',
			'it is disabled',
			'it does not send MESSAGES_UPSERT',
			'it now posts to one URL per event (byEvents), which the bot does not expect',
			'the header x-webhook-secret is no longer set (the bot may reject its messages)',
		]);
		const { entry } = webhookCheckEntry(comparison, 'evolution');
		expect(entry.code).toBe('whatsapp.webhook_mismatch');
		expect(entry.message).not.toContain('token=abc');
	});

	test('Evolution enabled with [] sends everything, so the needed events are covered', () => {
		expect(compareWebhook(readEvolutionWebhook({ ...evolutionHealthy, events: [] }), { ...expected, events: ['MESSAGES_UPSERT'] }).ok).toBe(true);
	});

	test('WAHA: one of several webhooks must match; message.any and * cover message', () => {
		const wanted: ExpectedWebhook = { v: 1, gateway: 'waha', url: URL, events: [] };
		const other = { url: 'https://other.example.com/h', events: ['message'] };
		expect(compareWebhook(readWahaWebhooks(wahaSession([other, wahaHook])), wanted).ok).toBe(true);
		expect(compareWebhook(readWahaWebhooks(wahaSession([{ url: URL, events: ['message.any'] }])), wanted).ok).toBe(true);
		expect(compareWebhook(readWahaWebhooks(wahaSession([{ url: URL, events: ['*'] }])), wanted).ok).toBe(true);
		const wrong = compareWebhook(readWahaWebhooks(wahaSession([other, { url: URL, events: ['session.status'] }])), wanted);
		expect(wrong).toMatchObject({ ok: false, code: 'whatsapp.webhook_mismatch', problems: ['no webhook matches: in the closest one, it does not send message'] });
		expect(compareWebhook(readWahaWebhooks(wahaSession([])), wanted)).toMatchObject({ code: 'whatsapp.webhook_missing' });
		expect(compareWebhook(readWahaWebhooks(wahaSession([{ url: URL, events: ['message'] }])), { ...wanted, signed: true }).problems).toEqual(['its signing key is no longer set']);
	});

	test('Meta: the app must be subscribed to the WABA', () => {
		const wanted: ExpectedWebhook = { v: 1, gateway: 'cloudApi', events: [], appId: '67084' };
		expect(compareWebhook(readMetaSubscribedApps(metaApps), wanted).ok).toBe(true);
		expect(compareWebhook(readMetaSubscribedApps({ data: [] }), wanted)).toMatchObject({ ok: false, code: 'whatsapp.webhook_missing' });
		expect(compareWebhook(readMetaSubscribedApps(metaApps), { ...wanted, appId: '999' })).toMatchObject({ code: 'whatsapp.webhook_missing', problems: ['app 999 is not subscribed to the WhatsApp Business Account'] });
		const override = compareWebhook(readMetaSubscribedApps(metaApps), { ...wanted, url: 'https://bot.example.com/meta' });
		expect(override).toMatchObject({ code: 'whatsapp.webhook_mismatch', problems: ['it has no URL (expected https://bot.example.com/meta)'] });
	});
});

describe('restore requests', () => {
	const expected = captureExpectedWebhook(readEvolutionWebhook(evolutionHealthy), NOW)!;

	test('Evolution: the nested v2 body, with header values passed in', () => {
		const plan = evolutionWebhookSetRequest('ventas bot', expected, { headerValues: { 'X-Webhook-Secret': HEADER_SECRET } });
		expect(plan).toEqual({
			ok: true,
			request: {
				method: 'POST',
				path: '/webhook/set/ventas%20bot',
				body: { webhook: { enabled: true, url: URL, headers: { 'x-webhook-secret': HEADER_SECRET }, byEvents: false, base64: false, events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'] } },
				restartsSession: false,
			},
		});
		expect(evolutionWebhookSetRequest('v', { v: 1, gateway: 'evolution', url: URL, events: [], allEvents: true })).toMatchObject({ ok: true, request: { body: { webhook: { events: [] } } } });
		expect(evolutionWebhookSetRequest('v', { v: 1, gateway: 'evolution', url: URL, events: [] })).toMatchObject({ ok: true, request: { body: { webhook: { events: ['MESSAGES_UPSERT'] } } } });
	});

	test('Evolution: refuses, without secrets in the reason, when a header value or the full URL is unknown', () => {
		const noHeader = evolutionWebhookSetRequest('v', expected);
		expect(noHeader).toEqual({ ok: false, reason: 'the value of header x-webhook-secret is needed to restore the webhook (it is never stored)' });
		expect(evolutionWebhookSetRequest('v', { ...expected, urlIncomplete: true }, { headerValues: { 'x-webhook-secret': HEADER_SECRET } })).toMatchObject({ ok: false, reason: expect.stringContaining('Webhook URL parameter') });
		expect(evolutionWebhookSetRequest('v', { v: 1, gateway: 'evolution', events: [] })).toMatchObject({ ok: false });
	});

	test('WAHA: the whole config is PUT back with the webhook patched in place; it restarts the session', () => {
		const other = { url: 'https://other.example.com/h', events: ['session.status'] };
		const current = wahaSession([other, { ...wahaHook, events: ['session.status'] }]);
		const wanted: ExpectedWebhook = { v: 1, gateway: 'waha', url: URL, events: [], signed: true, headerNames: ['x-token'] };
		const plan = wahaSessionUpdateRequest('default', current, wanted);
		expect(plan).toEqual({
			ok: true,
			request: {
				method: 'PUT',
				path: '/api/sessions/default',
				body: { config: { proxy: null, debug: false, webhooks: [other, { ...wahaHook, events: ['session.status', 'message'] }] } },
				restartsSession: true,
			},
		});
	});

	test('WAHA: a missing webhook is added; a signing key or header value it needs must be passed in', () => {
		const wanted: ExpectedWebhook = { v: 1, gateway: 'waha', url: URL, events: [], signed: true };
		expect(wahaSessionUpdateRequest('default', wahaSession([]), wanted)).toEqual({ ok: false, reason: 'the HMAC key is needed to restore the signed webhook (it is never stored)' });
		const plan = wahaSessionUpdateRequest('default', wahaSession([]), wanted, { hmacKey: HMAC_KEY });
		expect(plan).toMatchObject({ ok: true, request: { body: { config: { webhooks: [{ url: URL, events: ['message'], hmac: { key: HMAC_KEY } }] } } } });
		expect(wahaSessionUpdateRequest('default', wahaSession([]), { ...wanted, signed: false, headerNames: ['x-token'] })).toMatchObject({ ok: false, reason: expect.stringContaining('x-token') });
	});

	test('Meta: subscribe the app; an override callback needs its verify token', () => {
		const wanted: ExpectedWebhook = { v: 1, gateway: 'cloudApi', events: [], appId: '67084' };
		expect(metaSubscribeRequest('v23.0', '102290129340398', wanted)).toEqual({ ok: true, request: { method: 'POST', path: '/v23.0/102290129340398/subscribed_apps', restartsSession: false } });
		const override = { ...wanted, url: 'https://bot.example.com/meta' };
		expect(metaSubscribeRequest('v23.0', '102290129340398', override)).toMatchObject({ ok: false, reason: expect.stringContaining('verify token') });
		expect(metaSubscribeRequest('v23.0', '102290129340398', override, { verifyToken: 'vt' })).toMatchObject({
			ok: true,
			request: { body: { override_callback_uri: 'https://bot.example.com/meta', verify_token: 'vt' } },
		});
		expect(metaSubscribeRequest('v23.0', '', wanted)).toMatchObject({ ok: false });
	});
});
