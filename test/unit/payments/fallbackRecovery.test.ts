/**
 * payments.use_fallback as a recovery result, from both providers' check results:
 * every branch of the decision (primary works, degraded primary, switch, degraded
 * secondary, neither works), dry runs, either provider as primary, the steps, and the
 * parameter errors. Every result passes the contract validator.
 */
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { CheckResult, RecoveryResult, Status } from '../../../nodes/shared/contract';
import { validateRecoveryResult } from '../../../nodes/shared/validate';
import {
	paymentFallbackResult,
	PaymentFallbackError,
	providerPair,
	recoverPayments,
	type ProviderCheck,
} from '../../../nodes/PaymentLinkTest/providers/fallbackRecovery';
import { PaymentParameterError, probeCheckOptions, resolveCurrency } from '../../../nodes/PaymentLinkTest/providers/checkOptions';
import type { PaymentProvider, PaymentProviderName } from '../../../nodes/PaymentLinkTest/providers/types';

const AT = Date.UTC(2026, 0, 15, 10, 0, 0);

/** A check result shaped like the providers' own: configuration, authentication, payment_link. */
function result(name: PaymentProviderName, status: Status): CheckResult {
	const recorder = new CheckRecorder('payments', name === 'paypal' ? 'paypal:sandbox' : name, () => AT);
	recorder.pass('configuration', 'configured');
	if (status === 'healthy') recorder.pass('payment_link', 'link created');
	else if (status === 'degraded') recorder.degrade('payment_link', { code: 'provider.rate_limited', message: `${name} is rate limiting.`, retryable: true, needsHuman: false });
	else recorder.fail('authentication', { code: 'auth.invalid_credentials', message: `${name} rejected the token.`, retryable: false, needsHuman: true });
	return recorder.result({ environment: 'sandbox', provider_fact: name });
}

function check(name: PaymentProviderName, status: Status, durationMs = 25): ProviderCheck {
	return { name, result: result(name, status), durationMs };
}

function valid(recovery: RecoveryResult): RecoveryResult {
	expect(validateRecoveryResult(recovery)).toEqual([]);
	return recovery;
}

const run = (primary: Status, secondary: Status, dryRun = false) => valid(paymentFallbackResult(check('mercadopago', primary, 30), check('paypal', secondary, 40), { dryRun }));

