/**
 * Whether one bare token (letters, digits, `-`, `_`, `+`) looks like a generated secret:
 * the safety net for keys no provider rule knows (a gateway's own API key, a client
 * secret pasted into a log line). Generated secrets are long, high-entropy and switch
 * between character classes often; ids a person or the LLM needs (UUIDs, message ids,
 * numeric ids, hashes, snake_case names with a short suffix) are told apart by shape.
 */

/**
 * Shorter than this (letters and digits only), a token is never judged a secret by shape:
 * n8n's own workflow ids are 16 mixed-case characters and appear in every execution URL.
 */
export const MIN_SECRET_CHARS = 20;
/** A key over two character classes only is one unbroken run at least this long. */
const MIN_TWO_CLASS_RUN = 20;
/** Hex-only tokens this long or longer are keys (an Evolution key is 32 hex digits)… */
const MIN_HEX_SECRET = 24;
/** …except at the lengths of the hashes that appear in outputs (SHA-1, SHA-256, SHA-512). */
const HASH_LENGTHS = new Set([40, 64, 128]);
/** Bits per character below which a string is too regular to be a generated secret. */
const MIN_ENTROPY_BITS = 3;
/**
 * Share of neighbouring characters that change class (a→B, 7→x), as a part of what random
 * text with the same mix of classes would show: names and dates switch far less.
 */
const MIN_SWITCHES_OF_RANDOM = 0.6;
/**
 * Written words joined to a short random part are names (`node-file-access-h0kRiI`, a
 * temporary folder): the segments that are not words must hold this many characters.
 */
const MIN_GENERATED_CHARS = 16;

/**
 * A segment someone wrote: one word, one number, or camelCase words and numbers
 * (`ProductImages2024`, `backupTable`). Without a capitalised word, letters between digits
 * prove nothing: random lower-case keys look like that too.
 */
function isNameSegment(segment: string): boolean {
	if (/^(?:[a-z]*|[A-Z]+|\d+)$/.test(segment)) return true;
	return /^(?:[A-Z]?[a-z]{2,}|[A-Z]{2,}(?![a-z])|\d+)+$/.test(segment) && /[A-Z][a-z]/.test(segment);
}

const UUID = /^(?:\d+-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Baileys message ids (Evolution, WAHA): 3EB0… / BAE5… in upper-case hex. */
const WHATSAPP_MESSAGE_ID = /^(?:3EB0|BAE5)[0-9A-F]+$/;
/** Prefixes of public ids in provider answers (request, message, completion ids), never of keys. */
const ID_PREFIX = /^(?:req|msg|chatcmpl|fp|org|run|evt|call|file|batch|resp|toolu|asst|thread|sess|wamid|pref|pay|order|trace|span|exec)[_-]/i;

function shannonEntropyBits(text: string): number {
	const counts = new Map<string, number>();
	for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
	let bits = 0;
	for (const count of counts.values()) {
		const p = count / text.length;
		bits -= p * Math.log2(p);
	}
	return bits;
}

function charClass(char: string): 'upper' | 'lower' | 'digit' {
	if (char >= '0' && char <= '9') return 'digit';
	return char === char.toUpperCase() ? 'upper' : 'lower';
}

/** How often neighbours change class, over how often they would in random text of the same class mix (1 = as random). */
function switchesOfRandom(text: string): number {
	const counts = new Map<string, number>();
	let switches = 0;
	for (let i = 0; i < text.length; i += 1) {
		const kind = charClass(text[i]);
		counts.set(kind, (counts.get(kind) ?? 0) + 1);
		if (i > 0 && kind !== charClass(text[i - 1])) switches += 1;
	}
	let same = 0;
	for (const count of counts.values()) same += (count / text.length) ** 2;
	const expected = 1 - same;
	return expected === 0 ? 0 : switches / Math.max(1, text.length - 1) / expected;
}

/** True when `token` (no spaces, no dots, no slashes) looks like a generated secret. */
export function looksLikeSecretToken(token: string): boolean {
	const body = token.replace(/[-_+]/g, '');
	if (body.length < MIN_SECRET_CHARS) return false;
	if (/^\d+$/.test(body)) return false; // numeric ids: Meta phone-number ids, execution ids, timestamps
	if (UUID.test(token) || WHATSAPP_MESSAGE_ID.test(token) || ID_PREFIX.test(token)) return false;
	if (/^[0-9a-f]+$/i.test(body)) return body.length >= MIN_HEX_SECRET && !HASH_LENGTHS.has(body.length) && /\d/.test(body) && /[a-f]/i.test(body);
	const generated = token.split(/[-_+]/).filter((segment) => !isNameSegment(segment));
	if (generated.join('').length < MIN_GENERATED_CHARS) return false;
	if (shannonEntropyBits(body) < MIN_ENTROPY_BITS || switchesOfRandom(body) < MIN_SWITCHES_OF_RANDOM) return false;
	const classes = new Set([...body].map(charClass));
	if (classes.size === 3) return true;
	// Two classes: only one long unbroken run is a key; hyphenated runs are names and model
	// ids (`demo_shop_e11b3b8306`, `llama-3.1-8b-instant`). One class (a Supabase project
	// ref, an upper-case code) is never judged a key.
	if (classes.size === 2) return token.split(/[-_+]/).some((run) => run.length >= MIN_TWO_CLASS_RUN);
	return false;
}
