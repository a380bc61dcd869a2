/**
 * How PayPal's replies become contract checks and causes: the OAuth token endpoint's
 * `{error,error_description}` bodies, the REST APIs' `{name,message,debug_id,details[]}`
 * bodies, token grants, created orders and their buyer links. Pure functions, no I/O,
 * so every rule is unit-tested without a server. PayPal answers a bad bearer on the REST
 * routes with the OAuth shape too, so both shapes are read on every route.
 */
import { commonCause, type CommonCauseCode } from '../../shared/causes';
import type { Cause, Status } from '../../shared/contract';
import { statusOfFailure } from '../../shared/failureStatus';
import { retryAfterFact } from '../../shared/rateLimit';
import { causeOfHttpFailure, type HttpFailure } from '../../shared/http';
import { MASK, redact } from '../../shared/redact';
import { isRecord, trimmedText as text } from '../../shared/json';

const PAYPAL = 'PayPal';

/** Payment-specific cause codes (the common ones come from shared/causes). */
const PAYMENT_CAUSES = {
	/** An order was created but carries no link a buyer could pay through. */
	'payments.no_payment_link': { retryable: false, needsHuman: true },
	/** PayPal refuses orders for this merchant account (restricted, locked, not enabled). */
	'payments.account_restricted': { retryable: false, needsHuman: true },
} as const satisfies Record<string, { retryable: boolean; needsHuman: boolean }>;

type PaymentCauseCode = keyof typeof PAYMENT_CAUSES;

function paymentCause(code: PaymentCauseCode, message: string): Cause {
	return { code, message, ...PAYMENT_CAUSES[code] };
}

/** A rate limit still lets the bot sell a moment later: degraded. Everything else stops payments: down. */
export function statusOfCause(cause: Cause): Status {
	return statusOfFailure(cause);
}

/** A failed call, judged: the status its check gets, the cause, and facts safe for `details`. */
export interface FailureVerdict {
	status: Status;
	cause: Cause;
	facts: Record<string, unknown>;
}

/** A judged reply that may have passed; `cause` is present unless healthy. */
interface Verdict {
	status: Status;
	message: string;
	cause?: Cause;
	value: Record<string, unknown>;
}

interface ClassifyOptions {
	/** Credential values (and issued tokens) to mask in any text PayPal sent back. */
	secrets?: Iterable<string | undefined | null>;
}

/** The failure fields classification reads; an `HttpFailure` from shared/http fits. */
export type PayPalFailure = Pick<HttpFailure, 'kind' | 'status' | 'data' | 'headers' | 'retryAfterMs'> & {
	/** Set by `httpRequestHonouringRetryAfter` when this is the answer to its one retry. */
	retried?: boolean;
};

// ---------------------------------------------------------------- small readers



/** Provider text as it may appear in a message: redacted, one line, bounded. */
function safeText(value: string, options: ClassifyOptions): string {
	const line = redact(value, { secrets: options.secrets }).replace(/\s+/g, ' ').trim();
	return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Masks only the known secret values. For buyer links, which must reach the buyer whole: the
 * shape rules of `redact` are a net for prose, and a link's public ids (the order id in
 * `checkoutnow?token=`) are not its to judge.
 */
function maskKnownSecrets(value: string, options: ClassifyOptions): string {
	let result = value;
	for (const secret of options.secrets ?? []) {
		if (typeof secret === 'string' && secret.length >= 4) result = result.split(secret).join(MASK);
	}
	return result;
}

function withoutFinalStop(value: string): string {
	return value.replace(/[.\s]+$/, '');
}

// ---------------------------------------------------------------- error bodies

interface OAuthError {
	/** e.g. `invalid_client`, `invalid_token`, `unsupported_grant_type`. */
	error: string;
	description?: string;
}

/** The OAuth-style `{error,error_description}` body, or null when the body is something else. */
export function parseOAuthError(body: unknown): OAuthError | null {
	if (!isRecord(body)) return null;
	const error = text(body.error);
	if (error === undefined) return null;
	const description = text(body.error_description);
	return description === undefined ? { error } : { error, description };
}

