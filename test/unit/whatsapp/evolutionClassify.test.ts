import { CAUSE_CODE_PATTERN } from '../../../nodes/shared/contract';
import type { HttpFailure } from '../../../nodes/shared/http';
import {
	EVOLUTION_CAUSES,
	awaitingScan,
	evolutionCause,
	classifyEvolutionFailure,
	classifyEvolutionState,
	defaultImageFileName,
	evolutionErrorMessages,
	isConnectionClosedReply,
	isEvolutionErrorBody,
	isMissingRouteReply,
	isNotConnectedReply,
	isUnknownInstanceReply,
	normaliseRecipient,
	numbersNotOnWhatsApp,
	parseEvolutionQr,
	parseSentMessage,
	pngFromDataUri,
	stateLabel,
	stateVerdict,
} from '../../../nodes/WhatsAppProbe/providers/evolutionClassify';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-and-the-rest')]);
const PNG_URI = `data:image/png;base64,${PNG.toString('base64')}`;

const envelope = (status: number, message: unknown) => ({ status, error: 'x', response: { message } });

function failure(status: number | undefined, data: unknown, kind: HttpFailure['kind'] = 'client_error'): HttpFailure {
	return { ok: false, kind, status, data, durationMs: 5, retryAfterMs: null, message: `answered ${status}` };
}

describe('EVOLUTION_CAUSES', () => {
	test('every code is a stable dotted id', () => {
		for (const code of Object.keys(EVOLUTION_CAUSES)) expect(code).toMatch(CAUSE_CODE_PATTERN);
	});
});

describe('classifyEvolutionState', () => {
	test.each(['open', 'connecting', 'close'] as const)('reads state %s', (state) => {
		expect(classifyEvolutionState({ instance: { instanceName: 'ventas', state } })).toEqual({ kind: 'state', state });
	});

	test('a missing or null state means the instance is not loaded in memory', () => {
		expect(classifyEvolutionState({ instance: { instanceName: 'ventas' } })).toEqual({ kind: 'not_loaded' });
		expect(classifyEvolutionState({ instance: { instanceName: 'ventas', state: null } })).toEqual({ kind: 'not_loaded' });
	});

	test('refused and unknown strings are told apart', () => {
		expect(classifyEvolutionState({ instance: { state: 'refused' } })).toEqual({ kind: 'refused' });
		expect(classifyEvolutionState({ instance: { state: 'zombie' } })).toEqual({ kind: 'unknown_state', state: 'zombie' });
	});

	test('the 200 error:true quirk and unreadable bodies', () => {
		expect(classifyEvolutionState({ error: true, message: '[object Object]' })).toEqual({ kind: 'error', message: '[object Object]' });
		expect(classifyEvolutionState({ error: true })).toEqual({ kind: 'error', message: 'no message' });
		for (const body of [null, 'text', [], {}, { instance: 'ventas' }, { instance: { state: 3 } }]) {
			expect(classifyEvolutionState(body)).toEqual({ kind: 'unrecognised' });
		}
	});
});

describe('stateVerdict', () => {
	test('open is healthy with no cause', () => {
		const verdict = stateVerdict({ kind: 'state', state: 'open' }, 'ventas');
		expect(verdict.status).toBe('healthy');
		expect(verdict.cause).toBeUndefined();
	});

	test('close is down whatsapp.disconnected, fixable without a person', () => {
		expect(stateVerdict({ kind: 'state', state: 'close' }, 'ventas')).toMatchObject({
			status: 'down',
			cause: { code: 'whatsapp.disconnected', retryable: false, needsHuman: false },
		});
	});

	test('connecting: qr_required (a person must scan) when a QR is pending, whatsapp.connecting otherwise', () => {
		expect(stateVerdict({ kind: 'state', state: 'connecting' }, 'ventas', true)).toMatchObject({
			status: 'degraded',
			cause: { code: 'whatsapp.qr_required', needsHuman: true },
		});
		for (const pending of [false, undefined]) {
			expect(stateVerdict({ kind: 'state', state: 'connecting' }, 'ventas', pending)).toMatchObject({
				status: 'degraded',
				cause: { code: 'whatsapp.connecting', retryable: true, needsHuman: false },
			});
		}
	});

	test('not loaded, refused, unknown, quirk and unreadable are down with their own codes', () => {
		const code = (reading: Parameters<typeof stateVerdict>[0]) => stateVerdict(reading, 'ventas').cause?.code;
		expect(code({ kind: 'not_loaded' })).toBe('whatsapp.instance_not_loaded');
		expect(code({ kind: 'error', message: '[object Object]' })).toBe('whatsapp.instance_not_loaded');
		expect(code({ kind: 'refused' })).toBe('whatsapp.qr_limit_reached');
		expect(code({ kind: 'unknown_state', state: 'zombie' })).toBe('whatsapp.unknown_state');
		expect(code({ kind: 'unrecognised' })).toBe('provider.malformed_response');
		for (const reading of [{ kind: 'not_loaded' }, { kind: 'refused' }, { kind: 'unrecognised' }] as const) {
			expect(stateVerdict(reading, 'ventas').status).toBe('down');
		}
	});

	test('the message names the instance and equals the cause message', () => {
		const verdict = stateVerdict({ kind: 'state', state: 'close' }, 'ventas');
		expect(verdict.message).toBe(verdict.cause?.message);
		expect(verdict.message).toContain('"ventas"');
	});
});

