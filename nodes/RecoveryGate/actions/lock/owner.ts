/**
 * Who holds an automatic recovery's lock: one owner per execution and component, so
 * Release finds it without carrying it along.
 */
import type { INodeExecutionData } from 'n8n-workflow';

export const automaticOwner = (executionId: string, component: string) => `auto-${executionId}-${component}`;

export function componentOf(item: INodeExecutionData): string | null {
	return typeof item.json.component === 'string' ? item.json.component : null;
}
