/**
 * Cause codes of the customer's path (the conversation canary and the passive check of the
 * bot's message history), with their fixed flags. One table, so the operations, the providers' ladders, the
 * diagnosis rules and the alerts all read the same codes. English and Spanish texts for the
 * owner live with the other rules in nodes/LlmDiagnose/diagnosis/rules.ts.
 */
import type { Cause } from '../../shared/contract';

export const CONVERSATION_CAUSES = {
	/**
	 * The canary's own gateway could not send (not connected, send refused, timed out). The
	 * bot was not judged: a person must fix the canary number; nothing is done to the bot.
	 */
	'whatsapp.canary_broken': { retryable: false, needsHuman: true },
	/**
	 * The canary's message never reached the bot's gateway: the classic zombie session (state
	 * open/WORKING, nothing received). A restart of the bot's session is the first fix, so
	 * automation may act (needsHuman false); it does not heal by itself (retryable false).
	 */
	'whatsapp.inbound_not_delivered': { retryable: false, needsHuman: false },
	/**
	 * The bot's gateway has the message but the bot never answered: its workflow or its LLM is
	 * broken. Reconnecting WhatsApp cannot fix that and would cut a working session, so no
	 * automatic WhatsApp action applies: a person must look at the bot.
	 */
	'whatsapp.bot_silent': { retryable: false, needsHuman: true },
	/**
	 * No reply, and whether the bot's gateway received the message is unknown (Cloud API has
	 * no read-back; or the read-back call failed). Blaming WhatsApp or the bot would be a guess,
	 * so a person looks (needsHuman) rather than a restart that might cut a working session.
	 */
	'whatsapp.no_reply': { retryable: false, needsHuman: true },
	/**
	 * The bot answered, but later than the slow threshold (degraded) or only after the reply
	 * timeout (down): LLM or workflow latency that usually passes by itself.
	 */
	'whatsapp.reply_slow': { retryable: true, needsHuman: false },
	/**
	 * The bot answered with text that does not match the Expected Reply Pattern: an error
	 * fallback ("sorry, something went wrong"), a wrong bot, or a pattern that is out of date.
	 * Down (customers get no useful answer); either way a person decides.
	 */
	'whatsapp.reply_mismatch': { retryable: false, needsHuman: true },
	/**
	 * A reply came from the bot's number, but the bot's gateway has no record of sending it:
	 * someone answered from the phone or another linked device, or the gateway stopped storing
	 * sent messages. The bot's own sending path is unproven; a person should look.
	 */
	'whatsapp.outbound_missing': { retryable: false, needsHuman: true },
	/**
	 * Passive check: a bot that usually receives messages at this hour of the week has received
	 * none for the configured time. Degraded, not down: it is a statistical signal. A restart is
	 * the usual fix for a deaf session, so automation may try it.
	 */
	'whatsapp.inbound_silent': { retryable: false, needsHuman: false },
	/**
	 * Passive check: customers wrote to the bot (its gateway stored their messages) and none got
	 * an answer in time, although the bot usually answers. Down: customers get no answer. Like
	 * `bot_silent`, WhatsApp receives, so a reconnect would not help: the bot's workflow, its AI
	 * or its webhook is broken, and a person must look.
	 */
	'whatsapp.inbound_unanswered': { retryable: false, needsHuman: true },
} as const satisfies Record<string, Omit<Cause, 'code' | 'message'>>;

export type ConversationCauseCode = keyof typeof CONVERSATION_CAUSES;

export function conversationCause(code: ConversationCauseCode, message: string): Cause {
	return { code, message, ...CONVERSATION_CAUSES[code] };
}

/**
 * The customer-path causes a restart (then a relink) of the bot's session may fix. The others
 * are about the bot, the canary or a person's choice: a WhatsApp reconnect ladder must not run.
 */
export const SESSION_RESTART_MAY_FIX: ReadonlySet<string> = new Set(['whatsapp.inbound_not_delivered', 'whatsapp.inbound_silent']);
