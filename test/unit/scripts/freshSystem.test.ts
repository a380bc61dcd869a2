/**
 * scripts/fresh-system.sh needs root, debootstrap and an hour for a real run (see
 * docs/development.md); here only what it decides before touching the machine: its
 * options, read the same from any folder.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'fresh-system.sh');
const run = (...args: string[]) => spawnSync('bash', [SCRIPT, ...args], { cwd: os.tmpdir(), encoding: 'utf8' });

describe('scripts/fresh-system.sh options', () => {
	test('--help lists the steps and every option, from any folder', () => {
		const { status, stdout } = run('--help');
		expect(status).toBe(0);
		for (const word of ['install', 'start', 'test', '--base', '--rebuild-base', '--root', '--reuse', '--keep', '--only', '--test-cmd', '--user', '--log', '--start-timeout']) {
			expect(stdout).toContain(word);
		}
	});

	test.each([
		[['--only', 'install,deploy'], /--only: unknown step "deploy"/],
		[['--user', 'Bad User'], /--user: not a valid user name/],
		[['--frobnicate'], /unknown option: --frobnicate/],
	])('%j is refused before anything is done', (args, message) => {
		const { status, stderr } = run(...args);
		expect(status).toBe(2);
		expect(stderr).toMatch(message);
	});
});
