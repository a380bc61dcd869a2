/**
 * The optional Expected Reply Pattern: a regular expression a person types, checked before
 * it is ever run. JavaScript's regex engine backtracks, so some patterns take exponential or
 * high-polynomial time on a text that does not match (`(a+)+$`, and even `.*.*.*x` took over
 * two minutes on 1,000 characters when this was written). Node has no linear-time engine
 * without a flag or a native module, and a timeout cannot stop a running `RegExp.test` on the
 * main thread. So the guard is structural, and the text is bounded:
 *  - the pattern is at most MAX_PATTERN_CHARS long;
 *  - no quantified group may contain a quantifier or an alternation (`(a+)+`, `(a|ab)*`):
 *    the nesting that makes backtracking exponential;
 *  - no backreferences or lookarounds, which defeat that structural reading;
 *  - at most MAX_QUANTIFIERS quantifiers, of which at most MAX_UNBOUNDED_QUANTIFIERS are
 *    unbounded (`*`, `+`, `{n,}`, or `{m,n}` with a large n): adjacent overlapping quantifiers
 *    cost a power of the text length each;
 *  - only the first MAX_MATCHED_CHARS characters of a reply are tested.
 * With those bounds the worst accepted pattern stays well under a second on a bounded reply.
 */
import { OptionError } from '../../shared/optionError';

/** The parameter's display name, so every error names it the way the person sees it. */
export const EXPECTED_REPLY_PARAMETER = 'Expected Reply Pattern';

export const MAX_PATTERN_CHARS = 200;
export const MAX_QUANTIFIERS = 4;
export const MAX_UNBOUNDED_QUANTIFIERS = 2;
/** A `{m,n}` with n above this repeats enough to count as unbounded. */
const BOUNDED_REPEAT_LIMIT = 10;
/** The pattern must match within the start of the reply; bot answers that matter open with it. */
export const MAX_MATCHED_CHARS = 500;

/** Case-insensitive (bots vary capitals) and Unicode-aware (stricter syntax, emoji as one character). */
const FLAGS = 'iu';

export interface ExpectedReplyPattern {
	source: string;
	regex: RegExp;
}

function reject(reason: string): never {
	throw new OptionError(EXPECTED_REPLY_PARAMETER, `Parameter "${EXPECTED_REPLY_PARAMETER}" ${reason}`);
}

interface GroupFrame {
	hasQuantifier: boolean;
	hasAlternation: boolean;
}

type LastAtom = { kind: 'none' } | { kind: 'plain' } | { kind: 'group'; frame: GroupFrame };

/** `{m}`, `{m,}` or `{m,n}` at `start`: its length and upper bound (Infinity when open), or undefined when not a quantifier. */
function readBraces(source: string, start: number): { length: number; max: number } | undefined {
	const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(start));
	if (!match) return undefined;
	const max = match[2] === undefined ? Number(match[1]) : match[3] === '' ? Infinity : Number(match[3]);
	return { length: match[0].length, max };
}

/** Walks the pattern once, counting quantifiers and rejecting the shapes that backtrack badly. */
function checkStructure(source: string): void {
	const frames: GroupFrame[] = [{ hasQuantifier: false, hasAlternation: false }];
	let last: LastAtom = { kind: 'none' };
	let quantifiers = 0;
	let unbounded = 0;
	let i = 0;
	const quantify = (max: number) => {
		if (last.kind === 'none') return; // the compiler reports a quantifier with nothing to repeat
		if (last.kind === 'group' && (last.frame.hasQuantifier || last.frame.hasAlternation)) {
			reject('repeats a group that itself repeats or has alternatives, e.g. (a+)+ or (a|b)*; such patterns can take minutes to run. Rewrite it without the nesting.');
		}
		quantifiers += 1;
		if (max > BOUNDED_REPEAT_LIMIT) unbounded += 1;
		frames[frames.length - 1].hasQuantifier = true;
		last = { kind: 'none' };
	};
	while (i < source.length) {
		const char = source[i];
		if (char === '\\') {
			const next = source[i + 1] ?? '';
			if (/[1-9]/.test(next) || next === 'k') reject('uses a backreference (\\1, \\k<name>), which is not allowed here.');
			i += 2;
			last = { kind: 'plain' };
			continue;
		}
		if (char === '[') {
			// Skip the class: nothing inside is a quantifier or a group.
			i += 1;
			if (source[i] === '^') i += 1;
			while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
			i += 1;
			last = { kind: 'plain' };
			continue;
		}
		if (char === '(') {
			if (/^\(\?(=|!|<=|<!)/.test(source.slice(i))) reject('uses a lookahead or lookbehind, which is not allowed here.');
			frames.push({ hasQuantifier: false, hasAlternation: false });
			i += 1;
			last = { kind: 'none' };
			continue;
		}
		if (char === ')') {
			const frame = frames.length > 1 ? frames.pop() : undefined;
			if (frame) {
				const parent = frames[frames.length - 1];
				parent.hasQuantifier ||= frame.hasQuantifier;
				last = { kind: 'group', frame };
			}
			i += 1;
			continue;
		}
		if (char === '|') {
			frames[frames.length - 1].hasAlternation = true;
			last = { kind: 'none' };
			i += 1;
			continue;
		}
		if (char === '*' || char === '+' || char === '?') {
			quantify(char === '?' ? 1 : Infinity);
			i += 1;
			if (source[i] === '?') i += 1; // lazy: same cost
			continue;
		}
		if (char === '{') {
			const braces = readBraces(source, i);
			if (braces) {
				quantify(braces.max);
				i += braces.length;
				if (source[i] === '?') i += 1;
				continue;
			}
		}
		last = { kind: 'plain' };
		i += 1;
	}
	if (quantifiers > MAX_QUANTIFIERS) reject(`has ${quantifiers} repetitions (*, +, ?, {m,n}); at most ${MAX_QUANTIFIERS} are allowed, to keep matching fast.`);
	if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) {
		reject(`has ${unbounded} open-ended repetitions (*, +, {n,}); at most ${MAX_UNBOUNDED_QUANTIFIERS} are allowed, to keep matching fast.`);
	}
}

/**
 * The pattern a person typed, checked and compiled; undefined when the parameter is empty
 * (any reply counts). Throws OptionError naming "Expected Reply Pattern" when it is malformed
 * or could run too long.
 */
export function compileExpectedReplyPattern(value: unknown): ExpectedReplyPattern | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') reject(`must be text, got ${typeof value}.`);
	const source = value.trim();
	if (source === '') return undefined;
	if (source.length > MAX_PATTERN_CHARS) reject(`is ${source.length} characters long; at most ${MAX_PATTERN_CHARS} are allowed.`);
	let regex: RegExp;
	try {
		regex = new RegExp(source, FLAGS);
	} catch (error) {
		// The engine's message quotes the pattern, which the person typed: no secret in it.
		reject(`is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
	}
	checkStructure(source);
	return { source, regex };
}

/** Whether a reply matches: its first MAX_MATCHED_CHARS characters are tested. */
export function matchesExpectedReply(pattern: ExpectedReplyPattern, reply: string): boolean {
	return pattern.regex.test(reply.slice(0, MAX_MATCHED_CHARS));
}
