/**
 * The one rule for the status of a failed call (shared/failureStatus): a rate limit is
 * degraded for every provider; other failures are down unless the caller names causes
 * that still let the bot work. Every classifier follows it; these cases pin that they do.
 */
import { commonCause } from '../../../nodes/shared/causes';
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import { RATE_LIMITED_CODE, statusOfFailure } from '../../../nodes/shared/failureStatus';
import { statusOfCause as mercadoPagoStatus } from '../../../nodes/PaymentLinkTest/providers/mercadopagoClassify';
import { statusOfCause as payPalStatus } from '../../../nodes/PaymentLinkTest/providers/paypalClassify';
import { statusOfCause as cloudApiStatus } from '../../../nodes/WhatsAppProbe/providers/cloudApiClassify';
import { causeOfLlmFailure } from '../../../nodes/LlmDiagnose/providers/checkProvider';

const rateLimited = commonCause('provider.rate_limited', 'X is rate limiting us.');
const serverError = commonCause('provider.server_error', 'X answered 500.');

describe('statusOfFailure', () => {
	test('a rate limit is degraded, whatever the caller adds', () => {
		expect(RATE_LIMITED_CODE).toBe('provider.rate_limited');
		expect(statusOfFailure(rateLimited)).toBe('degraded');
		expect(statusOfFailure(rateLimited, new Set(['provider.bad_request']))).toBe('degraded');
	});

	test('other failures are down unless the caller names them as degrading', () => {
		expect(statusOfFailure(serverError)).toBe('down');
		expect(statusOfFailure({ code: 'provider.bad_request' })).toBe('down');
		expect(statusOfFailure({ code: 'provider.bad_request' }, new Set(['provider.bad_request']))).toBe('degraded');
	});

	test('CheckRecorder.failure records by the rule', () => {
		const result = new CheckRecorder('whatsapp', 't').failure('a', rateLimited).failure('b', serverError).result({});
		expect(result.checks.map((c) => c.status)).toEqual(['degraded', 'down']);
		expect(new CheckRecorder('whatsapp', 't').failure('a', rateLimited, { durationMs: 3 }).result({})).toMatchObject({ status: 'degraded', checks: [{ durationMs: 3 }] });
	});

	test('every provider classifier gives a 429 the same status', () => {
		const statuses = [
			mercadoPagoStatus(rateLimited),
			payPalStatus(rateLimited),
			cloudApiStatus(rateLimited),
			causeOfLlmFailure({ ok: false, kind: 'rate_limited', message: 'Groq is rate limiting us.', latencyMs: 5, rateLimit: {} }).status,
		];
		expect(statuses).toEqual(['degraded', 'degraded', 'degraded', 'degraded']);
		expect([mercadoPagoStatus(serverError), payPalStatus(serverError), cloudApiStatus(serverError)]).toEqual(['down', 'down', 'down']);
	});
});
