/**
 * payments.use_fallback end to end without n8n: the real MercadoPago and PayPal
 * providers against their emulators, checked by recoverPayments, turned into one
 * recovery result. A revoked MP token with PayPal working switches; both down
 * escalates; a hung or rate-limited provider is a result, never a hang; a dry run
 * decides the same and changes nothing. Every result passes the contract validator and
 * carries no token, secret or Authorization value.
 */
import { DEFAULT_RECOVERY_DEADLINE_SECONDS } from '../../../nodes/shared/deadline';
import type { RecoveryResult } from '../../../nodes/shared/contract';
import { validateRecoveryResult } from '../../../nodes/shared/validate';
import { probeCheckOptions, DEFAULT_CURRENCY } from '../../../nodes/PaymentLinkTest/providers/checkOptions';
import { recoverPayments } from '../../../nodes/PaymentLinkTest/providers/fallbackRecovery';
import { createMercadoPagoProvider } from '../../../nodes/PaymentLinkTest/providers/mercadopago';
import { createPayPalProvider } from '../../../nodes/PaymentLinkTest/providers/paypal';
import type { PaymentProvider, PaymentProviderName } from '../../../nodes/PaymentLinkTest/providers/types';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createMercadoPagoEmulator, mercadoPagoDefaults, type MercadoPagoState } from '../../../dev/emulators/payments/mercadopago';
import { createPayPalEmulator, payPalDefaults, type PayPalState } from '../../../dev/emulators/payments/paypal';

const MP_TOKEN = mercadoPagoDefaults.sandboxToken;
const PAYPAL_SECRET = payPalDefaults.clientSecret;
const PAYPAL_BASIC = Buffer.from(`${payPalDefaults.clientId}:${PAYPAL_SECRET}`).toString('base64');
const TIMEOUT_MS = 1_000;
const SLACK_MS = 1_000;

let mercadopago: Emulator<MercadoPagoState>;
let paypal: Emulator<PayPalState>;

beforeAll(async () => {
	mercadopago = await createMercadoPagoEmulator().start();
	paypal = await createPayPalEmulator().start();
});
afterAll(async () => {
	await Promise.all([mercadopago.close(), paypal.close()]);
});
beforeEach(() => {
	mercadopago.reset();
	paypal.reset();
});

const providers: Record<PaymentProviderName, () => PaymentProvider> = {
	mercadopago: () => createMercadoPagoProvider({ baseUrl: mercadopago.url, accessToken: MP_TOKEN, environment: 'sandbox' }),
	paypal: () => createPayPalProvider({ environment: 'sandbox', baseUrl: paypal.url, clientId: payPalDefaults.clientId, clientSecret: PAYPAL_SECRET }),
};

/** Valid contract, and no secret in any form anywhere in the result. */
function checked(result: RecoveryResult): RecoveryResult {
	expect(validateRecoveryResult(result)).toEqual([]);
	expect(result.component).toBe('payments');
	const text = JSON.stringify(result);
	const issuedTokens = Object.keys(paypal.state.issuedTokens);
	for (const secret of [MP_TOKEN, PAYPAL_SECRET, PAYPAL_BASIC, ...issuedTokens]) expect(text).not.toContain(secret);
	expect(text).not.toMatch(/A21AA/);
	expect(text).not.toMatch(/\b(Bearer|Basic) [A-Za-z0-9+/=_-]{8,}/);
	expect(text).not.toMatch(/"authorization"/i);
	return result;
}

async function recover(primary: PaymentProviderName = 'mercadopago', secondary: PaymentProviderName = 'paypal', dryRun = false, timeoutMs = TIMEOUT_MS): Promise<RecoveryResult> {
	return checked(
		await recoverPayments({
			primary: providers[primary](),
			secondary: providers[secondary](),
			dryRun,
			deadlineMs: DEFAULT_RECOVERY_DEADLINE_SECONDS * 1000,
			checkOptions: (name) => probeCheckOptions({ timeoutMs, createLink: true, amount: 1, currency: DEFAULT_CURRENCY[name] }),
		}),
	);
}

const mpPreferences = () => mercadopago.requests('mercadopago.createPreference');
const payPalOrders = () => paypal.requests('paypal.createOrder');

test('both work: MercadoPago (primary) stays, nothing attempted; both were really checked with a test link', async () => {
	const result = await recover();
	expect(result).toMatchObject({ target: 'mercadopago', status: 'healthy', details: { selection: { use: 'mercadopago', switchNeeded: false } } });
	expect(result.details?.payment_link).toEqual(expect.stringMatching(/^http/));
	expect(result.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: false, success: false, before: 'healthy', after: 'healthy' });
	expect(result.recovery.steps.map((step) => [step.action, step.ok])).toEqual([['check', true], ['check', true], ['select', true]]);
	expect(result.recovery.steps[2].message).toMatch(/^primary works: nothing to switch/);
	expect(mpPreferences()).toHaveLength(1);
	expect(payPalOrders()).toHaveLength(1);
	expect(paypal.requests('paypal.captureOrder')).toEqual([]);
});

