/**
 * Redaction benchmark (issue 22, Secrets): on the labelled corpus of bench/redaction/corpus.ts,
 * the share of secret lines whose secret is gone and the share of harmless lines left
 * unchanged, for the shared redaction and, as the baseline in the same run, the redaction
 * of 0.1.0 (bench/redaction/previousRedact.ts). Both with phone masking on, as LLM Diagnose
 * calls it. Then the median throughput of each over the whole corpus, taking turns.
 *
 *   npx tsx bench/redaction.ts [--per-shape 20] [--seed 20261207] [--runs 5]
 */
import { parseArgs } from 'node:util';

import { redact } from '../nodes/shared/redact';
import { buildRedactionCorpus, scoreRedaction, type CorpusLine, type CorpusScore } from './redaction/corpus';
import { previousRedact } from './redaction/previousRedact';

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(2)} %`;

function worst(failures: Map<string, number>): string {
	const listed = [...failures].sort((a, b) => b[1] - a[1]).slice(0, 6);
	return listed.length === 0 ? 'none' : listed.map(([label, count]) => `${label} ×${count}`).join(', ');
}

/**
 * Median lines per second of each subject over `runs` passes of the corpus, the subjects
 * taking turns within each run so that a busy machine slows them alike (one warm-up
 * round discarded).
 */
function linesPerSecond(lines: readonly CorpusLine[], subjects: ReadonlyArray<(text: string) => string>, runs: number): number[] {
	const rates: number[][] = subjects.map(() => []);
	for (let run = 0; run <= runs; run += 1) {
		subjects.forEach((redactLine, index) => {
			const started = performance.now();
			for (const line of lines) redactLine(line.text);
			if (run > 0) rates[index].push(lines.length / ((performance.now() - started) / 1000));
		});
	}
	return rates.map(median);
}

function main(): void {
	const { values } = parseArgs({
		options: { 'per-shape': { type: 'string', default: '20' }, seed: { type: 'string', default: '20261207' }, runs: { type: 'string', default: '5' } },
	});
	const lines = buildRedactionCorpus({ seed: Number(values.seed), perShape: Number(values['per-shape']) });
	const runs = Number(values.runs);
	const subjects: Array<[string, (text: string) => string]> = [
		['shared redaction', (text) => redact(text, { maskPhoneNumbers: true })],
		['0.1.0 redaction (baseline)', (text) => previousRedact(text, { maskPhoneNumbers: true })],
	];
	const rates = linesPerSecond(lines, subjects.map(([, redactLine]) => redactLine), runs);
	const scores = subjects.map(([name, redactLine], index): [string, CorpusScore, number] => [name, scoreRedaction(lines, redactLine), rates[index]]);
	const [first] = scores;
	console.log(`corpus: ${first[1].secretLines} secret lines, ${first[1].harmlessLines} harmless lines (seed ${values.seed}, ${values['per-shape']} per shape)`);
	for (const [name, score, rate] of scores) {
		console.log(
			`${name}: secrets caught ${percent(score.caught, score.secretLines)}, harmless left alone ${percent(score.leftAlone, score.harmlessLines)}, median ${Math.round(rate).toLocaleString('en')} lines/s over ${runs} runs`,
		);
		console.log(`  missed: ${worst(score.missed)}`);
		console.log(`  damaged: ${worst(score.damaged)}`);
	}
}

main();
