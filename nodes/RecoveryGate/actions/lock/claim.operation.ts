/**
 * Claim Recovery Lock / Release Recovery Lock: the Monitor's own recoveries take the same
 * per-component locks as manual ones, so a person's recovery and an automatic one never
 * act on a component at the same time. An item whose component is locked is left out
 * (the recovery already running will be tracked by the next tick).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { numberParameter } from '../../../shared/n8n/parameters';
import { acquireLocks, releaseLocks } from '../../manual/locks';
import { lockFolder } from '../manualRecovery/accept.operation';

/** One owner per execution and component, so the release finds it without carrying it along. */
const ownerOf = (executionId: string, component: string) => `auto-${executionId}-${component}`;

function componentOf(item: INodeExecutionData): string | null {
	return typeof item.json.component === 'string' ? item.json.component : null;
}

export async function executeClaim(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	const leaseMs = numberParameter(this, 'leaseMinutes', 'Lock Lease (Minutes)', 0, 15, { min: 1, max: 24 * 60 }) * 60_000;
	const executionId = this.getExecutionId();
	const output: INodeExecutionData[] = [];
	this.getInputData().forEach((item, itemIndex) => {
		const component = componentOf(item);
		const claimed = component === null || acquireLocks(folder, [component], { requestId: ownerOf(executionId, component), at: Date.now() }, leaseMs).acquired;
		if (claimed) output.push({ ...item, pairedItem: { item: itemIndex } });
		else this.logger.info(`Incident Tracker: a recovery of ${component} is already running; this one is skipped`);
	});
	return output;
}

export async function executeRelease(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	const executionId = this.getExecutionId();
	return this.getInputData().map((item, itemIndex) => {
		const component = componentOf(item);
		if (component !== null) releaseLocks(folder, [component], ownerOf(executionId, component));
		return { json: item.json as IDataObject, binary: item.binary, pairedItem: { item: itemIndex } };
	});
}
