/**
 * Prune on real backups: keep-last and keep-days rules (alone and together), dry runs
 * that delete nothing, the guard that never deletes the only verified backup, and files
 * that are not ours left alone.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';
import { pruneOutcomeToResult } from '../../../nodes/VolumeBackup/directory/outcomeToResult';
import { pruneBackups } from '../../../nodes/VolumeBackup/directory/pruneBackups';
import { isVerified } from '../../../nodes/VolumeBackup/directory/sidecars';
import { verifyBackup } from '../../../nodes/VolumeBackup/directory/verifyBackup';
import { validateCheckResult } from '../../../nodes/shared/validate';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const DAY_MS = 24 * 3600 * 1000;

let root: string;
let backupDir: string;
/** Archive paths by age in days (0 = newest). */
let byAge: Map<number, string>;

/** Backups made 0, 1, 3, 8 and 20 days before NOW. */
beforeEach(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-prune-'));
	const source = path.join(root, 'n8n');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'config'), '{}');
	backupDir = path.join(root, 'backups');
	byAge = new Map();
	for (const days of [20, 8, 3, 1, 0]) {
		const outcome = await backupDirectory({ sourceDir: source, backupDir, now: () => new Date(NOW.getTime() - days * DAY_MS) });
		byAge.set(days, outcome.file);
	}
	// Not ours (no manifest): prune must never touch it.
	fs.writeFileSync(path.join(backupDir, 'someone-else.tar.gz'), 'foreign');
});
afterEach(() => {
	fs.rmSync(root, { recursive: true, force: true });
});

function archive(days: number): string {
	const file = byAge.get(days);
	if (!file) throw new Error(`no backup ${days} days old`);
	return file;
}

function remaining(): number[] {
	return [...byAge.entries()].filter(([, file]) => fs.existsSync(file)).map(([days]) => days).sort((a, b) => a - b);
}

function sidecarsLeft(file: string): string[] {
	return fs.readdirSync(backupDir).filter((name) => name.startsWith(path.basename(file)));
}

test('keepLast keeps the newest N and deletes the rest with their sidecars', async () => {
	const outcome = await pruneBackups(backupDir, { keepLast: 2, now: () => NOW });
	expect(remaining()).toEqual([0, 1]);
	expect(outcome.deleted.map((b) => b.file)).toEqual([archive(20), archive(8), archive(3)]);
	expect(outcome.kept.map((b) => b.file)).toEqual([archive(0), archive(1)]);
	expect(sidecarsLeft(archive(20))).toEqual([]);
	expect(fs.existsSync(path.join(backupDir, 'someone-else.tar.gz'))).toBe(true);
	expect(outcome.freedBytes).toBe(outcome.deleted.reduce((sum, b) => sum + b.bytes, 0));
	const result = pruneOutcomeToResult(outcome, 'dir:n8n');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.status).toBe('healthy');
	expect(result.checks[0]?.message).toBe(
		`deleted ${path.basename(archive(20))}, ${path.basename(archive(8))}, ${path.basename(archive(3))} (${outcome.freedBytes} bytes); 2 backups kept`,
	);
});

test('keepDays keeps everything newer than D days', async () => {
	await pruneBackups(backupDir, { keepDays: 5, now: () => NOW });
	expect(remaining()).toEqual([0, 1, 3]);
});

test('keepLast and keepDays together keep what either rule keeps', async () => {
	await pruneBackups(backupDir, { keepLast: 1, keepDays: 10, now: () => NOW });
	expect(remaining()).toEqual([0, 1, 3, 8]);
	await pruneBackups(backupDir, { keepLast: 4, keepDays: 0.5, now: () => NOW });
	expect(remaining()).toEqual([0, 1, 3, 8]);
});

test('a dry run lists what would go and deletes nothing', async () => {
	const outcome = await pruneBackups(backupDir, { keepLast: 1, dryRun: true, now: () => NOW });
	expect(outcome.dryRun).toBe(true);
	expect(outcome.deleted.map((b) => b.file)).toEqual([archive(20), archive(8), archive(3), archive(1)]);
	expect(remaining()).toEqual([0, 1, 3, 8, 20]);
	const result = pruneOutcomeToResult(outcome, 'dir:n8n');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.checks[0]?.message).toMatch(/^would delete .*dry run, nothing changed$/);
});

