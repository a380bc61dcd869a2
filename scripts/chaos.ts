/**
 * `npm run chaos -- <fault>`: breaks the running demo on purpose (see `npm run demo`),
 * says what it did and what to watch for. `heal` undoes everything.
 *
 * Exit codes: 0 done; 1 no demo running or a step failed; 2 unknown or missing fault.
 */
import { applyFault, ChaosStepError } from './lib/demo/applyFault';
import { demoDir, stateFileOf } from './lib/demo/config';
import { faultList, parseChaosArgs } from './lib/demo/faults';
import { recoverExecutionsUrl } from './lib/demo/feedLines';
import { DemoStateError, NoDemoRunningError, readDemoState } from './lib/demo/state';

const say = (line: string) => console.log(`[chaos] ${line}`);

async function main(): Promise<number> {
	const command = parseChaosArgs(process.argv.slice(2));
	if (command.kind === 'help') {
		console.log(`Usage: npm run chaos -- <fault>\n\nFaults:\n${faultList()}`);
		return 0;
	}
	if (command.kind === 'usage') {
		console.error(`[chaos] ${command.problem}.\nUsage: npm run chaos -- <fault>\n\nFaults:\n${faultList()}`);
		return 2;
	}
	const { fault } = command;
	const state = readDemoState(stateFileOf(demoDir(process.env)));
	say(`${fault.name}: ${fault.summary}`);
	for (const line of await applyFault(fault, state)) say(`  done: ${line}`);
	say(`watch: ${fault.watchFor(state)}`);
	say(`recoveries: ${recoverExecutionsUrl(state.n8n.editorUrl)}  (undo everything: npm run chaos -- heal)`);
	return 0;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (error instanceof NoDemoRunningError || error instanceof DemoStateError || error instanceof ChaosStepError) {
			console.error(`[chaos] ${error.message}`);
		} else {
			console.error(`[chaos] unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
		}
		process.exitCode = 1;
	},
);
