/**
 * How MercadoPago's configuration and replies become contract checks and causes: the
 * access token's shape against the expected environment, `/users/me`, MP's error
 * envelope `{message,error,status,cause:[{code,description,data}]}` and the payment
 * link of a created preference. Pure functions, no I/O, so every rule is unit-tested
 * without a server. Errors are classified by the body's cause codes first (MP answers
 * 401 both for a bad token and for live credentials that are not enabled, and 400 with
 * cause 17 for invalid credentials), then by the HTTP outcome.
 */
import { commonCause } from '../../shared/causes';
import type { Cause, Status } from '../../shared/contract';
import { statusOfFailure } from '../../shared/failureStatus';
import { retryAfterFact } from '../../shared/rateLimit';
import { causeOfHttpFailure, type HttpFailure } from '../../shared/http';
import { redact } from '../../shared/redact';
import { isRecord, trimmedText as text } from '../../shared/json';

type MercadoPagoEnvironment = 'sandbox' | 'production';
export const MERCADOPAGO_ENVIRONMENTS: readonly MercadoPagoEnvironment[] = ['sandbox', 'production'];

/** The verdict on one facet; the provider records it as one check. */
export interface Verdict {
	status: Status;
	message: string;
	/** Present unless healthy. */
	cause?: Cause;
	value?: unknown;
}

type Secrets = Iterable<string | undefined | null>;

// ---------------------------------------------------------------- causes

/** MercadoPago specific cause codes; all need a person, none fix themselves. */
const MERCADOPAGO_CAUSES = {
	'payments.sandbox_token_in_production': { retryable: false, needsHuman: true },
	'payments.production_token_in_sandbox': { retryable: false, needsHuman: true },
	'payments.test_user_in_production': { retryable: false, needsHuman: true },
	'payments.live_credentials_not_enabled': { retryable: false, needsHuman: true },
	'payments.no_payment_link': { retryable: false, needsHuman: true },
} as const satisfies Record<string, { retryable: boolean; needsHuman: boolean }>;

type MercadoPagoCauseCode = keyof typeof MERCADOPAGO_CAUSES;

export function mercadoPagoCause(code: MercadoPagoCauseCode, message: string): Cause {
	return { code, message, ...MERCADOPAGO_CAUSES[code] };
}

/**
 * Causes under which links still work, or will again by themselves (a throttle, a token of
 * the wrong kind that MP still accepts), are degraded; every other failure is down.
 */
const DEGRADING_CODES = new Set<string>([
	'payments.sandbox_token_in_production',
	'payments.production_token_in_sandbox',
	'payments.test_user_in_production',
]);

/** The status a failed call with this cause gives its check. */
export function statusOfCause(cause: Cause): Status {
	return statusOfFailure(cause, DEGRADING_CODES);
}

// ---------------------------------------------------------------- small readers



