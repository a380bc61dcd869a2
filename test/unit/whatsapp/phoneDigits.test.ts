import { phoneDigits } from '../../../nodes/WhatsAppProbe/actions/common';

test.each([
	['+54 9 11 5555-1234', '5491155551234'],
	['(52) 155.9999.0000', '5215599990000'],
	['5215512345678', '5215512345678'],
	['12345', null],
	['call me', null],
	['+54 9 11 5555-1234 ext 2', null],
])('phoneDigits(%j) → %j', (input, expected) => {
	expect(phoneDigits(input)).toBe(expected);
});
