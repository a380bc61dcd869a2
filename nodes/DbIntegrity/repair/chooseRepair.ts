/**
 * Which repair fits a catalog's state, and which part of the catalog each repair is
 * judged by afterwards. Plain logic, shared by the Repair operation's `auto` mode and
 * its tests.
 */
import type { ActionId, CheckResult } from '../../shared/contract';
import type { CatalogScope } from '../catalog/evaluateCatalog';

export type RepairAction = 'database.restore_images' | 'database.import_catalog' | 'database.reconnect';

/** Causes a fresh connection may clear (the pool or the server's connection slots were the problem). */
const CONNECTION_CAUSES = new Set(['net.timeout', 'net.unreachable', 'net.reset', 'database.too_many_connections', 'database.unavailable']);

/** The automatic repair for a check result's cause, or null when none applies (escalate). */
export function repairForCause(result: CheckResult): RepairAction | null {
	const code = result.cause?.code;
	if (!code || result.status === 'healthy') return null;
	if (code === 'database.catalog_empty') return 'database.import_catalog';
	if (code === 'database.products_without_images') return 'database.restore_images';
	if (CONNECTION_CAUSES.has(code)) return 'database.reconnect';
	return null;
}

/** The checks a repair's before/after results cover. */
export function scopeOfRepair(action: RepairAction): CatalogScope | 'connection' {
	if (action === 'database.restore_images') return 'images';
	if (action === 'database.import_catalog') return 'notEmpty';
	return 'connection';
}

export const REPAIR_DESCRIPTIONS: Record<RepairAction, string> = {
	'database.restore_images': 'fill missing product images from the configured source',
	'database.import_catalog': 'load the catalog from the configured source into the empty table',
	'database.reconnect': 'open a fresh connection and re-check',
};

export function isRepairAction(action: ActionId | string): action is RepairAction {
	return action in REPAIR_DESCRIPTIONS;
}
