/**
 * A user who already runs the Monitor keeps their open incidents across the upgrade that
 * split the Incident Tracker into four nodes: the fixture is the Monitor's static data as
 * saved by version 0.1.0 (generated with that release's tracker), read here by the new
 * nodes through their real routers.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { IncidentTracker } from '../../../nodes/IncidentTracker/IncidentTracker.node';
import { RecoveryGate } from '../../../nodes/RecoveryGate/RecoveryGate.node';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';
import { useTemporaryN8nFolder } from '../../harness/temporaryN8nFolder';
import { failing, healthy, MIN, T0 } from './results';

const FIXTURE = path.join(__dirname, '../../fixtures/monitor-static-data-0.1.0.json');
const savedStaticData = () => JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, IDataObject>;

async function track(staticData: Record<string, IDataObject>, input: IDataObject[]) {
	const ctx = fakeExecuteFunctions({ parameters: { resource: 'incident', operation: 'track' }, input, staticData });
	const [output] = await new IncidentTracker().execute.call(ctx);
	return output.map((item) => item.json.tracking as IDataObject);
}

describe('a Monitor state saved by 0.1.0', () => {
	useTemporaryN8nFolder();
	beforeEach(() => jest.useFakeTimers({ now: T0 + 10 * MIN }));
	afterEach(() => jest.useRealTimers());

	it('lists its open incidents through the Status operation', async () => {
		const staticData = savedStaticData();
		const ctx = fakeExecuteFunctions({ parameters: { resource: 'incident', operation: 'status' }, input: [{}], staticData });
		const [[status]] = await new IncidentTracker().execute.call(ctx);
		const keys = (status.json.incidents as Array<{ incident: IDataObject }>).map((open) => open.incident.key).sort();
		expect(keys).toEqual(['database:postgres:shop', 'whatsapp:evolution:ventas']);
	});

	it('continues an open incident instead of opening it again, and resolves it once healthy', async () => {
		const staticData = savedStaticData();
		const stillFailing = await track(staticData, [failing({ target: 'evolution:ventas' }) as unknown as IDataObject]);
		expect(stillFailing[0].decision).not.toBe('opened');
		expect(stillFailing[0].decision).not.toBe('confirm');
		const back = await track(staticData, [healthy('whatsapp', 'evolution:ventas') as unknown as IDataObject]);
		expect(back[0]).toMatchObject({ decision: 'resolved', alert: true });
	});

	it('keeps an escalation: the manual API refuses a recovery of the escalated component without force', async () => {
		const staticData = savedStaticData();
		const ctx = fakeExecuteFunctions({
			parameters: { resource: 'manualRecovery', operation: 'accept', lockFolder: fs.mkdtempSync('/tmp/gate-') },
			input: [{ body: { component: 'database' } }],
			staticData,
		});
		const [[answer]] = await new RecoveryGate().execute.call(ctx);
		expect(answer.json.statusCode).toBe(409);
	});

	it('tells a workflow built on 0.1 where a moved operation went, naming the parameter', async () => {
		const ctx = fakeExecuteFunctions({ parameters: { resource: 'incident', operation: 'statusPage' }, input: [{}], staticData: savedStaticData() });
		await expect(new IncidentTracker().execute.call(ctx)).rejects.toThrow('Parameter "Operation": "statusPage" is now done by the Recovery Report node (Report: Status Page)');
	});
});
