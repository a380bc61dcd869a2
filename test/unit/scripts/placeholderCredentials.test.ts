/**
 * The editor test (test/e2e/canvas.test.ts) imports these placeholders before n8n starts;
 * a new format check on a variable must not first show up there, forty minutes into CI.
 */
import { placeholderCredentials } from '../../e2e/helpers/placeholderCredentials';
import { CREDENTIAL_SPECS } from '../../../scripts/lib/credentialsFromEnv';

describe('placeholder credentials for the editor test', () => {
	it('pass every format check and make every credential npm start can make', () => {
		const credentials = placeholderCredentials();
		expect(credentials.map((credential) => credential.id).sort()).toEqual(CREDENTIAL_SPECS.map((spec) => spec.id).sort());
	});
});
