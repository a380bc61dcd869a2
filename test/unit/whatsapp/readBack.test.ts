/** Finding one message in a chat read back from a gateway, across the gateways' id spellings. */
import type { CanaryInboxMessage } from '../../../nodes/WhatsAppProbe/conversation/botReply';
import { lookupIn, rawMessageId, sameMessageId } from '../../../nodes/WhatsAppProbe/providers/readBack';

const at = 1_767_000_000_000;
const message = (over: Partial<CanaryInboxMessage>): CanaryInboxMessage => ({ id: 'X', from: '5215599990000@c.us', fromMe: false, timestamp: at, text: '', ...over });

describe('read-back lookups', () => {
	test('WAHA serialised ids and Evolution key ids name the same message', () => {
		expect(rawMessageId('false_5215599990000@c.us_3EB0A1B2C3')).toBe('3EB0A1B2C3');
		expect(rawMessageId('true_5215512345678@c.us_ABC_DEF')).toBe('ABC_DEF');
		expect(rawMessageId('3EB0A1B2C3')).toBe('3EB0A1B2C3');
		expect(sameMessageId('false_5215599990000@c.us_3EB0A1B2C3', '3EB0A1B2C3')).toBe(true);
		expect(sameMessageId('', '')).toBe(false);
	});

	test('found by id, by nonce or by text; direction and time must fit', () => {
		const chat = [
			message({ id: 'false_5215599990000@c.us_AAA', text: 'hola [autorecovery-canary:q1W2e3R4t5_-]' }),
			message({ id: 'BBB', fromMe: true, text: 'respuesta', timestamp: at + 2000 }),
		];
		expect(lookupIn(chat, { peer: '5215599990000', fromMe: false, messageId: 'AAA' }, 5)).toEqual({ kind: 'found', at, durationMs: 5 });
		expect(lookupIn(chat, { peer: '5215599990000', fromMe: false, nonce: 'q1W2e3R4t5_-' }, 5).kind).toBe('found');
		expect(lookupIn(chat, { peer: '5215599990000', fromMe: true, messageId: 'zzz', text: 'respuesta' }, 5).kind).toBe('found');
		// Right id, wrong direction; or older than the run.
		expect(lookupIn(chat, { peer: '5215599990000', fromMe: true, messageId: 'AAA' }, 5)).toEqual({ kind: 'not_found', durationMs: 5 });
		expect(lookupIn(chat, { peer: '5215599990000', fromMe: true, text: 'respuesta', since: at + 10_000 }, 5).kind).toBe('not_found');
		expect(lookupIn([], { peer: '5215599990000', fromMe: false, nonce: 'q1W2e3R4t5_-' }, 5).kind).toBe('not_found');
	});
});
