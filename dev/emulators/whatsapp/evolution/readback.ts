/**
 * Evolution read-back (whatsapp-canary-webhooks.md §1.B):
 *  - `POST /chat/findMessages/:instance` — filters `where.id`, `where.source`, `where.messageType`,
 *    `where.key.{id,fromMe,remoteJid,participants}`, `where.messageTimestamp.{gte,lte}`.
 *    Quirks kept: `key.fromMe:false` is ignored (only a truthy fromMe filters); the timestamp
 *    filter applies only with both bounds, each read as `new Date(x).getTime()/1000` (ISO or
 *    epoch ms); `limit` is ignored; page size is `offset` (default 50), page number `page`
 *    (default 1); newest first. Records carry no `status` but a nested `MessageUpdate[]`.
 *  - `POST /chat/findStatusMessage/:instance` — `where.remoteJid` and `where.id` (the key id)
 *    only; a plain array of `MessageUpdate` rows.
 */
import type { Reply } from '../../core/types';
import { bodyObject, isRecord, stringField } from '../common';
import { instanceRoute, type Req } from './http';
import type { EvolutionInstance, EvolutionStoredMessage } from './state';

function pageOf(body: Record<string, unknown>): { size: number; page: number } {
	const size = typeof body.offset === 'number' && body.offset > 0 ? Math.floor(body.offset) : 50;
	const page = typeof body.page === 'number' && body.page > 0 ? Math.floor(body.page) : 1;
	return { size, page };
}

function toSeconds(value: unknown): number {
	return new Date(value as string | number).getTime() / 1000;
}

function matches(message: EvolutionStoredMessage, where: Record<string, unknown>): boolean {
	const key = bodyObject(where.key);
	if (stringField(where, 'id') !== undefined && message.id !== where.id) return false;
	if (stringField(where, 'source') !== undefined && message.source !== where.source) return false;
	if (stringField(where, 'messageType') !== undefined && message.messageType !== where.messageType) return false;
	if (stringField(key, 'id') !== undefined && message.key.id !== key.id) return false;
	// `keyFilters?.fromMe ? … : {}`: false is no filter at all.
	if (key.fromMe && !message.key.fromMe) return false;
	if (stringField(key, 'remoteJid') !== undefined && message.key.remoteJid !== key.remoteJid) return false;
	const range = bodyObject(where.messageTimestamp);
	if (range.gte !== undefined && range.lte !== undefined) {
		if (message.messageTimestamp < toSeconds(range.gte) || message.messageTimestamp > toSeconds(range.lte)) return false;
	}
	return true;
}

function findMessages(req: Req, _instance: EvolutionInstance, name: string): Reply {
	const body = bodyObject(req.body);
	const where = isRecord(body.where) ? body.where : {};
	const { size, page } = pageOf(body);
	const all = (req.state.messages[name] ?? [])
		.filter((message) => matches(message, where))
		.sort((a, b) => b.messageTimestamp - a.messageTimestamp);
	const records = all.slice((page - 1) * size, page * size).map((message) => ({
		id: message.id,
		key: message.key,
		pushName: message.pushName,
		messageType: message.messageType,
		message: message.message,
		messageTimestamp: message.messageTimestamp,
		instanceId: message.instanceId,
		source: message.source,
		contextInfo: message.contextInfo,
		MessageUpdate: message.updates.map((update) => ({ status: update.status })),
	}));
	return {
		status: 200,
		body: { messages: { total: all.length, pages: Math.ceil(all.length / size), currentPage: page, records } },
	};
}

function findStatusMessage(req: Req, _instance: EvolutionInstance, name: string): Reply {
	const body = bodyObject(req.body);
	const where = bodyObject(body.where);
	const { size, page } = pageOf(body);
	const rows = (req.state.messages[name] ?? [])
		.filter((message) => stringField(where, 'remoteJid') === undefined || message.key.remoteJid === where.remoteJid)
		.filter((message) => stringField(where, 'id') === undefined || message.key.id === where.id)
		.flatMap((message) =>
			message.updates.map((update) => ({
				id: update.id,
				keyId: message.key.id,
				remoteJid: message.key.remoteJid,
				fromMe: message.key.fromMe,
				participant: null,
				pollUpdates: null,
				status: update.status,
				messageId: message.id,
				instanceId: message.instanceId,
			})),
		);
	return { status: 200, body: rows.slice((page - 1) * size, page * size) };
}

export const readbackRoutes = {
	findMessages: instanceRoute(findMessages),
	findStatusMessage: instanceRoute(findStatusMessage),
};