describe('stateLabel', () => {
	test('gives the state, a stand-in, or null when there was none', () => {
		expect(stateLabel({ kind: 'state', state: 'connecting' })).toBe('connecting');
		expect(stateLabel({ kind: 'not_loaded' })).toBe('not_loaded');
		expect(stateLabel({ kind: 'refused' })).toBe('refused');
		expect(stateLabel({ kind: 'unknown_state', state: 'zombie' })).toBe('zombie');
		expect(stateLabel({ kind: 'error', message: 'x' })).toBeNull();
		expect(stateLabel({ kind: 'unrecognised' })).toBeNull();
	});
});

describe('error bodies', () => {
	test('isEvolutionErrorBody is the 200 error:true quirk only, not the envelope or logout success', () => {
		expect(isEvolutionErrorBody({ error: true, message: '[object Object]' })).toBe(true);
		expect(isEvolutionErrorBody(envelope(401, 'Unauthorized'))).toBe(false);
		expect(isEvolutionErrorBody({ status: 'SUCCESS', error: false })).toBe(false);
		expect(isEvolutionErrorBody(null)).toBe(false);
		expect(isEvolutionErrorBody([{ error: true }])).toBe(false);
	});

	test('evolutionErrorMessages flattens string, array and object messages', () => {
		expect(evolutionErrorMessages(envelope(401, 'Unauthorized'))).toEqual(['Unauthorized']);
		expect(evolutionErrorMessages(envelope(400, ['a', 'b']))).toEqual(['a', 'b']);
		expect(evolutionErrorMessages(envelope(400, [{ exists: false }]))).toEqual(['{"exists":false}']);
		expect(evolutionErrorMessages({ message: 'top level' })).toEqual(['top level']);
		expect(evolutionErrorMessages('plain text')).toEqual(['plain text']);
		expect(evolutionErrorMessages(undefined)).toEqual([]);
		expect(evolutionErrorMessages({ response: {} })).toEqual([]);
	});

	test('unknown instance vs unknown route', () => {
		const unknownInstance = envelope(404, ['The "soporte" instance does not exist']);
		const unknownRoute = envelope(404, ['Cannot POST /instance/restart/ventas']);
		expect(isUnknownInstanceReply(404, unknownInstance)).toBe(true);
		expect(isUnknownInstanceReply(404, unknownRoute)).toBe(false);
		expect(isMissingRouteReply(404, unknownRoute)).toBe(true);
		expect(isMissingRouteReply(404, unknownInstance)).toBe(false);
		expect(isMissingRouteReply(405, undefined)).toBe(true);
		expect(isMissingRouteReply(500, unknownRoute)).toBe(false);
	});

	test('not connected (logout), Connection Closed (send), numbers not on WhatsApp', () => {
		expect(isNotConnectedReply(400, envelope(400, ['The "ventas" instance is not connected']))).toBe(true);
		expect(isNotConnectedReply(500, envelope(500, 'not connected'))).toBe(false);
		expect(isConnectionClosedReply(500, envelope(500, 'Connection Closed'))).toBe(true);
		expect(isConnectionClosedReply(400, envelope(400, 'Connection Closed'))).toBe(false);
		expect(isConnectionClosedReply(undefined, undefined)).toBe(false);
		const notOnWhatsApp = envelope(400, [{ jid: '5215500000000@s.whatsapp.net', exists: false, number: '5215500000000' }]);
		expect(numbersNotOnWhatsApp(400, notOnWhatsApp)).toEqual(['5215500000000']);
		expect(numbersNotOnWhatsApp(400, envelope(400, [{ jid: '551100@s.whatsapp.net', exists: false }]))).toEqual(['551100']);
		expect(numbersNotOnWhatsApp(400, envelope(400, [{ jid: 'x@s.whatsapp.net', exists: true }]))).toEqual([]);
		expect(numbersNotOnWhatsApp(400, envelope(400, ['Text is required']))).toEqual([]);
		expect(numbersNotOnWhatsApp(500, notOnWhatsApp)).toEqual([]);
	});
});

