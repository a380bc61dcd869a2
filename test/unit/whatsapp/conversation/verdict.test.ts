import { CONVERSATION_CAUSES, SESSION_RESTART_MAY_FIX } from '../../../../nodes/WhatsAppProbe/conversation/causes';
import {
	DEFAULT_REPLY_TIMEOUT_MS,
	DEFAULT_SLOW_REPLY_MS,
	canaryWorks,
	conversationVerdict,
	resolveConversationTiming,
	type ConversationObservations,
} from '../../../../nodes/WhatsAppProbe/conversation/verdict';
import { CAUSE_CODE_PATTERN } from '../../../../nodes/shared/contract';
import { OptionError } from '../../../../nodes/shared/optionError';
import { validateCheckResult } from '../../../../nodes/shared/validate';

const T0 = Date.UTC(2026, 9, 1, 12, 0, 0);

function run(extra: Partial<ConversationObservations> = {}): ConversationObservations {
	return {
		botTarget: 'evolution:ventas',
		canaryTarget: 'evolution:canary',
		startedAt: T0,
		finishedAt: T0 + 8000,
		send: { ok: true, sentAt: T0 + 200, messageId: '3EB0AAAA', durationMs: 200 },
		inbound: { kind: 'found', at: T0 + 1200 },
		reply: { kind: 'received', at: T0 + 5200, text: '¡Hola! Este es el catálogo.' },
		outbound: { kind: 'found', durationMs: 40 },
		timing: resolveConversationTiming(),
		...extra,
	};
}

function verdict(extra: Partial<ConversationObservations> = {}) {
	const result = conversationVerdict(run(extra));
	expect(validateCheckResult(result)).toEqual([]);
	return result;
}

const byName = (result: ReturnType<typeof verdict>, name: string) => result.checks.find((check) => check.name === name);

describe('CONVERSATION_CAUSES', () => {
	test('codes are dotted whatsapp.* ids', () => {
		for (const code of Object.keys(CONVERSATION_CAUSES)) expect(code).toMatch(CAUSE_CODE_PATTERN);
	});

	test('only a deaf session may lead to a WhatsApp restart; a silent bot or a broken canary never does', () => {
		expect([...SESSION_RESTART_MAY_FIX].sort()).toEqual(['whatsapp.inbound_not_delivered', 'whatsapp.inbound_silent']);
		expect(CONVERSATION_CAUSES['whatsapp.bot_silent'].needsHuman).toBe(true);
		expect(CONVERSATION_CAUSES['whatsapp.canary_broken'].needsHuman).toBe(true);
	});
});

describe('resolveConversationTiming', () => {
	test('defaults: 60 s timeout, slow after 20 s', () => {
		expect(resolveConversationTiming()).toEqual({ replyTimeoutMs: DEFAULT_REPLY_TIMEOUT_MS, slowReplyMs: DEFAULT_SLOW_REPLY_MS });
		expect(DEFAULT_REPLY_TIMEOUT_MS).toBe(60_000);
	});

	test('bad values are OptionErrors naming the parameter', () => {
		expect(() => resolveConversationTiming({ replyTimeoutMs: 0 })).toThrow(expect.objectContaining({ parameter: 'Reply Timeout' }));
		expect(() => resolveConversationTiming({ replyTimeoutMs: 10_000, slowReplyMs: 10_000 })).toThrow(OptionError);
		expect(() => resolveConversationTiming({ slowReplyMs: Number.NaN })).toThrow(expect.objectContaining({ parameter: 'Slow Reply After' }));
	});
});

