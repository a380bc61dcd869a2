/**
 * Which message in the canary's chat is the bot's reply to this run. The bot answers with
 * any text (it need not repeat the marker), so the reply is the first message from the bot's
 * number after the canary's send. Two refinements keep a late answer to an earlier run from
 * passing for this run's: a message carrying another run's marker is skipped, and one that
 * echoes this run's marker wins over the others (docs/whatsapp-canary.md asks bots to echo it).
 */
import { canaryNonceOf } from './canaryMessage';

/**
 * Gateways stamp messages in whole seconds (Evolution `messageTimestamp`, WAHA `timestamp`):
 * a reply in the same second as the send can carry a time up to 999 ms before it.
 */
export const TIMESTAMP_RESOLUTION_MS = 1000;

/** A message in the canary's chat with the bot, read back from the canary's gateway. */
export interface CanaryInboxMessage {
	id: string;
	/** The sender as the gateway gives it: digits, `5511…@s.whatsapp.net`, `5511…@c.us`, `…:12@s.whatsapp.net`. */
	from: string;
	/** Sent by the canary itself (its own copy of the canary message). */
	fromMe: boolean;
	/** Epoch ms, on the gateway's clock. */
	timestamp: number;
	text: string;
	/**
	 * For the canary's own messages: whether WhatsApp's server acknowledged it (Evolution
	 * `MessageUpdate` SERVER_ACK or later, WAHA ack ≥ 1); undefined when the gateway does not say.
	 */
	serverAcked?: boolean;
}

export interface BotReply {
	id: string;
	at: number;
	text: string;
	/** The reply repeated this run's marker. */
	echoedNonce: boolean;
}

/** The user part of a WhatsApp id: `5511999@s.whatsapp.net` and `5511999:12@c.us` → `5511999`; digits only. */
export function whatsAppUser(id: string): string {
	const user = id.trim().split('@')[0].split(':')[0];
	return user.replace(/\D/g, '');
}

export interface FindBotReplyOptions {
	/** The bot's number, and any other id it may appear under (e.g. its LID). */
	botIds: readonly string[];
	/** When the canary's message was sent, on the gateway's clock when known (its own message timestamp). */
	sentAt: number;
	/** This run's nonce. */
	nonce: string;
}

/** The bot's reply to this run, or undefined when none is in `messages` yet. */
export function findBotReply(messages: readonly CanaryInboxMessage[], options: FindBotReplyOptions): BotReply | undefined {
	const bot = new Set(options.botIds.map(whatsAppUser).filter((user) => user !== ''));
	const candidates = messages
		.filter((message) => !message.fromMe && bot.has(whatsAppUser(message.from)))
		.filter((message) => message.timestamp >= options.sentAt - TIMESTAMP_RESOLUTION_MS)
		.filter((message) => {
			const nonce = canaryNonceOf(message.text);
			return nonce === undefined || nonce === options.nonce;
		})
		.sort((a, b) => a.timestamp - b.timestamp);
	const echo = candidates.find((message) => canaryNonceOf(message.text) === options.nonce);
	const chosen = echo ?? candidates[0];
	if (!chosen) return undefined;
	return { id: chosen.id, at: chosen.timestamp, text: chosen.text, echoedNonce: chosen === echo };
}
