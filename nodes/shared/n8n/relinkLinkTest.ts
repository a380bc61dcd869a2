/**
 * The Relink Link credential's test (n8n's Test button): a key is not an account, so there is
 * nothing to call; the test says whether it is long enough to sign links with, never what it is.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { LINK_SECRET_PARAMETER, MIN_SECRET_CHARS } from '../links/incidentLinkToken';

export async function autorecoveryRelinkLinkTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const secret = credential.data?.secret;
	if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_CHARS) {
		return { status: 'Error', message: `${LINK_SECRET_PARAMETER} must be at least ${MIN_SECRET_CHARS} characters long (e.g. openssl rand -base64 32)` };
	}
	return { status: 'OK', message: 'The key is long enough to sign relink links' };
}
