/**
 * One recovery at a time per component, across concurrent executions: a lock file per
 * component created with O_EXCL (atomic on one host), holding who took it and when.
 * A lock older than its lease is taken over (the execution that held it crashed); a
 * release removes only the caller's own lock.
 */
import fs from 'node:fs';
import path from 'node:path';

import { isRecord } from '../../shared/json';

interface LockOwner {
	requestId: string;
	at: number;
}

interface LockHeld {
	component: string;
	heldBy: LockOwner | null;
}

type LockResult = { acquired: true } | { acquired: false; busy: LockHeld };

export class LockFolderError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LockFolderError';
	}
}

const lockFile = (folder: string, component: string) => path.join(folder, `${component}.lock`);

function readOwner(file: string): LockOwner | null {
	try {
		const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
		if (isRecord(parsed) && typeof parsed.requestId === 'string' && typeof parsed.at === 'number') return { requestId: parsed.requestId, at: parsed.at };
	} catch {
		// Unreadable or half-written: treated as held by nobody known (and expires by mtime).
	}
	return null;
}

function lockAge(file: string, owner: LockOwner | null, now: number): number {
	if (owner) return now - owner.at;
	try {
		return now - fs.statSync(file).mtimeMs;
	} catch {
		return Number.POSITIVE_INFINITY;
	}
}

function tryCreate(file: string, owner: LockOwner): boolean {
	try {
		fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw new LockFolderError(`cannot write the lock file ${file}: ${(error as Error).message}`);
	}
}

function acquireOne(folder: string, component: string, owner: LockOwner, leaseMs: number): LockResult {
	const file = lockFile(folder, component);
	if (tryCreate(file, owner)) return { acquired: true };
	const heldBy = readOwner(file);
	if (lockAge(file, heldBy, owner.at) < leaseMs) return { acquired: false, busy: { component, heldBy } };
	// Expired: remove it and race for it once more; exactly one creator wins.
	fs.rmSync(file, { force: true });
	if (tryCreate(file, owner)) return { acquired: true };
	return { acquired: false, busy: { component, heldBy: readOwner(file) } };
}

/** All or nothing: either every component is locked for `owner`, or none is (and the first busy one is named). */
export function acquireLocks(folder: string, components: readonly string[], owner: LockOwner, leaseMs: number): LockResult {
	try {
		fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
	} catch (error) {
		throw new LockFolderError(`cannot create the lock folder ${folder}: ${(error as Error).message}`);
	}
	const taken: string[] = [];
	for (const component of components) {
		const result = acquireOne(folder, component, owner, leaseMs);
		if (!result.acquired) {
			releaseLocks(folder, taken, owner.requestId);
			return result;
		}
		taken.push(component);
	}
	return { acquired: true };
}

/** Removes the locks `requestId` holds; others' locks are left alone. */
export function releaseLocks(folder: string, components: readonly string[], requestId: string): void {
	for (const component of components) {
		const file = lockFile(folder, component);
		if (readOwner(file)?.requestId === requestId) fs.rmSync(file, { force: true });
	}
}