test('never deletes the only verified backup, even when the rules say so', async () => {
	// Damage the three newest: verification fails and clears their markers.
	for (const days of [0, 1, 3]) {
		fs.appendFileSync(archive(days), 'garbage');
		expect((await verifyBackup(archive(days))).ok).toBe(false);
		expect(await isVerified(archive(days))).toBe(false);
	}
	// The 8-day-old one is the newest verified backup; the 20-day-old one is verified too.
	const outcome = await pruneBackups(backupDir, { keepLast: 2, now: () => NOW });
	expect(outcome.protectedFile).toBe(archive(8));
	expect(remaining()).toEqual([0, 1, 8]);
	const result = pruneOutcomeToResult(outcome, 'dir:n8n');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.checks[0]?.message).toContain(`kept ${path.basename(archive(8))} anyway so that each series keeps a verified backup`);

	// Now the 8-day one is the only verified backup: a keep-1 rule still keeps it.
	const again = await pruneBackups(backupDir, { keepLast: 1, now: () => NOW });
	expect(again.protectedFile).toBe(archive(8));
	expect(remaining()).toEqual([0, 8]);
});

test('with no verified backup at all, prune follows the rules and reports the folder degraded', async () => {
	for (const file of byAge.values()) fs.rmSync(`${file}.verified.json`);
	const outcome = await pruneBackups(backupDir, { keepLast: 1, now: () => NOW });
	expect(outcome.protectedFile).toBeUndefined();
	expect(remaining()).toEqual([0]);
	const result = pruneOutcomeToResult(outcome, 'dir:n8n');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result).toMatchObject({ status: 'degraded', cause: { code: 'backup.archive_missing' } });
});

test('bad rules are the caller problem', async () => {
	await expect(pruneBackups(backupDir, {})).rejects.toMatchObject({ parameter: 'keepLast' });
	await expect(pruneBackups(backupDir, { keepLast: 0 })).rejects.toMatchObject({ parameter: 'keepLast' });
	await expect(pruneBackups(backupDir, { keepLast: 1.5 })).rejects.toMatchObject({ parameter: 'keepLast' });
	await expect(pruneBackups(backupDir, { keepDays: -1 })).rejects.toMatchObject({ parameter: 'keepDays' });
	await expect(pruneBackups('backups', { keepLast: 1 })).rejects.toMatchObject({ parameter: 'backupDir' });
	expect(remaining()).toEqual([0, 1, 3, 8, 20]);
});

/** A database dump as Backup Postgres names it, with its `.sha256` (optionally verified). */
function writeDump(daysOld: number, verified: boolean): string {
	const stamp = new Date(NOW.getTime() - daysOld * DAY_MS).toISOString().replace(/[-:.]/g, '');
	const file = path.join(backupDir, `postgres-shop-${stamp}.dump`);
	fs.writeFileSync(file, `PGDMP fake dump ${daysOld}`);
	const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
	fs.writeFileSync(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
	if (verified) fs.writeFileSync(`${file}.verified.json`, JSON.stringify({ verifiedAt: NOW.toISOString(), sha256 }));
	return file;
}

test('folder backups and database dumps in one folder are separate series: keepLast counts each, dumps go with their sidecars', async () => {
	const dumps = [0, 2, 9].map((days) => writeDump(days, true));
	// Not ours (no .sha256 beside it): never touched.
	fs.writeFileSync(path.join(backupDir, 'manual.dump'), 'by hand');
	const outcome = await pruneBackups(backupDir, { keepLast: 2, now: () => NOW });
	expect(remaining()).toEqual([0, 1]);
	expect(dumps.map((file) => fs.existsSync(file))).toEqual([true, true, false]);
	expect(fs.readdirSync(backupDir).filter((name) => name.startsWith(path.basename(dumps[2] as string)))).toEqual([]);
	expect(fs.existsSync(path.join(backupDir, 'manual.dump'))).toBe(true);
	expect(outcome.kept.map((backup) => [backup.series, backup.kind])).toEqual(
		expect.arrayContaining([['n8n', 'directory'], ['postgres-shop', 'postgres']]),
	);
	const result = pruneOutcomeToResult(outcome, 'dir:backups');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.status).toBe('healthy');
});

test('each series keeps its newest verified backup: an unverified dump series does not borrow the folder backups', async () => {
	const dumps = [writeDump(0, false), writeDump(5, true), writeDump(12, false)];
	const outcome = await pruneBackups(backupDir, { keepLast: 1, now: () => NOW });
	// The 5-day dump is the series' only verified one: kept although keepLast is 1.
	expect(dumps.map((file) => fs.existsSync(file))).toEqual([true, true, false]);
	expect(outcome.protectedFiles).toEqual([dumps[1]]);
	expect(remaining()).toEqual([0]);
	// Dry run: nothing changes, the same would go.
	const dry = await pruneBackups(backupDir, { keepDays: 0.5, dryRun: true, now: () => NOW });
	expect(dry.deleted).toEqual([]);
	expect(dumps.slice(0, 2).every((file) => fs.existsSync(file))).toBe(true);
});
