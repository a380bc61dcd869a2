/**
 * An emulator's routes as a table, one row a route: `name: ['METHOD /path', handler]`.
 * The route id is `<prefix>.<name>` (what fault switches name); several methods are
 * written `POST|PUT`. Rows keep their order, which is the order routes are matched in.
 */
import type { Route } from './types';

export type RouteRow<S> = [spec: string, handler: Route<S>['handler']];

export function routeTable<S>(prefix: string, rows: Record<string, RouteRow<S>>): Array<Route<S>> {
	return Object.entries(rows).map(([name, [spec, handler]]) => {
		const [methods, path] = spec.split(' ');
		const method = methods.includes('|') ? methods.split('|') : methods;
		return { id: `${prefix}.${name}`, method, path, handler };
	});
}
