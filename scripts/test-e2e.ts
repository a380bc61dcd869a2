/**
 * The end-to-end tests as `npm test` runs them, in two phases (jest.config.js says which
 * file goes where and why): first every file that bounds no wall time, two at a time —
 * they spend most of their time waiting on n8n's start-up, timeouts and confirmations, so
 * two fit on a 2-core machine and the suite takes far less than one after another — then
 * the files that measure time, one at a time, alone on the machine.
 *
 * Arguments are passed to both jest runs (e.g. `--testPathPatterns monitor`). Both phases
 * run even if the first fails, so one run reports every failure.
 */
import { spawnSync } from 'node:child_process';

import { PROJECT_ROOT } from './lib/paths';

/** How many e2e files run side by side in the first phase. */
export const PARALLEL_E2E_WORKERS = 2;

const PHASES = [
	{ phase: 'parallel', args: [`--maxWorkers=${PARALLEL_E2E_WORKERS}`] },
	{ phase: 'serial', args: ['--runInBand'] },
] as const;

/** Runs both phases; the exit status is the first failing phase's, or 0. */
export function runE2e(jestArgs: string[], env: NodeJS.ProcessEnv = process.env): number {
	let status = 0;
	for (const { phase, args } of PHASES) {
		console.log(`[e2e] ${phase} phase`);
		// --passWithNoTests: a pattern may select files of one phase only.
		const result = spawnSync('npx', ['jest', '--selectProjects', 'e2e', ...args, '--passWithNoTests', ...jestArgs], {
			cwd: PROJECT_ROOT,
			stdio: 'inherit',
			env: { ...env, AUTORECOVERY_E2E_PHASE: phase },
		});
		if (result.status !== 0 && status === 0) status = result.status ?? 1;
	}
	return status;
}

if (require.main === module) process.exit(runE2e(process.argv.slice(2)));
