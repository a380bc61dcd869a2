import { asMitigation, failingResultOf } from '../../../nodes/shared/recovery/mitigation';
import type { CheckResult, RecoveryResult } from '../../../nodes/shared/contract';
import { validateRecoveryResult } from '../../../nodes/shared/validate';

const failing: CheckResult = {
	component: 'payments',
	target: 'mercadopago',
	status: 'down',
	checks: [{ name: 'auth', status: 'down', message: 'rejected', code: 'provider.server_error' }],
	cause: { code: 'provider.server_error', message: 'MercadoPago answers 503', retryable: true, needsHuman: false },
	latencyMs: 3,
	checkedAt: '2026-11-22T00:00:00.000Z',
};

const switched: RecoveryResult = {
	component: 'payments',
	target: 'paypal',
	status: 'healthy',
	checks: [{ name: 'auth', status: 'healthy', message: 'ok' }],
	latencyMs: 4,
	checkedAt: '2026-11-22T00:00:01.000Z',
	details: { selection: { use: 'paypal', switchNeeded: true } },
	recovery: { action: 'payments.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy', steps: [{ action: 'select', ok: true, message: 'switch to paypal', durationMs: 0 }] },
};

describe('a fallback as a mitigation of the failing target', () => {
	test('the answer is about the failing target: still failing, not a success, with the provider in use in details', () => {
		const result = asMitigation(failing, switched);
		expect(validateRecoveryResult(result)).toEqual([]);
		expect(result).toMatchObject({ target: 'mercadopago', status: 'down', cause: failing.cause });
		expect(result.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: false, before: 'down', after: 'down' });
		expect(result.recovery.steps).toEqual(switched.recovery.steps);
		expect(result.details).toMatchObject({ selection: { use: 'paypal' }, inUse: { target: 'paypal', status: 'healthy' } });
	});

	test('only a failing result of the same component counts as the item acted on', () => {
		expect(failingResultOf(failing, 'payments')).toBe(failing);
		expect(failingResultOf(failing, 'llm')).toBeUndefined();
		expect(failingResultOf({ ...failing, status: 'healthy', cause: undefined }, 'payments')).toBeUndefined();
		expect(failingResultOf({ manual: true }, 'payments')).toBeUndefined();
	});
});
