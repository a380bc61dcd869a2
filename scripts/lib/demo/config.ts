/**
 * The demo's knobs, read from environment variables (all optional). A bad value is the
 * caller's problem: DemoConfigError names the variable and says what it must be.
 */
import path from 'node:path';

import { PROJECT_ROOT } from '../paths';

export class DemoConfigError extends Error {
	constructor(
		readonly variable: string,
		message: string,
	) {
		super(`${variable} ${message}`);
		this.name = 'DemoConfigError';
	}
}

export interface DemoConfig {
	/** Where the demo keeps its n8n user folder, patched workflows and state file. */
	dir: string;
	/** How often the Monitor runs. */
	tickSeconds: number;
	/** How long the Monitor waits before re-checking a failure (shorter than a tick). */
	confirmSeconds: number;
	/** 0 = any free port. */
	n8nPort: number;
	/** First port of the emulator range (each emulator at base + its offset); 0 = free ports. */
	emulatorsBasePort: number;
	/** 0 = any free port. */
	smtpPort: number;
	/** Alert language of the shipped workflows ('en' or 'es'). */
	language: 'en' | 'es';
}

export const DEMO_DEFAULTS = {
	tickSeconds: 30,
	confirmSeconds: 5,
	// Next to `npm start`'s 5678, so both can run side by side.
	n8nPort: 5679,
	// The range `npm run emulators` uses; the two are not meant to run together.
	emulatorsBasePort: 3900,
	smtpPort: 2525,
	language: 'en',
} as const;

/** The file chaos reads to find a running demo. */
export function stateFileOf(dir: string): string {
	return path.join(dir, 'state.json');
}

/** DEMO_DIR, else `.demo/` in the project. Chaos uses the same rule to find the demo. */
export function demoDir(env: NodeJS.ProcessEnv): string {
	const dir = env.DEMO_DIR?.trim();
	return dir ? path.resolve(dir) : path.join(PROJECT_ROOT, '.demo');
}

function integerIn(env: NodeJS.ProcessEnv, variable: string, fallback: number, min: number, max: number, what: string): number {
	const raw = env[variable]?.trim();
	if (raw === undefined || raw === '') return fallback;
	const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new DemoConfigError(variable, `must be ${what}, got "${raw}"`);
	}
	return value;
}

/** A tick the Schedule Trigger can express: 10–59 seconds, or whole minutes up to 59. */
export function isExpressibleTick(seconds: number): boolean {
	if (!Number.isInteger(seconds)) return false;
	if (seconds >= 10 && seconds <= 59) return true;
	return seconds >= 60 && seconds <= 59 * 60 && seconds % 60 === 0;
}

export function readDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
	const tickSeconds = integerIn(env, 'DEMO_TICK_SECONDS', DEMO_DEFAULTS.tickSeconds, 10, 59 * 60, 'a number of seconds from 10 to 3540');
	if (!isExpressibleTick(tickSeconds)) {
		throw new DemoConfigError('DEMO_TICK_SECONDS', `must be 10–59 seconds or a whole number of minutes (60, 120, …), got "${tickSeconds}"`);
	}
	const confirmSeconds = integerIn(env, 'DEMO_CONFIRM_SECONDS', DEMO_DEFAULTS.confirmSeconds, 1, 600, 'a number of seconds from 1 to 600');
	// A confirmation that outlasts the tick would overlap the next Monitor run.
	if (confirmSeconds >= tickSeconds) {
		throw new DemoConfigError('DEMO_CONFIRM_SECONDS', `must be shorter than DEMO_TICK_SECONDS (${tickSeconds}), got "${confirmSeconds}"`);
	}
	const port = (variable: string, fallback: number) => integerIn(env, variable, fallback, 0, 65_535, 'a port number (0 = any free port)');
	const emulatorsBasePort = integerIn(env, 'DEMO_EMULATORS_BASE_PORT', DEMO_DEFAULTS.emulatorsBasePort, 0, 65_000, 'a port number up to 65000 (0 = free ports)');
	const language = env.DEMO_LANGUAGE?.trim() || DEMO_DEFAULTS.language;
	if (language !== 'en' && language !== 'es') throw new DemoConfigError('DEMO_LANGUAGE', `must be en or es, got "${language}"`);
	return {
		dir: demoDir(env),
		tickSeconds,
		confirmSeconds,
		n8nPort: port('DEMO_N8N_PORT', DEMO_DEFAULTS.n8nPort),
		emulatorsBasePort,
		smtpPort: port('DEMO_SMTP_PORT', DEMO_DEFAULTS.smtpPort),
		language,
	};
}

interface WantedPort {
	port: number;
	what: string;
	/** The variable that moves it. */
	variable: string;
}

/** The fixed ports the demo will bind (ports set to 0 are picked free and need no check). */
export function fixedPorts(config: DemoConfig, emulatorOffsets: Record<string, number>): WantedPort[] {
	const wanted: WantedPort[] = [];
	if (config.n8nPort !== 0) wanted.push({ port: config.n8nPort, what: 'n8n', variable: 'DEMO_N8N_PORT' });
	if (config.emulatorsBasePort !== 0) {
		for (const [name, offset] of Object.entries(emulatorOffsets)) {
			wanted.push({ port: config.emulatorsBasePort + offset, what: `the ${name} emulator`, variable: 'DEMO_EMULATORS_BASE_PORT' });
		}
	}
	if (config.smtpPort !== 0) wanted.push({ port: config.smtpPort, what: 'the SMTP catcher', variable: 'DEMO_SMTP_PORT' });
	return wanted;
}

/** One message for every taken port, saying which variable moves it (0 = pick a free one). */
export function portsTakenMessage(taken: WantedPort[]): string {
	const lines = taken.map((p) => `  - port ${p.port} (${p.what}) is in use: set ${p.variable} to another port, or to 0 for a free one`);
	return `some of the demo's ports are taken (another demo, \`npm run emulators\` or \`npm start\`?):\n${lines.join('\n')}`;
}
