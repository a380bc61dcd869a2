import {
	MAX_REJECTED_CHARS,
	MAX_TEXT_FIELD_CHARS,
	parseDiagnosisReply,
	type ParseOutcome,
} from '../../../nodes/LlmDiagnose/diagnosis/parseReply';
import type { Component } from '../../../nodes/shared/contract';
import { validateDiagnosis } from '../../../nodes/shared/validate';
import { replyJson } from './scriptedProvider';

function parsedOk(outcome: ParseOutcome) {
	if (!outcome.ok) throw new Error(`expected ok, got problems: ${outcome.problems.join('; ')}`);
	return outcome.value;
}

function problemsOf(outcome: ParseOutcome): string[] {
	if (outcome.ok) throw new Error('expected problems, got a diagnosis');
	return outcome.problems;
}

function asDiagnosis(value: ReturnType<typeof parsedOk>) {
	return { ...value, source: 'groq', latencyMs: 1, fingerprint: '0123456789abcdef' };
}

describe('parseDiagnosisReply: accepted shapes', () => {
	test('a plain JSON object', () => {
		const value = parsedOk(parseDiagnosisReply(replyJson(), 'database'));
		expect(value).toEqual({
			rootCause: 'La base de datos no responde.',
			summary: 'Reconectar y avisar si continúa.',
			severity: 'high',
			confidence: 0.8,
			recommendedActions: ['database.reconnect', 'notify.escalate'],
			rejected: [],
		});
		expect(validateDiagnosis(asDiagnosis(value), 'database')).toEqual([]);
	});

	test('inside a ```json fence', () => {
		const value = parsedOk(parseDiagnosisReply(`\`\`\`json\n${replyJson()}\n\`\`\``, 'database'));
		expect(value.severity).toBe('high');
	});

	test('inside a bare ``` fence', () => {
		expect(parsedOk(parseDiagnosisReply(`\`\`\`\n${replyJson()}\n\`\`\``, 'database')).confidence).toBe(0.8);
	});

	test('with prose around it, braces inside strings included', () => {
		const summary = 'Use {braces}, "quotes" and a \\" backslash safely';
		const text = `Here is my analysis {not json}: ${replyJson({ summary })} Hope it helps.`;
		expect(parsedOk(parseDiagnosisReply(text, 'database')).summary).toBe(summary);
	});

	test('trims text, collapses whitespace, lowercases severity and caps long text', () => {
		const value = parsedOk(parseDiagnosisReply(replyJson({ rootCause: '  Down \n now  ', severity: ' HIGH ', summary: 'w'.repeat(5000) }), 'database'));
		expect(value.rootCause).toBe('Down now');
		expect(value.severity).toBe('high');
		expect(value.summary.length).toBe(MAX_TEXT_FIELD_CHARS);
	});

	test.each([0, 1, 0.5])('confidence %s is accepted', (confidence) => {
		expect(parsedOk(parseDiagnosisReply(replyJson({ confidence }), 'database')).confidence).toBe(confidence);
	});
});

describe('parseDiagnosisReply: problems', () => {
	test.each([
		['an empty reply', '', /empty/],
		['whitespace only', '  \n ', /empty/],
		['prose without JSON', 'The database is down, reconnect it.', /no JSON object|did not contain/],
		['truncated JSON', replyJson().slice(0, 40), /did not contain/],
		['a JSON array', '[1,2,3]', /did not contain/],
	])('%s', (_what, text, problem) => {
		expect(problemsOf(parseDiagnosisReply(text, 'database')).join('\n')).toMatch(problem);
	});

	test.each([
		['missing rootCause', { rootCause: undefined }, '"rootCause" must be a non-empty string'],
		['empty summary', { summary: '  ' }, '"summary" must be a non-empty string'],
		['numeric summary', { summary: 42 }, '"summary" must be a non-empty string'],
		['unknown severity', { severity: 'urgent' }, '"severity" must be one of low, medium, high, critical'],
		['confidence as a string', { confidence: '0.8' }, '"confidence" must be a number from 0 to 1'],
		['confidence above 1', { confidence: 1.5 }, '"confidence" must be a number from 0 to 1'],
		['negative confidence', { confidence: -0.1 }, '"confidence" must be a number from 0 to 1'],
		['actions as a string', { recommendedActions: 'database.reconnect' }, '"recommendedActions" must be an array of action ids'],
		['actions missing', { recommendedActions: undefined }, '"recommendedActions" must be an array of action ids'],
	])('%s', (_what, overrides, problem) => {
		expect(problemsOf(parseDiagnosisReply(replyJson(overrides), 'database'))).toEqual([problem]);
	});

	test('every problem is reported at once', () => {
		expect(problemsOf(parseDiagnosisReply('{"severity":"x"}', 'database'))).toHaveLength(5);
	});
});

describe('parseDiagnosisReply: action filtering', () => {
	test.each<[string, Component, unknown[], string[], string[]]>([
		['keeps order and drops repeats', 'database', ['notify.escalate', 'database.reconnect', 'notify.escalate', ' database.reconnect '], ['notify.escalate', 'database.reconnect'], []],
		['rejects another component’s actions', 'database', ['whatsapp.relink', 'database.reconnect', 'llm.use_fallback'], ['database.reconnect'], ['whatsapp.relink', 'llm.use_fallback']],
		['rejects unknown ids', 'whatsapp', ['whatsapp.reboot_phone', 'whatsapp.reconnect'], ['whatsapp.reconnect'], ['whatsapp.reboot_phone']],
		['rejects SQL', 'database', ['DROP TABLE products;', 'database.import_catalog'], ['database.import_catalog'], ['DROP TABLE products;']],
		['rejects shell commands', 'host', ['rm -rf /var/log/*', 'logs.archive'], ['logs.archive'], ['rm -rf /var/log/*']],
		['rejects non-strings as text', 'llm', [{ action: 'llm.use_fallback' }, 7, null], ['notify.escalate'], ['{"action":"llm.use_fallback"}', '7', 'null']],
		['escalates when nothing valid remains', 'payments', ['database.reconnect', 'UPDATE payments SET ok=true'], ['notify.escalate'], ['database.reconnect', 'UPDATE payments SET ok=true']],
		['escalates for an empty list', 'backup', [], ['notify.escalate'], []],
	])('%s', (_what, component, proposed, recommended, rejected) => {
		const value = parsedOk(parseDiagnosisReply(replyJson({ recommendedActions: proposed }), component));
		expect(value.recommendedActions).toEqual(recommended);
		expect(value.rejected).toEqual(rejected);
		expect(validateDiagnosis(asDiagnosis(value), component)).toEqual([]);
	});

	test('rejected entries are truncated and deduplicated', () => {
		const long = `SELECT ${'x'.repeat(1000)}`;
		const value = parsedOk(parseDiagnosisReply(replyJson({ recommendedActions: [long, long, 'database.reconnect'] }), 'database'));
		expect(value.rejected).toHaveLength(1);
		expect(value.rejected[0].length).toBe(MAX_REJECTED_CHARS);
		expect(value.rejected[0].startsWith('SELECT x')).toBe(true);
	});

	test('other keys the model adds are ignored, never carried into the diagnosis', () => {
		const value = parsedOk(parseDiagnosisReply(replyJson({ sql: 'DROP TABLE products', rejected: ['x'], source: 'rules' }), 'database'));
		expect(Object.keys(value).sort()).toEqual(['confidence', 'recommendedActions', 'rejected', 'rootCause', 'severity', 'summary']);
		expect(value.rejected).toEqual([]);
	});
});
