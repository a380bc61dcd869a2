/** Evolution instance routes: fetchInstances, create, delete. */
import { randomUUID } from 'node:crypto';

import type { Reply } from '../../core/types';
import { bodyObject, digitsOnly, headerValue, stringField } from '../common';
import { qrObject, startPairing } from './connection';
import { fail, type Req } from './http';
import { runtimeOf } from './runtime';
import { newInstance, type EvolutionInstance, type EvolutionIntegration } from './state';

/** The settings a new instance gets (Evolution's defaults); the emulator never changes them. */
const INSTANCE_SETTINGS = {
	rejectCall: false,
	msgCall: '',
	groupsIgnore: false,
	alwaysOnline: false,
	readMessages: false,
	readStatus: false,
	syncFullHistory: false,
};

function instanceRow(req: Req, name: string, instance: EvolutionInstance): Record<string, unknown> {
	return {
		id: instance.id,
		name,
		connectionStatus: instance.state ?? 'close',
		ownerJid: instance.ownerJid,
		profileName: instance.profileName,
		profilePicUrl: instance.profilePicUrl,
		integration: instance.integration,
		number: instance.number,
		businessId: instance.businessId,
		token: instance.token,
		clientName: req.state.clientName,
		disconnectionReasonCode: instance.disconnectionReasonCode,
		disconnectionObject: instance.disconnectionObject,
		disconnectionAt: instance.disconnectionAt,
		createdAt: instance.createdAt,
		updatedAt: instance.updatedAt,
		Chatwoot: null,
		Proxy: null,
		Rabbitmq: null,
		Nats: null,
		Sqs: null,
		Websocket: null,
		Setting: {
			id: `${instance.id}-setting`,
			...INSTANCE_SETTINGS,
			instanceId: instance.id,
		},
		_count: { ...instance.counts },
	};
}

/** A non-global key may only be an instance token, and then sees that instance only. */
function visibleInstances(req: Req): Array<[string, EvolutionInstance]> {
	const key = headerValue(req.headers, 'apikey');
	const all = Object.entries(req.state.instances);
	if (!key) fail(401, 'Unauthorized');
	if (key === req.state.apiKey) return all;
	const own = all.filter(([, instance]) => instance.token === key);
	if (own.length === 0) fail(401, 'Unauthorized');
	return own;
}

export function fetchInstances(req: Req): Reply {
	let rows = visibleInstances(req);
	const { instanceName, instanceId, number } = req.query;
	const wanted = instanceName ?? instanceId ?? number;
	if (instanceName) rows = rows.filter(([name]) => name === instanceName);
	else if (instanceId) rows = rows.filter(([, instance]) => instance.id === instanceId);
	else if (number) rows = rows.filter(([, instance]) => instance.number === digitsOnly(number));
	if (wanted && rows.length === 0) fail(404, [`Instance "${wanted}" not found`]);
	return { status: 200, body: rows.map(([name, instance]) => instanceRow(req, name, instance)) };
}

const INTEGRATIONS: EvolutionIntegration[] = ['WHATSAPP-BAILEYS', 'WHATSAPP-BUSINESS', 'EVOLUTION'];

function integrationOf(body: Record<string, unknown>): EvolutionIntegration {
	const requested = stringField(body, 'integration') ?? 'WHATSAPP-BAILEYS';
	const known = INTEGRATIONS.find((integration) => integration === requested);
	if (!known) fail(400, ['Invalid integration']);
	return known;
}

export function createInstance(req: Req): Reply {
	const body = bodyObject(req.body);
	const name = stringField(body, 'instanceName');
	// instanceLoggedGuard runs before the apikey guard: a taken name is 403 whatever the key.
	if (name && req.state.instances[name]) fail(403, [`This name "${name}" is already in use.`]);
	if (headerValue(req.headers, 'apikey') !== req.state.apiKey) fail(401, 'Unauthorized');
	if (!name) fail(400, ['instance requires property "instanceName"']);
	const integration = integrationOf(body);
	const token = stringField(body, 'token') ?? randomUUID().toUpperCase();
	const wantsQr = body.qrcode === true && integration === 'WHATSAPP-BAILEYS';
	const instance = newInstance({
		token,
		integration,
		number: stringField(body, 'number') ?? null,
		createdAt: new Date().toISOString(),
		updatedAt: new Date().toISOString(),
	});
	req.state.instances[name] = instance;
	if (wantsQr) startPairing(req, name, instance);
	return {
		status: 201,
		body: {
			instance: {
				instanceName: name,
				instanceId: instance.id,
				integration,
				webhookWaBusiness: null,
				accessTokenWaBusiness: '',
				status: 'created',
			},
			hash: token,
			webhook: {},
			websocket: {},
			rabbitmq: {},
			sqs: {},
			settings: { ...INSTANCE_SETTINGS },
			...(wantsQr ? { qrcode: qrObject(req, name, instance) } : {}),
		},
	};
}

export function deleteInstance(req: Req, instance: EvolutionInstance, name: string): Reply {
	if (instance.state === 'open') fail(400, [`The "${name}" instance needs to be disconnected`]);
	delete req.state.instances[name];
	delete req.state.messages[name];
	delete req.state.webhooks[name];
	runtimeOf(req.state).pairing.stopped(name);
	return { status: 200, body: { status: 'SUCCESS', error: false, response: { message: 'Instance deleted' } } };
}
