/**
 * What the gateways' read-backs have in common: finding one message in a chat's messages by
 * id, nonce or text. Ids differ between gateways for the same message: WAHA serialises it as
 * `true_<chatId>_<id>` / `false_<chatId>_<id>` while Evolution keeps Baileys' bare key id, so
 * ids are compared by their last part.
 */
import { TIMESTAMP_RESOLUTION_MS, whatsAppUser, type CanaryInboxMessage } from '../conversation/botReply';
import { canaryNonceOf } from '../conversation/canaryMessage';
import type { GatewayLookup } from '../conversation/verdict';
import type { MessageQuery } from './types';

/** The WhatsApp message id inside a gateway's id: `false_5215…@c.us_3EB0ABC` → `3EB0ABC`. */
export function rawMessageId(id: string): string {
	const serialised = /^(?:true|false)_[^_]+_(.+)$/.exec(id.trim());
	return serialised ? serialised[1] : id.trim();
}

export function sameMessageId(a: string, b: string): boolean {
	return a !== '' && b !== '' && rawMessageId(a) === rawMessageId(b);
}

function matches(message: CanaryInboxMessage, query: MessageQuery): boolean {
	if (message.fromMe !== query.fromMe) return false;
	if (query.since !== undefined && message.timestamp < query.since - TIMESTAMP_RESOLUTION_MS) return false;
	if (query.messageId && sameMessageId(message.id, query.messageId)) return true;
	if (query.nonce && canaryNonceOf(message.text) === query.nonce) return true;
	return query.text !== undefined && query.text !== '' && message.text === query.text;
}

/** The lookup over one read of the chat: found (with the gateway's timestamp) or not. */
export function lookupIn(messages: readonly CanaryInboxMessage[], query: MessageQuery, durationMs: number): GatewayLookup {
	const found = messages.find((message) => matches(message, query));
	return found ? { kind: 'found', at: found.timestamp, durationMs } : { kind: 'not_found', durationMs };
}

/** The digits of a peer number, or undefined when it is not one. */
export function peerDigits(peer: string): string | undefined {
	const digits = whatsAppUser(peer);
	return digits.length >= 5 ? digits : undefined;
}
