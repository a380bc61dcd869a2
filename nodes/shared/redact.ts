/**
 * The one redaction function. Everything that leaves a node as text — output items,
 * error messages, log lines, LLM prompts, alerts — goes through here. It masks the
 * secret values the caller knows (credentials) and, as a safety net, anything that
 * looks like a secret by shape (redaction/secretShapes.ts); phone numbers on request.
 */
import { maskPhoneNumbers } from './redaction/phoneNumbers';
import { MASK, maskSecretShapes } from './redaction/secretShapes';

export { MASK };

export interface RedactOptions {
	/** Exact secret values to mask wherever they appear (credential fields). */
	secrets?: Iterable<string | undefined | null>;
	/** Also mask phone numbers (for text sent to an LLM). */
	maskPhoneNumbers?: boolean;
}

/** Values shorter than this are not treated as secrets: masking "1" everywhere would wreck text. */
const MIN_SECRET_LENGTH = 4;

/** Keys whose values are secret whatever they look like. */
const SECRET_KEY = /^(authorization|password|passwd|pwd|secret|client_?secret|api_?key|apikey|x-api-key|access_?token|refresh_?token|token|pin|private_?key|connection_?string|service_?role_?key)$/i;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function knownSecrets(options: RedactOptions): string[] {
	const values = new Set<string>();
	for (const secret of options.secrets ?? []) {
		if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) {
			values.add(secret);
			// Also the forms a secret takes inside URLs and JSON strings.
			values.add(encodeURIComponent(secret));
			values.add(JSON.stringify(secret).slice(1, -1));
		}
	}
	// Longest first, so a secret containing another is masked whole.
	return [...values].sort((a, b) => b.length - a.length);
}

/** Masks secrets in a string. */
export function redact(text: string, options: RedactOptions = {}): string {
	let result = text;
	for (const secret of knownSecrets(options)) {
		// A numeric secret (a PIN) is masked only as a number of its own, not inside longer ids.
		const pattern = /^\d+$/.test(secret) ? `(?<!\\d)${secret}(?!\\d)` : escapeRegExp(secret);
		result = result.replace(new RegExp(pattern, 'g'), MASK);
	}
	result = maskSecretShapes(result);
	return options.maskPhoneNumbers ? maskPhoneNumbers(result) : result;
}

/**
 * Masks secrets in any JSON-like value: strings are redacted, values under secret
 * keys are replaced whole. Returns a new value; the input is not changed.
 */
export function redactDeep<T>(value: T, options: RedactOptions = {}): T {
	const seen = new WeakMap<object, unknown>();
	const walk = (current: unknown, key?: string): unknown => {
		if (key !== undefined && SECRET_KEY.test(key) && current !== null && current !== undefined && current !== '') {
			return MASK;
		}
		if (typeof current === 'string') return redact(current, options);
		if (typeof current !== 'object' || current === null) return current;
		if (Buffer.isBuffer(current)) return current;
		if (seen.has(current)) return seen.get(current);
		if (Array.isArray(current)) {
			const copy: unknown[] = [];
			seen.set(current, copy);
			for (const item of current) copy.push(walk(item));
			return copy;
		}
		const copy: Record<string, unknown> = {};
		seen.set(current, copy);
		for (const [k, v] of Object.entries(current)) copy[k] = walk(v, k);
		return copy;
	};
	return walk(value) as T;
}

/** Redacts an error's message (and stack) in place of a copy, for rethrowing safely. */
export function redactError(error: unknown, options: RedactOptions = {}): Error {
	if (error instanceof Error) {
		const copy = new Error(redact(error.message, options));
		copy.name = error.name;
		if (error.stack) copy.stack = redact(error.stack, options);
		return copy;
	}
	return new Error(redact(String(error), options));
}