describe('conversationVerdict', () => {
	test('every step passes: healthy, one entry per step, about the bot', () => {
		const result = verdict();
		expect(result).toMatchObject({ component: 'whatsapp', target: 'evolution:ventas', status: 'healthy', latencyMs: 8000, checkedAt: '2026-10-01T12:00:08.000Z' });
		expect(result.cause).toBeUndefined();
		expect(result.checks.map((check) => [check.name, check.status])).toEqual([
			['canarySend', 'healthy'],
			['inbound', 'healthy'],
			['reply', 'healthy'],
			['outbound', 'healthy'],
		]);
		expect(byName(result, 'inbound')?.durationMs).toBe(1000);
		expect(byName(result, 'reply')).toMatchObject({ durationMs: 5000, message: 'The bot answered in 5.0 s.' });
		expect(result.details).toMatchObject({ role: 'bot', canaryTarget: 'evolution:canary', reply: { latencyMs: 5000, matched: null } });
	});

	test('canary broken: the result is about the canary, the bot is not judged', () => {
		const cause = { code: 'whatsapp.disconnected', message: 'Evolution instance "canary" is disconnected.', retryable: false, needsHuman: false };
		const result = verdict({ send: { ok: false, reason: 'not_connected', cause, durationMs: 30 } });
		expect(result).toMatchObject({ target: 'evolution:canary', status: 'down', cause: { code: 'whatsapp.canary_broken', retryable: false, needsHuman: true } });
		expect(result.checks.map((check) => check.name)).toEqual(['canarySend']);
		expect(result.details).toEqual({ role: 'canary', botTarget: 'evolution:ventas', botJudged: false, canaryCause: 'whatsapp.disconnected' });
		expect(result.cause?.message).toContain('is not connected to WhatsApp');
		expect(result.cause?.message).toContain('The bot (evolution:ventas) was not checked');
	});

	test('canaryWorks: a verdict about the bot (even a failing one) says the canary works; a verdict about the canary does not', () => {
		const silent = verdict({ reply: { kind: 'none' } });
		const works = canaryWorks(silent, 'evolution:canary');
		expect(works).toBeDefined();
		expect(validateCheckResult(works)).toEqual([]);
		expect(works).toMatchObject({ component: 'whatsapp', target: 'evolution:canary', status: 'healthy', details: { role: 'canary', botTarget: 'evolution:ventas', botJudged: true } });
		expect(works?.checks.map((check) => [check.name, check.durationMs])).toEqual([['canarySend', 200]]);
		const cause = { code: 'whatsapp.disconnected', message: 'Evolution instance "canary" is disconnected.', retryable: false, needsHuman: false };
		expect(canaryWorks(verdict({ send: { ok: false, reason: 'not_connected', cause, durationMs: 30 } }), 'evolution:canary')).toBeUndefined();
	});

	test('inbound not delivered (zombie): down, a restart may fix it', () => {
		const result = verdict({ inbound: { kind: 'not_found', durationMs: 50 }, reply: { kind: 'none' } });
		expect(result.status).toBe('down');
		expect(result.cause).toMatchObject({ code: 'whatsapp.inbound_not_delivered', needsHuman: false });
		expect(byName(result, 'reply')?.code).toBe('whatsapp.inbound_not_delivered');
		expect(byName(result, 'outbound')).toBeUndefined();
	});

	test('delivered but no reply: the bot is silent, and the cause says not to reconnect WhatsApp', () => {
		const result = verdict({ reply: { kind: 'none' } });
		expect(result.cause).toMatchObject({ code: 'whatsapp.bot_silent', needsHuman: true, retryable: false });
		expect(result.cause?.message).toMatch(/do not reconnect it, check the bot/);
		expect(SESSION_RESTART_MAY_FIX.has(result.cause!.code)).toBe(false);
		expect(byName(result, 'inbound')?.status).toBe('healthy');
	});

	test('a slow reply is degraded with the time; past the timeout it is down', () => {
		const slow = verdict({ reply: { kind: 'received', at: T0 + 200 + 25_000, text: 'hola' } });
		expect(slow).toMatchObject({ status: 'degraded', cause: { code: 'whatsapp.reply_slow', retryable: true } });
		expect(slow.cause?.message).toBe('The bot answered in 25 s, slower than 20 s.');
		const late = verdict({ reply: { kind: 'received', at: T0 + 200 + 75_000, text: 'hola' } });
		expect(late).toMatchObject({ status: 'down', cause: { code: 'whatsapp.reply_slow' } });
		expect(late.cause?.message).toContain('only after 75 s, past the 60 s reply timeout');
	});

	test('a reply that does not match the pattern is down with its own cause; a match passes', () => {
		const mismatch = verdict({ reply: { kind: 'received', at: T0 + 3000, text: 'Error interno', matched: false }, expectedPattern: 'cat[aá]logo' });
		expect(mismatch).toMatchObject({ status: 'down', cause: { code: 'whatsapp.reply_mismatch', needsHuman: true } });
		expect(mismatch.cause?.message).toContain('/cat[aá]logo/');
		const match = verdict({ reply: { kind: 'received', at: T0 + 3000, text: 'catálogo', matched: true } });
		expect(byName(match, 'replyPattern')?.status).toBe('healthy');
	});

	test("a reply the bot's gateway did not send is degraded (outbound missing)", () => {
		const result = verdict({ outbound: { kind: 'not_found' } });
		expect(result).toMatchObject({ status: 'degraded', cause: { code: 'whatsapp.outbound_missing' } });
	});

	test('Cloud API (no read-back): inbound and outbound are inferred from the reply', () => {
		const result = verdict({ inbound: { kind: 'unsupported' }, outbound: { kind: 'unsupported' } });
		expect(result.status).toBe('healthy');
		expect(byName(result, 'inbound')).toMatchObject({ value: 'inferred' });
		expect(byName(result, 'outbound')).toMatchObject({ value: 'not_checked' });
	});

	test('Cloud API with no reply: where it broke is unknown, so neither WhatsApp nor the bot is blamed', () => {
		const result = verdict({ inbound: { kind: 'unsupported' }, outbound: { kind: 'unsupported' }, reply: { kind: 'none' } });
		expect(result.cause).toMatchObject({ code: 'whatsapp.no_reply', needsHuman: true });
		expect(SESSION_RESTART_MAY_FIX.has('whatsapp.no_reply')).toBe(false);
	});

	test('a failed read-back with a reply still passes inbound; without a reply it is no_reply', () => {
		const failed = { kind: 'failed' as const, cause: { code: 'net.timeout', message: 'Evolution API did not answer within 10 s.', retryable: true, needsHuman: false } };
		expect(verdict({ inbound: failed }).status).toBe('healthy');
		expect(verdict({ inbound: failed, reply: { kind: 'none' } }).cause?.code).toBe('whatsapp.no_reply');
	});

	test('not found by read-back but answered: inferred (the gateway may not store messages)', () => {
		const result = verdict({ inbound: { kind: 'not_found' } });
		expect(result.status).toBe('healthy');
		expect(byName(result, 'inbound')?.message).toMatch(/is the gateway storing messages/);
	});

	test('the reply text kept in details is clipped', () => {
		const result = verdict({ reply: { kind: 'received', at: T0 + 3000, text: 'x'.repeat(1000) } });
		expect(((result.details?.reply as { text: string }).text).length).toBe(200);
	});

	test('deterministic: the same observations give the same result', () => {
		expect(conversationVerdict(run())).toEqual(conversationVerdict(run()));
	});
});
