/**
 * PayPal for the Payment Link Test node. Check proves customers can still get a PayPal
 * payment link the way the bot makes one: the credential is complete, PayPal issues an
 * access token for it, and (when asked) a CAPTURE order gets an approve or payer-action
 * link. The test order is never captured; an unapproved order simply expires at PayPal.
 * How replies become checks and causes lives in paypalClassify.ts; this file only calls
 * PayPal. The token is kept on the provider object (one per n8n item run) until shortly
 * before `expires_in`, as PayPal asks, and neither it nor the secret leaves this object.
 */
import { commonCause } from '../../shared/causes';
import { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause, CheckResult } from '../../shared/contract';
import { httpRequestHonouringRetryAfter, type HttpOutcome } from '../../shared/http';
import { redact } from '../../shared/redact';
import {
	assessCreatedOrder,
	bearerRejected,
	classifyOrderFailure,
	classifyTokenFailure,
	formatPayPalAmount,
	readTokenGrant,
	tokenReusableUntil,
	type FailureVerdict,
} from './paypalClassify';
import type { PaymentCheckOptions, PaymentProvider } from './types';
import { PROVIDER_BASE_URLS } from '../../shared/providerBaseUrls';

export interface PayPalConfig {
	environment: 'sandbox' | 'live';
	/** Replaces the environment's host (a proxy, a test server); empty means none. */
	baseUrl?: string;
	clientId: string;
	clientSecret: string;
}

const PAYPAL_BASE_URLS = {
	sandbox: PROVIDER_BASE_URLS.paypalSandbox,
	live: PROVIDER_BASE_URLS.paypalLive,
} as const;

const ENVIRONMENTS: readonly string[] = Object.keys(PAYPAL_BASE_URLS);

/** PayPal limits `reference_id` to 256 characters. */
const MAX_REFERENCE_LENGTH = 256;

/** The API host to call: the override without trailing slashes, else the environment's host. */
export function payPalBaseUrl(config: Pick<PayPalConfig, 'environment' | 'baseUrl'>): string {
	const override = config.baseUrl?.trim().replace(/\/+$/, '') ?? '';
	if (override !== '') return override;
	return config.environment === 'sandbox' ? PAYPAL_BASE_URLS.sandbox : PAYPAL_BASE_URLS.live;
}

export function createPayPalProvider(config: PayPalConfig): PaymentProvider {
	return new PayPalProvider(config);
}

interface CachedToken {
	value: string;
	obtainedAt: number;
	reusableUntil: number;
	expiresInSeconds: number | null;
}

type TokenOutcome =
	| { ok: true; token: CachedToken; reused: boolean; durationMs: number; retried: boolean }
	| { ok: false; verdict: FailureVerdict; durationMs: number };

function isHttpUrl(value: string): boolean {
	try {
		const protocol = new URL(value).protocol;
		return protocol === 'https:' || protocol === 'http:';
	} catch {
		return false;
	}
}

class PayPalProvider implements PaymentProvider {
	readonly name = 'paypal' as const;
	readonly target: string;
	private readonly clientId: string;
	private readonly clientSecret: string;
	private readonly basicCredential: string;
	/** The token of this run, reused across checks until shortly before it expires. */
	private token: CachedToken | null = null;
	/** Every token PayPal issued to this object, so none of them can slip into an output. */
	private readonly issuedTokens = new Set<string>();

	constructor(private readonly config: PayPalConfig) {
		this.target = `paypal:${config.environment}`;
		// Pasted credentials often carry a stray space; PayPal would reject them for it.
		this.clientId = (config.clientId ?? '').trim();
		this.clientSecret = (config.clientSecret ?? '').trim();
		this.basicCredential = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
	}

	/** The secret, the Basic header value built from it, and every access token issued so far. */
	get secrets(): string[] {
		return [this.config.clientSecret, this.clientSecret, this.basicCredential, ...this.issuedTokens].filter(
			(secret): secret is string => typeof secret === 'string' && secret.trim() !== '',
		);
	}

