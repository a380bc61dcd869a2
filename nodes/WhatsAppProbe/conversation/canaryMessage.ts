/**
 * The canary message protocol: what the canary sends to the bot, and how a bot (or the
 * canary) recognises it. A human-readable line for whoever reads the chat, then a marker
 * `[autorecovery-canary:<nonce>]` that one regular expression finds. The nonce is fresh for
 * every run, so a reply can be tied to the message that asked for it.
 */
import { randomBytes } from 'node:crypto';

/** Random bytes per nonce: 72 bits, 12 base64url characters; no two runs collide in practice. */
const NONCE_BYTES = 9;
/** base64url of NONCE_BYTES bytes (no padding: 9 bytes is a multiple of 3). */
export const NONCE_LENGTH = 12;

/** The marker's fixed prefix: ASCII, no WhatsApp formatting characters (`*`, `~`, backquote). */
export const CANARY_MARKER_PREFIX = 'autorecovery-canary';

/**
 * The one documented expression a bot uses to spot a canary message (docs/whatsapp-canary.md
 * quotes its source). Capture group 1 is the nonce. Not global, so `test` has no lastIndex state.
 */
export const CANARY_MARKER_PATTERN = new RegExp(`\\[${CANARY_MARKER_PREFIX}:([A-Za-z0-9_-]{${NONCE_LENGTH}})\\]`);

export type CanaryLanguage = 'es' | 'en';

/** What a person reading the bot's chat sees above the marker: not a customer, no answer needed from a human. */
const HUMAN_LINE: Record<CanaryLanguage, string> = {
	es: 'Mensaje de prueba automático de Autorecovery: comprueba que el bot responde. No es un cliente.',
	en: 'Automatic test message from Autorecovery: it checks that the bot answers. Not a customer.',
};

/** A fresh crypto-random nonce, URL-safe (base64url), NONCE_LENGTH characters. */
export function newCanaryNonce(random: (size: number) => Buffer = randomBytes): string {
	return random(NONCE_BYTES).toString('base64url');
}

export function isCanaryNonce(value: unknown): value is string {
	return typeof value === 'string' && new RegExp(`^[A-Za-z0-9_-]{${NONCE_LENGTH}}$`).test(value);
}

/** The marker for one nonce, e.g. `[autorecovery-canary:q1w2e3r4t5y6]`. */
export function canaryMarker(nonce: string): string {
	if (!isCanaryNonce(nonce)) throw new RangeError(`a canary nonce is ${NONCE_LENGTH} base64url characters, got ${JSON.stringify(nonce)}`);
	return `[${CANARY_MARKER_PREFIX}:${nonce}]`;
}

/** The whole text the canary sends: the human line, a line break, the marker. */
export function canaryMessageText(nonce: string, language: CanaryLanguage = 'es'): string {
	return `${HUMAN_LINE[language]}\n${canaryMarker(nonce)}`;
}

/** Whether a message text carries a canary marker (anywhere: the bot may receive it quoted or trimmed). */
export function isCanaryMessage(text: unknown): boolean {
	return typeof text === 'string' && CANARY_MARKER_PATTERN.test(text);
}

/** The nonce of the first canary marker in `text`, or undefined when there is none. */
export function canaryNonceOf(text: unknown): string | undefined {
	if (typeof text !== 'string') return undefined;
	return CANARY_MARKER_PATTERN.exec(text)?.[1];
}
