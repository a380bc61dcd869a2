/**
 * Evolution instance webhook configuration (whatsapp-canary-webhooks.md §1.C), 2.1.1+ body:
 *  - `POST /webhook/set/:instance` `{"webhook":{enabled,url,headers?,byEvents?,base64?,events?}}` → 201 row.
 *    `webhook` required, then `enabled` and `url` (JSON-schema wording); `events[]` must be
 *    Evolution event names. `enabled:false` stores `events: []`; `enabled:true` with no events
 *    means all events. A URL that is not `http(s)://` is stored but nothing is sent to it.
 *    Setting the webhook clears the `webhookLost` fault.
 *  - `GET /webhook/find/:instance` → the row (read-model names `webhookByEvents`/`webhookBase64`,
 *    `headers` in clear) or `null`. With `webhookLost` it is the wiped row of issue #2694:
 *    `url:""`, `events:[]`, `headers:null`, `enabled:true`.
 */
import type { Reply } from '../../core/types';
import { bodyObject, isRecord } from '../common';
import { fail, instanceRoute, type Req } from './http';
import { EVOLUTION_EVENTS, rowId } from './runtime';
import type { EvolutionInstance, EvolutionWebhookRow } from './state';

function validate(body: Record<string, unknown>): Record<string, unknown> {
	if (!isRecord(body.webhook)) fail(400, ['instance requires property "webhook"']);
	const webhook = body.webhook;
	const problems: string[] = [];
	for (const property of ['enabled', 'url']) {
		if (webhook[property] === undefined) problems.push(`instance.webhook requires property "${property}"`);
	}
	if (webhook.enabled !== undefined && typeof webhook.enabled !== 'boolean') problems.push('instance.webhook.enabled is not of a type(s) boolean');
	if (webhook.url !== undefined && typeof webhook.url !== 'string') problems.push('instance.webhook.url is not of a type(s) string');
	if (webhook.events !== undefined && !Array.isArray(webhook.events)) problems.push('instance.webhook.events is not of a type(s) array');
	if (Array.isArray(webhook.events)) {
		webhook.events.forEach((event: unknown, index) => {
			if (!EVOLUTION_EVENTS.some((known) => known === event)) {
				problems.push(`instance.webhook.events[${index}] is not one of enum values: ${EVOLUTION_EVENTS.join(',')}`);
			}
		});
	}
	if (webhook.headers !== undefined && !isRecord(webhook.headers)) problems.push('instance.webhook.headers is not of a type(s) object');
	if (problems.length > 0) fail(400, problems);
	return webhook;
}

function setWebhook(req: Req, instance: EvolutionInstance, name: string): Reply {
	const webhook = validate(bodyObject(req.body));
	const now = new Date().toISOString();
	const previous = req.state.webhooks[name];
	const enabled = webhook.enabled === true;
	const row: EvolutionWebhookRow = {
		id: previous?.id ?? rowId(),
		url: String(webhook.url),
		headers: isRecord(webhook.headers) ? Object.fromEntries(Object.entries(webhook.headers).map(([k, v]) => [k, String(v)])) : null,
		enabled,
		events: enabled && Array.isArray(webhook.events) ? webhook.events.map(String) : [],
		webhookByEvents: webhook.byEvents === true,
		webhookBase64: webhook.base64 === true,
		createdAt: previous?.createdAt ?? now,
		updatedAt: now,
		instanceId: instance.id,
	};
	req.state.webhooks[name] = row;
	instance.webhookLost = false;
	return { status: 201, body: row };
}

function findWebhook(req: Req, instance: EvolutionInstance, name: string): Reply {
	const row = req.state.webhooks[name];
	if (!row) return { status: 200, text: 'null', contentType: 'application/json; charset=utf-8' };
	if (instance.webhookLost) return { status: 200, body: { ...row, url: '', events: [], headers: null, enabled: true } };
	return { status: 200, body: row };
}

export const webhookRoutes = {
	set: instanceRoute(setWebhook),
	find: instanceRoute(findWebhook),
};
