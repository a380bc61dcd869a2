/** Links to an execution in the n8n editor: Recovery Report's log entries and Alert Message's alerts. */
import { OptionError } from './optionError';
import { redact } from './redact';

/** The base URL without trailing slashes; '' when none is configured. Throws when it is not an http(s) URL. */
export function normaliseExecutionBaseUrl(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') throw new OptionError('executionBaseUrl', `executionBaseUrl must be a string, got ${typeof value}`);
	const base = value.trim().replace(/\/+$/, '');
	if (base === '') return '';
	let url: URL;
	try {
		url = new URL(base);
	} catch {
		// The value is not echoed: a mistyped setting can hold anything, a secret included.
		throw new OptionError('executionBaseUrl', 'executionBaseUrl must be an http(s) URL such as https://n8n.example.com');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new OptionError('executionBaseUrl', `executionBaseUrl must use http or https, got "${url.protocol}"`);
	}
	return base;
}

/** `${base}/workflow/${workflowId}/executions/${id}`; null without a base. Redacted: a base with user:password@ loses the password. */
export function executionUrl(base: string, workflowId: string, executionId: string): string | null {
	if (base === '') return null;
	return redact(`${base}/workflow/${encodeURIComponent(workflowId)}/executions/${encodeURIComponent(executionId)}`);
}
