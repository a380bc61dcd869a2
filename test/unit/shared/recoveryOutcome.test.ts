/** The one "did this recovery fix it?" rule (shared/recovery/outcome) and what a Recover execution says with it. */
import { escalationResult } from '../../../nodes/shared/incident/escalationResult';
import { asMitigation } from '../../../nodes/shared/recovery/mitigation';
import { isFailedOutcome, recoveryOutcome, summariseOutcome } from '../../../nodes/shared/recovery/outcome';
import { NO_ACTION_NEEDED } from '../../../nodes/shared/recovery/noActionNeeded';
import type { RecoveryResult } from '../../../nodes/shared/contract';
import { evolutionClosed, failing, healthy, recovery, tokenRevoked } from '../incident/results';

/** What a Recover answers for a target already healthy (shared/recovery/noActionNeeded). */
function noActionNeededResult(): RecoveryResult {
	return { ...healthy(), recovery: { action: 'whatsapp.reconnect', attempted: false, success: false, before: 'healthy', after: 'healthy', steps: [{ action: 'whatsapp.reconnect', ok: true, message: NO_ACTION_NEEDED, durationMs: 0 }] } };
}

describe('recoveryOutcome', () => {
	test.each([
		['a re-check that came back healthy', recovery(healthy()), 'fixed'],
		['an action after which the target still fails', recovery(evolutionClosed()), 'not fixed'],
		['a dry run, whatever the re-check says', recovery(healthy(), { dryRun: true }), 'dry run'],
		['a dry run of a still failing target', recovery(evolutionClosed(), { dryRun: true }), 'dry run'],
		['nothing automatic applies', escalationResult(tokenRevoked(), 'a person must renew the token'), 'escalated'],
		['an action never attempted on a failing target', recovery(evolutionClosed(), { attempted: false }), 'not fixed'],
		['a target already healthy', noActionNeededResult(), 'not needed'],
	] as const)('%s: %s', (_what, result, outcome) => {
		expect(recoveryOutcome(result.recovery)).toBe(outcome);
	});

	test('a fallback that only mitigated the failure did not fix it', () => {
		const fallback = recovery(healthy('payments', 'paypal:sandbox'), { action: 'payments.use_fallback' });
		expect(recoveryOutcome(fallback.recovery)).toBe('fixed');
		expect(recoveryOutcome(asMitigation(tokenRevoked(), fallback).recovery)).toBe('not fixed');
	});

	test.each([[undefined], [null], ['fixed'], [[]], [{}], [{ success: true }], [{ attempted: true, success: 'yes' }]])('an unreadable recovery %p fixed nothing', (value) => {
		expect(recoveryOutcome(value)).toBe('not fixed');
	});

	test('only "not fixed" and "escalated" fail the execution', () => {
		expect(['fixed', 'not fixed', 'escalated', 'not needed', 'dry run'].filter((outcome) => isFailedOutcome(outcome as never))).toEqual(['not fixed', 'escalated']);
	});
});

describe('summariseOutcome', () => {
	test('a fixed recovery: one sentence and custom data naming component, target, action and outcome', () => {
		expect(summariseOutcome(recovery(healthy()))).toEqual({
			outcome: 'fixed',
			failed: false,
			message: 'Recovery fixed it: whatsapp (evolution:ventas) is healthy again after whatsapp.reconnect.',
			customData: {
				component: 'whatsapp',
				target: 'evolution:ventas',
				action: 'whatsapp.reconnect',
				outcome: 'fixed',
				summary: 'Recovery fixed it: whatsapp (evolution:ventas) is healthy again after whatsapp.reconnect.',
			},
		});
	});

	test('a failed recovery says what is still failing, after which action, and why', () => {
		const summary = summariseOutcome(recovery(evolutionClosed()));
		expect(summary.failed).toBe(true);
		expect(summary.message).toBe('Recovery did not fix it: whatsapp (evolution:ventas) is still down after whatsapp.reconnect. Evolution instance "ventas" is disconnected from WhatsApp (state close).');
		// Without a cause, the node's last failed step says why.
		const { cause: _cause, ...withoutCause } = recovery(evolutionClosed());
		expect(summariseOutcome(withoutCause).message).toBe('Recovery did not fix it: whatsapp (evolution:ventas) is still down after whatsapp.reconnect. re-check: down');
	});

	test('a mitigation names the provider the bot uses meanwhile', () => {
		const mitigated = asMitigation(tokenRevoked(), recovery(healthy('payments', 'paypal:sandbox'), { action: 'payments.use_fallback' }));
		expect(summariseOutcome(mitigated).message).toMatch(/^Recovery did not fix it: payments \(mercadopago\) is still down after payments\.use_fallback\. Meanwhile the bot uses paypal:sandbox\./);
	});

	test('an escalation says a person must act, with the reason it was given', () => {
		const summary = summariseOutcome(escalationResult(tokenRevoked(), 'MercadoPago token revoked: a person must renew it.'));
		expect(summary).toMatchObject({ outcome: 'escalated', failed: true });
		expect(summary.message).toBe('Recovery did not fix it: no automatic action applies to payments (mercadopago) (still down); a person must act. MercadoPago token revoked: a person must renew it.');
	});

	test('a customer-path probe is named in the custom data', () => {
		const result = { ...recovery(evolutionClosed(), { action: 'whatsapp.restore_webhook' }), probe: 'webhook' };
		expect(summariseOutcome(result).customData).toMatchObject({ probe: 'webhook', action: 'whatsapp.restore_webhook', outcome: 'not fixed' });
	});

	test('no recovery at all: not fixed, and the custom data holds only what is known', () => {
		const summary = summariseOutcome(failing());
		expect(summary).toMatchObject({ outcome: 'not fixed', failed: true, message: 'Recovery did not fix it: whatsapp (evolution:ventas) has no recovery result.' });
		expect(Object.keys(summary.customData).sort()).toEqual(['component', 'outcome', 'summary', 'target']);
		expect(summariseOutcome('garbage').customData).toMatchObject({ component: 'unknown component', outcome: 'not fixed' });
	});

	test('custom data values stay within n8n\'s 512 characters and keys within its alphabet', () => {
		const long = 'x'.repeat(2000);
		const summary = summariseOutcome({ ...recovery(evolutionClosed()), target: long });
		for (const [key, value] of Object.entries(summary.customData)) {
			expect(key).toMatch(/^[A-Za-z_]+$/);
			expect(value.length).toBeLessThanOrEqual(512);
		}
		expect(Object.keys(summary.customData).length).toBeLessThanOrEqual(10);
	});
});
