/**
 * Secrets recognised by shape, for text whose secrets the caller does not know: provider
 * key formats, JWTs, auth headers, passwords in URLs, `key=value` pairs and phrasings
 * ("client secret is …", "la clave es …") under secret-sounding names, and, last, any bare
 * token that looks generated (see secretToken.ts). Ids stay: UUIDs, message ids, numeric
 * and path ids, values labelled as ids.
 */
import { looksLikeSecretToken, MIN_SECRET_CHARS } from './secretToken';

export const MASK = '[REDACTED]';

type Replacement = string | ((match: string, ...groups: string[]) => string);

/** Names whose value is a secret, in English and Spanish (`api key`, `x-api-key`, `client_secret`, `contraseña`). */
const SECRET_NAME =
	'(?:authorization|x-api-key|apikey|api[ _-]?key|(?:access|refresh|id|auth|bearer)[ _-]?token|(?:client[ _-]?)?secret(?:[ _-]?key)?|access[ _-]?key|private[ _-]?key|service[ _-]?role[ _-]?key|password|passwd|pass|passphrase|pwd|token|pin|clave(?: secreta| de (?:la )?api| de acceso)?|contrase(?:ñ|n)a|secreto|llave)';

/** Values under a secret name that are words about the secret, not the secret. */
const NOT_A_VALUE = new Set(
	(
		'invalid expired incorrect wrong missing required empty revoked valid not no none null undefined nil set unset correct ok being for the a an ' +
		'too now still also only used needed configured present absent rejected accepted provided false true bearer basic ' +
		'inválida invalida inválido invalido incorrecta incorrecto vencida vencido expirada expirado requerida requerido obligatoria ' +
		'vacía vacia vacío vacio nula nulo revocada revocado válida valida válido valido correcta correcto la el los las de del un una ya está esta'
	).split(' '),
);

function isWordAboutTheSecret(value: string): boolean {
	const bare = value.replace(/^["']|["']$/g, '').replace(/[.,;:!?)]+$/, '');
	return bare === '' || bare.includes(MASK) || NOT_A_VALUE.has(bare.toLowerCase()) || /^\*+$/.test(bare);
}

/** A plain word after "is"/"es" or ":" is prose ("the token is stale"); a secret has digits, capitals inside, symbols or length. */
function looksLikeSpokenSecret(value: string): boolean {
	if (/^["']/.test(value)) return true;
	return /\d/.test(value) || /.[A-Z]/.test(value) || /[^A-Za-zÀ-ÿ.,;:!?]/.test(value) || value.length >= 16;
}

/** The value in its quotes, masked; the key and separator kept, so the text still says what was there. */
function maskValue(value: string): string {
	if (value.startsWith('"')) return `"${MASK}"`;
	if (value.startsWith("'")) return `'${MASK}'`;
	return value.replace(/^(.*?)([.,;:!?)]*)$/, (_m, _secret, tail: string) => `${MASK}${tail}`);
}

/** A value: the mask itself (text redacted twice stays the same), a quoted string, or a bare run. */
const VALUE = `(${MASK.replace(/[[\]]/g, '\\$&')}|"[^"]*"|'[^']*'|[^\\s,;&"'}<>\\]]+)`;

const RULES: Array<[RegExp, Replacement]> = [
	// Passwords inside URLs: scheme://user:password@host (a scheme starts at a boundary, or every letter of a long token would be tried as one).
	[/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^@\s/]+)@/gi, (_m, prefix) => `${prefix}${MASK}@`],
	// Slack incoming webhook secrets.
	[/(hooks\.slack\.com\/services\/)[A-Za-z0-9/_-]+/gi, (_m, prefix) => `${prefix}${MASK}`],
	// Provider key formats.
	[/\bgsk_[A-Za-z0-9_]{4,}/g, MASK],
	[/\bsk-[A-Za-z0-9_-]{8,}/g, MASK], // OpenAI sk-…, sk-proj-…; Anthropic sk-ant-…
	[/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}/g, MASK],
	[/\bxox[abeprs]-[A-Za-z0-9-]{4,}/g, MASK],
	[/\bxapp-[A-Za-z0-9-]{8,}/g, MASK],
	[/\b(?:APP_USR|TEST)-[A-Za-z0-9]+-[A-Za-z0-9-]{6,}/g, MASK],
	[/(?<![\w-])EAA[A-Za-z0-9]{8,}/g, MASK], // not inside a hyphenated id (PayPal's APP-EAA6H…)
	[/\bA21AA[A-Za-z0-9_-]{16,}/g, MASK], // PayPal access tokens
	[/\bsb_(?:secret|publishable)_[A-Za-z0-9_-]{4,}/g, MASK],
	[/\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{16,}/g, MASK],
	[/\bAKIA[0-9A-Z]{16}\b/g, MASK],
	// JWTs (Supabase anon and service-role keys among them).
	[/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
	// Authorization schemes.
	[/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, (_m, scheme) => `${scheme} ${MASK}`],
	// key=value, "key": "value", key: value, and secret query parameters (?key=…&sig=…). Not
	// PayPal's approve link: its `checkoutnow?token=` is the public order id buyers are sent.
	[
		new RegExp(`((?<![A-Za-z0-9])(?<!checkoutnow\\?)["']?${SECRET_NAME}["']?\\s*[:=]\\s*|[?&](?:key|sig|signature|auth)=)${VALUE}`, 'gi'),
		// After `=` any value is one; after `:` prose can follow ("access token: Session has expired").
		(match, key: string, value: string) =>
			isWordAboutTheSecret(value) || (!key.trimEnd().endsWith('=') && !looksLikeSpokenSecret(value)) ? match : `${key}${maskValue(value)}`,
	],
	// Phrasings: "the client secret is …", "la clave es …".
	[
		new RegExp(`((?<![A-Za-z0-9])(?:${SECRET_NAME}|key)\\s+(?:is|was|es|era)\\s+)${VALUE}`, 'gi'),
		(match, lead, value) => (isWordAboutTheSecret(value) || !looksLikeSpokenSecret(value) ? match : `${lead}${maskValue(value)}`),
	],
];

/** Bare tokens long enough to judge: letters, digits, `-`, `_`, `+`, bounded by anything else. */
const BARE_TOKEN = new RegExp(`(?<![A-Za-z0-9_+-])[A-Za-z0-9_+-]{${MIN_SECRET_CHARS},}(?![A-Za-z0-9_+-])`, 'g');
/** A token right after an id label (`fbtrace_id": "`, `debug id `, `Order ID `, `requestId=`) or a `wamid.` is an id. */
const LABELLED_ID = /(?:(?:\bid|\bID|_id|-id|Id)["']?\s*[:=]?\s*["']?|wamid\.)$/;

function maskBareTokens(text: string): string {
	return text.replace(BARE_TOKEN, (token: string, offset: number) => {
		if (LABELLED_ID.test(text.slice(Math.max(0, offset - 24), offset))) return token;
		return looksLikeSecretToken(token) ? MASK : token;
	});
}

/** Masks every secret `text` holds by shape. */
export function maskSecretShapes(text: string): string {
	let result = text;
	for (const [pattern, replacement] of RULES) {
		result = typeof replacement === 'string' ? result.replace(pattern, replacement) : result.replace(pattern, replacement);
	}
	return maskBareTokens(result);
}
