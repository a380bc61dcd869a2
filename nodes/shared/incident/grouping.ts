/**
 * One alert instead of many when the network is the problem: within one call, alerts
 * of the same kind whose cause is network-class (`net.*`) form a group; the first
 * member carries the alert and the member list, the others stay quiet with the same
 * group id. A group needs at least two members.
 */
import type { AlertKind, TrackedItem } from './types';

const NETWORK_CAUSE = /^net\./;

function isNetworkAlert(item: TrackedItem): item is TrackedItem & { alertKind: AlertKind } {
	return item.alert && item.alertKind !== undefined && item.incident !== undefined && NETWORK_CAUSE.test(item.incident.cause.code);
}

/** Returns new items with groups applied; the given items are not changed. */
export function groupNetworkAlerts(items: readonly TrackedItem[], now: number): TrackedItem[] {
	const byKind = new Map<AlertKind, number[]>();
	items.forEach((item, index) => {
		if (!isNetworkAlert(item)) return;
		const indexes = byKind.get(item.alertKind) ?? [];
		indexes.push(index);
		byKind.set(item.alertKind, indexes);
	});
	const grouped = items.map((item) => ({ ...item }));
	for (const [kind, indexes] of byKind) {
		if (indexes.length < 2) continue;
		const members = indexes.map((i) => items[i].key);
		const group = { id: `net-${kind}@${new Date(now).toISOString()}`, size: members.length, members };
		indexes.forEach((i, position) => {
			grouped[i] = { ...grouped[i], alert: position === 0, group: { ...group, members: [...members] } };
		});
	}
	return grouped;
}
