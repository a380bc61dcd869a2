import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { Cause, CheckResult } from '../../../nodes/shared/contract';
import type { HttpFailure } from '../../../nodes/shared/http';
import { validateCheckResult } from '../../../nodes/shared/validate';
import {
	causeOfSessionFailure,
	causeOfSessionRouteFailure,
	classifyWahaSession,
	isPng,
	isSessionNotRunningReply,
	pairingCodeOf,
	parseStatusNotExpected,
	parseWahaSessionInfo,
	planWahaRecovery,
	qrPngFromReply,
	qrRawValue,
	wahaAckName,
	wahaChatId,
	wahaDetails,
	wahaMessageId,
} from '../../../nodes/WhatsAppProbe/providers/wahaClassify';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR…')]);
const NOT_EXPECTED = 'Session status is not as expected. Try again later or restart the session';

function failure(status: number | undefined, data: unknown, kind: HttpFailure['kind'] = 'client_error'): HttpFailure {
	return { ok: false, kind, status, data, durationMs: 3, retryAfterMs: null, message: `POST waha answered HTTP ${status ?? '-'}` };
}

/** A result as the gateway builds it: one session check plus the session status in details. */
function stateWith(sessionStatus: string | null, cause?: Cause): CheckResult {
	const recorder = new CheckRecorder('whatsapp', 'waha:default');
	if (cause) recorder.fail('session', cause);
	else recorder.pass('session', 'ok');
	const result = recorder.result({ session: 'default', status: sessionStatus, engine: null, me: null });
	expect(validateCheckResult(result)).toEqual([]);
	return result;
}

describe('classifyWahaSession', () => {
	test.each([
		['WORKING', 'healthy', undefined, undefined],
		['STARTING', 'degraded', 'whatsapp.starting', { retryable: true, needsHuman: false }],
		['SCAN_QR_CODE', 'down', 'whatsapp.qr_required', { retryable: false, needsHuman: true }],
		['FAILED', 'down', 'whatsapp.disconnected', { retryable: false, needsHuman: false }],
		['STOPPED', 'down', 'whatsapp.disconnected', { retryable: false, needsHuman: false }],
		['HIBERNATING', 'down', 'whatsapp.unknown_status', { retryable: false, needsHuman: true }],
	])('%s → %s %s', (sessionStatus, status, code, flags) => {
		const verdict = classifyWahaSession(sessionStatus, 'ventas');
		expect(verdict.status).toBe(status);
		expect(verdict.message).toContain("'ventas'");
		if (code === undefined) {
			expect(verdict.cause).toBeUndefined();
		} else {
			expect(verdict.cause).toMatchObject({ code, ...flags, message: verdict.message });
		}
	});

	test('is deterministic', () => {
		expect(classifyWahaSession('FAILED', 'a')).toEqual(classifyWahaSession('FAILED', 'a'));
	});
});

describe('parseWahaSessionInfo', () => {
	test('a current SessionInfo: engine object, me with lid/jid trimmed to id and pushName', () => {
		const info = parseWahaSessionInfo({
			name: 'default',
			status: 'WORKING',
			config: { webhooks: [{ url: 'https://hook', customHeaders: [{ name: 'X-Api-Key', value: 'hook-secret' }] }] },
			me: { id: '11111111111@c.us', pushName: 'Shop', lid: '1@lid', jid: '1:12@s.whatsapp.net' },
			engine: { engine: 'NOWEB', state: 'CONNECTED' },
		});
		expect(info).toEqual({ name: 'default', status: 'WORKING', engine: 'NOWEB', me: { id: '11111111111@c.us', pushName: 'Shop' } });
		// The config (which may hold webhook secrets) never reaches the details.
		expect(JSON.stringify(wahaDetails('default', info))).not.toContain('hook-secret');
	});

	test('an older SessionInfo: engine string, me null', () => {
		expect(parseWahaSessionInfo({ name: 'x', status: 'SCAN_QR_CODE', me: null, engine: 'WEBJS' })).toEqual({
			name: 'x',
			status: 'SCAN_QR_CODE',
			engine: 'WEBJS',
			me: null,
		});
	});

	test.each([[null], ['text'], [[]], [{}], [{ status: '' }], [{ status: 3 }]])('not a SessionInfo: %j → null', (data) => {
		expect(parseWahaSessionInfo(data)).toBeNull();
	});

	test('wahaDetails without info keeps the session name and nulls', () => {
		expect(wahaDetails('default', null)).toEqual({ session: 'default', status: null, engine: null, me: null });
	});
});

