/**
 * The system tools the project runs that Node does not bring: the compilers that build
 * n8n's SQLite driver on first provisioning (python3, make, g++), and those the tests
 * drive (Chromium, sqlite3, pg_dump/pg_restore, redis-server). They come from Debian's
 * packages. A fresh machine may lack them: as root they are installed, after one
 * `apt-get update` (a fresh machine's package lists are stale or empty); otherwise the
 * run stops with the one command a person must type.
 */
import { execFileSync } from 'node:child_process';

export interface DebianTool {
	/** The command the tests run. */
	command: string;
	/** The Debian package that provides it. */
	debianPackage: string;
}

export const CHROMIUM: DebianTool = { command: 'chromium', debianPackage: 'chromium' };
export const SQLITE3: DebianTool = { command: 'sqlite3', debianPackage: 'sqlite3' };
export const PG_DUMP: DebianTool = { command: 'pg_dump', debianPackage: 'postgresql-client' };
export const PG_RESTORE: DebianTool = { command: 'pg_restore', debianPackage: 'postgresql-client' };
export const REDIS_SERVER: DebianTool = { command: 'redis-server', debianPackage: 'redis-server' };
/** What node-gyp needs to build a native addon (n8n's sqlite3) when no prebuilt binary can be downloaded. */
export const NATIVE_BUILD_TOOLS: DebianTool[] = [
	{ command: 'python3', debianPackage: 'python3' },
	{ command: 'make', debianPackage: 'make' },
	{ command: 'g++', debianPackage: 'g++' },
];

/** What ensureDebianTools does to the machine; replaced in its unit test. */
export interface DebianToolsSystem {
	onPath(command: string): boolean;
	isRoot(): boolean;
	/** Runs a command with the output on the terminal; throws when it fails. */
	run(command: string, args: string[], timeoutMs: number): void;
}

export const realSystem: DebianToolsSystem = {
	onPath(command: string): boolean {
		try {
			execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	},
	isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
	run(command: string, args: string[], timeoutMs: number): void {
		execFileSync(command, args, { stdio: 'inherit', timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	},
};

/** The one line a person who is not root is told to type. */
export function installInstruction(packages: string[]): string {
	return `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
}

/** Installs the packages of the tools that are missing (one apt-get update, one install); call it where nothing else runs apt-get at the same time (a jest globalSetup, under the provisioning lock). */
export function ensureDebianTools(tools: DebianTool[], log: (line: string) => void = console.log, system: DebianToolsSystem = realSystem): void {
	const missing = tools.filter((tool) => !system.onPath(tool.command));
	if (missing.length === 0) return;
	const packages = [...new Set(missing.map((tool) => tool.debianPackage))];
	const commands = missing.map((tool) => tool.command).join(', ');
	if (!system.isRoot()) {
		throw new Error(`This needs ${commands}, which this machine lacks: run \`${installInstruction(packages)}\``);
	}
	if (!system.onPath('apt-get')) {
		throw new Error(`This needs ${commands}, which this machine lacks and has no apt-get to install: install ${packages.join(', ')} (or your system's equivalents) and run again`);
	}
	log(`installing ${packages.join(', ')} for ${commands} (apt-get update first)`);
	// A fresh machine's package lists are empty or stale: install only after an update.
	// Two provisionings (one per n8n release) may get here at once: wait for dpkg's lock rather than fail.
	const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
	system.run('apt-get', [...waitForLock, 'update'], 900_000);
	system.run('apt-get', [...waitForLock, 'install', '-y', '--no-install-recommends', ...packages], 1_800_000);
	const still = missing.filter((tool) => !system.onPath(tool.command));
	if (still.length > 0) throw new Error(`apt-get installed ${packages.join(' ')} but ${still.map((tool) => tool.command).join(', ')} is still not on PATH`);
}