	async check(options: PaymentCheckOptions): Promise<CheckResult> {
		const recorder = new CheckRecorder('payments', this.target);
		const details: Record<string, unknown> = { environment: this.config.environment };

		const configStarted = Date.now();
		const misconfigured = this.configurationCause(options);
		const configMs = Date.now() - configStarted;
		if (misconfigured) return recorder.fail('configuration', misconfigured, { durationMs: configMs }).result(details);
		const baseUrl = payPalBaseUrl(this.config);
		details.baseUrl = this.say(baseUrl);
		recorder.pass('configuration', `Client ID and Client Secret are set; calling the ${this.config.environment} API at ${details.baseUrl}`, {
			value: { environment: this.config.environment, baseUrl: details.baseUrl },
			durationMs: configMs,
		});

		const auth = await this.accessToken(baseUrl, options.timeoutMs);
		if (!auth.ok) {
			this.recordFailure(recorder, 'authentication', auth.verdict, auth.durationMs, details);
			return recorder.result(details);
		}
		details.tokenReused = auth.reused;
		recorder.pass(
			'authentication',
			auth.reused ? 'reused the PayPal access token issued earlier in this run' : 'PayPal issued an access token for the Client ID and Client Secret',
			{ value: { reused: auth.reused, retried: auth.retried, expiresInSeconds: auth.token.expiresInSeconds }, durationMs: auth.durationMs },
		);

		if (options.createLink) await this.checkPaymentLink(baseUrl, auth.token, options, recorder, details);
		return recorder.result(details);
	}

	// ------------------------------------------------------------ configuration

	private configurationCause(options: PaymentCheckOptions): Cause | null {
		const missing = [
			this.clientId === '' ? 'Client ID' : null,
			this.clientSecret === '' ? 'Client Secret' : null,
		].filter((field): field is string => field !== null);
		if (missing.length > 0) {
			return commonCause('config.missing', `The PayPal credential has no ${missing.join(' and no ')}; fill it in the n8n credential.`);
		}
		if (!ENVIRONMENTS.includes(this.config.environment)) {
			return commonCause('config.invalid', `The PayPal environment must be sandbox or live, not "${this.say(String(this.config.environment))}".`);
		}
		const override = this.config.baseUrl?.trim() ?? '';
		if (override !== '' && !isHttpUrl(override)) {
			return commonCause('config.invalid', 'The PayPal base URL override is not an http(s) URL; fix it or leave it empty in the n8n credential.');
		}
		if (!options.createLink) return null;
		if (!/^[A-Z]{3}$/.test(options.currency)) {
			return commonCause('config.invalid', `The test order currency must be a three-letter ISO code such as USD, not "${this.say(options.currency)}".`);
		}
		if (formatPayPalAmount(options.amount, options.currency) === null) {
			return commonCause('config.invalid', `The test order amount ${options.amount} ${options.currency} is not one PayPal accepts; use a positive amount.`);
		}
		if (options.probeReference.trim() === '' || options.probeReference.length > MAX_REFERENCE_LENGTH) {
			return commonCause('config.invalid', `The probe reference must be 1 to ${MAX_REFERENCE_LENGTH} characters, as PayPal requires of reference_id.`);
		}
		return null;
	}

	// ------------------------------------------------------------ token

	/** The cached token while it is still fresh, else a new one from `POST /v1/oauth2/token`. */
	private async accessToken(baseUrl: string, timeoutMs: number): Promise<TokenOutcome> {
		const cached = this.token;
		if (cached && Date.now() < cached.reusableUntil) return { ok: true, token: cached, reused: true, durationMs: 0, retried: false };
		this.token = null;
		const outcome = await httpRequestHonouringRetryAfter({
			method: 'POST',
			url: `${baseUrl}/v1/oauth2/token`,
			headers: {
				authorization: `Basic ${this.basicCredential}`,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
			},
			// PayPal reads only a form here: a JSON body leaves grant_type "NULL".
			body: new URLSearchParams({ grant_type: 'client_credentials' }),
			timeoutMs,
			secrets: this.secrets,
		});
		if (!outcome.ok) {
			return { ok: false, verdict: classifyTokenFailure(outcome, { secrets: this.secrets, environment: this.config.environment }), durationMs: outcome.durationMs };
		}
		const grant = readTokenGrant(outcome.data);
		if (grant === null) {
			const cause = commonCause('provider.malformed_response', "PayPal's token endpoint answered without a usable access token.");
			return { ok: false, verdict: { status: 'down', cause, facts: { httpStatus: outcome.status } }, durationMs: outcome.durationMs };
		}
		this.issuedTokens.add(grant.accessToken);
		const obtainedAt = Date.now();
		const token: CachedToken = {
			value: grant.accessToken,
			obtainedAt,
			reusableUntil: tokenReusableUntil(obtainedAt, grant.expiresInSeconds),
			expiresInSeconds: grant.expiresInSeconds,
		};
		this.token = token;
		return { ok: true, token, reused: false, durationMs: outcome.durationMs, retried: outcome.retried };
	}

