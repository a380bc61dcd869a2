/** Release Recovery Lock: release the locks Claim Recovery Lock took in this execution; items pass through. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { releaseLocks } from '../../lock/locks';
import { lockFolder } from '../fields';
import { automaticOwner, componentOf } from './owner';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	const executionId = this.getExecutionId();
	return this.getInputData().map((item, itemIndex) => {
		const component = componentOf(item);
		if (component !== null) releaseLocks(folder, [component], automaticOwner(executionId, component));
		return { json: item.json as IDataObject, binary: item.binary, pairedItem: { item: itemIndex } };
	});
}
