/** Reading credential fields the same way in every node's transport. */
import { NodeOperationError, type ICredentialDataDecryptedObject, type IExecuteFunctions } from 'n8n-workflow';

/** A credential field as trimmed text ('' when unset); numbers become their digits. */
export function credentialText(credentials: ICredentialDataDecryptedObject, key: string): string {
	const value = credentials[key];
	if (typeof value === 'string') return value.trim();
	return typeof value === 'number' ? String(value) : '';
}

/** A credential's base URL without trailing slashes; '' stays '' (the caller's default applies). */
export function credentialBaseUrl(ctx: IExecuteFunctions, value: string, itemIndex: number): string {
	if (value === '') return '';
	if (!/^https?:\/\/\S+$/.test(value)) {
		throw new NodeOperationError(ctx.getNode(), `The credential's "Base URL" must be an http(s) URL, got "${value}"`, { itemIndex });
	}
	return value.replace(/\/+$/, '');
}
