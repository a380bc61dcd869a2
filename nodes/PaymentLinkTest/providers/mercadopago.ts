/**
 * MercadoPago for the Payment Link Test node. Check proves customers can still get a
 * payment link, the way the bot makes one: the token is configured and of the expected
 * kind, `GET /users/me` accepts it, and (with `createLink`) `POST /checkout/preferences`
 * returns a link for one test item. A preference charges nothing; the probe's carries the
 * probe reference, no notification_url (so the bot's webhook never hears of it) and a
 * one-hour validity. How replies become checks lives in mercadopagoClassify.ts; this file
 * only calls MP, sequentially, so a hung MP costs one timeout: a failed authentication
 * skips the link. The token travels in the Authorization header only.
 */
import { commonCause } from '../../shared/causes';
import { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause, CheckResult } from '../../shared/contract';
import { DEFAULT_TIMEOUT_MS, httpRequestHonouringRetryAfter, type HttpMethod, type HttpOutcome } from '../../shared/http';
import {
	MERCADOPAGO_ENVIRONMENTS,
	classifyFailure,
	classifyTokenEnvironment,
	extractPaymentLink,
	failureFacts,
	readAccount,
	statusOfCause,
	tokenKind,
	type MercadoPagoStep,
	type TokenKind,
	type Verdict,
} from './mercadopagoClassify';
import type { PaymentCheckOptions, PaymentProvider } from './types';
import { isRecord } from '../../shared/json';

export interface MercadoPagoConfig {
	/** `https://api.mercadopago.com` (or a proxy / emulator). */
	baseUrl: string;
	accessToken: string;
	/** Which kind of token the bot should be using; a mismatch is reported. */
	environment: 'sandbox' | 'production';
}

/** The credential field names, so a missing value is named by its field, never shown. */
const ACCESS_TOKEN_FIELD = 'Access Token (accessToken)';
const ENVIRONMENT_FIELD = 'Expected Environment (environment)';
const BASE_URL_FIELD = 'Base URL (baseUrl)';

const PROBE_TITLE = 'Autorecovery probe';
const PROBE_ITEM_ID = 'autorecovery-probe';
/** How long a probe link stays payable: long enough to open it from the execution log, no longer. */
const PROBE_LINK_VALIDITY_MS = 60 * 60 * 1000;
/** expiration_date_from a little in the past, so clock skew never makes a fresh probe link "not yet valid". */
const PROBE_CLOCK_SKEW_MS = 5 * 60 * 1000;

export function createMercadoPagoProvider(config: MercadoPagoConfig): PaymentProvider {
	return new MercadoPagoProvider(config);
}

/** MP's documented date format, `2017-02-01T12:00:00.000-04:00`, here in UTC. */
function mercadoPagoDate(epochMs: number): string {
	return new Date(epochMs).toISOString().replace('Z', '+00:00');
}

/** One test item at the configured amount; nothing that charges, notifies or redirects. */
function probePreferenceBody(options: Pick<PaymentCheckOptions, 'probeReference' | 'amount' | 'currency'>, now: number = Date.now()): Record<string, unknown> {
	return {
		items: [
			{
				id: PROBE_ITEM_ID,
				title: PROBE_TITLE,
				description: 'Automatic health check of the payment link flow; not a sale',
				quantity: 1,
				unit_price: options.amount,
				currency_id: options.currency.trim().toUpperCase(),
			},
		],
		external_reference: options.probeReference,
		metadata: { autorecovery_probe: true },
		expires: true,
		expiration_date_from: mercadoPagoDate(now - PROBE_CLOCK_SKEW_MS),
		expiration_date_to: mercadoPagoDate(now + PROBE_LINK_VALIDITY_MS),
	};
}

type CallOutcome = HttpOutcome & { retried: boolean };

class MercadoPagoProvider implements PaymentProvider {
	readonly name = 'mercadopago' as const;
	readonly target = 'mercadopago';
	readonly secrets: string[];
	/** Trimmed: a token pasted with a trailing newline is still the token. */
	private readonly token: string;
	private readonly baseUrl: string;
	private readonly tokenKind: TokenKind;

	constructor(private readonly config: MercadoPagoConfig) {
		const raw = typeof config.accessToken === 'string' ? config.accessToken : '';
		this.token = raw.trim();
		this.secrets = [...new Set([raw, this.token])].filter((secret) => secret !== '');
		this.baseUrl = (typeof config.baseUrl === 'string' ? config.baseUrl.trim() : '').replace(/\/+$/, '');
		this.tokenKind = tokenKind(this.token);
	}

	async check(options: PaymentCheckOptions): Promise<CheckResult> {
		const recorder = new CheckRecorder('payments', this.target);
		const details: Record<string, unknown> = { environment: this.config.environment, probe_reference: options.probeReference };

		const configStarted = Date.now();
		const misconfigured = this.configCause();
		if (misconfigured) {
			recorder.fail('configuration', misconfigured, { durationMs: Date.now() - configStarted });
			return recorder.result(details);
		}
		recorder.pass('configuration', `an access token is configured (not shown); calls go to ${new URL(this.baseUrl).host}`, { durationMs: Date.now() - configStarted });
		details.token_type = this.tokenKind;
		const environment = this.config.environment;
		const timeoutMs = Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
		const errors: Array<Record<string, unknown>> = [];

		// Asked first so the token check can use what MP says about the account (test user or not).
		const me = await this.call('GET', '/users/me', timeoutMs);
		const account = me.ok ? readAccount(me.data) : null;

		const tokenStarted = Date.now();
		const tokenVerdict = classifyTokenEnvironment(this.tokenKind, environment, account ? account.test_user : null);
		record(recorder, 'token_environment', tokenVerdict, Date.now() - tokenStarted);

		if (me.ok && account) {
			recorder.pass('authentication', `MercadoPago accepted the access token (site ${account.site_id ?? 'not reported'}${account.test_user ? ', a test user' : ''})`, {
				durationMs: me.durationMs,
				value: account,
			});
			Object.assign(details, account);
		} else if (me.ok) {
			const cause = commonCause('provider.malformed_response', 'MercadoPago answered GET /users/me with something that is not an account.');
			recorder.fail('authentication', cause, { durationMs: me.durationMs });
		} else {
			this.recordFailure(recorder, 'authentication', me, errors);
		}

		if (!options.createLink) {
			details.create_link = false;
		} else if (!(me.ok && account)) {
			// Without an accepted token a preference cannot be created either; one failure is enough.
			details.payment_link_skipped = 'authentication did not pass';
		} else {
			await this.checkPaymentLink(recorder, options, timeoutMs, details, errors);
		}

		if (errors.length > 0) details.errors = errors;
		return recorder.result(details);
	}

