/** flagParameter: only `true` is yes, so `{{ $json.dryRun }}` on an item without dryRun never runs a dry run by accident, nor a real one. */
import { flagParameter } from '../../../nodes/shared/n8n/parameters';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

describe('flagParameter', () => {
	test.each([
		[true, true],
		[false, false],
		[undefined, false],
		[null, false],
		['true', false],
		[1, false],
	])('%j → %j', (value, expected) => {
		const ctx = fakeExecuteFunctions({ parameters: value === undefined ? {} : { dryRun: value }, input: [{}] });
		expect(flagParameter(ctx, 'dryRun', 0)).toBe(expected);
	});
});
