/**
 * Runs Backup Directory in its own process so a test can SIGKILL it mid-write:
 *   node --import tsx directoryBackupChild.ts <sourceDir> <backupDir>
 * After about 1 MiB of archive the write stream stops completing writes and prints
 * STALLED, so the parent kills it at a known point rather than by timing.
 */
import fs from 'node:fs';
import { Writable } from 'node:stream';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';

export const STALL_AFTER_BYTES = 1024 * 1024;

function stallingStream(file: string): Writable {
	const fd = fs.openSync(file, 'wx');
	let written = 0;
	return new Writable({
		write(chunk: Buffer, _encoding, callback): void {
			fs.writeSync(fd, chunk);
			written += chunk.length;
			if (written < STALL_AFTER_BYTES) return callback();
			fs.fsyncSync(fd);
			process.stdout.write('STALLED\n');
			// Never call back: the process is killed here.
		},
	});
}

if (require.main === module) {
	const [sourceDir, backupDir] = process.argv.slice(2);
	if (!sourceDir || !backupDir) throw new Error('usage: directoryBackupChild.ts <sourceDir> <backupDir>');
	void backupDirectory({ sourceDir, backupDir, createWriteStream: stallingStream }).then(() => {
		process.stdout.write('FINISHED\n');
	});
}
