/**
 * The text of a file or URL repair source. Never throws for a source that cannot be
 * had (missing file, too large, HTTP failure, timeout): that is a classified result
 * the repair reports. URLs are fetched with the shared HTTP helper (hard deadline,
 * classified failures, messages naming the host only, so a token in the URL's query
 * never shows up in an outcome).
 */
import fs from 'node:fs/promises';

import type { Cause } from '../../shared/contract';
import { causeOfHttpFailure, httpRequest } from '../../shared/http';
import { repairSourceCause, SourceFormatError } from './errors';
import { parseRecords, type ParsedRecords } from './sourceRows';
import type { RepairSource } from './types';

/** Files larger than this are refused (the whole text is parsed in memory). */
const MAX_SOURCE_FILE_BYTES = 100 * 1024 * 1024;
/** Reading a file (e.g. on a network mount) gives up after this long. */
const FILE_READ_TIMEOUT_MS = 60_000;
// URL bodies are capped by the shared HTTP helper (20 MB); a larger body is reported as unreadable.

type LoadedSource = { ok: true; text: string; bytes: number } | { ok: false; cause: Cause };

interface FileLoadOptions {
	maxBytes?: number;
	timeoutMs?: number;
}

function describe(error: unknown): string {
	const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
	if (code === 'ENOENT') return 'it does not exist';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'EISDIR') return 'it is a directory';
	if (code === 'ABORT_ERR') return 'reading it took too long';
	return error instanceof Error ? error.message : String(error);
}

async function loadFile(path: string, options: FileLoadOptions = {}): Promise<LoadedSource> {
	const maxBytes = options.maxBytes ?? MAX_SOURCE_FILE_BYTES;
	const unreadable = (why: string): LoadedSource => ({
		ok: false,
		cause: repairSourceCause('database.repair_source_unreadable', `The repair source file ${path} cannot be read: ${why}.`),
	});
	try {
		const stat = await fs.stat(path);
		if (stat.isDirectory()) return unreadable('it is a directory');
		if (stat.size > maxBytes) return unreadable(`it has ${stat.size} bytes, more than the ${maxBytes}-byte limit`);
		const text = await fs.readFile(path, { encoding: 'utf8', signal: AbortSignal.timeout(options.timeoutMs ?? FILE_READ_TIMEOUT_MS) });
		return { ok: true, text, bytes: Buffer.byteLength(text) };
	} catch (error) {
		return unreadable(describe(error));
	}
}

async function loadUrl(url: string, timeoutMs: number): Promise<LoadedSource> {
	const outcome = await httpRequest<string>({ method: 'GET', url, timeoutMs, responseType: 'text' });
	if (!outcome.ok) return { ok: false, cause: causeOfHttpFailure(outcome, `The repair source URL (${hostOf(url)})`) };
	const text = typeof outcome.data === 'string' ? outcome.data : '';
	return { ok: true, text, bytes: Buffer.byteLength(text) };
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'invalid URL';
	}
}

type SourceRecords = { ok: true; parsed: ParsedRecords } | { ok: false; cause: Cause };

/** A file or URL source, loaded and parsed; any problem with it is a cause, not an exception. */
export async function readSourceRecords(source: Exclude<RepairSource, { kind: 'table' }>): Promise<SourceRecords> {
	const loaded = source.kind === 'file' ? await loadFile(source.path) : await loadUrl(source.url, source.timeoutMs);
	if (!loaded.ok) return loaded;
	try {
		return { ok: true, parsed: parseRecords(loaded.text, source.format) };
	} catch (error) {
		if (!(error instanceof SourceFormatError)) throw error;
		return { ok: false, cause: invalidSourceCause(source, error) };
	}
}

/** The cause for a source whose content cannot be used (bad format, missing field). */
export function invalidSourceCause(source: Exclude<RepairSource, { kind: 'table' }>, error: SourceFormatError): Cause {
	const where = source.kind === 'file' ? `file ${source.path}` : `URL (${hostOf(source.url)})`;
	return repairSourceCause('database.repair_source_invalid', `The repair source ${where} cannot be used: ${error.message}.`);
}
