/**
 * Phone numbers in text bound for an LLM. A run of digits is a phone number when it stands
 * in prose or under any key but an id, time or count key; the same digits inside a URL
 * path (a Meta phone-number id: /v23.0/106853218861309/messages), named as an id, or
 * shaped like a date, a time or a decimal stay.
 */

export const PHONE_MASK = '[PHONE]';

const PHONE_CANDIDATE = /(?<![\w.-])\+?\d[\d\s().-]{7,}\d(?![\w.-])/g;
/** `"key": "` / `key=` right before the number: its key says what the number is. */
const KEY_BEFORE = /([A-Za-z][\w-]*)["']?\s*[:=]\s*["']?$/;
/** Last words of keys whose numbers are ids, times or counts; under any other key (`to`, `input`, `remoteJid`) a number is a phone. */
const NOT_PHONE_KEY_WORDS = new Set(['id', 'ids', 'timestamp', 'time', 'ts', 'at', 'date', 'count', 'total', 'ms', 'seconds', 'code', 'subcode', 'size', 'bytes', 'limit', 'remaining', 'tokens', 'version']);
/** WhatsApp's own id of a person is their number. */
const PHONE_ID_KEYS = new Set(['wa_id']);

/** `phone_number_id`, `messageTimestamp`, `x-request-id` → whether the key holds a phone number. */
function keyHoldsPhone(key: string): boolean {
	const snake = key.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/-/g, '_');
	if (PHONE_ID_KEYS.has(snake)) return true;
	return !NOT_PHONE_KEY_WORDS.has(snake.split('_').pop() ?? '');
}
const DATE_OR_DECIMAL = /^(?:\d{4}-\d{2}-\d{2}|\d+\.\d+$)/;
/** "phone number id 1068…", "debug_id 93…": the number is named as an id. */
const ID_LABEL = /(?:\bid|_id|-id)\s*$/i;
/** Fewer digits than this is a code or a version (SMTP's "535 5.7.8"), whatever its separators. */
const MIN_PHONE_DIGITS = 9;
/** A bare run of digits shorter than this is an id (a 9-digit MercadoPago collector); written with +, spaces or dashes, 9 digits are a phone. */
const MIN_BARE_PHONE_DIGITS = 10;

function isPhoneNumber(text: string, match: string, offset: number): boolean {
	const before = text.slice(Math.max(0, offset - 40), offset);
	const after = text[offset + match.length] ?? '';
	if (before.endsWith('/') || after === '/' || after === '?') return false; // a path segment
	if (DATE_OR_DECIMAL.test(match) || /\d:$/.test(before) || ID_LABEL.test(before)) return false; // a date, a time's seconds, an id
	const digits = match.replace(/\D/g, '').length;
	if (digits < MIN_PHONE_DIGITS || (/^\d+$/.test(match) && digits < MIN_BARE_PHONE_DIGITS)) return false;
	const key = KEY_BEFORE.exec(before);
	if (key) return keyHoldsPhone(key[1]);
	return true;
}

export function maskPhoneNumbers(text: string): string {
	return text.replace(PHONE_CANDIDATE, (match: string, offset: number) => (isPhoneNumber(text, match, offset) ? PHONE_MASK : match));
}
