/**
 * Backup Directory checks the listing from the compressed bytes as they stream out and
 * then hashes the file on disk: a disk that stores other bytes than it was given is
 * caught (backup.checksum_mismatch) and nothing that looks like a backup is left.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';
import { verifyBackup } from '../../../nodes/VolumeBackup/directory/verifyBackup';

let root: string;
let source: string;
let backupDir: string;

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-writecheck-'));
	source = path.join(root, 'n8n');
	fs.mkdirSync(path.join(source, 'workflows'), { recursive: true });
	for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(source, 'workflows', `w${i}.json`), JSON.stringify({ id: i, nodes: Array(50).fill({ type: 'x' }) }));
	backupDir = path.join(root, 'backups');
});
afterEach(() => {
	fs.rmSync(root, { recursive: true, force: true });
});

/** A real file that silently stores one byte wrong (a faulty disk or controller). */
function lyingDisk(file: string): Writable {
	const fd = fs.openSync(file, 'wx');
	let lied = false;
	return new Writable({
		write(chunk: Buffer, _encoding, callback): void {
			const stored = Buffer.from(chunk);
			if (!lied && stored.length > 100) {
				stored[100] = (stored[100] as number) ^ 0xff;
				lied = true;
			}
			fs.writeSync(fd, stored);
			callback();
		},
		final(callback): void {
			fs.closeSync(fd);
			callback();
		},
	});
}

test('a disk that stores different bytes fails the backup with backup.checksum_mismatch and leaves nothing', async () => {
	let opened = 0;
	const open = (file: string) => (opened++, lyingDisk(file));
	const error = await backupDirectory({ sourceDir: source, backupDir, createWriteStream: open }).catch((e: unknown) => e);
	expect(opened).toBe(1);
	expect(error).toMatchObject({ name: 'BackupError', code: 'backup.checksum_mismatch' });
	expect(fs.readdirSync(backupDir)).toEqual([]);
});

test('an honest disk: the archive passes, and an independent Verify agrees with the in-stream check', async () => {
	const outcome = await backupDirectory({ sourceDir: source, backupDir });
	expect(outcome.manifest.files).toHaveLength(201);
	const verified = await verifyBackup(outcome.file);
	expect(verified).toMatchObject({ ok: true, sha256: outcome.sha256, entries: 201, missing: [], unexpected: [], mismatched: [] });
});
