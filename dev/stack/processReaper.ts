/**
 * Makes sure an external process we started dies with us, even when we are killed
 * with SIGKILL and no exit handler runs: a detached `sh` blocks reading a pipe from
 * this process; when this process dies the pipe reaches EOF and `sh` kills the target.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

export interface Reaper {
	/** The target is being stopped normally: the reaper must not fire. */
	cancel(): void;
}

export function reapWhenThisProcessDies(pid: number, signal: 'TERM' | 'INT' | 'KILL' = 'TERM'): Reaper {
	if (process.platform === 'win32') return { cancel: () => undefined };
	const reaper = spawn('/bin/sh', ['-c', 'read _line; kill -s "$0" "$1" 2>/dev/null', signal, String(pid)], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
	});
	reaper.on('error', () => undefined);
	// Neither the reaper nor its pipe may keep this process alive.
	reaper.unref();
	// ChildProcess types its pipes as plain streams; at runtime they are net.Sockets.
	(reaper.stdin as Socket | null)?.unref();
	return {
		cancel: () => {
			reaper.kill('SIGKILL');
		},
	};
}