	// ------------------------------------------------------------ payment link

	/**
	 * Creates the test order. A rejected bearer (expired, flushed, revoked) gets one new token
	 * and one more attempt, recorded as its own `token_refresh` check.
	 */
	private async checkPaymentLink(
		baseUrl: string,
		token: CachedToken,
		options: PaymentCheckOptions,
		recorder: CheckRecorder,
		details: Record<string, unknown>,
	): Promise<void> {
		const requestIds: string[] = [];
		let outcome = await this.createOrder(baseUrl, token.value, options, requestIds);
		let durationMs = outcome.durationMs;
		let refreshed = false;

		if (!outcome.ok && bearerRejected(outcome)) {
			this.token = null;
			const renewed = await this.accessToken(baseUrl, options.timeoutMs);
			if (!renewed.ok) {
				this.recordFailure(recorder, 'token_refresh', renewed.verdict, renewed.durationMs, details);
				return;
			}
			refreshed = true;
			recorder.pass('token_refresh', 'PayPal rejected the access token, so a new one was issued for one more attempt', {
				durationMs: renewed.durationMs,
			});
			outcome = await this.createOrder(baseUrl, renewed.token.value, options, requestIds);
			durationMs += outcome.durationMs;
		}
		details.tokenRefreshed = refreshed;
		details.requestIds = requestIds;
		details.probeReference = options.probeReference;

		if (!outcome.ok) {
			const verdict = classifyOrderFailure(outcome, { secrets: this.secrets });
			this.recordFailure(recorder, 'payment_link', verdict, durationMs, details);
			return;
		}
		const verdict = assessCreatedOrder(outcome.data, { secrets: this.secrets });
		Object.assign(details, verdict.value);
		const extra = { value: { ...verdict.value, retried: outcome.retried }, durationMs };
		if (verdict.cause) recorder.add({ name: 'payment_link', status: verdict.status, message: verdict.message, code: verdict.cause.code, ...extra }, verdict.cause);
		else recorder.pass('payment_link', verdict.message, extra);
	}

	/** `POST /v2/checkout/orders`, intent CAPTURE, one purchase unit labelled with the probe reference. */
	private async createOrder(
		baseUrl: string,
		accessToken: string,
		options: PaymentCheckOptions,
		requestIds: string[],
	): Promise<HttpOutcome & { retried: boolean }> {
		return httpRequestHonouringRetryAfter({
			method: 'POST',
			url: `${baseUrl}/v2/checkout/orders`,
			headers: {
				authorization: `Bearer ${accessToken}`,
				'content-type': 'application/json',
				accept: 'application/json',
				prefer: 'return=minimal',
			},
			// PayPal-Request-Id must be new on every attempt, the helper's 429 retry included.
			perAttemptHeaders: () => {
				const key = options.newIdempotencyKey();
				requestIds.push(key);
				return { 'paypal-request-id': key };
			},
			body: {
				intent: 'CAPTURE',
				purchase_units: [
					{
						reference_id: options.probeReference,
						description: 'Autorecovery payment link probe (never captured)',
						amount: {
							currency_code: options.currency,
							value: formatPayPalAmount(options.amount, options.currency),
						},
					},
				],
			},
			timeoutMs: options.timeoutMs,
			secrets: this.secrets,
		});
	}

	// ------------------------------------------------------------ helpers

	private recordFailure(
		recorder: CheckRecorder,
		name: string,
		verdict: FailureVerdict,
		durationMs: number,
		details: Record<string, unknown>,
	): void {
		details.error = verdict.facts;
		recorder.add({ name, status: verdict.status, message: verdict.cause.message, code: verdict.cause.code, value: verdict.facts, durationMs }, verdict.cause);
	}

	private say(value: string): string {
		return redact(value, { secrets: this.secrets });
	}
}
