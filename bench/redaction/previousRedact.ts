/**
 * The redaction of 0.1.0 (nodes/shared/redact.ts before shape-based detection), copied here
 * only as the benchmark's baseline: the product no longer carries it. Not to be imported
 * by product code.
 */

const MASK = '[REDACTED]';

interface RedactOptions {
	secrets?: Iterable<string | undefined | null>;
	maskPhoneNumbers?: boolean;
}

/** Values shorter than this are not treated as secrets: masking "1" everywhere would wreck text. */
const MIN_SECRET_LENGTH = 4;

const SHAPE_RULES: Array<[RegExp, string | ((...groups: string[]) => string)]> = [
	// Authorization / api-key style headers and key=value pairs.
	[/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, (_m, scheme) => `${scheme} ${MASK}`],
	[
		/(["']?(?:authorization|x-api-key|apikey|api[_-]?key|access[_-]?token|refresh[_-]?token|client[_-]?secret|secret|password|passwd|pwd|token|pin)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi,
		(_m, key, value) => `${key}${value.startsWith('"') ? `"${MASK}"` : value.startsWith("'") ? `'${MASK}'` : MASK}`,
	],
	// Passwords inside URLs: scheme://user:password@host
	[/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^@\s/]+)@/gi, (_m, prefix) => `${prefix}${MASK}@`],
	// Provider key formats.
	[/\bgsk_[A-Za-z0-9_]{4,}/g, MASK],
	[/\bsk-ant-[A-Za-z0-9_-]{4,}/g, MASK],
	[/\bsk-[A-Za-z0-9_-]{8,}/g, MASK],
	[/\bxox[abprs]-[A-Za-z0-9-]{4,}/g, MASK],
	[/\b(?:APP_USR|TEST)-[A-Za-z0-9]+-[A-Za-z0-9-]{6,}/g, MASK],
	[/\bEAA[A-Za-z0-9]{8,}/g, MASK],
	[/\bsb_(?:secret|publishable)_[A-Za-z0-9_-]{4,}/g, MASK],
	// JWTs.
	[/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
	// Slack incoming webhook secrets.
	[/(hooks\.slack\.com\/services\/)[A-Za-z0-9/_-]+/gi, (_m, prefix) => `${prefix}${MASK}`],
];

const PHONE_NUMBER = /(?<![\w.-])\+?\d[\d\s().-]{7,}\d(?![\w.-])/g;

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
export function previousRedact(text: string, options: RedactOptions = {}): string {
	let result = text;
	for (const secret of knownSecrets(options)) {
		// A numeric secret (a PIN) is masked only as a number of its own, not inside longer ids.
		const pattern = /^\d+$/.test(secret) ? `(?<!\\d)${secret}(?!\\d)` : escapeRegExp(secret);
		result = result.replace(new RegExp(pattern, 'g'), MASK);
	}
	for (const [pattern, replacement] of SHAPE_RULES) {
		result =
			typeof replacement === 'string'
				? result.replace(pattern, replacement)
				: result.replace(pattern, replacement as (...groups: string[]) => string);
	}
	if (options.maskPhoneNumbers) result = result.replace(PHONE_NUMBER, '[PHONE]');
	return result;
}

