import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { CheckResult, Status } from '../../../nodes/shared/contract';
import { providerOfResult, selectPaymentProvider } from '../../../nodes/PaymentLinkTest/providers/selectProvider';

function result(target: string, status: Status): CheckResult {
	const recorder = new CheckRecorder('payments', target);
	if (status === 'healthy') recorder.pass('link', 'ok');
	else if (status === 'degraded') recorder.degrade('link', { code: 'provider.rate_limited', message: 'rate limited', retryable: true, needsHuman: false });
	else recorder.fail('auth', { code: 'auth.invalid_credentials', message: 'token revoked', retryable: false, needsHuman: true });
	return recorder.result();
}

describe('selectPaymentProvider', () => {
	test.each([
		['healthy', 'healthy', 'mercadopago', false, null],
		['healthy', 'down', 'mercadopago', false, null],
		['degraded', 'healthy', 'mercadopago', false, null],
		['down', 'healthy', 'paypal', true, 'payments.use_fallback'],
		['down', 'degraded', 'paypal', true, 'payments.use_fallback'],
		['down', 'down', null, false, 'notify.escalate'],
	] as const)('primary %s, secondary %s → use %s (switch %s, action %s)', (p, s, use, switchNeeded, action) => {
		const selection = selectPaymentProvider(
			{ name: 'mercadopago', result: result('mercadopago', p) },
			{ name: 'paypal', result: result('paypal:live', s) },
		);
		expect(selection).toMatchObject({ use, switchNeeded, action, primaryStatus: p, secondaryStatus: s });
		expect(selection.reason.length).toBeGreaterThan(10);
	});

	test('the reason names the primary cause when switching', () => {
		const selection = selectPaymentProvider({ name: 'paypal', result: result('paypal:live', 'down') }, { name: 'mercadopago', result: result('mercadopago', 'healthy') });
		expect(selection.reason).toMatch(/paypal is down \(token revoked\); mercadopago works/);
	});
});

test('providerOfResult reads the provider from the target of payments results only', () => {
	expect(providerOfResult({ component: 'payments', target: 'paypal:sandbox' })).toBe('paypal');
	expect(providerOfResult({ component: 'payments', target: 'mercadopago' })).toBe('mercadopago');
	expect(providerOfResult({ component: 'whatsapp', target: 'paypal' })).toBeNull();
	expect(providerOfResult({ component: 'payments', target: 'stripe' })).toBeNull();
});