interface PayPalIssue {
	issue: string;
	description?: string;
	field?: string;
	location?: string;
}

interface PayPalApiError {
	/** e.g. `UNPROCESSABLE_ENTITY`, `RATE_LIMIT_REACHED`. */
	name: string;
	message?: string;
	debugId?: string;
	issues: PayPalIssue[];
}

/** The REST `{name,message,debug_id,details[]}` body, or null when the body is something else. */
export function parsePayPalError(body: unknown): PayPalApiError | null {
	if (!isRecord(body)) return null;
	const name = text(body.name);
	if (name === undefined) return null;
	const issues: PayPalIssue[] = [];
	for (const detail of Array.isArray(body.details) ? body.details : []) {
		if (!isRecord(detail)) continue;
		const issue = text(detail.issue);
		if (issue === undefined) continue;
		const entry: PayPalIssue = { issue };
		const description = text(detail.description);
		const field = text(detail.field);
		const location = text(detail.location);
		if (description !== undefined) entry.description = description;
		if (field !== undefined) entry.field = field;
		if (location !== undefined) entry.location = location;
		issues.push(entry);
	}
	const parsed: PayPalApiError = { name, issues };
	const message = text(body.message);
	const debugId = text(body.debug_id);
	if (message !== undefined) parsed.message = message;
	if (debugId !== undefined) parsed.debugId = debugId;
	return parsed;
}

/*
 * What PayPal said, redacted, worded so that it contains no "key: value" or "key=value" pair
 * of its own making: outputs may be redacted again downstream, and a phrase such as
 * "invalid_token: Access ..." would lose its words to the token rule.
 */

/** "NAME / ISSUE (description, at field)", or "NAME (message)" when there are no details. */
function apiErrorSays(error: PayPalApiError, options: ClassifyOptions): string {
	const first = error.issues[0];
	if (!first) return safeText(error.message ? `${error.name} (${withoutFinalStop(error.message)})` : error.name, options);
	const what = first.description ?? error.message;
	const parts = [what ? withoutFinalStop(what) : null, first.field ? `at ${first.field}` : null].filter((part) => part !== null);
	return safeText(`${error.name} / ${first.issue}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`, options);
}

/** "error (description)". */
function oauthSays(error: OAuthError, options: ClassifyOptions): string {
	return safeText(error.description ? `${error.error} (${withoutFinalStop(error.description)})` : error.error, options);
}

// ---------------------------------------------------------------- classification

function failureFacts(failure: PayPalFailure, oauth: OAuthError | null, api: PayPalApiError | null): Record<string, unknown> {
	const facts: Record<string, unknown> = { kind: failure.kind };
	if (failure.status !== undefined) facts.httpStatus = failure.status;
	if (oauth) facts.error = oauth.error;
	if (api) {
		facts.error = api.name;
		if (api.issues.length > 0) facts.issues = api.issues.map((issue) => issue.issue);
	}
	// PayPal support asks for the debug id; the body has it, or the header on OAuth-shaped replies.
	const debugId = api?.debugId ?? text(failure.headers?.['paypal-debug-id']);
	if (debugId !== undefined) facts.debugId = debugId;
	if (failure.retryAfterMs !== null) facts.retryAfterMs = failure.retryAfterMs;
	if (failure.retried) facts.retried = true;
	return facts;
}

function verdictOf(cause: Cause, facts: Record<string, unknown>): FailureVerdict {
	return { status: statusOfCause(cause), cause, facts };
}

function waitHint(failure: PayPalFailure): string {
	// The Retry-After fact is the shared wording of what this reply's headers said.
	const fact = retryAfterFact(failure.retryAfterMs);
	if (failure.retried) return `it still was after waiting once as it asked (${fact})`;
	return failure.retryAfterMs !== null ? `${fact}, longer than the timeout allows` : fact;
}

