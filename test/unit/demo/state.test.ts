import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DemoStateError, NoDemoRunningError, parseDemoState, readDemoState, removeDemoState, writeDemoState, type DemoState } from '../../../scripts/lib/demo/state';
import { STACK } from '../../../dev/emulators/stack';

const emulators = Object.fromEntries(Object.keys(STACK).map((name, i) => [name, `http://127.0.0.1:${3900 + i}`])) as DemoState['emulators'];

function sampleState(pid = process.pid): DemoState {
	return {
		pid,
		startedAt: '2026-01-01T00:00:00.000Z',
		tickSeconds: 20,
		confirmSeconds: 3,
		n8n: { url: 'http://127.0.0.1:5679', editorUrl: 'http://localhost:5679', apiKey: 'test-api-key-not-real', ownerEmail: 'demo@autorecovery.local' },
		postgresUrl: 'postgres://postgres:test-pg-password-not-real@127.0.0.1:5432/demo_shop_1',
		emulators,
		smtp: { host: '127.0.0.1', port: 2525 },
		evolutionInstance: 'ventas',
		adminNumber: '5215599999999',
	};
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
	const result = spawnSync(process.execPath, ['-e', '0']);
	return result.pid as number;
}

describe('demo state file', () => {
	let dir: string;
	let file: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-state-'));
		file = path.join(dir, 'sub', 'state.json');
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('written for its owner only, read back as written while the demo runs', () => {
		writeDemoState(file, sampleState());
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(readDemoState(file)).toEqual(sampleState());
		expect(fs.readdirSync(path.dirname(file))).toEqual(['state.json']);
	});

	test('no file: no demo running, and the message says how to start one', () => {
		expect(() => readDemoState(file)).toThrow(NoDemoRunningError);
		expect(() => readDemoState(file)).toThrow(/no demo is running .*does not exist.*npm run demo/);
	});

	test('a file left by a demo that has stopped: no demo running', () => {
		const pid = deadPid();
		writeDemoState(file, sampleState(pid));
		expect(() => readDemoState(file)).toThrow(NoDemoRunningError);
		expect(() => readDemoState(file)).toThrow(new RegExp(`\\(pid ${pid}\\) has stopped`));
	});

	test('a damaged file is reported as such, without echoing its contents', () => {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, '{"pid": 1, "postgresUrl": "postgres://u:test-pg-password-not-real@h/d"');
		expect(() => readDemoState(file)).toThrow(DemoStateError);
		expect(() => readDemoState(file)).toThrow(/not valid JSON/);
		fs.writeFileSync(file, JSON.stringify({ ...sampleState(), n8n: { url: 'x' } }));
		let message = '';
		try {
			readDemoState(file);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/n8n must have url, editorUrl, apiKey and ownerEmail/);
		expect(message).not.toContain('test-pg-password-not-real');
	});

	test('parseDemoState checks every field', () => {
		const valid = sampleState();
		expect(parseDemoState(valid)).toEqual(valid);
		expect(parseDemoState(null)).toBe('not a JSON object');
		expect(parseDemoState({ ...valid, pid: -1 })).toBe('pid must be a process id');
		expect(parseDemoState({ ...valid, postgresUrl: 'mysql://x' })).toBe('postgresUrl must be a postgres:// URL');
		expect(parseDemoState({ ...valid, emulators: { ...emulators, groq: 3 } })).toBe('emulators.groq must be a URL');
		expect(parseDemoState({ ...valid, smtp: { host: 'h' } })).toBe('smtp must have host and port');
		expect(parseDemoState({ ...valid, tickSeconds: '20' })).toBe('tickSeconds and confirmSeconds must be numbers');
		expect(parseDemoState({ ...valid, adminNumber: 5 })).toBe('evolutionInstance and adminNumber must be strings');
	});

	test('removeDemoState removes only the file of the calling demo', () => {
		writeDemoState(file, sampleState(12345));
		removeDemoState(file);
		expect(fs.existsSync(file)).toBe(true);
		removeDemoState(file, 12345);
		expect(fs.existsSync(file)).toBe(false);
		expect(() => removeDemoState(file)).not.toThrow();
	});
});
