/**
 * A status page fixture built the way the Monitor builds it: contract results (checked
 * by the contract validator) go through the real Incident Tracker, a person pauses it,
 * and `openIncidents` gives the view. One component of each page status:
 *
 * | component | target(s)                                   | page status | why                                         |
 * |-----------|---------------------------------------------|-------------|---------------------------------------------|
 * | whatsapp  | evolution:ventas, <script>alert(1)</script> | down        | ventas down 40 min, escalated (needs human) |
 * | database  | postgres:shop                               | healthy     | checked 1 min ago                           |
 * | payments  | mercadopago                                 | degraded    | rate limited for 10 min                     |
 * | llm       | groq                                        | unknown     | last check 25 min ago (stale)               |
 *
 * Cause messages carry planted secrets (FIXTURE_SECRETS) and a raw JSON body; none of
 * that may reach the page.
 */
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { CheckResult, Component } from '../../../nodes/shared/contract';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { openIncidents, pause } from '../../../nodes/shared/incident/controls';
import { createTrackerState } from '../../../nodes/shared/incident/state';
import { trackResults } from '../../../nodes/shared/incident/tracker';
import type { TrackerState } from '../../../nodes/shared/incident/types';
import type { RecoveryLogEntry } from '../../../nodes/RecoveryReport/history/logEntry';
import type { StatusModelInput } from '../../../nodes/RecoveryReport/status/statusModel';
import type { ClosedIncidentSpan, ObservedStatus } from '../../../nodes/RecoveryReport/status/types';

export const SEC = 1_000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const NOW = Date.UTC(2026, 1, 20, 12, 0, 0);

/** Obviously fake secrets planted in cause messages; the page must show none of them. */
export const SECRET_KEY = 'test-secret-not-real-123';
export const DB_URL = 'postgres://u:pw@h/db';
export const FIXTURE_SECRETS = [SECRET_KEY, 'u:pw@'] as const;
export const EVIL_TARGET = '<script>alert(1)</script>';

function checked(result: CheckResult): CheckResult {
	const problems = validateCheckResult(result);
	if (problems.length > 0) throw new Error(`fixture result breaks the contract: ${problems.join('; ')}`);
	return result;
}

function healthy(component: Component, target: string, at: number): CheckResult {
	return checked(new CheckRecorder(component, target, () => at).pass('probe', 'ok', { durationMs: 8 }).result());
}

/** Cause messages as a careless probe might word them: a key, a raw JSON body, a connection string. */
export const WHATSAPP_MESSAGE = `Evolution rejected apikey=${SECRET_KEY} (401): {"error":"Unauthorized","response":{"message":["Invalid key ${SECRET_KEY}"]}}`;
export const PAYMENTS_MESSAGE = `MercadoPago is rate limiting us (429); the order ledger at ${DB_URL} is fine and retries continue with a growing back-off so nothing is lost meanwhile`;

export const whatsappDown = (at: number): CheckResult =>
	checked(
		new CheckRecorder('whatsapp', 'evolution:ventas', () => at)
			.fail('probe', {
				code: 'auth.invalid_credentials',
				message: WHATSAPP_MESSAGE,
				retryable: false,
				needsHuman: true,
			})
			.result(),
	);

export const paymentsDegraded = (at: number): CheckResult =>
	checked(
		new CheckRecorder('payments', 'mercadopago', () => at)
			.degrade('probe', {
				code: 'provider.rate_limited',
				message: PAYMENTS_MESSAGE,
				retryable: true,
				needsHuman: false,
			})
			.result(),
	);

/** The tracker after the failures were confirmed (first failure + re-check 20 s later) and a pause. */
export function fixtureState(): TrackerState {
	let state = createTrackerState();
	const tick = (at: number, results: CheckResult[]) => {
		state = trackResults(state, results, {}, at).state;
	};
	tick(NOW - 40 * MIN, [whatsappDown(NOW - 40 * MIN)]);
	tick(NOW - 40 * MIN + 20 * SEC, [whatsappDown(NOW - 40 * MIN + 20 * SEC)]);
	tick(NOW - 10 * MIN, [paymentsDegraded(NOW - 10 * MIN)]);
	tick(NOW - 10 * MIN + 20 * SEC, [paymentsDegraded(NOW - 10 * MIN + 20 * SEC), healthy('database', 'postgres:shop', NOW - 10 * MIN + 20 * SEC)]);
	const paused = pause(state, NOW + 45 * MIN, 'Mudanza del servidor', NOW - 5 * MIN, 'ana');
	// The tracker redacts by shape when it stores a cause; the page must not rely on it
	// (state read back from storage may come from anywhere), so the raw messages go back in.
	paused.incidents['whatsapp:evolution:ventas'].cause.message = WHATSAPP_MESSAGE;
	paused.incidents['payments:mercadopago'].cause.message = PAYMENTS_MESSAGE;
	return paused;
}