test('MercadoPago token revoked (401) with PayPal working: payments.use_fallback succeeds, the item is the PayPal check', async () => {
	mercadopago.patchState({ revokedTokens: [MP_TOKEN] });
	const result = await recover();
	expect(result).toMatchObject({ component: 'payments', target: 'paypal:sandbox', status: 'healthy' });
	expect(result.cause).toBeUndefined();
	expect(result.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy' });
	expect(result.recovery.dryRun).toBeUndefined();
	const [primaryStep, secondaryStep, select] = result.recovery.steps;
	expect(primaryStep).toMatchObject({ action: 'check', ok: false, message: expect.stringMatching(/^primary mercadopago: down \(auth\.invalid_credentials: /) });
	expect(secondaryStep).toMatchObject({ action: 'check', ok: true, message: 'secondary paypal: healthy' });
	expect(primaryStep.durationMs).toEqual(expect.any(Number));
	expect(select.message).toMatch(/mercadopago is down .*paypal works: switch to it\..*details\.selection\.use \(paypal\)/);
	expect(result.details).toMatchObject({ selection: { use: 'paypal', switchNeeded: true, primaryStatus: 'down', secondaryStatus: 'healthy', action: 'payments.use_fallback' } });
	// The revoked token stopped MP at authentication: no link attempted there.
	expect(mpPreferences()).toHaveLength(0);
	expect(payPalOrders()).toHaveLength(1);
});

test('both down (MP token revoked, PayPal OAuth failing with 500): notify.escalate, nothing attempted, the item is the MP check', async () => {
	mercadopago.patchState({ revokedTokens: [MP_TOKEN] });
	paypal.setFault('paypal.oauthToken', { status: 500 });
	const result = await recover();
	expect(result).toMatchObject({ target: 'mercadopago', status: 'down', cause: { code: 'auth.invalid_credentials', needsHuman: true } });
	expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false, before: 'down', after: 'down' });
	expect(result.recovery.steps[1]).toMatchObject({ ok: false, message: expect.stringMatching(/^secondary paypal: down \(provider\.server_error: /) });
	expect(result.recovery.steps[2]).toMatchObject({ action: 'select', ok: false, message: expect.stringMatching(/^No payment provider works: .*escalate to a person\.$/) });
	expect(result.details?.selection).toMatchObject({ use: null });
});

test('a hung MercadoPago: a net.timeout result within the deadline, PayPal checked meanwhile, switch decided', async () => {
	mercadopago.setFault('*', { hang: true });
	const started = Date.now();
	const result = await recover('mercadopago', 'paypal', false, 500);
	expect(Date.now() - started).toBeLessThan(500 + SLACK_MS);
	expect(result).toMatchObject({ target: 'paypal:sandbox', status: 'healthy', recovery: { action: 'payments.use_fallback', success: true } });
	expect(result.recovery.steps[0].message).toMatch(/^primary mercadopago: down \(net\.timeout: /);
});

test('both hung: two net.timeouts within one deadline (checked at once), escalated', async () => {
	mercadopago.setFault('*', { hang: true });
	paypal.setFault('*', { hang: true });
	const started = Date.now();
	const result = await recover('mercadopago', 'paypal', false, 600);
	// One after the other would take at least 1200 ms.
	expect(Date.now() - started).toBeLessThan(1_100);
	expect(result).toMatchObject({ target: 'mercadopago', status: 'down', cause: { code: 'net.timeout', retryable: true }, recovery: { action: 'notify.escalate', attempted: false } });
	expect(result.recovery.steps[1].message).toMatch(/^secondary paypal: down \(net\.timeout: /);
});

test('PayPal primary reset mid-connection, MercadoPago secondary: switch to MercadoPago', async () => {
	paypal.setFault('*', { reset: true });
	const result = await recover('paypal', 'mercadopago');
	expect(result).toMatchObject({ target: 'mercadopago', status: 'healthy', recovery: { action: 'payments.use_fallback', attempted: true, success: true, before: 'down' } });
	expect(result.recovery.steps[0].message).toMatch(/^primary paypal: down \(net\.(reset|unreachable): /);
});

test('secondary only rate limited (PayPal 429 without Retry-After): still switched to, but no success while degraded', async () => {
	mercadopago.patchState({ revokedTokens: [MP_TOKEN] });
	paypal.setFault('paypal.createOrder', { status: 429, retryAfter: null });
	const result = await recover();
	expect(result).toMatchObject({ target: 'paypal:sandbox', status: 'degraded', cause: { code: 'provider.rate_limited' } });
	expect(result.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: false, before: 'down', after: 'degraded' });
});

test('dry run: both checked, the same decision marked dry, never a success', async () => {
	mercadopago.patchState({ revokedTokens: [MP_TOKEN] });
	const result = await recover('mercadopago', 'paypal', true);
	expect(result).toMatchObject({ target: 'paypal:sandbox', status: 'healthy' });
	expect(result.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: false, dryRun: true, before: 'down', after: 'healthy' });
	expect(result.recovery.steps[2].message).toMatch(/^dry run: would switch to paypal\./);
	expect(payPalOrders()).toHaveLength(1);
});