	private async checkPaymentLink(
		recorder: CheckRecorder,
		options: PaymentCheckOptions,
		timeoutMs: number,
		details: Record<string, unknown>,
		errors: Array<Record<string, unknown>>,
	): Promise<void> {
		const invalid = probeProblem(options);
		if (invalid) {
			recorder.fail('payment_link', invalid, { durationMs: 0 });
			return;
		}
		const created = await this.call('POST', '/checkout/preferences', timeoutMs, probePreferenceBody(options), options.newIdempotencyKey);
		if (!created.ok) {
			this.recordFailure(recorder, 'payment_link', created, errors);
			return;
		}
		const verdict = extractPaymentLink(created.data, this.config.environment, this.secrets);
		const value = created.retried ? { ...(isRecord(verdict.value) ? verdict.value : {}), retried_after_429: true } : verdict.value;
		record(recorder, 'payment_link', { ...verdict, value }, created.durationMs);
		if (isRecord(verdict.value)) {
			details.preference_id = verdict.value.preference_id ?? null;
			if (typeof verdict.value.payment_link === 'string') details.payment_link = verdict.value.payment_link;
		}
	}

	/**
	 * Every call honours one 429 (shared helper). The idempotency key is made per attempt,
	 * so the retry after a 429 sends a fresh key, as each attempt is a new request to MP.
	 */
	private call(method: HttpMethod, path: string, timeoutMs: number, body?: unknown, newIdempotencyKey?: () => string): Promise<CallOutcome> {
		return httpRequestHonouringRetryAfter({
			method,
			url: `${this.baseUrl}${path}`,
			headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
			...(newIdempotencyKey ? { perAttemptHeaders: () => ({ 'x-idempotency-key': newIdempotencyKey() }) } : {}),
			...(body !== undefined ? { body } : {}),
			timeoutMs,
			secrets: this.secrets,
		});
	}

	private recordFailure(recorder: CheckRecorder, step: MercadoPagoStep, failure: Extract<CallOutcome, { ok: false }>, errors: Array<Record<string, unknown>>): void {
		const cause = classifyFailure(failure, { step, tokenKind: this.tokenKind, secrets: this.secrets });
		record(recorder, step, { status: statusOfCause(cause), message: cause.message, cause }, failure.durationMs);
		errors.push(failureFacts(step, failure, this.secrets));
	}

	/** Bad configuration is a result (config.*), named by its field; values are never shown. */
	private configCause(): Cause | null {
		if (this.token === '') {
			return commonCause('config.missing', `No MercadoPago access token is configured: set the ${ACCESS_TOKEN_FIELD} field of the n8n credential.`);
		}
		// Such a token could not even be sent as a header (the call would fail as "unreachable").
		if (/[^\x21-\x7e]/.test(this.token)) {
			return commonCause('config.invalid', `The ${ACCESS_TOKEN_FIELD} field of the MercadoPago credential contains spaces, line breaks or other characters no token has: paste the token alone.`);
		}
		if (!(MERCADOPAGO_ENVIRONMENTS as readonly string[]).includes(this.config.environment)) {
			return commonCause('config.invalid', `The ${ENVIRONMENT_FIELD} field of the MercadoPago credential must be sandbox or production.`);
		}
		if (this.baseUrl === '') return commonCause('config.missing', `No MercadoPago base URL is configured: set the ${BASE_URL_FIELD} field of the n8n credential.`);
		if (!isHttpUrl(this.baseUrl)) {
			return commonCause('config.invalid', `The ${BASE_URL_FIELD} field of the MercadoPago credential must be an http(s) URL such as https://api.mercadopago.com.`);
		}
		return null;
	}
}

/** The probe item MP would reject anyway, caught before the call with a clearer message. */
function probeProblem(options: PaymentCheckOptions): Cause | null {
	if (!(typeof options.amount === 'number' && Number.isFinite(options.amount) && options.amount > 0)) {
		return commonCause('config.invalid', 'The probe amount must be a number greater than 0 for MercadoPago to create a test payment link.');
	}
	if (typeof options.currency !== 'string' || !/^[A-Za-z]{3}$/.test(options.currency.trim())) {
		return commonCause('config.invalid', 'The probe currency must be a three-letter code such as ARS, BRL or MXN.');
	}
	return null;
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '';
	} catch {
		return false;
	}
}


function record(recorder: CheckRecorder, name: string, verdict: Verdict, durationMs: number): void {
	const extra = { durationMs, ...(verdict.value !== undefined ? { value: verdict.value } : {}) };
	if (verdict.status === 'healthy' || !verdict.cause) recorder.pass(name, verdict.message, extra);
	else if (verdict.status === 'degraded') recorder.degrade(name, verdict.cause, extra);
	else recorder.fail(name, verdict.cause, extra);
}