/** A cause from the HTTP status alone, worded with what PayPal said when it said anything. */
function causeByStatus(failure: PayPalFailure, what: string, said: string | null): Cause {
	const base = causeOfHttpFailure({ ...failure, ok: false, durationMs: 0, message: '' }, what);
	if (failure.kind === 'rate_limited') {
		return commonCause('provider.rate_limited', `${what} is rate limiting us${said ? ` with ${said}` : ''}; ${waitHint(failure)}.`);
	}
	if (said === null || failure.status === undefined) return base;
	const code = base.code as CommonCauseCode;
	return commonCause(code, `${withoutFinalStop(base.message)}; PayPal said ${said}.`);
}

/** OAuth errors whose meaning does not depend on the status they came with. */
const OAUTH_CODES: Record<string, CommonCauseCode> = {
	invalid_client: 'auth.invalid_credentials',
	invalid_token: 'auth.invalid_credentials',
	unauthorized_client: 'auth.forbidden',
	access_denied: 'auth.forbidden',
	insufficient_scope: 'auth.forbidden',
	invalid_request: 'provider.bad_request',
	invalid_grant: 'provider.bad_request',
	unsupported_grant_type: 'provider.bad_request',
	invalid_scope: 'provider.bad_request',
	server_error: 'provider.server_error',
	temporarily_unavailable: 'provider.server_error',
};

function oauthCause(error: OAuthError, said: string, context: 'token' | 'order', what: string, environment: string | undefined): Cause | null {
	const code = OAUTH_CODES[error.error];
	if (code === undefined) return null;
	const env = environment ? ` ${environment}` : '';
	switch (code) {
		case 'auth.invalid_credentials':
			return context === 'token'
				? commonCause(code, `PayPal rejected the Client ID and Client Secret with ${said}; check both in the n8n credential and that they are${env} credentials of the same app.`)
				: commonCause(code, `PayPal rejected the access token with ${said}; the app's credentials may have been rotated or revoked, check them in the n8n credential.`);
		case 'auth.forbidden':
			return commonCause(code, `PayPal refused this app with ${said}; enable the needed features for the app in the PayPal developer dashboard.`);
		case 'provider.bad_request':
			return commonCause(code, `${what} refused the ${context === 'token' ? 'token request' : 'test order'} with ${said}; a proxy or the base URL override may be altering the request.`);
		default:
			return commonCause('provider.server_error', `${what} failed with ${said}.`);
	}
}

/** Issues that mean the probe's own amount or currency is wrong. */
const AMOUNT_ISSUES = new Set([
	'CURRENCY_NOT_SUPPORTED',
	'INVALID_CURRENCY_CODE',
	'DECIMAL_PRECISION',
	'CANNOT_BE_ZERO_OR_NEGATIVE',
	'CANNOT_BE_NEGATIVE',
	'AMOUNT_NOT_POSITIVE',
]);

/** Issues that mean PayPal will not take orders for this merchant account at all. */
const ACCOUNT_ISSUES = new Set([
	'PAYEE_ACCOUNT_RESTRICTED',
	'PAYEE_ACCOUNT_LOCKED_OR_CLOSED',
	'PAYEE_ACCOUNT_INVALID',
	'PAYEE_ACCOUNT_NOT_SUPPORTED',
	'PAYEE_ACCOUNT_NOT_VERIFIED',
	'PAYEE_NOT_CONSENTED',
	'PAYEE_BLOCKED_TRANSACTION',
	'COMPLIANCE_VIOLATION',
	'ACCOUNT_RESTRICTED',
]);

const FORBIDDEN_ISSUES = new Set(['PERMISSION_DENIED', 'NOT_AUTHORIZED', 'PERMISSION_NOT_GRANTED']);

