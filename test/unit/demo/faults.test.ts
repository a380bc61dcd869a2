import { DEMO_INSTANCE } from '../../../scripts/lib/demo/demoEnv';
import { PHRASES } from '../../../nodes/shared/alerts/phrases';
import { FAULTS, faultList, faultNamed, parseChaosArgs, ROWS, type Fault, type FaultStep } from '../../../scripts/lib/demo/faults';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import type { FaultSpec } from '../../../dev/emulators/core/types';
import { STACK, type EmulatorName } from '../../../dev/emulators/stack';

type Emulators = Record<EmulatorName, Emulator<object>>;

/** Fresh emulators (not listening): their state and fault switches are what the control API changes. */
function freshEmulators(): Emulators {
	return Object.fromEntries((Object.keys(STACK) as EmulatorName[]).map((name) => [name, STACK[name].create() as Emulator<object>])) as Emulators;
}

/** What the control API does for a step, done in-process (the e2e test drives the real HTTP path). */
function applyToEmulators(step: FaultStep, emulators: Emulators): void {
	if (step.kind === 'clearFaults') {
		for (const emulator of Object.values(emulators)) emulator.clearFaults();
		return;
	}
	if (step.kind !== 'emulator') return;
	const emulator = emulators[step.emulator];
	const faultRoute = /^\/faults\/([^/]+)$/.exec(step.path);
	if (step.method === 'PATCH' && step.path === '/state') emulator.patchState(step.body ?? {});
	else if (step.method === 'PUT' && faultRoute) emulator.setFault(faultRoute[1], (step.body ?? {}) as FaultSpec);
	else if (step.method === 'DELETE' && step.path === '/faults') emulator.clearFaults();
	else throw new Error(`step not understood by this test: ${step.method} ${step.path}`);
}

function snapshot(emulators: Emulators): string {
	return JSON.stringify(Object.entries(emulators).map(([name, e]) => [name, e.state, e.activeFaults]), (key, value: unknown) =>
		// Timestamps the emulators stamp on every change are not state a fault sets.
		key === 'updatedAt' ? undefined : value,
	);
}

const heal = faultNamed('heal') as Fault;
const breaking = FAULTS.filter((fault) => fault.name !== 'heal');

