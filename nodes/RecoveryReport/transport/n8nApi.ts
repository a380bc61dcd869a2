/**
 * n8n's public API (the recovery log is n8n's own execution history), through the
 * shared HTTP helper: one deadline per page, classified failures, the API key masked.
 */
import { httpRequest } from '../../shared/http';
import type { ExecutionsPageRequest, FetchPage } from '../history/fetchRecoveries';

interface N8nApiSettings {
	/** e.g. http://127.0.0.1:5678/api/v1 */
	baseUrl: string;
	apiKey: string;
	timeoutMs: number;
}

/** Why the history could not be read; answered as a 503 by the webhooks. */
export class HistoryUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HistoryUnavailableError';
	}
}

export function executionsPageFetcher(settings: N8nApiSettings): FetchPage {
	const base = settings.baseUrl.replace(/\/+$/, '');
	return async (page: ExecutionsPageRequest) => {
		const outcome = await httpRequest({
			method: 'GET',
			url: `${base}/executions`,
			headers: { 'X-N8N-API-KEY': settings.apiKey, accept: 'application/json' },
			query: { workflowId: page.workflowId, includeData: true, limit: page.limit, cursor: page.cursor ?? undefined },
			timeoutMs: settings.timeoutMs,
			secrets: [settings.apiKey],
		});
		if (outcome.ok) return outcome.data;
		const why = outcome.kind === 'auth' || outcome.kind === 'forbidden' ? 'the n8n API key was refused (check the "n8n API" credential)' : `n8n's API did not answer (${outcome.message})`;
		throw new HistoryUnavailableError(why);
	};
}
