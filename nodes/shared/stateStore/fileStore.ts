/**
 * The state store for n8n on SQLite (one n8n process, plus any `n8n execute` run beside
 * it on the same host): a folder per key in n8n's own folder, one file per version.
 *
 * Why versions instead of a lock file: an update is a compare-and-swap. It reads the
 * newest version N, computes, writes the new value to a temporary file and hard-links
 * it as version N+1; link() fails if N+1 already exists, atomically, on every POSIX file
 * system, so of two writers that read N exactly one commits and the other recomputes on
 * N+1. Nothing is ever held: a process that dies mid-update leaves at most a temporary
 * file (swept later), never a lock that others must wait out or guess is stale. And a
 * version file appears only complete (it is a link to a fully written and synced file),
 * so a reader never sees half a state.
 *
 * Old versions are pruned, and a pruned name must never be committed again (a writer
 * that read version N long ago would "win" N+1 although N+9 exists): so a writer gives
 * up a decision older than COMMIT_WITHIN_MS and decides again, and a version is pruned
 * only once it is older than PRUNE_AFTER_MS, which is more than twice that. A version
 * this writer did not see was made after it listed the folder, so it is still there.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

import { fsyncDirectory, writeDurably } from '../files/durable';
import { KeyedMutex } from './keyedMutex';
import { checkKey, StateStoreError, type Change, type Committed, type StateStore } from './types';

export interface FileStoreOptions {
	folder: string;
	/** Give up an update (StateStoreError 'busy') after this long. */
	waitMs: number;
	/** Older versions kept next to the newest (a person can look back a few updates). */
	keepVersions?: number;
}

const VERSION_FILE = /^v(\d{12})\.json$/;
const TEMP_PREFIX = '.tmp-';
/** A temporary file this old belongs to a writer that died (a write takes milliseconds). */
const ABANDONED_TEMP_MS = 10 * 60_000;
const DEFAULT_KEEP_VERSIONS = 5;
/** A decision (read, compute, write) that took longer than this is not committed but made again on a fresh read. */
const COMMIT_WITHIN_MS = 5 * 60_000;
/** Versions younger than this are never pruned (see the header: 3 × COMMIT_WITHIN_MS). */
export const PRUNE_AFTER_MS = 3 * COMMIT_WITHIN_MS;

const versionFile = (version: number) => `v${String(version).padStart(12, '0')}.json`;
const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

interface Found {
	version: number;
	value: unknown;
}