describe('error bodies', () => {
	const body422 = { error: NOT_EXPECTED, session: 'default', status: 'SCAN_QR_CODE', expected: ['WORKING'] };
	const notRunning = {
		message: "We didn't find a session with name 'default'.\nPlease start it first by using POST /api/sessions/default/start request",
		error: 'Not Found',
		statusCode: 404,
	};

	test('parseStatusNotExpected reads the 422 body, and nothing else', () => {
		expect(parseStatusNotExpected(body422)).toEqual({ status: 'SCAN_QR_CODE', expected: ['WORKING'] });
		expect(parseStatusNotExpected({ message: 'x', statusCode: 422 })).toBeNull();
		expect(parseStatusNotExpected('422')).toBeNull();
	});

	test('isSessionNotRunningReply tells the running-session 404 from "Session not found"', () => {
		expect(isSessionNotRunningReply(404, notRunning)).toBe(true);
		expect(isSessionNotRunningReply(404, { message: 'Session not found', statusCode: 404 })).toBe(false);
		expect(isSessionNotRunningReply(400, notRunning)).toBe(false);
	});

	test('a 404 on the session info means an unknown session; other failures use the shared mapping', () => {
		expect(causeOfSessionFailure(failure(404, { message: 'Session not found' }), 'ventas')).toMatchObject({
			code: 'config.unknown_session',
			retryable: false,
			needsHuman: true,
			message: expect.stringContaining("'ventas'"),
		});
		expect(causeOfSessionFailure(failure(401, {}, 'auth'), 'ventas')).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		expect(causeOfSessionFailure(failure(undefined, undefined, 'timeout'), 'ventas').code).toBe('net.timeout');
		expect(causeOfSessionFailure(failure(503, {}, 'server_error'), 'ventas').code).toBe('provider.server_error');
	});

	test('a session route 422 is classified by the status it names', () => {
		expect(causeOfSessionRouteFailure(failure(422, body422), 'default')).toEqual({
			cause: expect.objectContaining({ code: 'whatsapp.qr_required' }),
			sessionStatus: 'SCAN_QR_CODE',
		});
		expect(causeOfSessionRouteFailure(failure(422, { ...body422, status: 'FAILED' }), 'default').cause.code).toBe('whatsapp.disconnected');
	});

	test('a session route 404 "not running" is disconnected; others fall back to the shared mapping', () => {
		expect(causeOfSessionRouteFailure(failure(404, notRunning), 'default')).toEqual({
			cause: expect.objectContaining({ code: 'whatsapp.disconnected' }),
			sessionStatus: null,
		});
		expect(causeOfSessionRouteFailure(failure(400, { message: ['chatId must be a string'] }), 'default').cause.code).toBe('provider.bad_request');
		expect(causeOfSessionRouteFailure(failure(429, {}, 'rate_limited'), 'default').cause.code).toBe('provider.rate_limited');
		// A 422 that names WORKING (nothing wrong with the session) is a plain rejected request.
		expect(causeOfSessionRouteFailure(failure(422, { ...body422, status: 'WORKING' }), 'default')).toEqual({
			cause: expect.objectContaining({ code: 'provider.bad_request' }),
			sessionStatus: 'WORKING',
		});
	});
});