describe('the fault table', () => {
	test('names are unique, kebab-case, and include the ones the README promises', () => {
		const names = FAULTS.map((f) => f.name);
		expect(new Set(names).size).toBe(names.length);
		expect(names.every((name) => /^[a-z]+(-[a-z]+)*$/.test(name))).toBe(true);
		expect(names).toEqual(expect.arrayContaining(['whatsapp-disconnect', 'images-lost', 'groq-down', 'payment-token-revoked', 'heal']));
	});

	test('every fault changes something and tells the user what to watch for at the demo timing', () => {
		for (const fault of FAULTS) {
			expect(fault.steps.length).toBeGreaterThan(0);
			expect(fault.steps.some((step) => step.said !== '')).toBe(true);
			const watch = fault.watchFor({ tickSeconds: 20, confirmSeconds: 3 });
			expect(watch).toMatch(/20 s/);
			expect(watch).toMatch(/3 s/);
		}
	});

	test("the hints use the alerts' own names and headings (the English alerts'), never the old node labels", () => {
		const names = Object.values(PHRASES.en.component);
		const headings = [PHRASES.en.heading.opened(''), PHRASES.en.heading.escalated(''), PHRASES.en.resolvedLine('X', '1 s', undefined, 'fixed').split(':')[0]];
		for (const fault of FAULTS.filter((f) => f.name !== 'heal')) {
			const watch = fault.watchFor({ tickSeconds: 20, confirmSeconds: 3 });
			expect({ fault: fault.name, namesAComponent: names.some((name) => watch.includes(name)) }).toEqual({ fault: fault.name, namesAComponent: true });
			const quoted = [...watch.matchAll(/"([^"]+)" alert/g)].map((match) => match[1]);
			expect(quoted.length).toBeGreaterThan(0);
			for (const heading of quoted) expect(headings).toContain(heading);
			expect(watch).not.toMatch(/Product Catalog|Payment Link|LLM Providers|"needs a person"/);
		}
		// catalog-empty is not escalated at once: Recover tries until the budget is spent.
		expect(FAULTS.find((f) => f.name === 'catalog-empty')?.watchFor({ tickSeconds: 20, confirmSeconds: 3 })).toMatch(/until the recovery budget .* is spent; then one "Needs you" alert/);
	});

	test('each emulator step targets a route or state key the emulator really has', () => {
		const emulators = freshEmulators();
		for (const fault of FAULTS) {
			for (const step of fault.steps) {
				if (step.kind !== 'emulator') continue;
				const emulator = emulators[step.emulator];
				const faultRoute = /^\/faults\/([^/]+)$/.exec(step.path);
				if (faultRoute && faultRoute[1] !== '*') expect(emulator.routeIds).toContain(faultRoute[1]);
				if (step.path === '/state') {
					for (const key of Object.keys(step.body ?? {})) expect(Object.keys(emulator.state)).toContain(key);
				}
			}
		}
		expect(Object.keys((emulators.evolution.state as { instances: object }).instances)).toContain(DEMO_INSTANCE);
	});

	test('each emulator fault breaks the emulator, and heal brings it back to its starting state', () => {
		for (const fault of breaking.filter((f) => f.steps.some((step) => step.kind === 'emulator'))) {
			const emulators = freshEmulators();
			const initial = snapshot(emulators);
			fault.steps.forEach((step) => applyToEmulators(step, emulators));
			expect({ fault: fault.name, changed: snapshot(emulators) !== initial }).toEqual({ fault: fault.name, changed: true });
			heal.steps.forEach((step) => applyToEmulators(step, emulators));
			expect({ fault: fault.name, healed: snapshot(emulators) }).toEqual({ fault: fault.name, healed: initial });
		}
	});

	test('SQL steps report their row count through the {rows} placeholder, and heal undoes the database faults', () => {
		const said = (fault: Fault) => fault.steps.filter((s) => s.kind === 'sql' && s.said !== '').map((s) => s.said);
		expect(said(faultNamed('images-lost') as Fault).every((line) => line.includes(ROWS))).toBe(true);
		const healSql = heal.steps.filter((s) => s.kind === 'sql').map((s) => (s.kind === 'sql' ? s.sql : ''));
		// images-lost nulls image_url → heal restores it from the backup table.
		expect(healSql.some((sql) => /UPDATE products .*image_url = b\.image_url FROM product_images_backup/.test(sql))).toBe(true);
		// catalog-empty stashes the rows → heal inserts them back.
		const stash = (faultNamed('catalog-empty') as Fault).steps.find((s) => s.kind === 'sql' && /INSERT INTO/.test(s.sql));
		const table = stash?.kind === 'sql' ? /INSERT INTO (\w+)/.exec(stash.sql)?.[1] : undefined;
		expect(table).toBeDefined();
		expect(healSql.some((sql) => sql.includes(`INSERT INTO products SELECT * FROM ${table}`))).toBe(true);
	});

	test('faultList shows every fault with its summary', () => {
		const list = faultList();
		for (const fault of FAULTS) expect(list).toMatch(new RegExp(`^  ${fault.name} +${fault.summary.replace(/[()→]/g, '.')}$`, 'm'));
	});
});

describe('parseChaosArgs', () => {
	test('one known fault', () => {
		expect(parseChaosArgs(['whatsapp-disconnect'])).toEqual({ kind: 'fault', fault: faultNamed('whatsapp-disconnect') });
	});

	test('help', () => {
		for (const arg of ['--help', '-h', 'help', 'list']) expect(parseChaosArgs([arg])).toEqual({ kind: 'help' });
	});

	test('nothing, an unknown fault, or two faults is a usage problem', () => {
		expect(parseChaosArgs([])).toEqual({ kind: 'usage', problem: 'which fault? Name one' });
		expect(parseChaosArgs(['whatsapp-down'])).toEqual({ kind: 'usage', problem: 'unknown fault "whatsapp-down"' });
		expect(parseChaosArgs(['groq-down', 'heal'])).toEqual({ kind: 'usage', problem: 'one fault at a time, got 2: groq-down heal' });
	});
});