/** Provider text as it may appear in a message: redacted, one line, bounded. */
function safeText(value: string, secrets: Secrets | undefined): string {
	const line = redact(value, { secrets }).replace(/\s+/g, ' ').trim();
	return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function withoutFinalStop(value: string): string {
	return value.replace(/[.\s]+$/, '');
}

// ---------------------------------------------------------------- access token

/**
 * What the access token looks like. MP access tokens are `TEST-<app_id>-<MMDDHH>-<hash>-<user_id>`
 * (sandbox) and `APP_USR-<app_id>-…-<user_id>` (production credentials). The Public Key has
 * the same prefixes followed by a UUID: a common paste mistake worth naming.
 */
export type TokenKind = 'sandbox' | 'production' | 'public_key' | 'unrecognised';

const PUBLIC_KEY = /^(?:TEST|APP_USR)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SANDBOX_TOKEN = /^TEST-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$/;
const PRODUCTION_TOKEN = /^APP_USR-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$/;

export function tokenKind(token: string): TokenKind {
	if (PUBLIC_KEY.test(token)) return 'public_key';
	if (SANDBOX_TOKEN.test(token)) return 'sandbox';
	if (PRODUCTION_TOKEN.test(token)) return 'production';
	return 'unrecognised';
}

const APP_USR_CAVEAT = 'an APP_USR- token alone does not prove a live account, since MercadoPago test users have APP_USR- tokens too';

/**
 * The token's shape against the expected environment, refined by what `/users/me` said about
 * the account (`testUser`: true/false, or null when it could not be asked):
 *  - TEST- where production is expected: degraded `payments.sandbox_token_in_production`
 *    (links are sandbox links that take no real money).
 *  - APP_USR- where sandbox is expected: degraded `payments.production_token_in_sandbox`
 *    (tests could move real money), unless MP tags the account `test_user`, which is MP's
 *    documented test setup ("production credentials of a test user").
 *  - APP_USR- in production: healthy with the caveat above, unless MP tags the account
 *    `test_user`: degraded `payments.test_user_in_production`.
 *  - Neither shape (or the Public Key): degraded `config.invalid`, not down: MP itself decides
 *    whether the token works, and the authentication check reports that.
 */
export function classifyTokenEnvironment(kind: TokenKind, environment: MercadoPagoEnvironment, testUser: boolean | null): Verdict {
	const value = { token_type: kind, expected_environment: environment };
	const degraded = (cause: Cause): Verdict => ({ status: 'degraded', message: cause.message, cause, value });
	if (kind === 'public_key') {
		return degraded(commonCause('config.invalid', 'The configured MercadoPago access token looks like a Public Key (prefix and a UUID): put the Access Token in the n8n credential instead.'));
	}
	if (kind === 'unrecognised') {
		return degraded(commonCause('config.invalid', 'The configured MercadoPago access token is neither a TEST- (sandbox) nor an APP_USR- (production) token: check that the whole Access Token, without "Bearer", is in the n8n credential.'));
	}
	if (kind === 'sandbox') {
		if (environment === 'sandbox') return { status: 'healthy', message: 'a TEST- (sandbox) token, as sandbox expects', value };
		return degraded(mercadoPagoCause('payments.sandbox_token_in_production', 'A TEST- (sandbox) MercadoPago token is configured where production is expected, so payment links take no real money: put the production (APP_USR-) Access Token in the n8n credential.'));
	}
	if (environment === 'sandbox') {
		if (testUser === true) {
			return { status: 'healthy', message: 'an APP_USR- token of a MercadoPago test user, which is how MercadoPago tests payments in sandbox', value };
		}
		return degraded(mercadoPagoCause('payments.production_token_in_sandbox', 'An APP_USR- (production) MercadoPago token is configured where sandbox is expected, and MercadoPago does not report a test user, so tests could move real money: use a TEST- token or a test user\'s credentials.'));
	}
	if (testUser === true) {
		return degraded(mercadoPagoCause('payments.test_user_in_production', 'The MercadoPago token belongs to a test user although production is expected, so payment links take no real money: put the seller account\'s production Access Token in the n8n credential.'));
	}
	return { status: 'healthy', message: `an APP_USR- (production) token, as production expects; ${APP_USR_CAVEAT}`, value };
}

// ---------------------------------------------------------------- account (/users/me)

/** What `/users/me` contributes to `details`: no name, nickname, email, ids or contact data. */
interface AccountFacts {
	site_id: string | null;
	country_id: string | null;
	test_user: boolean;
}

export function readAccount(body: unknown): AccountFacts | null {
	if (!isRecord(body)) return null;
	const tags = Array.isArray(body.tags) ? body.tags : [];
	return {
		site_id: text(body.site_id) ?? null,
		country_id: text(body.country_id) ?? null,
		test_user: tags.includes('test_user'),
	};
}

// ---------------------------------------------------------------- error envelope

interface MercadoPagoErrorCause {
	/** MP mixes numbers (5, 7, 17) and strings (`invalid_items`): normalised to a string. */
	code: string | null;
	description: string | null;
}

export interface MercadoPagoError {
	message: string | null;
	error: string | null;
	status: number | null;
	causes: MercadoPagoErrorCause[];
}

/** MP's error envelope, or null when the body is not one (a proxy's HTML, an empty body). */
export function parseMercadoPagoError(body: unknown): MercadoPagoError | null {
	if (!isRecord(body)) return null;
	const message = text(body.message) ?? null;
	const error = text(body.error) ?? null;
	if (message === null && error === null && !Array.isArray(body.cause)) return null;
	const causes = (Array.isArray(body.cause) ? body.cause : isRecord(body.cause) ? [body.cause] : []).filter(isRecord).map((cause) => ({
		code: typeof cause.code === 'number' && Number.isFinite(cause.code) ? String(cause.code) : text(cause.code) ?? null,
		description: text(cause.description) ?? null,
	}));
	const status = typeof body.status === 'number' && Number.isFinite(body.status) ? body.status : null;
	return { message, error, status, causes };
}

/** Which call failed, for the wording of its cause. */
export type MercadoPagoStep = 'authentication' | 'payment_link';

interface FailureContext {
	step: MercadoPagoStep;
	/** The configured token's shape, to hint at a pasted Public Key when MP rejects it. */
	tokenKind?: TokenKind;
	/** Credential values to mask in any text MP sent back. */
	secrets?: Secrets;
}

/** MP's own words, redacted: "description (code)" of the first cause, else the message. */
function mercadoPagoSays(error: MercadoPagoError, secrets: Secrets | undefined): string {
	const first = error.causes.find((cause) => cause.description !== null || cause.code !== null);
	const said = first?.description ?? error.message ?? error.error ?? 'no message';
	const code = first?.code ?? error.error;
	const label = code !== null && code !== said ? ` (${code})` : '';
	return safeText(`${withoutFinalStop(said)}${label}`, secrets);
}

function hasCause(error: MercadoPagoError, code: string): boolean {
	return error.causes.some((cause) => cause.code === code);
}

function mentions(error: MercadoPagoError, pattern: RegExp): boolean {
	return [error.message, error.error, ...error.causes.map((cause) => cause.description)].some((part) => part !== null && pattern.test(part));
}

function tokenHint(kind: TokenKind | undefined): string {
	if (kind === 'public_key') return ' (the configured value looks like a Public Key, not the Access Token)';
	if (kind === 'unrecognised') return ' (the configured value is not shaped like a TEST- or APP_USR- access token)';
	return '';
}

/** Hints for the preference errors MP documents, in the words a seller can act on. */
const PREFERENCE_HINTS: Record<string, string> = {
	invalid_items: 'check the probe amount and currency of the node',
	invalid_collector_id: 'the account behind the token cannot collect payments; check it in MercadoPago',
	collector_does_not_comply_with_current_regulation: 'the seller account has pending regulatory requirements; complete them in MercadoPago',
};

/**
 * The contract cause of an MP error envelope. By cause code first: 7 "Unauthorized use of
 * live credentials" → `payments.live_credentials_not_enabled`; 5 (no token), 17 (invalid
 * credentials, on a 400) and `invalid_access_token` → `auth.invalid_credentials`; then by
 * HTTP status: 401 auth, 403 forbidden, 404 not found, 429 rate limited, 5xx server error,
 * other 4xx bad request with MP's message.
 */
export function classifyMercadoPagoError(error: MercadoPagoError, httpStatus: number | undefined, context: FailureContext): Cause {
	const said = mercadoPagoSays(error, context.secrets);
	const status = httpStatus ?? error.status ?? undefined;
	if (hasCause(error, '7') || mentions(error, /live credentials/i)) {
		return mercadoPagoCause('payments.live_credentials_not_enabled', 'MercadoPago refuses these production (APP_USR-) credentials: "Unauthorized use of live credentials" (cause 7); activate the production credentials of the application in MercadoPago\'s developer panel, or use a TEST- token for sandbox.');
	}
	if (hasCause(error, '5') || mentions(error, /must provide your access_token/i)) {
		return commonCause('auth.invalid_credentials', 'MercadoPago received no access token (cause 5): set the Access Token in the n8n credential.');
	}
	const invalidToken =
		hasCause(error, '17') || hasCause(error, 'invalid_access_token') || hasCause(error, 'invalid_token') || mentions(error, /invalid[_ ](?:access[_ ])?token|invalid credentials/i);
	if (invalidToken || status === 401) {
		return commonCause('auth.invalid_credentials', `MercadoPago rejected the access token${tokenHint(context.tokenKind)}: ${said}; put a valid Access Token in the n8n credential.`);
	}
	if (status === 403) {
		return commonCause('auth.forbidden', `MercadoPago refused access with this token: ${said}; check the application's permissions in MercadoPago.`);
	}
	if (status === 404) {
		return commonCause('provider.not_found', `MercadoPago answered 404 (${said}): check the Base URL of the n8n credential.`);
	}
	if (status === 429) return commonCause('provider.rate_limited', `MercadoPago is rate limiting us: ${said}.`);
	if (status !== undefined && status >= 500) {
		return commonCause('provider.server_error', `MercadoPago had a server error (HTTP ${status}: ${said}); it should pass once MercadoPago recovers.`);
	}
	const what = context.step === 'payment_link' ? 'refused to create the test payment link' : 'refused the account request';
	const hintCode = error.causes.map((cause) => cause.code).find((code): code is string => code !== null && PREFERENCE_HINTS[code] !== undefined);
	const hint = hintCode !== undefined ? `; ${PREFERENCE_HINTS[hintCode]}` : '';
	return commonCause('provider.bad_request', `MercadoPago ${what}: ${said}${hint}.`);
}

const STEP_LABEL: Record<MercadoPagoStep, string> = {
	authentication: 'MercadoPago (GET /users/me)',
	payment_link: 'MercadoPago (POST /checkout/preferences)',
};

/**
 * The contract cause of a failed call. Transport failures and unreadable bodies use the
 * shared wording; a 429 says whether MP gave a wait and whether the one retry was spent;
 * HTTP errors with MP's envelope go through `classifyMercadoPagoError`.
 */
export function classifyFailure(failure: HttpFailure & { retried?: boolean }, context: FailureContext): Cause {
	const label = STEP_LABEL[context.step];
	if (failure.kind === 'rate_limited') {
		// The Retry-After fact is the shared wording of what this reply's headers said.
		const fact = retryAfterFact(failure.retryAfterMs);
		if (failure.retried) return commonCause('provider.rate_limited', `${label} is still rate limiting us after waiting once as it asked (${fact}): back off before the next check.`);
		if (failure.retryAfterMs === null) return commonCause('provider.rate_limited', `${label} is rate limiting us (${fact}): back off before the next check.`);
		return commonCause('provider.rate_limited', `${label} is rate limiting us (${fact}), longer than this check's timeout allows: the limit lifts by itself.`);
	}
	if (failure.kind === 'auth' || failure.kind === 'forbidden' || failure.kind === 'client_error' || failure.kind === 'server_error') {
		const error = parseMercadoPagoError(failure.data);
		if (error) return classifyMercadoPagoError(error, failure.status, context);
	}
	return causeOfHttpFailure(failure, label);
}

/** What a failed call contributes to `details.errors`: MP's codes for support, never free text. */
export function failureFacts(step: MercadoPagoStep, failure: HttpFailure, secrets?: Secrets): Record<string, unknown> {
	const error = failure.kind === 'malformed' ? null : parseMercadoPagoError(failure.data);
	const codes = (error?.causes ?? []).map((cause) => cause.code).filter((code): code is string => code !== null);
	return {
		check: step,
		kind: failure.kind,
		...(failure.status !== undefined ? { http_status: failure.status } : {}),
		...(error?.error ? { error: safeText(error.error, secrets) } : {}),
		...(codes.length > 0 ? { cause_codes: codes.map((code) => safeText(code, secrets)) } : {}),
	};
}

// ---------------------------------------------------------------- payment link

/** The link field customers are sent to in each environment. */
export function linkField(environment: MercadoPagoEnvironment): 'init_point' | 'sandbox_init_point' {
	return environment === 'production' ? 'init_point' : 'sandbox_init_point';
}

interface PaymentLink {
	preference_id: string | null;
	payment_link: string;
}

/**
 * The payment link of a created preference: `init_point` in production, `sandbox_init_point`
 * in sandbox, present and an https URL (what the bot sends customers), else down
 * `payments.no_payment_link`. The link itself is fine to show; known secrets are masked anyway.
 */
export function extractPaymentLink(body: unknown, environment: MercadoPagoEnvironment, secrets?: Secrets): Verdict {
	if (!isRecord(body)) {
		const cause = commonCause('provider.malformed_response', 'MercadoPago answered the preference request with something that is not a preference.');
		return { status: 'down', message: cause.message, cause };
	}
	const field = linkField(environment);
	const preferenceId = typeof body.id === 'number' ? String(body.id) : text(body.id) ?? null;
	const preference = preferenceId !== null ? `preference ${safeText(preferenceId, secrets)}` : 'a preference';
	const link = text(body[field]);
	if (link === undefined) {
		const other = field === 'init_point' ? 'sandbox_init_point' : 'init_point';
		const onlyOther = text(body[other]) !== undefined ? ` (only ${other} came back)` : '';
		const cause = mercadoPagoCause('payments.no_payment_link', `MercadoPago created ${preference} but returned no ${field}${onlyOther}, so customers would get no payment link: check in MercadoPago that the account can receive Checkout Pro payments.`);
		return { status: 'down', message: cause.message, cause, value: { preference_id: preferenceId } };
	}
	const shown = redact(link, { secrets });
	if (!isHttpsUrl(link)) {
		const cause = mercadoPagoCause('payments.no_payment_link', `MercadoPago created ${preference} but its ${field} is not an https URL, so customers would get no usable payment link: check the Base URL and any proxy in between.`);
		return { status: 'down', message: cause.message, cause, value: { preference_id: preferenceId, [field]: safeText(shown, secrets) } };
	}
	const value: PaymentLink = { preference_id: preferenceId, payment_link: shown };
	return { status: 'healthy', message: `MercadoPago created a test payment link (${preference}, ${field})`, value };
}

function isHttpsUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' && url.hostname !== '';
	} catch {
		return false;
	}
}
