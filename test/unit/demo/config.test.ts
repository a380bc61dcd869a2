import path from 'node:path';

import { PROJECT_ROOT } from '../../../scripts/lib/paths';
import {
	DEMO_DEFAULTS,
	DemoConfigError,
	demoDir,
	fixedPorts,
	isExpressibleTick,
	portsTakenMessage,
	readDemoConfig,
	stateFileOf,
} from '../../../scripts/lib/demo/config';

function configError(env: NodeJS.ProcessEnv): DemoConfigError {
	try {
		readDemoConfig(env);
	} catch (error) {
		if (error instanceof DemoConfigError) return error;
		throw error;
	}
	throw new Error('readDemoConfig accepted the environment');
}

describe('readDemoConfig', () => {
	test('defaults: .demo/ in the project, 30 s tick, fixed ports next to npm start', () => {
		expect(readDemoConfig({})).toEqual({
			dir: path.join(PROJECT_ROOT, '.demo'),
			tickSeconds: 30,
			confirmSeconds: 5,
			n8nPort: 5679,
			emulatorsBasePort: 3900,
			smtpPort: 2525,
			language: 'en',
		});
		expect(DEMO_DEFAULTS.n8nPort).not.toBe(5678);
	});

	test('reads every variable; 0 means a free port', () => {
		const config = readDemoConfig({
			DEMO_DIR: '/tmp/some-demo',
			DEMO_TICK_SECONDS: '20',
			DEMO_CONFIRM_SECONDS: '3',
			DEMO_N8N_PORT: '0',
			DEMO_EMULATORS_BASE_PORT: '0',
			DEMO_SMTP_PORT: '2600',
			DEMO_LANGUAGE: 'es',
		});
		expect(config).toEqual({ dir: '/tmp/some-demo', tickSeconds: 20, confirmSeconds: 3, n8nPort: 0, emulatorsBasePort: 0, smtpPort: 2600, language: 'es' });
	});

	test('a relative DEMO_DIR is resolved; chaos finds the state file by the same rule', () => {
		expect(demoDir({ DEMO_DIR: 'x/y' })).toBe(path.resolve('x/y'));
		expect(stateFileOf('/tmp/d')).toBe('/tmp/d/state.json');
		expect(demoDir({ DEMO_DIR: '  ' })).toBe(path.join(PROJECT_ROOT, '.demo'));
	});

	test.each([
		['DEMO_TICK_SECONDS', 'abc'],
		['DEMO_TICK_SECONDS', '5'],
		['DEMO_TICK_SECONDS', '90'],
		['DEMO_TICK_SECONDS', '-30'],
		['DEMO_TICK_SECONDS', '3600'],
		['DEMO_CONFIRM_SECONDS', '0'],
		['DEMO_N8N_PORT', '70000'],
		['DEMO_N8N_PORT', '56.5'],
		['DEMO_EMULATORS_BASE_PORT', '65001'],
		['DEMO_SMTP_PORT', 'smtp'],
		['DEMO_LANGUAGE', 'fr'],
	])('%s=%s is refused, naming the variable', (variable, value) => {
		const error = configError({ [variable]: value });
		expect(error.variable).toBe(variable);
		expect(error.message).toContain(variable);
		expect(error.message).toContain(value);
	});

	test('the confirmation must be shorter than the tick', () => {
		const error = configError({ DEMO_TICK_SECONDS: '20', DEMO_CONFIRM_SECONDS: '20' });
		expect(error.variable).toBe('DEMO_CONFIRM_SECONDS');
		expect(error.message).toMatch(/shorter than DEMO_TICK_SECONDS \(20\)/);
		expect(readDemoConfig({ DEMO_TICK_SECONDS: '20', DEMO_CONFIRM_SECONDS: '19' }).confirmSeconds).toBe(19);
	});
});

describe('isExpressibleTick', () => {
	test('10–59 seconds or whole minutes up to 59', () => {
		expect([10, 30, 59, 60, 120, 3540].every(isExpressibleTick)).toBe(true);
		expect([9, 61, 90, 3600, 20.5].some(isExpressibleTick)).toBe(false);
	});
});

describe('fixedPorts / portsTakenMessage', () => {
	const offsets = { evolution: 1, slack: 8 };

	test('lists n8n, each emulator at base + offset, and SMTP, with the variable that moves each', () => {
		const config = readDemoConfig({});
		expect(fixedPorts(config, offsets)).toEqual([
			{ port: 5679, what: 'n8n', variable: 'DEMO_N8N_PORT' },
			{ port: 3901, what: 'the evolution emulator', variable: 'DEMO_EMULATORS_BASE_PORT' },
			{ port: 3908, what: 'the slack emulator', variable: 'DEMO_EMULATORS_BASE_PORT' },
			{ port: 2525, what: 'the SMTP catcher', variable: 'DEMO_SMTP_PORT' },
		]);
	});

	test('ports set to 0 are picked free and not checked', () => {
		const config = readDemoConfig({ DEMO_N8N_PORT: '0', DEMO_EMULATORS_BASE_PORT: '0', DEMO_SMTP_PORT: '0' });
		expect(fixedPorts(config, offsets)).toEqual([]);
	});

	test('the message names every taken port and how to move it', () => {
		const message = portsTakenMessage(fixedPorts(readDemoConfig({}), offsets).slice(0, 2));
		expect(message).toMatch(/port 5679 \(n8n\) is in use: set DEMO_N8N_PORT/);
		expect(message).toMatch(/port 3901 \(the evolution emulator\) is in use: set DEMO_EMULATORS_BASE_PORT/);
		expect(message).toMatch(/or to 0 for a free one/);
	});
});
