/**
 * `.demo/state.json`: how `npm run chaos` finds the running demo (its emulators'
 * control URLs, Postgres, n8n). Written by the demo once everything is up, removed when
 * it stops; it holds the demo's generated secrets, so only its owner may read it.
 */
import fs from 'node:fs';
import path from 'node:path';

import { STACK, type EmulatorName } from '../../../dev/emulators/stack';
import { isProcessAlive } from '../../../dev/stack/processAlive';

export interface DemoState {
	pid: number;
	startedAt: string;
	tickSeconds: number;
	confirmSeconds: number;
	n8n: { url: string; editorUrl: string; apiKey: string; ownerEmail: string };
	postgresUrl: string;
	emulators: Record<EmulatorName, string>;
	smtp: { host: string; port: number };
	evolutionInstance: string;
	adminNumber: string;
}

/** No state file, or the process that wrote it is gone. */
export class NoDemoRunningError extends Error {
	constructor(readonly stateFile: string, reason: string) {
		super(`no demo is running (${reason}). Start one with \`npm run demo\` in another terminal, wait for "ready", then run chaos again.`);
		this.name = 'NoDemoRunningError';
	}
}

export class DemoStateError extends Error {
	constructor(stateFile: string, problem: string) {
		super(`${stateFile} is not a demo state file (${problem}); stop the demo, delete the file and start it again`);
		this.name = 'DemoStateError';
	}
}

export function writeDemoState(file: string, state: DemoState): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
	fs.renameSync(tmp, file);
}

export function removeDemoState(file: string, pid: number = process.pid): void {
	try {
		const owner = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
		// Another demo may have taken over the folder: leave its file alone.
		if (owner === pid) fs.rmSync(file, { force: true });
	} catch {
		// nothing to remove
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the parsed file field by field; returns the first problem or the state. */
export function parseDemoState(value: unknown): DemoState | string {
	if (!isRecord(value)) return 'not a JSON object';
	const { pid, startedAt, tickSeconds, confirmSeconds, n8n, postgresUrl, emulators, smtp, evolutionInstance, adminNumber } = value;
	if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return 'pid must be a process id';
	if (typeof startedAt !== 'string') return 'startedAt must be a string';
	if (typeof tickSeconds !== 'number' || typeof confirmSeconds !== 'number') return 'tickSeconds and confirmSeconds must be numbers';
	if (!isRecord(n8n) || typeof n8n.url !== 'string' || typeof n8n.editorUrl !== 'string' || typeof n8n.apiKey !== 'string' || typeof n8n.ownerEmail !== 'string') {
		return 'n8n must have url, editorUrl, apiKey and ownerEmail';
	}
	if (typeof postgresUrl !== 'string' || !/^postgres(ql)?:\/\//.test(postgresUrl)) return 'postgresUrl must be a postgres:// URL';
	if (!isRecord(emulators)) return 'emulators must map each emulator to its URL';
	for (const name of Object.keys(STACK)) {
		if (typeof emulators[name] !== 'string') return `emulators.${name} must be a URL`;
	}
	if (!isRecord(smtp) || typeof smtp.host !== 'string' || typeof smtp.port !== 'number') return 'smtp must have host and port';
	if (typeof evolutionInstance !== 'string' || typeof adminNumber !== 'string') return 'evolutionInstance and adminNumber must be strings';
	return value as unknown as DemoState;
}

/** The running demo's state; NoDemoRunningError when there is none. */
export function readDemoState(file: string): DemoState {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		throw new NoDemoRunningError(file, `${file} does not exist`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new DemoStateError(file, 'not valid JSON');
	}
	const state = parseDemoState(parsed);
	if (typeof state === 'string') throw new DemoStateError(file, state);
	if (!isProcessAlive(state.pid)) throw new NoDemoRunningError(file, `the demo that wrote ${file} (pid ${state.pid}) has stopped`);
	return state;
}
