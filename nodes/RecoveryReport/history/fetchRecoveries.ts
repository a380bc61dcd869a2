/**
 * Pages through the Recover sub-workflow's executions (newest first, as n8n's public API
 * lists them) until enough is read: `limit` log entries, or everything since `since`.
 * The page fetcher is injected, so this loop is tested without a server.
 */
import { isRecord } from '../../shared/json';
import { RECOVER_WORKFLOW_ID } from '../../shared/workflowIds';
import { readExecutionsPage } from './executions';
import { epochMs } from './times';

export interface ExecutionsPageRequest {
	workflowId: string;
	cursor: string | null;
	/** Page size (the public API allows up to 250). */
	limit: number;
}

/** A page's JSON, or an Error saying why it could not be read. */
export type FetchPage = (request: ExecutionsPageRequest) => Promise<unknown>;

export interface FetchRecoveriesOptions {
	workflowId?: string;
	/** Stop once this many executions are read (for the log). */
	atLeast?: number;
	/** Stop once executions older than this (epoch ms) appear (for the stats). */
	since?: number;
	/** A bound on the work one request may cause. */
	maxPages?: number;
	pageSize?: number;
}

export interface FetchedRecoveries {
	executions: unknown[];
	/** More existed than the bounds allowed: the figures cover only what was read. */
	truncated: boolean;
}

export async function fetchRecoveryExecutions(fetchPage: FetchPage, options: FetchRecoveriesOptions): Promise<FetchedRecoveries> {
	const workflowId = options.workflowId ?? RECOVER_WORKFLOW_ID;
	const maxPages = options.maxPages ?? 20;
	const pageSize = options.pageSize ?? 100;
	const executions: unknown[] = [];
	let cursor: string | null = null;
	for (let page = 0; page < maxPages; page++) {
		const read = readExecutionsPage(await fetchPage({ workflowId, cursor, limit: pageSize }));
		executions.push(...read.executions);
		cursor = read.nextCursor;
		if (cursor === null) return { executions, truncated: false };
		if (options.atLeast !== undefined && executions.length >= options.atLeast) return { executions, truncated: false };
		if (options.since !== undefined) {
			const oldest = read.executions.map((e) => (isRecord(e) ? epochMs(e.startedAt) : null)).filter((t): t is number => t !== null);
			if (oldest.length > 0 && Math.min(...oldest) < options.since) return { executions, truncated: false };
		}
	}
	return { executions, truncated: cursor !== null };
}
