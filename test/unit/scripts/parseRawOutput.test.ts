import { parseRawOutput } from '../../../scripts/lib/n8nInstance';

describe('parseRawOutput', () => {
	test('takes the run data object between log lines, braces inside strings included', () => {
		const run = { data: { text: 'a } tricky { "quoted" \\ string' }, status: 'success' };
		const stdout = `Loading {nodes}...\n${JSON.stringify(run)}\nSome warning {after} the JSON\n`;
		expect(parseRawOutput(stdout)).toEqual(run);
	});

	test('names the problem when there is no JSON or it is cut', () => {
		expect(() => parseRawOutput('nothing here')).toThrow(/printed no JSON/);
		expect(() => parseRawOutput('{"a": {"b": 1}')).toThrow(/unterminated JSON/);
	});
});
