/**
 * The bot's message history as the gateways store it, read into one shape for the passive
 * check (whatsapp-canary-webhooks.md §1.B, §2.B):
 *  - Evolution `POST /chat/findMessages/{instance}` with `where.messageTimestamp.{gte,lte}`
 *    (both bounds, ISO strings: epoch seconds would be read as ms), paged by `offset` (the page
 *    size; `limit` is ignored) and `page`, newest first. Every chat; `key.fromMe` tells answers.
 *  - WAHA `GET /api/{session}/chats/all/messages?filter.timestamp.gte=&filter.timestamp.lte=`
 *    (unix seconds), paged by `limit` and `offset`. `chatId=all` is NOWEB and GOWS only, and
 *    NOWEB answers only with its store enabled.
 * Only direct chats with people count: groups, broadcasts (status) and channels are not
 * customers writing to the bot.
 */
import type { Cause } from '../../shared/contract';
import { isRecord } from '../../shared/json';
import type { HistoryMessage } from './passiveVerdict';

/** Messages per page asked for (a page of 1,000 text messages is about 0.5 MB from Evolution). */
export const HISTORY_PAGE_SIZE = 1000;
/** Pages read at most per check: 30,000 messages; beyond that the history is cut (and says so) and starts at its oldest message. */
export const HISTORY_MAX_PAGES = 30;

export type HistoryReading =
	| {
			ok: true;
			messages: HistoryMessage[];
			/** False when the page cap cut the read: the history then starts at its oldest message. */
			complete: boolean;
			/** Calls made. */
			calls: number;
			durationMs: number;
	  }
	| { ok: false; unsupported: true; reason: string }
	| { ok: false; unsupported?: false; cause: Cause; durationMs: number };

/** Why a Cloud API bot cannot be checked passively. */
export const CLOUD_API_NO_HISTORY =
	'The WhatsApp Cloud API keeps no message history a client can read: Meta has no endpoint to list received or sent messages, they reach the business only as webhooks. Use the Conversation Check (a canary number) for a Cloud API bot.';

/** A person's chat (`…@s.whatsapp.net`, `…@c.us`, `…@lid`), not a group, broadcast or channel. */
export function isDirectChat(jid: string): boolean {
	return /@(s\.whatsapp\.net|c\.us|lid)$/.test(jid) && !jid.startsWith('status@');
}

/** One Evolution findMessages record, or null when it is not a direct chat's message. */
export function evolutionHistoryMessage(record: unknown): HistoryMessage | null {
	if (!isRecord(record) || !isRecord(record.key)) return null;
	const chat = record.key.remoteJid;
	const seconds = Number(record.messageTimestamp);
	if (typeof chat !== 'string' || !isDirectChat(chat) || !Number.isFinite(seconds)) return null;
	return { chat, fromMe: record.key.fromMe === true, at: seconds * 1000 };
}

/** One WAHA chat message, or null when it is not a direct chat's message. Its chat is in its id: `<fromMe>_<chatId>_<id>`. */
export function wahaHistoryMessage(item: unknown): HistoryMessage | null {
	if (!isRecord(item)) return null;
	const fromMe = item.fromMe === true;
	const fromId = typeof item.id === 'string' ? /^(?:true|false)_([^_]+)_/.exec(item.id)?.[1] : undefined;
	const peer = fromMe ? item.to : item.from;
	const chat = fromId ?? (typeof peer === 'string' ? peer : undefined);
	const seconds = Number(item.timestamp);
	if (chat === undefined || !isDirectChat(chat) || !Number.isFinite(seconds)) return null;
	return { chat, fromMe, at: seconds * 1000 };
}

export type PageOutcome = { ok: true; items: unknown[]; last: boolean; durationMs: number } | { ok: false; cause: Cause; durationMs: number };

/** Reads pages until the last one or the cap; the first failure ends the read. */
export async function readHistoryPages(
	fetchPage: (index: number) => Promise<PageOutcome>,
	parse: (item: unknown) => HistoryMessage | null,
	maxPages = HISTORY_MAX_PAGES,
): Promise<HistoryReading> {
	const messages: HistoryMessage[] = [];
	let durationMs = 0;
	for (let index = 0; index < maxPages; index++) {
		const page = await fetchPage(index);
		durationMs += page.durationMs;
		if (!page.ok) return { ok: false, cause: page.cause, durationMs };
		for (const item of page.items) {
			const message = parse(item);
			if (message) messages.push(message);
		}
		if (page.last) return { ok: true, messages, complete: true, calls: index + 1, durationMs };
	}
	return { ok: true, messages, complete: false, calls: maxPages, durationMs };
}
