import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';
import { cloudApiDefaults, createCloudApiEmulator, type CloudApiState } from '../../../dev/emulators/whatsapp/cloudApi';

const TOKEN = cloudApiDefaults.accessToken;
const PHONE = cloudApiDefaults.phone.id;
const WABA = cloudApiDefaults.waba.id;
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Reads a nested value out of an unknown JSON body. */
function at(value: unknown, ...path: Array<string | number>): unknown {
	let current = value;
	for (const key of path) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

function headerJson(result: RawResult, name: string): unknown {
	const raw = result.headers.get(name);
	return raw === null ? undefined : (JSON.parse(raw) as unknown);
}

describe('WhatsApp Cloud API emulator', () => {
	let emulator: Emulator<CloudApiState>;
	beforeEach(async () => {
		emulator = await createCloudApiEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const graph = (path: string, init: RequestInit = {}, version = 'v23.0') =>
		call(`${emulator.url}/${version}${path}`, { ...init, headers: { ...AUTH, ...(init.headers ?? {}) } });
	const post = (path: string, body: unknown) =>
		graph(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const textMessage = (to = '+5215598765432') => ({
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to,
		type: 'text',
		text: { body: 'Hola', preview_url: false },
	});

	describe('phone number node', () => {
		test('without fields returns the default fields only', async () => {
			const result = await graph(`/${PHONE}`);
			expect(result.status).toBe(200);
			expect(result.json).toEqual({
				id: PHONE,
				display_phone_number: cloudApiDefaults.phone.display_phone_number,
				verified_name: cloudApiDefaults.phone.verified_name,
				quality_rating: 'GREEN',
			});
		});

		test('returns exactly the requested fields, plus id, including nested selections', async () => {
			const result = await graph(`/${PHONE}?fields=status,messaging_limit_tier,throughput{level}`);
			expect(result.json).toEqual({
				status: 'CONNECTED',
				messaging_limit_tier: 'TIER_1K',
				throughput: { level: 'STANDARD' },
				id: PHONE,
			});
		});

		test('answers the full health-probe field list from the reference', async () => {
			const fields =
				'id,display_phone_number,verified_name,quality_rating,status,name_status,code_verification_status,' +
				'messaging_limit_tier,throughput,platform_type,account_mode';
			const result = await graph(`/${PHONE}?fields=${fields}`);
			expect(result.json).toEqual({
				id: PHONE,
				display_phone_number: cloudApiDefaults.phone.display_phone_number,
				verified_name: cloudApiDefaults.phone.verified_name,
				quality_rating: 'GREEN',
				status: 'CONNECTED',
				name_status: 'APPROVED',
				code_verification_status: 'VERIFIED',
				messaging_limit_tier: 'TIER_1K',
				throughput: { level: 'STANDARD' },
				platform_type: 'CLOUD_API',
				account_mode: 'LIVE',
			});
		});

		test('an unknown field is error 100 naming the node type', async () => {
			const result = await graph(`/${PHONE}?fields=status,colour`);
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({
				error: {
					code: 100,
					type: 'OAuthException',
					message: '(#100) Tried accessing nonexisting field (colour) on node type (WhatsAppBusinessPhoneNumber)',
				},
			});
		});

		test('quality, status and tier switches are reported (quality RED)', async () => {
			emulator.patchState({
				phone: { quality_rating: 'RED', status: 'FLAGGED', messaging_limit_tier: 'TIER_250' },
			});
			const result = await graph(`/${PHONE}?fields=quality_rating,status,messaging_limit_tier`);
			expect(result.json).toEqual({
				quality_rating: 'RED',
				status: 'FLAGGED',
				messaging_limit_tier: 'TIER_250',
				id: PHONE,
			});
		});

		test('the token is also accepted as ?access_token=, and any vNN.N version is echoed', async () => {
			const result = await call(`${emulator.url}/v24.0/${PHONE}?fields=status&access_token=${TOKEN}`);
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ status: 'CONNECTED', id: PHONE });
			expect(result.headers.get('facebook-api-version')).toBe('v24.0');
		});

		test('a path that is not /vNN.N/... is "Unknown path components" (2500)', async () => {
			const result = await graph(`/${PHONE}`, {}, 'latest');
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({ error: { code: 2500, message: `Unknown path components: /${PHONE}` } });
			const deep = await graph(`/${PHONE}/nothing/here`);
			expect(deep.json).toMatchObject({ error: { code: 2500 } });
		});

		test('an unknown object id is 803 GraphMethodException with HTTP 404', async () => {
			const result = await graph('/999999999999');
			expect(result.status).toBe(404);
			expect(result.json).toMatchObject({
				error: {
					code: 803,
					type: 'GraphMethodException',
					message: '(#803) Some of the aliases you requested do not exist: 999999999999',
				},
			});
		});

		test('a known node with an unsupported method is 100/33', async () => {
			const result = await graph(`/${PHONE}`, { method: 'DELETE' });
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({ error: { code: 100, error_subcode: 33, type: 'GraphMethodException' } });
		});
	});

	describe('headers', () => {
		test('every reply carries the Graph tracing and usage headers; fbtrace_id matches x-fb-trace-id', async () => {
			for (const result of [await graph(`/${PHONE}`), await graph('/404404')]) {
				for (const name of ['x-fb-trace-id', 'x-fb-request-id', 'facebook-api-version', 'x-app-usage']) {
					expect(result.headers.get(name)).toBeTruthy();
				}
				expect(at(headerJson(result, 'x-business-use-case-usage'), WABA, 0, 'type')).toBe('whatsapp');
				expect(at(headerJson(result, 'x-app-usage'), 'call_count')).toEqual(expect.any(Number));
				expect(result.headers.get('facebook-api-version')).toBe('v23.0');
				expect(result.headers.get('retry-after')).toBeNull();
			}
			const failed = await graph('/404404');
			expect(at(failed.json, 'error', 'fbtrace_id')).toBe(failed.headers.get('x-fb-trace-id'));
		});
	});

	describe('access token', () => {
		test('no token is code 104 with HTTP 401', async () => {
			const result = await call(`${emulator.url}/v23.0/${PHONE}`);
			expect(result.status).toBe(401);
			expect(result.json).toMatchObject({
				error: { code: 104, type: 'OAuthException', message: 'An access token is required to request this resource.' },
			});
		});

		test('an unknown token is 190 with HTTP 401 and a WWW-Authenticate challenge', async () => {
			const result = await call(`${emulator.url}/v23.0/${PHONE}`, { headers: { authorization: 'Bearer EAAwrong' } });
			expect(result.status).toBe(401);
			expect(result.json).toMatchObject({
				error: { code: 190, type: 'OAuthException', message: 'Invalid OAuth access token - Cannot parse access token' },
			});
			expect(result.headers.get('www-authenticate')).toMatch(/^OAuth "Facebook Platform" "invalid_token"/);
		});

		test('an expired token is 190 subcode 463; a revoked one 190 subcode 460', async () => {
			emulator.patchState({ tokenState: 'expired' });
			const expired = await graph(`/${PHONE}`);
			expect(expired.status).toBe(401);
			expect(expired.json).toMatchObject({ error: { code: 190, error_subcode: 463 } });
			expect(String(at(expired.json, 'error', 'message'))).toMatch(/^Error validating access token: Session has expired/);
			emulator.patchState({ tokenState: 'revoked' });
			const revoked = await post(`/${PHONE}/messages`, textMessage());
			expect(revoked.json).toMatchObject({ error: { code: 190, error_subcode: 460 } });
		});

		test('with authErrorHttpStatus 400 the same 190 body comes with HTTP 400, as Graph often does', async () => {
			emulator.patchState({ tokenState: 'expired', authErrorHttpStatus: 400 });
			const result = await graph(`/${PHONE}?fields=status`);
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({ error: { code: 190, error_subcode: 463, type: 'OAuthException' } });
		});

		test('the token check comes before the object lookup', async () => {
			const result = await call(`${emulator.url}/v23.0/404404`);
			expect(result.status).toBe(401);
			expect(result.json).toMatchObject({ error: { code: 104 } });
		});
	});

	describe('health_status', () => {
		test('on the phone: PHONE_NUMBER, WABA, BUSINESS and APP entities, all AVAILABLE', async () => {
			const result = await graph(`/${PHONE}?fields=health_status`);
			expect(result.status).toBe(200);
			expect(result.json).toEqual({
				health_status: {
					can_send_message: 'AVAILABLE',
					entities: [
						{ entity_type: 'PHONE_NUMBER', id: PHONE, can_send_message: 'AVAILABLE', can_receive_call_sip: 'AVAILABLE' },
						{ entity_type: 'WABA', id: WABA, can_send_message: 'AVAILABLE' },
						{ entity_type: 'BUSINESS', id: cloudApiDefaults.businessId, can_send_message: 'AVAILABLE' },
						{ entity_type: 'APP', id: cloudApiDefaults.appId, can_send_message: 'AVAILABLE' },
					],
				},
				id: PHONE,
			});
		});

		test('on the WABA there is no PHONE_NUMBER entity', async () => {
			const result = await graph(`/${WABA}?fields=health_status`);
			const types = (at(result.json, 'health_status', 'entities') as Array<{ entity_type: string }>).map(
				(entity) => entity.entity_type,
			);
			expect(types).toEqual(['WABA', 'BUSINESS', 'APP']);
		});

		test('one LIMITED entity makes the whole LIMITED, with additional_info on that entity only', async () => {
			emulator.patchState({ health: { APP: { can_send_message: 'LIMITED' } } });
			const result = await graph(`/${PHONE}?fields=health_status`);
			const entities = at(result.json, 'health_status', 'entities') as Array<Record<string, unknown>>;
			expect(at(result.json, 'health_status', 'can_send_message')).toBe('LIMITED');
			expect(entities[3]).toMatchObject({ entity_type: 'APP', can_send_message: 'LIMITED' });
			expect(entities[3].additional_info).toEqual([expect.any(String)]);
			expect(entities.filter((entity) => 'additional_info' in entity)).toHaveLength(1);
		});

		test('BLOCKED wins over LIMITED and carries errors[{error_code,error_description,possible_solution}]', async () => {
			emulator.patchState({
				health: {
					APP: { can_send_message: 'LIMITED', additional_info: ['App in development mode'] },
					WABA: { can_send_message: 'BLOCKED' },
				},
			});
			const result = await graph(`/${PHONE}?fields=health_status`);
			const entities = at(result.json, 'health_status', 'entities') as Array<Record<string, unknown>>;
			expect(at(result.json, 'health_status', 'can_send_message')).toBe('BLOCKED');
			expect(entities[1]).toEqual({
				entity_type: 'WABA',
				id: WABA,
				can_send_message: 'BLOCKED',
				errors: [
					{
						error_code: 141006,
						error_description: 'There is an error with the payment method',
						possible_solution: expect.any(String),
					},
				],
			});
			expect(entities[3].additional_info).toEqual(['App in development mode']);
		});

		test('a blocked phone shows on the phone but not on the WABA', async () => {
			emulator.patchState({ health: { PHONE_NUMBER: { can_send_message: 'BLOCKED' } } });
			expect(at((await graph(`/${PHONE}?fields=health_status`)).json, 'health_status', 'can_send_message')).toBe(
				'BLOCKED',
			);
			expect(at((await graph(`/${WABA}?fields=health_status`)).json, 'health_status', 'can_send_message')).toBe(
				'AVAILABLE',
			);
		});

		test('health is switchable over HTTP through PATCH /__emulator/state', async () => {
			const patched = await call(`${emulator.url}/__emulator/state`, {
				method: 'PATCH',
				body: JSON.stringify({ health: { BUSINESS: { can_send_message: 'LIMITED' } } }),
			});
			expect(patched.status).toBe(200);
			const result = await graph(`/${WABA}?fields=health_status`);
			expect(at(result.json, 'health_status', 'can_send_message')).toBe('LIMITED');
		});
	});

	describe('WABA', () => {
		test('default fields, and requested fields only', async () => {
			expect((await graph(`/${WABA}`)).json).toEqual({
				id: WABA,
				name: cloudApiDefaults.waba.name,
				timezone_id: cloudApiDefaults.waba.timezone_id,
				message_template_namespace: cloudApiDefaults.waba.message_template_namespace,
			});
			const result = await graph(`/${WABA}?fields=account_review_status,business_verification_status,country`);
			expect(result.json).toEqual({
				account_review_status: 'APPROVED',
				business_verification_status: 'verified',
				country: 'MX',
				id: WABA,
			});
		});

		test('phone_numbers lists the number, with fields and EQUAL filtering', async () => {
			const list = await graph(`/${WABA}/phone_numbers?fields=id,status,quality_rating`);
			expect(list.status).toBe(200);
			expect(at(list.json, 'data')).toEqual([{ id: PHONE, status: 'CONNECTED', quality_rating: 'GREEN' }]);
			expect(at(list.json, 'paging', 'cursors', 'after')).toEqual(expect.any(String));
			const filter = (value: string) =>
				encodeURIComponent(JSON.stringify([{ field: 'account_mode', operator: 'EQUAL', value }]));
			expect(at((await graph(`/${WABA}/phone_numbers?filtering=${filter('SANDBOX')}`)).json, 'data')).toEqual([]);
			expect(at((await graph(`/${WABA}/phone_numbers?filtering=${filter('LIVE')}`)).json, 'data')).toHaveLength(1);
		});

		test('phone_numbers on a phone number node is error 100', async () => {
			const result = await graph(`/${PHONE}/phone_numbers`);
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({ error: { code: 100 } });
		});
	});

	describe('messages', () => {
		test('a text message is accepted with a wamid and the contact wa_id', async () => {
			const result = await post(`/${PHONE}/messages`, textMessage('+5215598765432'));
			expect(result.status).toBe(200);
			expect(result.json).toEqual({
				messaging_product: 'whatsapp',
				contacts: [{ input: '+5215598765432', wa_id: '5215598765432' }],
				messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/]+$/) }],
			});
			expect(String(at(result.json, 'messages', 0, 'id')).length).toBeLessThanOrEqual(128);
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({ to: '+5215598765432', type: 'text', id: at(result.json, 'messages', 0, 'id') }),
			]);
		});

		test('template and image messages are accepted; templates report message_status', async () => {
			const template = await post(`/${PHONE}/messages`, {
				messaging_product: 'whatsapp',
				to: '5215598765432',
				type: 'template',
				template: {
					name: 'pedido_listo',
					language: { code: 'es_MX' },
					components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
				},
			});
			expect(at(template.json, 'messages', 0, 'message_status')).toBe('accepted');
			const image = await post(`/${PHONE}/messages`, {
				messaging_product: 'whatsapp',
				to: '5215598765432',
				type: 'image',
				image: { link: 'https://example.invalid/p.jpg' },
			});
			expect(image.status).toBe(200);
			expect(emulator.state.sentMessages.map((m) => m.type)).toEqual(['template', 'image']);
		});

		test('missing messaging_product or text body is error 100', async () => {
			const noProduct = await post(`/${PHONE}/messages`, { to: '1', type: 'text', text: { body: 'x' } });
			expect(noProduct.status).toBe(400);
			expect(noProduct.json).toMatchObject({
				error: { code: 100, message: '(#100) The parameter messaging_product is required.' },
			});
			const noBody = await post(`/${PHONE}/messages`, { messaging_product: 'whatsapp', to: '1', type: 'text' });
			expect(noBody.json).toMatchObject({ error: { code: 100 } });
		});

		test('POST messages to the WABA id is unsupported (100/33)', async () => {
			const result = await post(`/${WABA}/messages`, textMessage());
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({ error: { code: 100, error_subcode: 33 } });
		});

		test('throughput limit is 130429 with HTTP 400', async () => {
			emulator.patchState({ throughputLimited: true });
			const result = await post(`/${PHONE}/messages`, textMessage());
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({
				error: {
					code: 130429,
					message: '(#130429) Rate limit hit',
					type: 'OAuthException',
					error_data: { messaging_product: 'whatsapp', details: expect.any(String) },
				},
			});
			expect(result.headers.get('retry-after')).toBeNull();
		});

		test('pair rate limit is 131056 with HTTP 400', async () => {
			emulator.patchState({ pairRateLimited: true });
			const result = await post(`/${PHONE}/messages`, textMessage());
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({
				error: { code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' },
			});
		});

		test('an unregistered number fails with 133010', async () => {
			emulator.patchState({ registered: false });
			const result = await post(`/${PHONE}/messages`, textMessage());
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({ error: { code: 133010, error_data: { details: 'Account not registered' } } });
			expect(emulator.state.sentMessages).toEqual([]);
		});
	});

	describe('register / deregister', () => {
		test('a PIN that is not 6 digits is 400 "Invalid PIN format"', async () => {
			const result = await post(`/${PHONE}/register`, { messaging_product: 'whatsapp', pin: '12ab' });
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({
				error: { code: 100, message: 'Invalid PIN format. PIN must be exactly 6 digits' },
			});
		});

		test('a wrong PIN is 133005 and changes nothing', async () => {
			emulator.patchState({ registered: false, phone: { status: 'DISCONNECTED' } });
			const result = await post(`/${PHONE}/register`, { messaging_product: 'whatsapp', pin: '654321' });
			expect(result.status).toBe(400);
			expect(result.json).toMatchObject({ error: { code: 133005 } });
			expect(emulator.state.phone.status).toBe('DISCONNECTED');
		});

		test('deregister breaks sending; register with the PIN heals it and sets CONNECTED', async () => {
			expect((await post(`/${PHONE}/deregister`, { messaging_product: 'whatsapp' })).json).toEqual({ success: true });
			expect((await graph(`/${PHONE}?fields=status`)).json).toEqual({ status: 'DISCONNECTED', id: PHONE });
			expect(at((await post(`/${PHONE}/messages`, textMessage())).json, 'error', 'code')).toBe(133010);
			const registered = await post(`/${PHONE}/register`, { messaging_product: 'whatsapp', pin: '123456' });
			expect(registered.status).toBe(200);
			expect(registered.json).toEqual({ success: true });
			expect((await graph(`/${PHONE}?fields=status`)).json).toEqual({ status: 'CONNECTED', id: PHONE });
			expect((await post(`/${PHONE}/messages`, textMessage())).status).toBe(200);
		});
	});

	describe('media upload (not in apis.md; shape from Meta docs, unverified)', () => {
		/** A standard client's multipart body (fetch's FormData), so the parser is not tested against itself. */
		const form = (fields: Record<string, string>, file?: { name: string; type: string; content: string }) => {
			const data = new FormData();
			for (const [name, value] of Object.entries(fields)) data.append(name, value);
			if (file) data.append('file', new Blob([file.content], { type: file.type }), file.name);
			return data;
		};
		const upload = (body: FormData | string, path = `/${PHONE}/media`, headers: Record<string, string> = {}) =>
			graph(path, { method: 'POST', body, headers });
		const jpeg = { name: 'producto.jpg', type: 'image/jpeg', content: 'JFIF-test-bytes' };

		test('a multipart upload with file, type and messaging_product returns a numeric media id', async () => {
			const result = await upload(form({ messaging_product: 'whatsapp', type: 'image/jpeg' }, jpeg));
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ id: expect.stringMatching(/^[1-9]\d{15}$/) });
			expect(emulator.state.media).toEqual([
				{ id: at(result.json, 'id'), mimeType: 'image/jpeg', fileName: 'producto.jpg', size: jpeg.content.length, at: expect.any(String) },
			]);
		});

		test('an image message may reference an uploaded media id; an unknown id is error 100', async () => {
			const uploaded = await upload(form({ messaging_product: 'whatsapp', type: 'image/png' }, { ...jpeg, type: 'image/png' }));
			const id = String(at(uploaded.json, 'id'));
			const image = (mediaId: string) => ({
				messaging_product: 'whatsapp',
				to: '5215598765432',
				type: 'image',
				image: { id: mediaId, caption: 'Catálogo' },
			});
			const sent = await post(`/${PHONE}/messages`, image(id));
			expect(sent.status).toBe(200);
			expect(at(sent.json, 'messages', 0, 'id')).toEqual(expect.stringMatching(/^wamid\./));
			const unknown = await post(`/${PHONE}/messages`, image('4242424242424242'));
			expect(unknown.status).toBe(400);
			expect(unknown.json).toMatchObject({ error: { code: 100, type: 'OAuthException' } });
			expect(String(at(unknown.json, 'error', 'message'))).toMatch(/^\(#100\) Param image\['id'\]/);
			expect(emulator.state.sentMessages).toHaveLength(1);
		});

		test('missing messaging_product, file or type is error 100; so is a body that is not multipart', async () => {
			const cases: Array<[FormData | string, string]> = [
				[form({ type: 'image/jpeg' }, jpeg), 'messaging_product'],
				[form({ messaging_product: 'whatsapp', type: 'image/jpeg' }), 'file'],
				[form({ messaging_product: 'whatsapp', type: 'image/jpeg' }, { ...jpeg, content: '' }), 'file'],
				[form({ messaging_product: 'whatsapp' }, jpeg), 'type'],
			];
			for (const [body, parameter] of cases) {
				const result = await upload(body);
				expect(result.status).toBe(400);
				expect(result.json).toMatchObject({ error: { code: 100, message: `(#100) The parameter ${parameter} is required.` } });
			}
			const notMime = await upload(form({ messaging_product: 'whatsapp', type: 'jpeg' }, jpeg));
			expect(notMime.json).toMatchObject({ error: { code: 100, message: '(#100) Param type must be a valid MIME type - got "jpeg".' } });
			const json = await upload(JSON.stringify({ messaging_product: 'whatsapp', type: 'image/jpeg' }), `/${PHONE}/media`, {
				'content-type': 'application/json',
			});
			expect(json.json).toMatchObject({ error: { code: 100, message: '(#100) The parameter messaging_product is required.' } });
			expect(emulator.state.media).toEqual([]);
		});

		test('same auth and object handling as every Graph route', async () => {
			const body = () => form({ messaging_product: 'whatsapp', type: 'image/jpeg' }, jpeg);
			const anonymous = await call(`${emulator.url}/v23.0/${PHONE}/media`, { method: 'POST', body: body() });
			expect(anonymous.status).toBe(401);
			expect(anonymous.json).toMatchObject({ error: { code: 104 } });
			emulator.patchState({ tokenState: 'revoked', authErrorHttpStatus: 400 });
			const revoked = await upload(body());
			expect(revoked.status).toBe(400);
			expect(revoked.json).toMatchObject({ error: { code: 190, error_subcode: 460 } });
			emulator.patchState({ tokenState: 'valid' });
			expect((await upload(body(), '/999999999999/media')).json).toMatchObject({ error: { code: 803 } });
			expect((await upload(body(), `/${WABA}/media`)).json).toMatchObject({ error: { code: 100, error_subcode: 33 } });
		});

		test('faults switch on cloudApi.media like on any route', async () => {
			emulator.setFault('cloudApi.media', { status: 500, times: 1 });
			const failed = await upload(form({ messaging_product: 'whatsapp', type: 'image/jpeg' }, jpeg));
			expect(failed.status).toBe(500);
			expect(failed.json).toMatchObject({ error: { code: 2, is_transient: true } });
			expect(emulator.requests('cloudApi.media')).toHaveLength(1);
			expect((await upload(form({ messaging_product: 'whatsapp', type: 'image/jpeg' }, jpeg))).status).toBe(200);
		});
	});

	describe('injected faults use Graph bodies', () => {
		test('401 is a 190 token error', async () => {
			emulator.setFault('cloudApi.node', { status: 401 });
			const result = await graph(`/${PHONE}`);
			expect(result.status).toBe(401);
			expect(result.json).toMatchObject({ error: { code: 190, error_subcode: 463, type: 'OAuthException' } });
			expect(at(result.json, 'error', 'fbtrace_id')).toBe(result.headers.get('x-fb-trace-id'));
		});

		test('429 is code 4 with no Retry-After, and the regain estimate in x-business-use-case-usage', async () => {
			emulator.setFault('cloudApi.messages', { status: 429, retryAfter: 120 });
			const result = await post(`/${PHONE}/messages`, textMessage());
			expect(result.status).toBe(429);
			expect(result.json).toMatchObject({
				error: {
					code: 4,
					message: '(#4) Application request limit reached',
					is_transient: true,
					fbtrace_id: expect.any(String),
				},
			});
			expect(result.headers.get('retry-after')).toBeNull();
			expect(at(headerJson(result, 'x-business-use-case-usage'), WABA, 0, 'estimated_time_to_regain_access')).toBe(2);
			expect(at(headerJson(result, 'x-app-usage'), 'call_count')).toBe(100);
		});

		test('429 on a WABA route is the WABA rate limit 80007, still without Retry-After', async () => {
			emulator.setFault('cloudApi.phoneNumbers', { status: 429 });
			const result = await graph(`/${WABA}/phone_numbers`);
			expect(result.status).toBe(429);
			expect(result.json).toMatchObject({ error: { code: 80007, is_transient: true } });
			expect(result.headers.get('retry-after')).toBeNull();
			expect(at(headerJson(result, 'x-business-use-case-usage'), WABA, 0, 'estimated_time_to_regain_access')).toBe(1);
		});

		test('500 is code 2 with is_transient true; 503 too', async () => {
			emulator.setFault('cloudApi.node', { status: 500, times: 1 });
			const failed = await graph(`/${PHONE}`);
			expect(failed.status).toBe(500);
			expect(failed.json).toMatchObject({
				error: {
					code: 2,
					is_transient: true,
					type: 'OAuthException',
					message: 'An unexpected error has occurred. Please retry your request later.',
				},
			});
			emulator.setFault('cloudApi.node', { status: 503 });
			const unavailable = await graph(`/${PHONE}`);
			expect(unavailable.status).toBe(503);
			expect(unavailable.json).toMatchObject({ error: { code: 2, is_transient: true } });
		});

		test('403 is a permission error and 404 is 803', async () => {
			emulator.setFault('cloudApi.register', { status: 403 });
			const forbidden = await post(`/${PHONE}/register`, { messaging_product: 'whatsapp', pin: '123456' });
			expect(forbidden.status).toBe(403);
			expect(forbidden.json).toMatchObject({ error: { code: 10 } });
			emulator.setFault('cloudApi.node', { status: 404 });
			const missing = await graph(`/${PHONE}`);
			expect(missing.status).toBe(404);
			expect(missing.json).toMatchObject({ error: { code: 803, type: 'GraphMethodException' } });
		});
	});

	test('route ids are stable', () => {
		expect(emulator.routeIds).toEqual([
			'cloudApi.node',
			'cloudApi.phoneNumbers',
			'cloudApi.messages',
			'cloudApi.register',
			'cloudApi.deregister',
			'cloudApi.media',
			'cloudApi.subscribedApps',
		]);
	});

	test('reset restores defaults; overrides change the initial state', async () => {
		emulator.patchState({ tokenState: 'revoked' });
		emulator.reset();
		expect((await graph(`/${PHONE}?fields=status`)).status).toBe(200);
		const custom = await createCloudApiEmulator({ accessToken: 'EAAother', pin: '000111' }).start();
		try {
			const result = await call(`${custom.url}/v23.0/${PHONE}`, { headers: { authorization: 'Bearer EAAother' } });
			expect(result.status).toBe(200);
			expect(custom.state.pin).toBe('000111');
		} finally {
			await custom.close();
		}
	});

	describeTransportFaults(() => emulator, {
		routeId: 'cloudApi.node',
		path: `/v23.0/${PHONE}?fields=status`,
		init: { headers: AUTH },
	});
});
