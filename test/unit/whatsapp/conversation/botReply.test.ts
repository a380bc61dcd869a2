import { findBotReply, whatsAppUser, type CanaryInboxMessage } from '../../../../nodes/WhatsAppProbe/conversation/botReply';

const BOT = '5491155550000';
const SENT = Date.UTC(2026, 9, 1, 12, 0, 0, 800);
const NONCE = 'q1W2e3R4t5_-';

function message(extra: Partial<CanaryInboxMessage>): CanaryInboxMessage {
	return { id: 'm1', from: `${BOT}@s.whatsapp.net`, fromMe: false, timestamp: SENT + 3000, text: '¡Hola! ¿En qué te ayudo?', ...extra };
}

const find = (messages: CanaryInboxMessage[], botIds: string[] = [BOT]) => findBotReply(messages, { botIds, sentAt: SENT, nonce: NONCE });

describe('whatsAppUser', () => {
	test.each([
		['5491155550000@s.whatsapp.net', '5491155550000'],
		['5491155550000@c.us', '5491155550000'],
		['5491155550000:12@s.whatsapp.net', '5491155550000'],
		['+54 9 11 5555-0000', '5491155550000'],
		['13718@lid', '13718'],
	])('%s → %s', (id, user) => expect(whatsAppUser(id)).toBe(user));
});

describe('findBotReply', () => {
	test('the first message from the bot after the send is the reply', () => {
		const reply = find([message({ id: 'late', timestamp: SENT + 9000 }), message({ id: 'first' })]);
		expect(reply).toEqual({ id: 'first', at: SENT + 3000, text: '¡Hola! ¿En qué te ayudo?', echoedNonce: false });
	});

	test("the canary's own message, other senders and older messages are not replies", () => {
		expect(
			find([
				message({ fromMe: true }),
				message({ from: '5491100000000@s.whatsapp.net' }),
				message({ timestamp: SENT - 5000 }),
			]),
		).toBeUndefined();
	});

	test('a reply stamped in the same second as the send (whole-second clocks) still counts', () => {
		expect(find([message({ timestamp: Math.floor(SENT / 1000) * 1000 })])?.id).toBe('m1');
	});

	test("a late answer to an earlier run (its marker) is skipped; an echo of this run's marker wins", () => {
		const reply = find([
			message({ id: 'old', text: 'Recibido [autorecovery-canary:AAAAAAAAAAAA]', timestamp: SENT + 1000 }),
			message({ id: 'plain', timestamp: SENT + 2000 }),
			message({ id: 'echo', text: `Recibido [autorecovery-canary:${NONCE}]`, timestamp: SENT + 4000 }),
		]);
		expect(reply).toMatchObject({ id: 'echo', echoedNonce: true });
	});

	test('the bot may also be known by another id (a LID)', () => {
		expect(find([message({ from: '13718@lid' })])).toBeUndefined();
		expect(find([message({ from: '13718@lid' })], [BOT, '13718@lid'])?.id).toBe('m1');
	});
});
