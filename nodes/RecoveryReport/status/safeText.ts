/**
 * Text from the tracker's state shown to people (cause messages, target names, pause
 * reasons): redacted first — so truncation can never leave half a secret — then cut to
 * one short line. A cause message should be one sentence, but a provider's raw reply
 * (a JSON or HTML body) may have been glued to it: that part is dropped, never shown.
 */
import { redact } from '../../shared/redact';

const MAX_MESSAGE_LENGTH = 140;

/** Where a raw body starts: a JSON object/array or an HTML/XML tag. */
const RAW_BODY_START = /\{\s*"|\[\s*[{"]|<[a-zA-Z!?/]/;

function truncate(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Redacted, whitespace collapsed, truncated: for names and reasons a person typed or configured. */
export function safeLine(text: string, secrets: readonly string[], max = MAX_MESSAGE_LENGTH): string {
	return truncate(redact(text, { secrets }).replace(/\s+/g, ' ').trim(), max);
}

/** A cause message: its first line, without any raw body, redacted and at most `max` characters ('' when nothing is left). */
export function safeCauseMessage(message: unknown, secrets: readonly string[], max = MAX_MESSAGE_LENGTH): string {
	if (typeof message !== 'string') return '';
	const redacted = redact(message, { secrets });
	const firstLine = redacted.split(/\r?\n/, 1)[0] ?? '';
	const bodyAt = firstLine.search(RAW_BODY_START);
	const sentence = (bodyAt === -1 ? firstLine : firstLine.slice(0, bodyAt)).replace(/\s+/g, ' ').trim().replace(/[\s:;,=-]+$/, '');
	return truncate(sentence, max);
}