describe('classifyEvolutionFailure', () => {
	test('Evolution readings come before the shared mapping', () => {
		expect(classifyEvolutionFailure(failure(404, envelope(404, ['The "x" instance does not exist'])), 'x')).toMatchObject({
			code: 'config.unknown_instance',
			needsHuman: true,
			retryable: false,
		});
		expect(classifyEvolutionFailure(failure(500, envelope(500, 'Connection Closed'), 'server_error'), 'x').code).toBe('whatsapp.disconnected');
		const notOnWhatsApp = envelope(400, [{ jid: '5215500000000@s.whatsapp.net', exists: false, number: '5215500000000' }]);
		const recipient = classifyEvolutionFailure(failure(400, notOnWhatsApp), 'x');
		expect(recipient.code).toBe('whatsapp.recipient_not_on_whatsapp');
		expect(recipient.message).toContain('5215500000000');
	});

	test('everything else maps through the shared helper', () => {
		expect(classifyEvolutionFailure(failure(401, envelope(401, 'Unauthorized'), 'auth'), 'x')).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		expect(classifyEvolutionFailure(failure(404, envelope(404, ['Cannot GET /x'])), 'x').code).toBe('provider.not_found');
		expect(classifyEvolutionFailure(failure(429, envelope(429, 'Too Many Requests'), 'rate_limited'), 'x').code).toBe('provider.rate_limited');
		expect(classifyEvolutionFailure(failure(503, envelope(503, 'Service Unavailable'), 'server_error'), 'x').code).toBe('provider.server_error');
		expect(classifyEvolutionFailure(failure(400, envelope(400, ['Text is required'])), 'x').code).toBe('provider.bad_request');
		expect(classifyEvolutionFailure(failure(undefined, undefined, 'timeout'), 'x').code).toBe('net.timeout');
		expect(classifyEvolutionFailure(failure(undefined, undefined, 'reset'), 'x').code).toBe('net.reset');
		expect(classifyEvolutionFailure(failure(200, '{"trunc', 'malformed'), 'x').code).toBe('provider.malformed_response');
	});
});

describe('pngFromDataUri', () => {
	test('decodes a PNG data URI or bare base64 PNG', () => {
		expect(pngFromDataUri(PNG_URI)).toEqual(PNG);
		expect(pngFromDataUri(PNG.toString('base64'))).toEqual(PNG);
	});

	test('refuses anything that is not PNG bytes', () => {
		expect(pngFromDataUri(`data:image/png;base64,${Buffer.from('GIF89a-not-a-png').toString('base64')}`)).toBeUndefined();
		expect(pngFromDataUri('data:image/png;base64,')).toBeUndefined();
		expect(pngFromDataUri('data:image/png;base64,%%%')).toBeUndefined();
		expect(pngFromDataUri(42)).toBeUndefined();
		expect(pngFromDataUri(undefined)).toBeUndefined();
	});
});