export function createFileStore(options: FileStoreOptions): StateStore {
	const mutex = new KeyedMutex();
	const keep = options.keepVersions ?? DEFAULT_KEEP_VERSIONS;
	const folderOf = (key: string) => path.join(options.folder, checkKey(key));

	async function listVersions(folder: string): Promise<number[]> {
		let names: string[];
		try {
			names = await fs.readdir(folder);
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return [];
			throw unavailable(folder, error);
		}
		return names.flatMap((name) => (VERSION_FILE.exec(name) ? [Number(VERSION_FILE.exec(name)?.[1])] : [])).sort((a, b) => a - b);
	}

	/** The newest version, or version 0 when nothing is stored. */
	async function readNewest(folder: string): Promise<Found> {
		// A version pruned between listing and reading means a newer one exists: list again.
		for (let attempt = 0; attempt < 10; attempt++) {
			const version = (await listVersions(folder)).pop();
			if (version === undefined) return { version: 0, value: undefined };
			const file = path.join(folder, versionFile(version));
			let text: string;
			try {
				text = await fs.readFile(file, 'utf8');
			} catch (error) {
				if (errorCode(error) === 'ENOENT') continue;
				throw unavailable(file, error);
			}
			try {
				return { version, value: JSON.parse(text) as unknown };
			} catch {
				throw await quarantine(file, version);
			}
		}
		throw new StateStoreError('busy', `state folder ${folder}: the newest version kept changing while being read`);
	}

	/**
	 * A version that does not parse (a disk or a person damaged it): it is renamed, not
	 * deleted, so nothing is lost, and this run fails saying so; the next update starts
	 * from the version before it (or from nothing).
	 */
	async function quarantine(file: string, version: number): Promise<StateStoreError> {
		const kept = `${file}.unreadable-${Date.now()}`;
		await fs.rename(file, kept).catch(() => undefined);
		return new StateStoreError(
			'unreadable',
			`state version ${version} in ${file} is not valid JSON; it was moved to ${kept} and the next run continues from version ${version - 1 || 'none (a fresh state)'}`,
		);
	}

	/** Writes version `version` if nobody did; false when another writer got there first or the decision got too old. */
	async function commit(folder: string, version: number, text: string, notAfter: number): Promise<boolean> {
		const temp = path.join(folder, `${TEMP_PREFIX}${process.pid}-${randomUUID()}`);
		try {
			await writeDurably(temp, text);
			await fs.chmod(temp, 0o600);
			if (Date.now() > notAfter) return false;
			await fs.link(temp, path.join(folder, versionFile(version)));
			await fsyncDirectory(folder);
			return true;
		} catch (error) {
			if (errorCode(error) === 'EEXIST') return false;
			if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errorCode(error) ?? '')) {
				throw new StateStoreError('unavailable', `state folder ${folder}: its file system cannot make hard links, which the state store needs to commit updates atomically`);
			}
			throw unavailable(folder, error);
		} finally {
			await fs.unlink(temp).catch(() => undefined);
		}
	}

	/** Drops old versions beyond the kept ones (see the header for "old") and temporary files of writers that died. */
	async function prune(folder: string, newest: number): Promise<void> {
		const names = await fs.readdir(folder).catch(() => [] as string[]);
		const now = Date.now();
		const olderThan = async (file: string, ageMs: number) => {
			const stat = await fs.stat(file).catch(() => undefined);
			return stat !== undefined && now - stat.mtimeMs > ageMs;
		};
		await Promise.all(
			names.map(async (name) => {
				const file = path.join(folder, name);
				const match = VERSION_FILE.exec(name);
				const expired = match ? Number(match[1]) <= newest - keep && (await olderThan(file, PRUNE_AFTER_MS)) : name.startsWith(TEMP_PREFIX) && (await olderThan(file, ABANDONED_TEMP_MS));
				if (expired) await fs.unlink(file).catch(() => undefined);
			}),
		);
	}

	return {
		describe: `files in ${options.folder}`,

		async read<T>(key: string): Promise<T | undefined> {
			return (await readNewest(folderOf(key))).value as T | undefined;
		},

		async update<T, R>(key: string, change: Change<T, R>): Promise<Committed<T, R>> {
			const folder = folderOf(key);
			const deadline = Date.now() + options.waitMs;
			return mutex.run(key, options.waitMs, async () => {
				await fs.mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
					throw unavailable(folder, error);
				});
				for (let attempt = 1; ; attempt++) {
					const listedAt = Date.now();
					const found = await readNewest(folder);
					const { next, result } = change(found.value as T | undefined);
					const text = JSON.stringify(next);
					if (text === undefined) throw new TypeError('a state must be a JSON value');
					if (await commit(folder, found.version + 1, text, listedAt + COMMIT_WITHIN_MS)) {
						await prune(folder, found.version + 1);
						return { value: next, result, version: found.version + 1 };
					}
					// Another process committed first (or this decision got too old): recompute on a fresh read, after a random pause so two writers drift apart.
					if (Date.now() >= deadline) {
						throw new StateStoreError('busy', `state "${key}": other processes kept updating it for ${options.waitMs} ms (${attempt} attempts)`);
					}
					await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt, 10)));
				}
			});
		},

		async close(): Promise<void> {
			// Nothing is held open between updates.
		},
	};
}

function unavailable(file: string, error: unknown): StateStoreError {
	const code = errorCode(error);
	return new StateStoreError('unavailable', `state store cannot use ${file}: ${code ?? (error instanceof Error ? error.message : String(error))}`);
}