export function fixtureObserved(): ObservedStatus[] {
	return [
		{ component: 'whatsapp', target: 'evolution:ventas', status: 'down', at: NOW - MIN },
		{ component: 'whatsapp', target: EVIL_TARGET, status: 'healthy', at: NOW - MIN },
		{ component: 'database', target: 'postgres:shop', status: 'healthy', at: NOW - MIN },
		{ component: 'payments', target: 'mercadopago', status: 'degraded', at: NOW - MIN },
		{ component: 'llm', target: 'groq', status: 'healthy', at: NOW - 25 * MIN },
	];
}

export function fixtureClosed(): ClosedIncidentSpan[] {
	return [
		// 2 h down yesterday evening: in the 24 h and the 7 d window.
		{ key: 'whatsapp:evolution:ventas', component: 'whatsapp', target: 'evolution:ventas', openedAt: NOW - 5 * HOUR, resolvedAt: NOW - 3 * HOUR, worstStatus: 'down' },
		// Degraded 30 min three days ago: only in the 7 d window.
		{ key: 'payments:mercadopago', component: 'payments', target: 'mercadopago', openedAt: NOW - 3 * DAY, resolvedAt: NOW - 3 * DAY + 30 * MIN, worstStatus: 'degraded' },
	];
}

export function logEntry(overrides: Partial<RecoveryLogEntry>): RecoveryLogEntry {
	return {
		timestamp: new Date(NOW - HOUR).toISOString(),
		component: 'whatsapp',
		target: 'evolution:ventas',
		error: '',
		diagnosis: null,
		action: 'whatsapp.reconnect',
		success: true,
		dryRun: false,
		outcome: 'fixed',
		notNeeded: false,
		manual: false,
		forced: false,
		automatic: true,
		escalated: false,
		durationMs: 30 * SEC,
		detectMs: 60 * SEC,
		recoverMs: 90 * SEC,
		executionId: '1001',
		executionUrl: 'https://n8n.example.test/workflow/arRecover0000001/executions/1001',
		...overrides,
	};
}

export function fixtureRecoveries(): RecoveryLogEntry[] {
	return [
		logEntry({ timestamp: new Date(NOW - 3 * HOUR).toISOString(), executionId: '1001' }),
		logEntry({
			timestamp: new Date(NOW - 38 * MIN).toISOString(),
			action: 'notify.escalate',
			success: false,
			escalated: true,
			recoverMs: null,
			durationMs: 2 * SEC,
			executionId: '1002',
			executionUrl: 'https://n8n.example.test/workflow/arRecover0000001/executions/1002',
		}),
		logEntry({
			timestamp: new Date(NOW - 20 * MIN).toISOString(),
			component: 'payments',
			target: 'mercadopago',
			action: 'payments.use_fallback',
			success: false,
			dryRun: true,
			manual: true,
			automatic: false,
			executionId: '1003',
			executionUrl: 'javascript:alert(1)',
		}),
		logEntry({ timestamp: new Date(NOW - 2 * DAY).toISOString(), component: null, target: null, action: null, success: false, durationMs: null, executionId: '1000', executionUrl: null }),
	];
}

export function fixtureInput(language: 'es' | 'en' = 'es'): StatusModelInput {
	const state = fixtureState();
	return {
		now: NOW,
		language,
		observed: fixtureObserved(),
		status: openIncidents(state, NOW),
		closed: fixtureClosed(),
		trackingSince: NOW - 3 * DAY - HOUR,
		recoveries: fixtureRecoveries(),
		timezone: 'Europe/Madrid',
		secrets: [SECRET_KEY],
	};
}