describe('parseEvolutionQr', () => {
	test('a QR object gives PNG bytes, the raw code and the pairing code', () => {
		expect(parseEvolutionQr({ pairingCode: 'WZYEH1YY', code: '2@abc', base64: PNG_URI, count: 2 })).toEqual({
			kind: 'qr',
			qr: { png: PNG, code: '2@abc', pairingCode: 'WZYEH1YY' },
			count: 2,
		});
		expect(parseEvolutionQr({ pairingCode: null, code: '2@abc', base64: PNG_URI, count: 1 })).toEqual({
			kind: 'qr',
			qr: { png: PNG, code: '2@abc' },
			count: 1,
		});
	});

	test('a QR with an undecodable image still gives the code', () => {
		expect(parseEvolutionQr({ code: '2@abc', base64: 'data:image/png;base64,bm90LWEtcG5n' })).toEqual({
			kind: 'qr',
			qr: { code: '2@abc' },
			count: 1,
		});
	});

	test('{"count":0} is not ready (issue #2385)', () => {
		expect(parseEvolutionQr({ count: 0 })).toEqual({ kind: 'not_ready' });
	});

	test('an open instance answers with its state; the quirk and junk are told apart', () => {
		expect(parseEvolutionQr({ instance: { instanceName: 'ventas', state: 'open' } })).toEqual({
			kind: 'state',
			reading: { kind: 'state', state: 'open' },
		});
		expect(parseEvolutionQr({ error: true, message: '[object Object]' })).toEqual({ kind: 'error', message: '[object Object]' });
		expect(parseEvolutionQr({})).toEqual({ kind: 'unrecognised' });
		expect(parseEvolutionQr('<html>')).toEqual({ kind: 'unrecognised' });
	});
});

describe('sent messages and request helpers', () => {
	test('parseSentMessage reads the key id and status of a messageRaw', () => {
		expect(parseSentMessage({ key: { remoteJid: '5215598765432@s.whatsapp.net', fromMe: true, id: '3EB0AB' }, status: 'PENDING' })).toEqual({
			messageId: '3EB0AB',
			status: 'PENDING',
			remoteJid: '5215598765432@s.whatsapp.net',
		});
		expect(parseSentMessage({ key: { id: '3EB0AB' } })).toEqual({ messageId: '3EB0AB' });
		for (const body of [null, {}, { key: {} }, { key: { id: '' } }, { key: { id: 5 } }]) expect(parseSentMessage(body)).toBeUndefined();
	});

	test('normaliseRecipient keeps digits, or a JID whole', () => {
		expect(normaliseRecipient('+52 1 55-9876-5432')).toBe('5215598765432');
		expect(normaliseRecipient(' 120363025@g.us ')).toBe('120363025@g.us');
	});

	test('defaultImageFileName follows the MIME type', () => {
		expect(defaultImageFileName('image/png')).toBe('image.png');
		expect(defaultImageFileName('IMAGE/JPEG')).toBe('image.jpg');
		expect(defaultImageFileName('image/x-unknown')).toBe('image.bin');
	});
});

describe('awaitingScan: after a recovery issued a QR, connecting means waiting for a person', () => {
	const connecting = {
		component: 'whatsapp',
		target: 'evolution:ventas',
		status: 'degraded' as const,
		cause: evolutionCause('whatsapp.connecting', 'Evolution instance "ventas" is connecting to WhatsApp.'),
		checks: [
			{ name: 'liveness', status: 'healthy' as const, message: 'Evolution API answers GET /.' },
			{ name: 'connectionState', status: 'degraded' as const, message: 'connecting', code: 'whatsapp.connecting' },
		],
		details: { instance: 'ventas', state: 'connecting' },
	};

	test('the cause and its check become qr_required, a job for a person, naming the instance', () => {
		const result = awaitingScan(connecting, 'ventas');
		expect(result.cause).toMatchObject({ code: 'whatsapp.qr_required', needsHuman: true, retryable: false });
		expect(result.cause?.message).toContain('"ventas"');
		expect(result.cause?.message).toMatch(/scan/);
		expect(result.checks[1]).toMatchObject({ code: 'whatsapp.qr_required', message: result.cause?.message, status: 'degraded' });
		expect(result.checks[0]).toEqual(connecting.checks[0]);
		expect(result.status).toBe('degraded');
		expect(result.details).toEqual({ instance: 'ventas', state: 'connecting', qrPending: true });
	});

	test('any other state is left as it is (open, closed, refused)', () => {
		const open = { ...connecting, status: 'healthy' as const, cause: undefined, checks: [connecting.checks[0]] };
		expect(awaitingScan(open, 'ventas')).toBe(open);
		const refused = { ...connecting, status: 'down' as const, cause: evolutionCause('whatsapp.qr_limit_reached', 'refused') };
		expect(awaitingScan(refused, 'ventas')).toBe(refused);
	});
});
