/**
 * The tests' system tools on a fresh machine: installed as root, always after an
 * `apt-get update` (a fresh machine's package lists are empty); otherwise one line to type.
 * The same for the compilers n8n's SQLite driver needs. And no other code in the
 * repository runs apt-get on its own.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { CHROMIUM, ensureDebianTools, NATIVE_BUILD_TOOLS, PG_DUMP, PG_RESTORE, SQLITE3, type DebianToolsSystem } from '../../../scripts/lib/debianTools';

function fakeSystem(options: { root: boolean; present: string[]; installs?: boolean; aptGet?: boolean }) {
	const present = new Set([...options.present, ...(options.aptGet === false ? [] : ['apt-get'])]);
	const runs: string[] = [];
	const system: DebianToolsSystem = {
		onPath: (command) => present.has(command),
		isRoot: () => options.root,
		run(command, args) {
			runs.push([command, ...args].join(' '));
			if (args.includes('install') && options.installs !== false) {
				for (const tool of [CHROMIUM, SQLITE3, PG_DUMP, PG_RESTORE, ...NATIVE_BUILD_TOOLS]) if (args.includes(tool.debianPackage)) present.add(tool.command);
			}
		},
	};
	return { system, runs };
}

describe('ensureDebianTools', () => {
	test('as root: one apt-get update, then one install of the missing packages (each package once)', () => {
		const { system, runs } = fakeSystem({ root: true, present: ['sqlite3'] });
		const lines: string[] = [];
		ensureDebianTools([CHROMIUM, SQLITE3, PG_DUMP, PG_RESTORE], (line) => lines.push(line), system);
		expect(runs).toEqual(['apt-get -o DPkg::Lock::Timeout=600 update', 'apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium postgresql-client']);
		expect(lines).toEqual(['installing chromium, postgresql-client for chromium, pg_dump, pg_restore (apt-get update first)']);
	});

	test('nothing missing: apt-get is not run at all', () => {
		const { system, runs } = fakeSystem({ root: true, present: ['chromium', 'sqlite3'] });
		ensureDebianTools([CHROMIUM, SQLITE3], () => undefined, system);
		expect(runs).toEqual([]);
	});

	test('not root: nothing is run, and the error is the one line to type', () => {
		const { system, runs } = fakeSystem({ root: false, present: [] });
		expect(() => ensureDebianTools([SQLITE3, PG_DUMP, PG_RESTORE], () => undefined, system)).toThrow(
			'This needs sqlite3, pg_dump, pg_restore, which this machine lacks: run `sudo apt-get update && sudo apt-get install -y sqlite3 postgresql-client`',
		);
		expect(runs).toEqual([]);
	});

	test('the compilers for native addons (n8n\'s sqlite3) are installed the same way', () => {
		const { system, runs } = fakeSystem({ root: true, present: ['python3'] });
		ensureDebianTools(NATIVE_BUILD_TOOLS, () => undefined, system);
		expect(runs).toEqual(['apt-get -o DPkg::Lock::Timeout=600 update', 'apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends make g++']);
	});

	test('root on a machine without apt-get: nothing is run, the error names the packages', () => {
		const { system, runs } = fakeSystem({ root: true, present: [], aptGet: false });
		expect(() => ensureDebianTools(NATIVE_BUILD_TOOLS, () => undefined, system)).toThrow(
			"This needs python3, make, g++, which this machine lacks and has no apt-get to install: install python3, make, g++ (or your system's equivalents) and run again",
		);
		expect(runs).toEqual([]);
	});

	test('a package that installs without its command is an error naming the command', () => {
		const { system } = fakeSystem({ root: true, present: [], installs: false });
		expect(() => ensureDebianTools([CHROMIUM], () => undefined, system)).toThrow('apt-get installed chromium but chromium is still not on PATH');
	});
});

describe('apt-get in the repository', () => {
	const root = path.resolve(__dirname, '..', '..', '..');
	const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
		.split('\n')
		.filter((file) => file && file !== 'test/unit/scripts/debianTools.test.ts' && !file.endsWith('.md') && !file.endsWith('.json'));
	const files = tracked.filter((file) => fs.existsSync(path.join(root, file)) && /apt-get/.test(fs.readFileSync(path.join(root, file), 'utf8')));

	test('code runs apt-get only through ensureDebianTools, and shell scripts update before they install', () => {
		for (const file of files) {
			const text = fs.readFileSync(path.join(root, file), 'utf8');
			if (file === 'scripts/lib/debianTools.ts') continue;
			if (/\.(ts|js|mjs|cjs)$/.test(file)) {
				// TypeScript and JavaScript go through ensureDebianTools (one update, then one install).
				expect({ file, runsAptGet: /(exec|spawn)[A-Za-z]*\(\s*['"`]apt-get/.test(text) }).toEqual({ file, runsAptGet: false });
				continue;
			}
			// Shell, Dockerfile, YAML: every command line that installs has run `apt-get update` before, in the same command.
			const commands = text.replace(/\\\n/g, ' ').split('\n').filter((line) => !/^\s*#/.test(line));
			for (const command of commands.filter((line) => /apt-get\s+(-\S+\s+)*install\b/.test(line))) {
				const install = command.search(/apt-get\s+(-\S+\s+)*install\b/);
				expect({ file, command: command.trim(), updatesFirst: command.slice(0, install).includes('apt-get update') }).toMatchObject({ updatesFirst: true });
			}
		}
	});
});
