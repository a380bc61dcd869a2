/**
 * Volume Backup and Log Archive refuse a path outside n8n's allowed folders before they
 * touch anything: the error names the parameter and the allowed folders, no folder is
 * created, no backup deleted, and the database is never reached.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IExecuteFunctions } from 'n8n-workflow';

import { LogArchive } from '../../../nodes/LogArchive/LogArchive.node';
import { VolumeBackup } from '../../../nodes/VolumeBackup/VolumeBackup.node';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

const VARIABLES = ['N8N_RESTRICT_FILE_ACCESS_TO', 'N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES', 'N8N_USER_FOLDER'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let root: string;
let allowed: string;
let outside: string;

beforeEach(() => {
	root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'node-file-access-')));
	allowed = path.join(root, 'allowed');
	outside = path.join(root, 'outside');
	fs.mkdirSync(path.join(allowed, 'source'), { recursive: true });
	fs.writeFileSync(path.join(allowed, 'source', 'config'), '{}');
	fs.mkdirSync(path.join(root, 'n8n-user', '.n8n'), { recursive: true });
	process.env.N8N_RESTRICT_FILE_ACCESS_TO = `${allowed};${path.join(root, 'n8n-user')}`;
	process.env.N8N_USER_FOLDER = path.join(root, 'n8n-user');
	delete process.env.N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES;
});
afterEach(() => {
	for (const name of VARIABLES) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
	fs.rmSync(root, { recursive: true, force: true });
});

function volumeBackup(parameters: Record<string, unknown>): Promise<unknown> {
	return new VolumeBackup().execute.call(fakeExecuteFunctions({ parameters: { resource: 'backup', options: {}, ...parameters }, input: [{}] }));
}

const allowedList = () => `${allowed}, ${path.join(root, 'n8n-user')}`;

describe('Volume Backup', () => {
	test('Backup Directory into a folder outside: refused, naming the parameter and the allowed folders; the folder is not created', async () => {
		const backupDir = path.join(outside, 'backups');
		await expect(volumeBackup({ operation: 'backupDirectory', sourceDir: path.join(allowed, 'source'), backupDir })).rejects.toThrow(
			`Parameter "Backup Folder": ${backupDir} is outside the folders n8n lets nodes use: ${allowedList()} (set by N8N_RESTRICT_FILE_ACCESS_TO); nothing was read, written or deleted`,
		);
		expect(fs.existsSync(outside)).toBe(false);
	});

	test("Backup Directory of n8n's own folder: refused while N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES is not false, even inside an allowed folder", async () => {
		const n8nFolder = path.join(root, 'n8n-user', '.n8n');
		const backupDir = path.join(allowed, 'backups');
		await expect(volumeBackup({ operation: 'backupDirectory', sourceDir: n8nFolder, backupDir })).rejects.toThrow(/^Parameter "Source Folder": .* is inside n8n's own files .*N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false/);
		expect(fs.existsSync(backupDir)).toBe(false);
	});

	test('Prune in a folder outside deletes nothing', async () => {
		fs.mkdirSync(outside);
		const old = ['n8n-20200101T000000000Z.tar.gz', 'n8n-20200102T000000000Z.tar.gz', 'n8n-20200103T000000000Z.tar.gz'];
		for (const name of old) fs.writeFileSync(path.join(outside, name), 'x');
		await expect(volumeBackup({ operation: 'prune', backupDir: outside, keepLast: 1, keepDays: 0, dryRun: false })).rejects.toThrow(/^Parameter "Backup Folder": .* is outside the folders/);
		expect(fs.readdirSync(outside).sort()).toEqual(old);
	});

	test('Restore Directory into a target outside (through a symlink in an allowed folder): refused, nothing created', async () => {
		fs.mkdirSync(outside);
		fs.symlinkSync(outside, path.join(allowed, 'link-out'));
		const targetDir = path.join(allowed, 'link-out', 'restored');
		await expect(volumeBackup({ operation: 'restoreDirectory', file: path.join(allowed, 'n8n-1.tar.gz'), targetDir })).rejects.toThrow(
			`Parameter "Target Folder": ${targetDir} (really ${path.join(outside, 'restored')}) is outside the folders`,
		);
		expect(fs.readdirSync(outside)).toEqual([]);
	});

	test('Verify and Restore Postgres of a file outside: refused', async () => {
		const file = path.join(outside, 'shop.dump');
		await expect(volumeBackup({ operation: 'verify', file })).rejects.toThrow(/^Parameter "Backup File": .* is outside the folders/);
		await expect(volumeBackup({ operation: 'restorePostgres', file })).rejects.toThrow(/^Parameter "Backup File": .* is outside the folders/);
	});

	test('inside the allowed folders the operation runs (a dry-run prune reports on the folder)', async () => {
		const output = (await volumeBackup({ operation: 'prune', backupDir: allowed, keepLast: 1, keepDays: 0, dryRun: true })) as Array<Array<{ json: Record<string, unknown> }>>;
		expect(output[0][0].json).toMatchObject({ component: 'backup', target: 'dir:allowed', checks: [{ name: 'prune', status: 'healthy' }, { name: 'verified_backup' }] });
	});
});

describe('Log Archive', () => {
	test('a file destination outside is refused before the database is reached, and no folder is created', async () => {
		const directory = path.join(outside, 'logs');
		const ctx: IExecuteFunctions = fakeExecuteFunctions({
			parameters: { resource: 'logs', operation: 'archive', table: 'system_logs', timestampColumn: 'created_at', keyColumn: 'id', olderThanDays: 30, destination: 'file', directory, dryRun: false, options: {} },
			input: [{}],
		});
		// The fake has no getCredentials: reaching the database would fail with another message.
		await expect(new LogArchive().execute.call(ctx)).rejects.toThrow(
			`Parameter "Directory": ${directory} is outside the folders n8n lets nodes use: ${allowedList()} (set by N8N_RESTRICT_FILE_ACCESS_TO); nothing was read, written or deleted`,
		);
		expect(fs.existsSync(outside)).toBe(false);
	});
});
