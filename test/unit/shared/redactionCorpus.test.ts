/**
 * The shared redaction over the labelled corpus (bench/redaction/corpus.ts): secrets by
 * shape caught, harmless provider lines with their ids left alone. Thresholds are what it
 * meets with room to spare on other seeds; bench/redaction.ts prints the rates.
 */
import { buildRedactionCorpus, scoreRedaction, type CorpusLine } from '../../../bench/redaction/corpus';
import { redact } from '../../../nodes/shared/redact';

const MIN_CAUGHT = 0.99;
const MIN_LEFT_ALONE = 0.99;

/** The options of the strictest caller, LLM Diagnose: phone masking on. */
const redactForLlm = (text: string): string => redact(text, { maskPhoneNumbers: true });

describe.each([20261207, 7, 99])('the redaction corpus, seed %i', (seed) => {
	const lines: CorpusLine[] = buildRedactionCorpus({ seed, perShape: 20 });
	const score = scoreRedaction(lines, redactForLlm);

	test('holds both kinds of lines', () => {
		expect(score.secretLines).toBeGreaterThanOrEqual(500);
		expect(score.harmlessLines).toBeGreaterThanOrEqual(500);
	});

	test(`catches at least ${MIN_CAUGHT * 100} % of the secrets`, () => {
		expect(score.caught / score.secretLines).toBeGreaterThanOrEqual(MIN_CAUGHT);
	});

	test(`leaves at least ${MIN_LEFT_ALONE * 100} % of the harmless lines unchanged`, () => {
		expect(score.leftAlone / score.harmlessLines).toBeGreaterThanOrEqual(MIN_LEFT_ALONE);
	});

	test('redacting twice changes nothing more (outputs are redacted again downstream)', () => {
		const changedAgain = lines.map((line) => redactForLlm(line.text)).filter((once) => redactForLlm(once) !== once);
		expect(changedAgain).toEqual([]);
	});
});

test('the corpus is the same for the same seed and different for another', () => {
	expect(buildRedactionCorpus({ seed: 1, perShape: 2 })).toEqual(buildRedactionCorpus({ seed: 1, perShape: 2 }));
	expect(buildRedactionCorpus({ seed: 1, perShape: 2 })).not.toEqual(buildRedactionCorpus({ seed: 2, perShape: 2 }));
});

test('the score counts a surviving secret as missed and any change to a harmless line as damage', () => {
	const lines: CorpusLine[] = [
		{ kind: 'secret', label: 'kept', text: 'key abc', secrets: ['abc'] },
		{ kind: 'secret', label: 'masked', text: 'key xyz', secrets: ['xyz'] },
		{ kind: 'harmless', label: 'changed', text: 'id 42' },
		{ kind: 'harmless', label: 'same', text: 'ok' },
	];
	const score = scoreRedaction(lines, (text) => text.replace('xyz', '*').replace('42', '*'));
	expect(score).toMatchObject({ secretLines: 2, caught: 1, harmlessLines: 2, leftAlone: 1 });
	expect([...score.missed]).toEqual([['kept', 1]]);
	expect([...score.damaged]).toEqual([['changed', 1]]);
});