function apiErrorCause(failure: PayPalFailure, error: PayPalApiError, said: string, what: string): Cause {
	const issues = error.issues.map((issue) => issue.issue);
	if (issues.some((issue) => AMOUNT_ISSUES.has(issue))) {
		return commonCause('config.invalid', `PayPal refused the test order's amount or currency with ${said}; change the probe amount or currency in the node.`);
	}
	if (issues.some((issue) => ACCOUNT_ISSUES.has(issue))) {
		return paymentCause('payments.account_restricted', `PayPal will not create orders for this merchant account, it answered ${said}; resolve it in the PayPal account.`);
	}
	if (error.name === 'NOT_AUTHORIZED' || issues.some((issue) => FORBIDDEN_ISSUES.has(issue))) {
		return commonCause('auth.forbidden', `${what} refused this app with ${said}; check the app's permissions in the PayPal developer dashboard.`);
	}
	if (error.name === 'AUTHENTICATION_FAILURE') {
		return commonCause('auth.invalid_credentials', `PayPal rejected the credentials with ${said}; check the Client ID and Client Secret in the n8n credential.`);
	}
	if (error.name === 'RATE_LIMIT_REACHED') return causeByStatus({ ...failure, kind: 'rate_limited' }, what, said);
	if (error.name === 'SERVICE_UNAVAILABLE' || error.name === 'INTERNAL_SERVER_ERROR') {
		return commonCause('provider.server_error', `PayPal had a server error, ${said}.`);
	}
	return causeByStatus(failure, what, said);
}

function classify(failure: PayPalFailure, context: 'token' | 'order', options: ClassifyOptions & { environment?: string }): FailureVerdict {
	const what = context === 'token' ? "PayPal's token endpoint" : "PayPal's Orders API";
	const oauth = parseOAuthError(failure.data);
	const api = oauth ? null : parsePayPalError(failure.data);
	const facts = failureFacts(failure, oauth, api);
	// Transport failures and unreadable bodies say nothing more than the shared wording.
	if (failure.status === undefined || failure.kind === 'malformed') return verdictOf(causeOfHttpFailure({ ...failure, ok: false, durationMs: 0, message: '' }, what), facts);
	if (oauth) {
		const said = oauthSays(oauth, options);
		return verdictOf(oauthCause(oauth, said, context, what, options.environment) ?? causeByStatus(failure, what, said), facts);
	}
	if (api) return verdictOf(apiErrorCause(failure, api, apiErrorSays(api, options), what), facts);
	// A plain-text body is worth quoting; an HTML error page (a proxy's) is not.
	const raw = text(failure.data);
	const said = raw === undefined || raw.startsWith('<') ? null : safeText(raw, options);
	return verdictOf(causeByStatus(failure, what, said), facts);
}

/** A failed `POST /v1/oauth2/token`: `invalid_client` is a human's job; the rest by error and status. */
export function classifyTokenFailure(failure: PayPalFailure, options: ClassifyOptions & { environment?: string } = {}): FailureVerdict {
	return classify(failure, 'token', options);
}

/** A failed `POST /v2/checkout/orders`, classified by PayPal's error name and issue, then by status. */
export function classifyOrderFailure(failure: PayPalFailure, options: ClassifyOptions = {}): FailureVerdict {
	return classify(failure, 'order', options);
}

/**
 * Whether the REST call failed because the bearer was not accepted: `invalid_token` (expired,
 * flushed from PayPal's cache, revoked) or any other 401. A new token may fix it, once.
 */
export function bearerRejected(failure: PayPalFailure): boolean {
	return failure.status === 401 || parseOAuthError(failure.data)?.error === 'invalid_token';
}

// ---------------------------------------------------------------- token grants

interface TokenGrant {
	accessToken: string;
	/** `expires_in`; null when PayPal did not say (the token is then not reused). */
	expiresInSeconds: number | null;
	appId?: string;
}

/** The 200 body of the token endpoint, or null when it carries no usable access token. */
export function readTokenGrant(body: unknown): TokenGrant | null {
	if (!isRecord(body)) return null;
	const accessToken = text(body.access_token);
	if (accessToken === undefined) return null;
	const tokenType = text(body.token_type);
	if (tokenType !== undefined && tokenType.toLowerCase() !== 'bearer') return null;
	const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(text(body.expires_in) ?? Number.NaN);
	const grant: TokenGrant = { accessToken, expiresInSeconds: Number.isFinite(expiresIn) && expiresIn >= 0 ? expiresIn : null };
	const appId = text(body.app_id);
	if (appId !== undefined) grant.appId = appId;
	return grant;
}

