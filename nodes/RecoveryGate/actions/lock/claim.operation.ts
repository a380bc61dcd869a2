/**
 * Claim Recovery Lock: the Monitor's own recoveries take the same per-component locks as
 * manual ones, so a person's recovery and an automatic one never act on a component at
 * the same time. An item whose component is locked is left out (the recovery already
 * running will be tracked by the next tick).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { acquireLocks } from '../../lock/locks';
import { leaseMs, lockFolder } from '../fields';
import { automaticOwner, componentOf } from './owner';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	const lease = leaseMs(this);
	const executionId = this.getExecutionId();
	const output: INodeExecutionData[] = [];
	this.getInputData().forEach((item, itemIndex) => {
		const component = componentOf(item);
		const claimed = component === null || acquireLocks(folder, [component], { requestId: automaticOwner(executionId, component), at: Date.now() }, lease).acquired;
		if (claimed) output.push({ ...item, pairedItem: { item: itemIndex } });
		else this.logger.info(`Recovery Gate: a recovery of ${component} is already running; this one is skipped`);
	});
	return output;
}
