import { createHash } from 'node:crypto';
import {
	UndiagnosableResultError,
	diagnosisFingerprint,
	normaliseCauseMessage,
} from '../../../nodes/LlmDiagnose/diagnosis/fingerprint';
import type { CheckResult } from '../../../nodes/shared/contract';
import { failingResult, healthyResult } from './results';

const fp = (message: string, extra: Parameters<typeof failingResult>[0] = {}) => diagnosisFingerprint(failingResult({ message, ...extra }));

describe('normaliseCauseMessage', () => {
	test.each([
		['Postgres did not answer within 10000 ms.', 'postgres did not answer within <duration>.'],
		['Timed out after 2.5s', 'timed out after <duration>'],
		['failed at 2026-01-15T10:00:00.123Z', 'failed at <time>'],
		['failed at 2026-01-15 10:00:00+02:00 again', 'failed at <time> again'],
		['request 3f2b8c1e-9a7d-4c3b-8e2f-1a2b3c4d5e6f failed', 'request <id> failed'],
		['debug_id 8f3a2c1b9d0e, trace 0xdeadbeef', 'debug_id <id>, trace <id>'],
		['GET https://api.example.com/v1/items?id=42 failed', 'get <url> failed'],
		['HTTP 503 from upstream', 'http <n> from upstream'],
		['  Many\n  spaces\there ', 'many spaces here'],
		['12 products have no image', '<n> products have no image'],
	])('%j → %j', (message, expected) => {
		expect(normaliseCauseMessage(message)).toBe(expected);
	});

	test('keeps the words that say what failed', () => {
		expect(normaliseCauseMessage('Connection refused (is the server running?)')).toBe('connection refused (is the server running?)');
	});
});

describe('diagnosisFingerprint', () => {
	test('is the first 16 hex digits of sha256(component, code, normalised message)', () => {
		const result = failingResult({ component: 'database', code: 'net.timeout', message: 'Postgres did not answer within 10000 ms.' });
		const expected = createHash('sha256')
			.update('database\nnet.timeout\npostgres did not answer within <duration>.')
			.digest('hex')
			.slice(0, 16);
		expect(diagnosisFingerprint(result)).toBe(expected);
		expect(diagnosisFingerprint(result)).toMatch(/^[0-9a-f]{16}$/);
	});

	test.each([
		['a timestamp', 'Instance closed at 2026-01-15T10:00:00Z', 'Instance closed at 2026-03-02T23:59:59.999Z'],
		['a latency', 'No answer within 10000 ms', 'No answer within 2500 ms'],
		['a request id', 'Server error (request req_8f3k2j9x1)', 'Server error (request req_q1w2e3r4t5)'],
		['a uuid', 'Order 3f2b8c1e-9a7d-4c3b-8e2f-1a2b3c4d5e6f has no link', 'Order 00000000-1111-2222-3333-444444444444 has no link'],
		['a url', 'GET https://a.example/x?id=1 failed', 'GET http://b.example:8080/y failed'],
		['a count', '12 products have no image', '3 products have no image'],
		['the case and spacing', 'Connection  refused', 'connection refused'],
	])('two failures that differ only in %s share a fingerprint', (_what, a, b) => {
		expect(fp(a)).toBe(fp(b));
	});

	test('the target is not part of it', () => {
		expect(fp('down', { target: 'postgres:shop' })).toBe(fp('down', { target: 'postgres:other' }));
	});

	test('status and check timing are not part of it', () => {
		expect(fp('slow', { status: 'degraded', at: 1 })).toBe(fp('slow', { status: 'down', at: 99_999_999 }));
	});

	test('different components never share one', () => {
		expect(fp('no answer', { component: 'database' })).not.toBe(fp('no answer', { component: 'payments' }));
	});

	test('different codes never share one', () => {
		expect(fp('no answer', { code: 'net.timeout' })).not.toBe(fp('no answer', { code: 'net.unreachable' }));
	});

	test('different wording is a different failure', () => {
		expect(fp('connection refused')).not.toBe(fp('host not found'));
	});

	test('a healthy result, or an unhealthy one without a cause, cannot be fingerprinted', () => {
		expect(() => diagnosisFingerprint(healthyResult())).toThrow(UndiagnosableResultError);
		const { cause: _cause, ...withoutCause } = failingResult();
		expect(() => diagnosisFingerprint(withoutCause as CheckResult)).toThrow(/carries no cause/);
	});
});