/** Reuse stops this long before `expires_in` runs out, so a token never dies mid-call. */
export const TOKEN_EXPIRY_MARGIN_MS = 60_000;

/**
 * Until when a token obtained at `obtainedAt` may be reused: `expires_in` minus a margin
 * (a tenth of the lifetime for short-lived tokens, so they are still reused briefly).
 */
export function tokenReusableUntil(obtainedAt: number, expiresInSeconds: number | null): number {
	if (expiresInSeconds === null || expiresInSeconds <= 0) return obtainedAt;
	const lifetimeMs = expiresInSeconds * 1000;
	return obtainedAt + lifetimeMs - Math.min(TOKEN_EXPIRY_MARGIN_MS, lifetimeMs / 10);
}

// ---------------------------------------------------------------- orders

/** Currencies PayPal takes in whole units only. */
const ZERO_DECIMAL_CURRENCIES = new Set(['HUF', 'JPY', 'TWD']);

/** The `amount.value` PayPal expects ("12.50", or "1500" for JPY), or null for an amount it cannot take. */
export function formatPayPalAmount(amount: number, currency: string): string | null {
	if (!Number.isFinite(amount) || amount <= 0) return null;
	const value = ZERO_DECIMAL_CURRENCIES.has(currency.toUpperCase()) ? String(Math.round(amount)) : amount.toFixed(2);
	return /^\d{1,10}(\.\d{1,2})?$/.test(value) && Number(value) > 0 ? value : null;
}

/** The links that send the buyer to pay. */
type BuyerLinkRel = 'approve' | 'payer-action';

interface BuyerLink {
	rel: BuyerLinkRel;
	href: string;
}

function isHttpsUrl(value: string): boolean {
	try {
		return new URL(value).protocol === 'https:';
	} catch {
		return false;
	}
}

/** The link a buyer pays through: `approve` (classic) or `payer-action` (payment_source flows), https only. */
export function findBuyerLink(links: unknown): BuyerLink | null {
	if (!Array.isArray(links)) return null;
	for (const link of links) {
		if (!isRecord(link)) continue;
		const rel = text(link.rel)?.toLowerCase();
		const href = text(link.href);
		if (href === undefined || !isHttpsUrl(href)) continue;
		if (rel === 'approve' || rel === 'payer-action') return { rel, href };
	}
	return null;
}

/**
 * The 2xx reply of `POST /v2/checkout/orders`: healthy with the order id, status and buyer
 * link; down with `payments.no_payment_link` when there is no link a buyer could use.
 */
export function assessCreatedOrder(body: unknown, options: ClassifyOptions = {}): Verdict {
	const id = isRecord(body) ? text(body.id) : undefined;
	if (!isRecord(body) || id === undefined) {
		const cause = commonCause('provider.malformed_response', `${PAYPAL} answered the test order with something that is not an order.`);
		return { status: 'down', message: cause.message, cause, value: {} };
	}
	const orderStatus = text(body.status) ?? null;
	const value: Record<string, unknown> = { orderId: safeText(id, options), orderStatus };
	const link = findBuyerLink(body.links);
	if (link === null) {
		const rels = Array.isArray(body.links) ? body.links.filter(isRecord).map((l) => text(l.rel)).filter((rel) => rel !== undefined) : [];
		const cause = paymentCause(
			'payments.no_payment_link',
			`${PAYPAL} created order ${value.orderId} (${orderStatus ?? 'no status'}) without an https approve or payer-action link (links: ${rels.length > 0 ? rels.join(', ') : 'none'}): buyers cannot be sent to pay.`,
		);
		return { status: 'down', message: cause.message, cause, value: { ...value, linkRels: rels } };
	}
	return {
		status: 'healthy',
		message: `${PAYPAL} created test order ${value.orderId} (${orderStatus ?? 'no status'}) with ${link.rel === 'approve' ? 'an' : 'a'} ${link.rel} link`,
		value: { ...value, linkRel: link.rel, paymentLink: maskKnownSecrets(link.href, options) },
	};
}