describe('paymentFallbackResult', () => {
	test('primary healthy: stays on it, nothing attempted, the result is the primary check', () => {
		const out = run('healthy', 'down');
		expect(out).toMatchObject({ component: 'payments', target: 'mercadopago', status: 'healthy' });
		expect(out.cause).toBeUndefined();
		expect(out.recovery).toEqual({
			action: 'payments.use_fallback',
			attempted: false,
			success: false,
			before: 'healthy',
			after: 'healthy',
			steps: [
				{ action: 'check', ok: true, message: 'primary mercadopago: healthy', durationMs: 30 },
				{ action: 'check', ok: false, message: 'secondary paypal: down (auth.invalid_credentials: paypal rejected the token.)', durationMs: 40 },
				{ action: 'select', ok: true, message: expect.stringMatching(/^primary works: nothing to switch\. mercadopago works: keep using it\.$/), durationMs: 0 },
			],
		});
		expect(out.details).toEqual({
			environment: 'sandbox',
			provider_fact: 'mercadopago',
			selection: expect.objectContaining({ use: 'mercadopago', switchNeeded: false, primary: 'mercadopago', secondary: 'paypal', action: null }),
		});
	});

	test('primary degraded: still works, kept; the item stays degraded with the primary cause', () => {
		const out = run('degraded', 'healthy');
		expect(out).toMatchObject({ target: 'mercadopago', status: 'degraded', cause: { code: 'provider.rate_limited' } });
		expect(out.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: false, success: false, before: 'degraded', after: 'degraded' });
		expect(out.recovery.steps[2].message).toMatch(/^primary works: nothing to switch\. mercadopago works but is degraded \(mercadopago is rate limiting\.\)/);
	});

	test('primary down, secondary healthy: switch decided, success, the item is the secondary check', () => {
		const out = run('down', 'healthy');
		expect(out).toMatchObject({ component: 'payments', target: 'paypal:sandbox', status: 'healthy' });
		expect(out.cause).toBeUndefined();
		expect(out.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy' });
		expect(out.recovery.dryRun).toBeUndefined();
		const [primaryStep, secondaryStep, select] = out.recovery.steps;
		expect(primaryStep).toMatchObject({ ok: false, message: expect.stringContaining('auth.invalid_credentials') });
		expect(secondaryStep).toEqual({ action: 'check', ok: true, message: 'secondary paypal: healthy', durationMs: 40 });
		expect(select.ok).toBe(true);
		expect(select.message).toMatch(/mercadopago is down \(mercadopago rejected the token\.\); paypal works: switch to it\./);
		expect(select.message).toMatch(/Nothing is changed here: the switch is a decision the bot reads from details\.selection\.use \(paypal\)\./);
		expect(out.details).toMatchObject({ provider_fact: 'paypal', selection: { use: 'paypal', switchNeeded: true, action: 'payments.use_fallback', primaryStatus: 'down', secondaryStatus: 'healthy' } });
	});

	test('primary down, secondary degraded: switch decided but no success (the provider in use is not healthy)', () => {
		const out = run('down', 'degraded');
		expect(out).toMatchObject({ target: 'paypal:sandbox', status: 'degraded', cause: { code: 'provider.rate_limited' } });
		expect(out.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: false, before: 'down', after: 'degraded' });
		expect(out.recovery.steps[2].message).toMatch(/paypal works \(degraded\): switch to it/);
	});

	test('neither works: notify.escalate, nothing attempted, the item is the primary check', () => {
		const out = run('down', 'down');
		expect(out).toMatchObject({ target: 'mercadopago', status: 'down', cause: { code: 'auth.invalid_credentials', needsHuman: true } });
		expect(out.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false, before: 'down', after: 'down' });
		expect(out.recovery.steps[2]).toMatchObject({ action: 'select', ok: false, message: expect.stringMatching(/^No payment provider works: .*escalate to a person\.$/) });
		expect(out.details?.selection).toMatchObject({ use: null, action: 'notify.escalate' });
	});

	test('dry run of a switch: the same decision, marked dry, never a success', () => {
		const out = run('down', 'healthy', true);
		expect(out).toMatchObject({ target: 'paypal:sandbox', status: 'healthy' });
		expect(out.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: false, dryRun: true, before: 'down', after: 'healthy' });
		expect(out.recovery.steps[2].message).toMatch(/^dry run: would switch to paypal\. .*Nothing is changed either way/);
	});

	test.each([
		['healthy', 'healthy', 'payments.use_fallback'],
		['down', 'down', 'notify.escalate'],
	] as const)('dry run with primary %s, secondary %s: dryRun set, nothing attempted', (p, s, action) => {
		const out = run(p, s, true);
		expect(out.recovery).toMatchObject({ action, attempted: false, success: false, dryRun: true });
	});

	test('PayPal as primary, MercadoPago as secondary: the roles follow the parameters', () => {
		const out = valid(paymentFallbackResult(check('paypal', 'down'), check('mercadopago', 'healthy'), { dryRun: false }));
		expect(out).toMatchObject({ target: 'mercadopago', status: 'healthy', recovery: { action: 'payments.use_fallback', success: true, before: 'down' } });
		expect(out.recovery.steps.map((step) => step.message.split(':')[0])).toEqual(['primary paypal', 'secondary mercadopago', expect.any(String)]);
	});

	test('a negative duration becomes 0 (a clock step back never breaks the contract)', () => {
		const out = valid(paymentFallbackResult(check('mercadopago', 'healthy', -5), check('paypal', 'healthy'), { dryRun: false }));
		expect(out.recovery.steps[0].durationMs).toBe(0);
	});

	describe('the caller\'s mistakes throw PaymentFallbackError naming the parameter', () => {
		const expectError = (fn: () => unknown, parameter: string, message: RegExp) => {
			let caught: unknown;
			try {
				fn();
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(PaymentFallbackError);
			expect(caught).toMatchObject({ parameter, message: expect.stringMatching(message) });
		};

		test('the same provider twice', () => {
			expectError(() => paymentFallbackResult(check('paypal', 'down'), check('paypal', 'healthy'), { dryRun: false }), 'secondaryProvider', /"Primary Provider" and "Secondary Provider" must differ/);
		});
		test('a result that is not the named provider\'s', () => {
			expectError(() => paymentFallbackResult({ ...check('mercadopago', 'down'), result: result('paypal', 'down') }, check('paypal', 'healthy'), { dryRun: false }), 'primary', /payments check result of mercadopago/);
			const notPayments = { ...result('paypal', 'healthy'), component: 'llm' as const };
			expectError(() => paymentFallbackResult(check('mercadopago', 'down'), { name: 'paypal', result: notPayments, durationMs: 1 }, { dryRun: false }), 'secondary', /payments check result of paypal/);
		});
		test('an unknown provider name', () => {
			expectError(() => paymentFallbackResult({ ...check('mercadopago', 'down'), name: 'stripe' as PaymentProviderName }, check('paypal', 'healthy'), { dryRun: false }), 'primary', /mercadopago or paypal/);
		});
		test('a missing duration or dryRun flag', () => {
			expectError(() => paymentFallbackResult({ ...check('mercadopago', 'down'), durationMs: Number.NaN }, check('paypal', 'healthy'), { dryRun: false }), 'primary', /durationMs/);
			expectError(() => paymentFallbackResult(check('mercadopago', 'down'), check('paypal', 'healthy'), { dryRun: 'yes' as unknown as boolean }), 'dryRun', /dryRun must be true or false/);
		});
	});
});

