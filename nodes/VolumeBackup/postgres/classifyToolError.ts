/**
 * pg_dump / pg_restore failures in plain words. The engine connects with `pg` first, so
 * most connection problems are classified there (describePgError); this covers what
 * only the tool sees, from its (already redacted) stderr.
 */
import { commonCause } from '../../shared/causes';
import type { Cause } from '../../shared/contract';
import { backupCause, type BackupCauseCode } from './causes';
import { lastStderrLine, type ToolRun } from './runTool';

export function classifyToolExit(run: ToolRun, tool: string, binaryParameter: string, failedCode: BackupCauseCode, timeoutMs: number): Cause {
	if (run.spawnError) {
		return backupCause('backup.tool_missing', `${tool} could not be started (parameter ${binaryParameter}, ${run.spawnError.code ?? 'error'}).`);
	}
	if (run.timedOut) return backupCause('net.timeout', `${tool} did not finish within ${timeoutMs} ms and was stopped.`);
	const stderr = run.stderr;
	const line = lastStderrLine(stderr);
	if (/password authentication failed|no password supplied/i.test(stderr)) {
		return commonCause('auth.invalid_credentials', `${tool}: password authentication failed (check the user and password).`);
	}
	if (/server version mismatch/i.test(stderr)) {
		return backupCause('backup.tool_too_old', `${tool} is older than the server (parameter ${binaryParameter}): ${line}.`);
	}
	if (/could not connect|connection refused|timeout expired|could not translate host name/i.test(stderr)) {
		return commonCause('net.unreachable', `${tool} could not connect to the database: ${line}.`);
	}
	if (/permission denied/i.test(stderr)) return commonCause('auth.forbidden', `${tool}: permission denied: ${line}.`);
	return backupCause(failedCode, `${tool} failed (exit code ${run.code ?? 'none'}): ${line}.`);
}
