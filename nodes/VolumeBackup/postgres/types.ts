/**
 * Plain inputs and outcomes of the Postgres backup engine (no n8n types). Own types
 * for now: the directory half (nodes/VolumeBackup/directory/) may later share some.
 */
import type { Writable } from 'node:stream';

import type { Cause } from '../../shared/contract';
import type { PostgresSettings } from '../../shared/sql/postgresConnection';

/** Opens the stream the dump bytes go to (a seam for tests: simulate ENOSPC, EROFS, ...). */
export type DumpWriteStreamFactory = (temporaryPath: string) => Writable;

export interface ChildHooks {
	/** Called with the child's pid as soon as pg_dump / pg_restore started (tests read /proc). */
	onChildSpawned?(pid: number): void;
}

export interface BackupOptions {
	settings: PostgresSettings;
	/** Absolute path of pg_dump, e.g. /usr/bin/pg_dump. */
	pgDumpBinary: string;
	/** Folder the dump is written to (created when missing). */
	backupDir: string;
	/** File name prefix; letters, digits, `.`, `_`, `-`. Default `postgres-<database>`. */
	name?: string;
	/** Stamps the file name. */
	now: Date;
	/** Limit for the whole dump (and for connecting), ms. */
	timeoutMs: number;
	createWriteStream?: DumpWriteStreamFactory;
	hooks?: ChildHooks;
}

export interface ToolVersion {
	/** `pg_dump` or `pg_restore`, as the tool names itself. */
	tool: string;
	/** e.g. `15.18`. */
	version: string;
	major: number;
}

interface OutcomeBase {
	/** Database name, for the result target `postgres:<database>`. */
	database: string;
	durationMs: number;
}

export interface DumpSuccess extends OutcomeBase {
	ok: true;
	/** The finished dump (custom format). */
	file: string;
	/** `<file>.sha256`, in `sha256sum` format. */
	checksumFile: string;
	bytes: number;
	sha256: string;
	serverVersion: string;
	toolVersion: string;
	/** `schema.table` of every table that was dumped, sorted. */
	tables: string[];
}

export interface OperationFailure extends OutcomeBase {
	ok: false;
	/** Which step failed. */
	stage: 'tool' | 'connect' | 'write' | 'dump' | 'checksum' | 'list' | 'restore' | 'precheck';
	cause: Cause;
}

export type DumpOutcome = DumpSuccess | OperationFailure;

export interface VerifyOptions {
	pgRestoreBinary: string;
	/** Tables (`schema.table`) the dump must list; none checked when omitted. */
	expectedTables?: string[];
	timeoutMs: number;
}

interface VerifySuccess extends OutcomeBase {
	ok: true;
	file: string;
	sha256: string;
	/** `schema.table` of every table the dump lists, sorted. */
	tables: string[];
}

export type VerifyOutcome = VerifySuccess | OperationFailure;

export interface RestoreOptions {
	pgRestoreBinary: string;
	/** Replace the objects of a target database that already has tables. */
	overwrite: boolean;
	timeoutMs: number;
	hooks?: ChildHooks;
}

interface RestoreSuccess extends OutcomeBase {
	ok: true;
	file: string;
	/** User tables in the target before the restore. */
	tablesBefore: number;
	/** `schema.table` of the target's tables after the restore, sorted. */
	tables: string[];
}

export type RestoreOutcome = RestoreSuccess | OperationFailure;
