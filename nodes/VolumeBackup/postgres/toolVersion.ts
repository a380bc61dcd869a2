/**
 * Which pg_dump / pg_restore a binary parameter points at: `<binary> --version`, parsed.
 * pg_dump can only dump servers of its own major version or older, so the engine checks
 * this before dumping and reports a too-old tool plainly instead of pg_dump's mid-run abort.
 */
import { execFile } from 'node:child_process';

import { backupCause } from './causes';
import { BackupFailure } from './errors';
import type { ToolVersion } from './types';

/** `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → { tool, version, major }. */
export function parseToolVersion(output: string): ToolVersion | null {
	const match = /^(\S+) \(PostgreSQL\) (\d+)(?:\.(\d+))?/m.exec(output.trim());
	if (!match) return null;
	const major = Number(match[2]);
	return { tool: match[1] as string, version: match[3] === undefined ? match[2] as string : `${match[2]}.${match[3]}`, major };
}

/** Major version from `server_version_num` (e.g. 150018 → 15; 90624 → 9). */
export function serverMajor(serverVersionNum: number): number {
	if (serverVersionNum >= 100000) return Math.floor(serverVersionNum / 10000);
	// Before 10 the major was two numbers: 90624 → 9.6.
	return Math.floor(serverVersionNum / 10000) + (Math.floor(serverVersionNum / 100) % 100) / 10;
}

/**
 * Runs `<binary> --version`. Throws BackupFailure (backup.tool_missing / tool_unusable /
 * net.timeout) naming `parameter`, the option the binary came from.
 */
export function pgToolVersion(binary: string, parameter: string, expectedTool: string, timeoutMs: number): Promise<ToolVersion> {
	return new Promise((resolve, reject) => {
		execFile(binary, ['--version'], { timeout: timeoutMs, killSignal: 'SIGKILL', env: { LC_ALL: 'C' } }, (error, stdout) => {
			if (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
					reject(new BackupFailure(backupCause('backup.tool_missing', `${expectedTool} was not found or cannot be run at ${binary} (parameter ${parameter}, ${code}).`)));
				} else if (error.killed) {
					reject(new BackupFailure(backupCause('net.timeout', `${binary} --version did not answer within ${timeoutMs} ms (parameter ${parameter}).`)));
				} else {
					reject(new BackupFailure(backupCause('backup.tool_unusable', `${binary} --version failed (parameter ${parameter}); is it ${expectedTool}?`)));
				}
				return;
			}
			const parsed = parseToolVersion(stdout);
			if (!parsed || parsed.tool !== expectedTool) {
				reject(new BackupFailure(backupCause('backup.tool_unusable', `${binary} does not report itself as ${expectedTool} (parameter ${parameter}).`)));
				return;
			}
			resolve(parsed);
		});
	});
}
