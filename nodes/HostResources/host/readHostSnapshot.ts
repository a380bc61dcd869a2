/**
 * Reads the machine's resources through Node's own APIs (no shell commands):
 * load average, memory (bounded by a cgroup limit inside containers) and, per
 * configured path, disk space and inodes from statfs.
 */
import fs from 'node:fs/promises';
import os from 'node:os';

interface DiskSnapshot {
	path: string;
	totalBytes: number;
	/** Bytes an unprivileged process can still write (what fills up first). */
	availableBytes: number;
	inodesTotal: number;
	inodesFree: number;
}

interface DiskError {
	path: string;
	error: string;
}

export interface HostSnapshot {
	hostname: string;
	cpuCount: number;
	/** 1, 5 and 15 minute load averages. */
	loadAverage: [number, number, number];
	memoryTotalBytes: number;
	memoryAvailableBytes: number;
	disks: Array<DiskSnapshot | DiskError>;
}

interface HostReaders {
	statfs: (path: string) => Promise<{ blocks: number; bsize: number; bavail: number; files: number; ffree: number }>;
	loadavg: () => number[];
	cpuCount: () => number;
	totalmem: () => number;
	freemem: () => number;
	/** cgroup memory limit in bytes, 0 when none (process.constrainedMemory). */
	constrainedMemory: () => number;
	hostname: () => string;
}

export const nodeHostReaders: HostReaders = {
	statfs: (path) => fs.statfs(path),
	loadavg: () => os.loadavg(),
	cpuCount: () => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length),
	totalmem: () => os.totalmem(),
	// libuv reads MemAvailable on Linux: free memory plus reclaimable cache.
	freemem: () => os.freemem(),
	constrainedMemory: () => {
		const limit = (process as NodeJS.Process & { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
		// An unlimited cgroup reports a huge number; treat anything above physical memory as no limit.
		return limit && limit > 0 && limit < os.totalmem() ? limit : 0;
	},
	hostname: () => os.hostname(),
};

export function isDiskError(disk: DiskSnapshot | DiskError): disk is DiskError {
	return 'error' in disk;
}

async function readDisk(path: string, readers: HostReaders): Promise<DiskSnapshot | DiskError> {
	try {
		const stats = await readers.statfs(path);
		return {
			path,
			totalBytes: stats.blocks * stats.bsize,
			availableBytes: stats.bavail * stats.bsize,
			inodesTotal: stats.files,
			inodesFree: stats.ffree,
		};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return { path, error: code === 'ENOENT' ? 'path does not exist' : code ?? (error as Error).message };
	}
}

export async function readHostSnapshot(paths: string[], readers: HostReaders = nodeHostReaders): Promise<HostSnapshot> {
	const [one, five, fifteen] = readers.loadavg();
	const limit = readers.constrainedMemory();
	const total = limit > 0 ? limit : readers.totalmem();
	return {
		hostname: readers.hostname(),
		cpuCount: Math.max(1, readers.cpuCount()),
		loadAverage: [one ?? 0, five ?? 0, fifteen ?? 0],
		memoryTotalBytes: total,
		memoryAvailableBytes: Math.min(readers.freemem(), total),
		disks: await Promise.all(paths.map((path) => readDisk(path, readers))),
	};
}
