/**
 * WAHA read-back (whatsapp-canary-webhooks.md §2.B):
 *  - `GET /api/{session}/chats/{chatId}/messages?limit=&offset=&downloadMedia=&filter.timestamp.gte=
 *    &filter.timestamp.lte=&filter.fromMe=&filter.ack=` — `chatId=all` on NOWEB/GOWS only.
 *  - `GET /api/{session}/chats/{chatId}/messages/{messageId}` — one message, 404 when unknown.
 * Items: `{id, timestamp, from, fromMe, source, to, body, hasMedia, media, ack, ackName, replyTo, _data}`.
 * Needs a WORKING session (422 otherwise, like every session API). NOWEB answers only when the
 * store was enabled at creation (`config.noweb.store.enabled`).
 * UNVERIFIED (not in the reference): the default `limit` (100 here), the order (newest first
 * here), the bodies of the `chatId=all`-on-WEBJS and NOWEB-store-disabled errors (400 here),
 * and the 404 body of an unknown message id.
 */
import type { EmulatorRequest, Reply } from '../../core/types';
import { isRecord } from '../common';
import { ACK_NAMES, publicMessage } from './runtime';
import type { WahaSession, WahaState, WahaStatus, WahaStoredMessage } from './state';

type Req = EmulatorRequest<WahaState>;

export interface ReadbackHelpers {
	nestError: (status: number, message?: unknown) => Reply;
	runningSession: (state: WahaState, name: string) => WahaSession;
	unexpectedStatus: (name: string, session: WahaSession, expected: WahaStatus[]) => Reply;
}

function storeProblem(req: Req, session: WahaSession, chatId: string, h: ReadbackHelpers): Reply | null {
	const engine = req.state.engine;
	if (chatId === 'all' && engine === 'WEBJS') return h.nestError(400, "chatId 'all' is supported by NOWEB and GOWS only");
	const noweb = isRecord(session.config.noweb) ? session.config.noweb : {};
	const store = isRecord(noweb.store) ? noweb.store : {};
	if (engine === 'NOWEB' && store.enabled !== true) {
		return h.nestError(400, 'Enable NOWEB store "config.noweb.store.enabled=True" and "config.noweb.store.full_sync=True" when starting a new session');
	}
	return null;
}

function inChat(message: WahaStoredMessage, chatId: string): boolean {
	return chatId === 'all' || message.chatId === chatId;
}

function filtered(req: Req, messages: WahaStoredMessage[]): WahaStoredMessage[] {
	const q = req.query;
	const gte = q['filter.timestamp.gte'] === undefined ? null : Number(q['filter.timestamp.gte']);
	const lte = q['filter.timestamp.lte'] === undefined ? null : Number(q['filter.timestamp.lte']);
	const fromMe = q['filter.fromMe'];
	const ack = q['filter.ack'];
	return messages.filter(
		(m) =>
			(gte === null || m.timestamp >= gte) &&
			(lte === null || m.timestamp <= lte) &&
			(fromMe === undefined || String(m.fromMe) === fromMe) &&
			(ack === undefined || ACK_NAMES[m.ack] === ack),
	);
}

export function readbackRoutes(h: ReadbackHelpers) {
	const guard = (req: Req): { name: string; session: WahaSession } | Reply => {
		const name = req.params.session;
		const session = h.runningSession(req.state, name);
		if (session.status !== 'WORKING') return h.unexpectedStatus(name, session, ['WORKING']);
		return storeProblem(req, session, req.params.chatId, h) ?? { name, session };
	};
	return {
		chatMessages(req: Req): Reply {
			const checked = guard(req);
			if (!('session' in checked)) return checked;
			const { name } = checked;
			const limit = Math.max(1, Number(req.query.limit ?? 100) || 100);
			const offset = Math.max(0, Number(req.query.offset ?? 0) || 0);
			const all = filtered(req, (req.state.messages[name] ?? []).filter((m) => inChat(m, req.params.chatId)))
				.sort((a, b) => b.timestamp - a.timestamp);
			return { status: 200, body: all.slice(offset, offset + limit).map(publicMessage) };
		},
		chatMessage(req: Req): Reply {
			const checked = guard(req);
			if (!('session' in checked)) return checked;
			const { name } = checked;
			const found = (req.state.messages[name] ?? []).find((m) => inChat(m, req.params.chatId) && m.id === req.params.messageId);
			return found ? { status: 200, body: publicMessage(found) } : h.nestError(404, `Message '${req.params.messageId}' not found`);
		},
	};
}
