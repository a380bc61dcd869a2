/**
 * A consistent copy of a live SQLite database through the sqlite3 CLI (no SQLite library
 * in the project). We use `VACUUM INTO` rather than the CLI's `.backup`: `.backup` copies
 * 100 pages per step and restarts whenever another process writes, so a busy n8n can keep
 * it from ever finishing, while `VACUUM INTO` copies inside one read transaction (in WAL
 * mode writers carry on; in rollback mode they wait on their busy timeout) and yields a
 * compact, self-contained file with no -wal to go with it.
 */
import { execFile } from 'node:child_process';

import { BackupError, describeError, errnoCode } from './errors';

/** How long sqlite3 waits for a lock held by the writer before giving up, ms. */
const BUSY_TIMEOUT_MS = 5000;

interface SnapshotRequest {
	sqliteBinary: string;
	databasePath: string;
	snapshotPath: string;
	timeoutMs: number;
}

/** sqlite3 string literal: single quotes doubled. */
function sqlString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

export function snapshotSqlite(request: SnapshotRequest): Promise<void> {
	const args = [
		'-batch',
		'-bail',
		'-cmd',
		`.timeout ${BUSY_TIMEOUT_MS}`,
		request.databasePath,
		`VACUUM INTO ${sqlString(request.snapshotPath)}`,
	];
	return new Promise((resolve, reject) => {
		execFile(request.sqliteBinary, args, { timeout: request.timeoutMs, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
			if (!error) return resolve();
			const code = errnoCode(error);
			if (code === 'ENOENT' || code === 'EACCES') {
				return reject(
					new BackupError(
						`sqliteBinary: cannot run '${request.sqliteBinary}' (${code}); install the sqlite3 CLI or set sqliteBinary to its path`,
						'backup.sqlite_unavailable',
					),
				);
			}
			if ('killed' in error && error.killed) {
				return reject(
					new BackupError(
						`sqlite3 did not finish the snapshot of ${request.databasePath} within ${request.timeoutMs} ms`,
						'backup.sqlite_timeout',
					),
				);
			}
			const detail = String(stderr).trim() || describeError(error);
			reject(new BackupError(`sqlite3 could not snapshot ${request.databasePath}: ${detail}`, 'backup.sqlite_failed'));
		});
	});
}