describe('providerPair', () => {
	test('two known, different providers come back typed, in order', () => {
		expect(providerPair('paypal', 'mercadopago')).toEqual(['paypal', 'mercadopago']);
	});
	test.each([
		['stripe', 'paypal', 'primaryProvider', /"Primary Provider" must be mercadopago or paypal, got "stripe"/],
		['mercadopago', undefined, 'secondaryProvider', /"Secondary Provider" must be mercadopago or paypal, got undefined/],
		['mercadopago', 'mercadopago', 'secondaryProvider', /must differ/],
	])('%s / %s: throws naming %s', (primary, secondary, parameter, message) => {
		expect(() => providerPair(primary, secondary)).toThrow(PaymentFallbackError);
		expect(() => providerPair(primary, secondary)).toThrow(message);
		try {
			providerPair(primary, secondary);
		} catch (error) {
			expect((error as PaymentFallbackError).parameter).toBe(parameter);
		}
	});
});

describe('recoverPayments refuses a bad plan before calling any provider', () => {
	/** A provider whose check must never run: the plan is refused first. */
	const untouchable = (name: PaymentProviderName): PaymentProvider => ({
		name,
		target: name,
		secrets: [],
		check: () => Promise.reject(new Error('check must not be called')),
	});
	const checkOptions = () => {
		throw new Error('checkOptions must not be called');
	};

	test('the same provider as primary and secondary', async () => {
		await expect(recoverPayments({ primary: untouchable('paypal'), secondary: untouchable('paypal'), checkOptions, dryRun: false, deadlineMs: 5000 })).rejects.toThrow(/must differ/);
	});
	test('a dryRun that is not a boolean', async () => {
		await expect(recoverPayments({ primary: untouchable('mercadopago'), secondary: untouchable('paypal'), checkOptions, dryRun: undefined as unknown as boolean, deadlineMs: 5000 })).rejects.toThrow(PaymentFallbackError);
	});
});

describe('the check options Check and Recover share (providers/checkOptions)', () => {
	test('currency: trimmed, upper-cased, the provider default when empty', () => {
		expect(resolveCurrency('mercadopago', '')).toBe('ARS');
		expect(resolveCurrency('paypal', '  ')).toBe('USD');
		expect(resolveCurrency('paypal', ' brl ')).toBe('BRL');
	});
	test('a currency that is not three letters throws naming the parameter', () => {
		expect(() => resolveCurrency('paypal', 'US$', 'PayPal Currency')).toThrow(new PaymentParameterError('PayPal Currency', 'Parameter "PayPal Currency" must be a three-letter ISO code, got "US$"'));
		expect(() => resolveCurrency('mercadopago', 'pesos')).toThrow(/Parameter "Currency" must be a three-letter ISO code, got "PESOS"/);
	});
	test('probe options: the settings, a probe reference from the clock, a fresh idempotency key per call', () => {
		const options = probeCheckOptions({ timeoutMs: 1500, createLink: false, amount: 2, currency: 'USD' }, AT);
		expect(options).toMatchObject({ timeoutMs: 1500, createLink: false, amount: 2, currency: 'USD', probeReference: `autorecovery-probe-${AT}` });
		const keys = new Set([options.newIdempotencyKey(), options.newIdempotencyKey(), options.newIdempotencyKey()]);
		expect(keys.size).toBe(3);
	});
});