describe('messages', () => {
	test.each([
		['5215598765432', '5215598765432@c.us'],
		['+52 1 55 9876-5432', '5215598765432@c.us'],
		['5215598765432@c.us', '5215598765432@c.us'],
		['120363025246125486@g.us', '120363025246125486@g.us'],
		['', null],
		['abc', null],
		['12', null],
	])('wahaChatId(%j) → %j', (to, chatId) => {
		expect(wahaChatId(to)).toBe(chatId);
	});

	test('wahaMessageId reads every engine shape, serialized first', () => {
		expect(wahaMessageId({ id: { fromMe: true, id: '3EB0AA', _serialized: 'true_1@c.us_3EB0AA' } })).toBe('true_1@c.us_3EB0AA');
		expect(wahaMessageId({ id: { id: '3EB0AA' } })).toBe('3EB0AA');
		expect(wahaMessageId({ key: { remoteJid: '1@s.whatsapp.net', id: 'BAE5F1' } })).toBe('BAE5F1');
		expect(wahaMessageId({ id: 'gows-1' })).toBe('gows-1');
		expect(wahaMessageId({ ack: 0 })).toBeNull();
		expect(wahaMessageId(null)).toBeNull();
	});

	test('wahaAckName names the ack level, prefers ackName', () => {
		expect(wahaAckName({ ack: 0 })).toBe('PENDING');
		expect(wahaAckName({ ack: 1 })).toBe('SERVER');
		expect(wahaAckName({ ack: -1 })).toBe('ERROR');
		expect(wahaAckName({ ack: 1, ackName: 'SERVER_ACK' })).toBe('SERVER_ACK');
		expect(wahaAckName({})).toBeUndefined();
	});
});

describe('QR replies', () => {
	test('raw PNG bytes are taken as they are', () => {
		expect(isPng(PNG)).toBe(true);
		expect(qrPngFromReply('image/png', PNG)).toBe(PNG);
	});

	test('a {mimetype,data} JSON reply is decoded', () => {
		const json = Buffer.from(JSON.stringify({ mimetype: 'image/png', data: PNG.toString('base64') }));
		expect(qrPngFromReply('application/json; charset=utf-8', json)).toEqual(PNG);
	});

	test('anything else is not a QR', () => {
		expect(qrPngFromReply('image/png', Buffer.from('not a png'))).toBeNull();
		expect(qrPngFromReply('application/json', Buffer.from('{"data":"aGVsbG8="}'))).toBeNull();
		expect(qrPngFromReply('application/json', Buffer.from('{"trunc'))).toBeNull();
		expect(isPng(Buffer.alloc(0))).toBe(false);
	});

	test('raw value and pairing code', () => {
		expect(qrRawValue({ value: '2@abc' })).toBe('2@abc');
		expect(qrRawValue({})).toBeUndefined();
		expect(pairingCodeOf({ code: 'ABCD-EFGH' })).toBe('ABCD-EFGH');
		expect(pairingCodeOf({ code: '' })).toBeUndefined();
	});
});

describe('planWahaRecovery', () => {
	const cause = (code: string, needsHuman = false): Cause => ({ code, message: code, retryable: !needsHuman, needsHuman });

	test('healthy: nothing to do', () => {
		expect(planWahaRecovery(stateWith('WORKING'))).toEqual({ kind: 'none' });
	});

	test('by session status', () => {
		expect(planWahaRecovery(stateWith('SCAN_QR_CODE', cause('whatsapp.qr_required', true)))).toEqual({ kind: 'show_qr' });
		expect(planWahaRecovery(stateWith('STOPPED', cause('whatsapp.disconnected')))).toEqual({ kind: 'reconnect', via: 'start' });
		expect(planWahaRecovery(stateWith('FAILED', cause('whatsapp.disconnected')))).toEqual({ kind: 'reconnect', via: 'restart' });
		expect(planWahaRecovery(stateWith('STARTING', cause('whatsapp.starting')))).toEqual({ kind: 'reconnect', via: 'restart' });
	});

	test.each(['net.timeout', 'net.unreachable', 'net.reset', 'provider.server_error', 'provider.malformed_response'])(
		'no status known, %s → restart',
		(code) => {
			expect(planWahaRecovery(stateWith(null, cause(code)))).toEqual({ kind: 'reconnect', via: 'restart' });
		},
	);

	test('a WORKING session whose round trip hit a server error is restarted', () => {
		expect(planWahaRecovery(stateWith('WORKING', cause('provider.server_error')))).toEqual({ kind: 'reconnect', via: 'restart' });
	});

	test.each([
		['auth.invalid_credentials', null],
		['auth.forbidden', null],
		['config.unknown_session', null],
		['provider.rate_limited', null],
		['provider.not_found', null],
		['whatsapp.unknown_status', 'HIBERNATING'],
		// Even with a known status, a bad key is a person's job first.
		['auth.invalid_credentials', 'FAILED'],
	])('%s (status %s) → none: escalate', (code, sessionStatus) => {
		expect(planWahaRecovery(stateWith(sessionStatus, cause(code, true)))).toEqual({ kind: 'none' });
	});
});
