/**
 * The tracker nodes' state through the store (files here, as for n8n on SQLite): a state
 * saved by an earlier version in static data is taken over once, static data keeps a
 * copy, and manual runs change nothing.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { IncidentTracker } from '../../../nodes/IncidentTracker/IncidentTracker.node';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';
import { useTemporaryN8nFolder } from '../../harness/temporaryN8nFolder';
import { evolutionClosed } from '../incident/results';

const FIXTURE = path.join(__dirname, '../../fixtures/monitor-static-data-0.1.0.json');
const savedStaticData = () => JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, IDataObject>;

async function run(operation: string, staticData: Record<string, IDataObject>, options: { mode?: string; workflowId?: string; input?: IDataObject[]; parameters?: Record<string, unknown> } = {}) {
	const ctx = fakeExecuteFunctions({ parameters: { resource: 'incident', operation, ...options.parameters }, input: options.input ?? [{}], staticData, mode: options.mode, workflowId: options.workflowId });
	const [output] = await new IncidentTracker().execute.call(ctx);
	return output.map((item) => item.json);
}

const openKeys = (status: IDataObject) => (status.incidents as Array<{ incident: IDataObject }>).map((open) => open.incident.key).sort();

describe('the tracker state in the store', () => {
	const n8nFolder = useTemporaryN8nFolder();

	it('takes over the state saved in static data once, then keeps its own and mirrors it into static data', async () => {
		const staticData = savedStaticData();
		const [before] = await run('status', staticData, { workflowId: 'wfMigrate' });
		expect(openKeys(before)).toEqual(['database:postgres:shop', 'whatsapp:evolution:ventas']);
		await run('pause', staticData, { workflowId: 'wfMigrate', parameters: { pauseMinutes: 10, reason: 'upgrade' } });
		// Written to n8n's folder, mirrored into static data.
		expect(fs.readdirSync(path.join(n8nFolder(), '.n8n/autorecovery-state'))).toContain('wfMigrate.incidentTracker');
		expect((staticData.global.incidentTracker as IDataObject).pause).toMatchObject({ reason: 'upgrade' });
		// From now on the store is the memory: a stale static-data snapshot (another run's) is not read.
		const [after] = await run('status', { global: {} }, { workflowId: 'wfMigrate' });
		expect(openKeys(after)).toEqual(['database:postgres:shop', 'whatsapp:evolution:ventas']);
		expect(after.paused).toBe(true);
	});

	it('a manual run decides on the stored state but changes nothing', async () => {
		const staticData = savedStaticData();
		const [paused] = await run('pause', staticData, { workflowId: 'wfManual', mode: 'manual', parameters: { pauseMinutes: 10, reason: 'test' } });
		expect(paused.paused).toBe(true);
		const [status] = await run('status', staticData, { workflowId: 'wfManual' });
		expect(status.paused).toBe(false);
		expect(fs.existsSync(path.join(n8nFolder(), '.n8n/autorecovery-state/wfManual.incidentTracker'))).toBe(false);
	});

	it('two runs of one workflow at the same time both count: the second failure confirms the first', async () => {
		const input = [evolutionClosed('evolution:soporte') as unknown as IDataObject];
		const [a, b] = await Promise.all([run('track', { global: {} }, { workflowId: 'wfTogether', input }), run('track', { global: {} }, { workflowId: 'wfTogether', input })]);
		const decisions = [a[0], b[0]].map((item) => (item.tracking as IDataObject).decision).sort();
		// With last-writer-wins both runs would see no pending failure and both answer "confirm".
		expect(decisions).not.toEqual(['confirm', 'confirm']);
		expect(decisions).toContain('confirm');
	});
});
