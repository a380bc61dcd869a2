/** The rule diagnosis of the customer-path causes: a silent bot or a broken canary never leads to a WhatsApp reconnect. */
import { ruleDiagnosis } from '../../../../nodes/LlmDiagnose/diagnosis/rules';
import { CONVERSATION_CAUSES, conversationCause, type ConversationCauseCode } from '../../../../nodes/WhatsAppProbe/conversation/causes';
import { conversationVerdict, resolveConversationTiming } from '../../../../nodes/WhatsAppProbe/conversation/verdict';

const T0 = Date.UTC(2026, 9, 1, 12);

function diagnosed(code: ConversationCauseCode, language: 'es' | 'en' = 'en') {
	const cause = conversationCause(code, 'x');
	return ruleDiagnosis(
		{ component: 'whatsapp', target: 'evolution:ventas', status: 'down', checks: [{ name: 'reply', status: 'down', message: 'x', code }], cause, latencyMs: 1, checkedAt: new Date(T0).toISOString() },
		language,
	);
}

describe('diagnosis of the conversation causes', () => {
	test.each(Object.keys(CONVERSATION_CAUSES) as ConversationCauseCode[])('%s has its own rule in both languages', (code) => {
		expect(diagnosed(code, 'en').confidence).toBe(0.6);
		expect(diagnosed(code, 'es').rootCause).not.toBe(diagnosed(code, 'en').rootCause);
	});

	test.each(['whatsapp.bot_silent', 'whatsapp.canary_broken', 'whatsapp.no_reply', 'whatsapp.reply_mismatch', 'whatsapp.outbound_missing', 'whatsapp.reply_slow'] as const)(
		'%s recommends no WhatsApp reconnect or relink',
		(code) => {
			expect(diagnosed(code).recommendedActions).toEqual(['notify.escalate']);
		},
	);

	test('a deaf session is restarted first', () => {
		expect(diagnosed('whatsapp.inbound_not_delivered').recommendedActions).toEqual(['whatsapp.reconnect', 'whatsapp.relink', 'notify.escalate']);
	});

	test("the bot-silent verdict, diagnosed in Spanish, says to check the bot and not to reconnect", () => {
		const result = conversationVerdict({
			botTarget: 'evolution:ventas',
			canaryTarget: 'evolution:canary',
			startedAt: T0,
			finishedAt: T0 + 61_000,
			send: { ok: true, sentAt: T0, durationMs: 100 },
			inbound: { kind: 'found', at: T0 + 900 },
			reply: { kind: 'none' },
			outbound: { kind: 'not_found' },
			timing: resolveConversationTiming(),
		});
		const diagnosis = ruleDiagnosis(result, 'es');
		expect(diagnosis.summary).toContain('no reconectar WhatsApp');
		expect(diagnosis.recommendedActions).toEqual(['notify.escalate']);
	});
});
