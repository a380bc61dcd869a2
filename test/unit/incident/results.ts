/** Contract results for the Incident Tracker tests, built the way the probes build them. */
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { ActionId, Cause, CheckResult, Component, RecoveryResult } from '../../../nodes/shared/contract';

export const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
export const SEC = 1_000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;

export interface FailOptions {
	component?: Component;
	target?: string;
	code?: string;
	message?: string;
	status?: 'degraded' | 'down';
	needsHuman?: boolean;
}

export function failing(options: FailOptions = {}): CheckResult {
	const code = options.code ?? 'whatsapp.disconnected';
	const cause: Cause = {
		code,
		message: options.message ?? `The probe failed with ${code}.`,
		retryable: !(options.needsHuman ?? false),
		needsHuman: options.needsHuman ?? false,
	};
	const recorder = new CheckRecorder(options.component ?? 'whatsapp', options.target ?? 'evolution:ventas', () => T0);
	recorder.pass('config', 'parameters are valid');
	if (options.status === 'degraded') recorder.degrade('probe', cause, { durationMs: 12 });
	else recorder.fail('probe', cause, { durationMs: 12 });
	return recorder.result();
}

export function healthy(component: Component = 'whatsapp', target = 'evolution:ventas'): CheckResult {
	return new CheckRecorder(component, target, () => T0).pass('probe', 'ok', { durationMs: 8 }).result();
}

/** The Evolution instance is closed (the tracker's main scenario). */
export const evolutionClosed = (target = 'evolution:ventas'): CheckResult =>
	failing({ target, code: 'whatsapp.disconnected', message: `Evolution instance "${target.split(':')[1]}" is disconnected from WhatsApp (state close).` });

export const qrRequired = (): CheckResult =>
	failing({ code: 'whatsapp.qr_required', status: 'degraded', needsHuman: true, message: 'Evolution instance "ventas" is waiting for a QR scan.' });

export const tokenRevoked = (): CheckResult =>
	failing({ component: 'payments', target: 'mercadopago', code: 'auth.invalid_credentials', needsHuman: true, message: 'MercadoPago rejected the access token (401): it was revoked or is wrong.' });

export const netDown = (component: Component, target: string, code = 'net.timeout'): CheckResult =>
	failing({ component, target, code, message: `${target} did not answer within 10000 ms.` });

export interface RecoveryOptions {
	action?: ActionId;
	attempted?: boolean;
	artifacts?: string[];
	dryRun?: boolean;
}

/** The contract recovery result: the re-check after the action plus what was done. */
export function recovery(after: CheckResult, options: RecoveryOptions = {}): RecoveryResult {
	const action = options.action ?? 'whatsapp.reconnect';
	const attempted = options.attempted ?? action !== 'notify.escalate';
	const dryRun = options.dryRun === true;
	return {
		...after,
		recovery: {
			action,
			attempted,
			success: attempted && !dryRun && after.status === 'healthy',
			...(dryRun ? { dryRun } : {}),
			before: 'down',
			after: after.status,
			steps: [
				{ action, ok: after.status === 'healthy', message: `${action} ${attempted ? 'ran' : 'not run'}`, durationMs: 900 },
				{ action: 'check', ok: after.status === 'healthy', message: `re-check: ${after.status}`, durationMs: 40 },
			],
			...(options.artifacts ? { artifacts: options.artifacts } : {}),
		},
	};
}
