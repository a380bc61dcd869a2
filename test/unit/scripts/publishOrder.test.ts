/** npm start and the demo publish in this order: n8n refuses to publish a workflow that calls an unpublished one. */
import path from 'node:path';

import { inPublishOrder, listShippedWorkflows } from '../../../scripts/lib/shippedWorkflows';
import { WORKFLOW_IDS } from '../../../scripts/workflows/ids';

describe('inPublishOrder', () => {
	test('the shipped workflows: every sub-workflow before the Monitor, the Monitor before Triggers, Triggers last', () => {
		const order = inPublishOrder(listShippedWorkflows(path.join(__dirname, '..', '..', '..', 'workflows'))).map((workflow) => workflow.id);
		expect(order.slice(-2)).toEqual([WORKFLOW_IDS.monitor, WORKFLOW_IDS.triggers]);
		expect(order.indexOf(WORKFLOW_IDS.recover)).toBeLessThan(order.indexOf(WORKFLOW_IDS.monitor));
	});

	test('keeps the others in their order and changes nothing it is given', () => {
		const given = [{ id: WORKFLOW_IDS.triggers }, { id: 'b' }, { id: WORKFLOW_IDS.monitor }, { id: 'a' }];
		expect(inPublishOrder(given).map((workflow) => workflow.id)).toEqual(['b', 'a', WORKFLOW_IDS.monitor, WORKFLOW_IDS.triggers]);
		expect(given.map((workflow) => workflow.id)).toEqual([WORKFLOW_IDS.triggers, 'b', WORKFLOW_IDS.monitor, 'a']);
	});
});
