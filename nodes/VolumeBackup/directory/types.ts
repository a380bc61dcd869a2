/**
 * Plain inputs and outcomes of the directory backup engine (no n8n types). A backup is
 * three files side by side: `<name>.tar.gz`, `<name>.tar.gz.manifest.json` and
 * `<name>.tar.gz.sha256`; a fourth, `<name>.tar.gz.verified.json`, exists while the
 * archive's last verification passed.
 */
import type { Readable, Writable } from 'node:stream';

export type ManifestEntryType = 'file' | 'dir' | 'symlink' | 'hardlink';

export interface ManifestEntry {
	/** Archive path, relative, `/`-separated; directories end without a slash. */
	path: string;
	type: ManifestEntryType;
	/** Bytes stored for the entry (0 for dirs, links). */
	size: number;
	/** Symlink target as stored, or the archive path a hard link points to. */
	linkTarget?: string;
}

export type SnapshotMethod =
	/** `VACUUM INTO` through the sqlite3 CLI: one read transaction, consistent while others write. */
	| 'vacuum_into'
	/** sqlite3 was missing and the caller allowed it: the live files were copied as they were. */
	| 'copy';

export interface SqliteSnapshot {
	/** Relative path of the database inside the source directory. */
	path: string;
	method: SnapshotMethod;
	bytes: number;
}

export interface BackupManifest {
	version: 1;
	createdAt: string;
	/** Absolute path of the directory that was backed up. */
	source: string;
	/** File name of the archive this manifest describes. */
	archive: string;
	files: ManifestEntry[];
	sqliteSnapshots: SqliteSnapshot[];
	/** Symlinks not stored because they point outside the source directory. */
	skippedLinks: Array<{ path: string; target: string }>;
}

export type WriteStreamFactory = (filePath: string) => Writable;

export interface BackupOptions {
	/** Absolute path of the directory to back up. */
	sourceDir: string;
	/** Absolute path of the folder that receives the archive (created when missing). */
	backupDir: string;
	/** File name prefix (letters, digits, `._-`); default: the source folder's name. */
	name?: string;
	/** Globs (minimatch, relative `/` paths, dotfiles match) a file must match; empty = everything. */
	include?: string[];
	/** Globs that leave a file or a whole directory out. */
	exclude?: string[];
	/**
	 * Relative paths of SQLite databases to snapshot consistently; their -wal/-shm/-journal
	 * files are left out. Default: `['database.sqlite']` when that file exists.
	 */
	sqliteFiles?: string[];
	/** The sqlite3 CLI (default `sqlite3`, looked up on PATH). */
	sqliteBinary?: string;
	/**
	 * Without sqlite3: `fail` (default) stops the backup with backup.sqlite_unavailable;
	 * `copy` copies the live files and reports the backup degraded (not a consistent snapshot).
	 */
	sqliteMissing?: 'fail' | 'copy';
	/** gzip level 0-9 (default 6, the level `gzip`/`tar czf` use). */
	compressionLevel?: number;
	/**
	 * Blocks gzip-compressed at once on libuv's thread pool (default: the cores plus one,
	 * at most 3, so the pool's 4 threads keep one for reading files and the check's gunzip).
	 */
	compressionThreads?: number;
	/** The clock (archive name, manifest createdAt). */
	now?: () => Date;
	/** Limit for each sqlite3 run, ms (default 10 000). */
	timeoutMs?: number;
	/**
	 * The longest the walk, the write or the read-back may go without progress, ms (default
	 * 60 000): a hung disk or network mount ends the run with net.timeout instead of hanging it.
	 */
	stallTimeoutMs?: number;
	/** Seam for tests: how the archive's temporary file is opened (default fs.createWriteStream, flag `wx`). */
	createWriteStream?: WriteStreamFactory;
}

export interface BackupOutcome {
	/** Absolute path of the finished archive. */
	file: string;
	manifestFile: string;
	bytes: number;
	sha256: string;
	manifest: BackupManifest;
	durationMs: number;
}

export interface ArchiveEntryProblem {
	path: string;
	reason: string;
}

export interface VerifyOutcome {
	file: string;
	/** sha256 of the archive bytes as read now. */
	sha256: string;
	/** sha256 recorded when the backup was written (the `.sha256` file), if present. */
	expectedSha256?: string;
	checksumOk: boolean;
	/** Entries read from the archive. */
	entries: number;
	/** The gzip/tar stream could not be read to its end (message), if so. */
	corrupt?: string;
	/** Manifest paths absent from the archive. */
	missing: string[];
	/** Archive paths the manifest does not list. */
	unexpected: string[];
	/** Paths whose type or size differs from the manifest. */
	mismatched: ArchiveEntryProblem[];
	/** Entries that would escape a restore target. */
	unsafe: ArchiveEntryProblem[];
	/** True when a manifest was found and compared. */
	manifestChecked: boolean;
	ok: boolean;
	durationMs: number;
}

/** How Verify and Restore read an archive. */
export interface ArchiveReadOptions {
	/** No progress reading (or, for Restore, writing) for this long ends the run with net.timeout (default 60 000). */
	stallTimeoutMs?: number;
	/** Opens the archive for reading (default fs.createReadStream; tests: a mount that hangs). */
	openArchive?: (file: string) => Readable;
}

export interface RestoreOptions extends ArchiveReadOptions {
	/** Replace files in a non-empty target (files not in the archive are left alone). */
	overwrite?: boolean;
}

export interface RestoreOutcome {
	file: string;
	targetDir: string;
	entries: number;
	bytes: number;
	/** Stale -wal/-shm/-journal files removed next to restored databases. */
	removedSidecars: string[];
	durationMs: number;
}

export interface PruneOptions {
	/** Keep the newest N backups of each series (N ≥ 1). */
	keepLast?: number;
	/** Keep every backup newer than D days (D > 0). */
	keepDays?: number;
	/** List what would be deleted; delete nothing. */
	dryRun?: boolean;
	now?: () => Date;
}

export type BackupKind = 'directory' | 'postgres';

export interface BackupListing {
	file: string;
	/** A folder archive (.tar.gz + manifest) or a database dump (.dump + .sha256). */
	kind: BackupKind;
	/** The name before the time stamp (`n8n`, `postgres-shop`): retention counts per series. */
	series: string;
	createdAt: string;
	bytes: number;
	verified: boolean;
}

export interface PruneOutcome {
	backupDir: string;
	dryRun: boolean;
	kept: BackupListing[];
	/** Deleted (or, in a dry run, would be deleted), oldest first. */
	deleted: BackupListing[];
	/** A backup the rules would delete but kept because it is its series' only verified one (the first such). */
	protectedFile?: string;
	/** Every backup kept for that reason, one per series at most. */
	protectedFiles: string[];
	freedBytes: number;
}
