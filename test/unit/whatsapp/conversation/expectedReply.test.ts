import {
	EXPECTED_REPLY_PARAMETER,
	MAX_MATCHED_CHARS,
	MAX_PATTERN_CHARS,
	compileExpectedReplyPattern,
	matchesExpectedReply,
} from '../../../../nodes/WhatsAppProbe/conversation/expectedReply';
import { OptionError } from '../../../../nodes/shared/optionError';

function rejection(value: unknown): OptionError {
	try {
		compileExpectedReplyPattern(value);
	} catch (error) {
		if (error instanceof OptionError) return error;
		throw error;
	}
	throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('compileExpectedReplyPattern', () => {
	test('empty means no pattern: any reply counts', () => {
		for (const value of [undefined, null, '', '   ']) expect(compileExpectedReplyPattern(value)).toBeUndefined();
	});

	test('compiles ordinary patterns, case-insensitive', () => {
		const pattern = compileExpectedReplyPattern(' (hola|buenas).*catálogo ');
		expect(pattern?.source).toBe('(hola|buenas).*catálogo');
		expect(matchesExpectedReply(pattern!, '¡HOLA! Este es nuestro Catálogo')).toBe(true);
		expect(matchesExpectedReply(pattern!, 'Lo siento, ocurrió un error')).toBe(false);
		expect(compileExpectedReplyPattern('\\$\\s*\\d+')).toBeDefined();
		expect(compileExpectedReplyPattern('^[a-z]{2,5} \\w+$')).toBeDefined();
	});

	test('a malformed pattern is an OptionError naming the parameter', () => {
		const error = rejection('(unclosed');
		expect(error.parameter).toBe(EXPECTED_REPLY_PARAMETER);
		expect(error.message).toMatch(/^Parameter "Expected Reply Pattern" is not a valid regular expression/);
		expect(rejection(42).message).toContain('must be text');
	});

	test.each([
		['(a+)+$', /repeats a group/],
		['(a|ab)*c', /repeats a group/],
		['((ab)*c)+', /repeats a group/],
		['(\\w+\\s?)*$', /repeats a group/],
		['(a)\\1', /backreference/],
		['(?<x>a)\\k<x>', /backreference/],
		['foo(?=bar)', /lookahead or lookbehind/],
		['(?<!x)y', /lookahead or lookbehind/],
		['.*.*.*x', /open-ended repetitions/],
		['\\w+\\s*\\w+\\s*\\w+x', /open-ended repetitions|repetitions/],
		['a?b?c?d?e?', /5 repetitions/],
		['.{0,100}.{0,100}.{0,100}x', /open-ended/],
	])('rejects the slow shape %s', (source, reason) => {
		const error = rejection(source);
		expect(error.parameter).toBe(EXPECTED_REPLY_PARAMETER);
		expect(error.message).toMatch(reason);
	});

	test('quantifiers inside a character class or escaped are not counted', () => {
		expect(compileExpectedReplyPattern('[*+?]{1,3} \\*\\+\\? [(a+)+]')).toBeDefined();
		expect(compileExpectedReplyPattern('(ab)+ (cd)?')).toBeDefined();
	});

	test('a pattern longer than the bound is refused', () => {
		expect(compileExpectedReplyPattern('a'.repeat(MAX_PATTERN_CHARS))).toBeDefined();
		expect(rejection('a'.repeat(MAX_PATTERN_CHARS + 1)).message).toContain(`at most ${MAX_PATTERN_CHARS}`);
	});

	test('only the start of a long reply is tested, so the worst accepted pattern stays bounded', () => {
		const pattern = compileExpectedReplyPattern('pedido')!;
		expect(matchesExpectedReply(pattern, `${'x'.repeat(MAX_MATCHED_CHARS - 6)}pedido`)).toBe(true);
		expect(matchesExpectedReply(pattern, `${'x'.repeat(MAX_MATCHED_CHARS)}pedido`)).toBe(false);
		// The worst shape the guard lets through, on the longest text it tests: it returns (no timing assertion).
		const worst = compileExpectedReplyPattern('.*.*x')!;
		expect(matchesExpectedReply(worst, 'a'.repeat(10_000))).toBe(false);
	});

	test('the compiled expression keeps no state between replies (no g flag)', () => {
		const pattern = compileExpectedReplyPattern('ok')!;
		expect([matchesExpectedReply(pattern, 'ok'), matchesExpectedReply(pattern, 'ok')]).toEqual([true, true]);
	});
});
