/** Whether a process id names a live process on this machine (signal 0 probes without killing). */
export function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return error instanceof Error && 'code' in error && error.code === 'EPERM';
	}
}
