/** Evolution's error envelope and its guard order (instance exists → apikey). */
import type { EmulatorRequest, Reply } from '../../core/types';
import { ReplyError, headerValue, replying, statusText } from '../common';
import type { EvolutionInstance, EvolutionState } from './state';

export type Req = EmulatorRequest<EvolutionState>;


export function envelope(status: number, message: unknown, headers: Record<string, string> = {}): Reply {
	return { status, body: { status, error: statusText(status), response: { message } }, headers };
}

export function fail(status: number, message: unknown): never {
	throw new ReplyError(envelope(status, message));
}

export function cannotRoute(req: Req): Reply {
	return envelope(404, [`Cannot ${req.method} ${req.path}`]);
}

export function requireKey(req: Req, instance?: EvolutionInstance): void {
	const key = headerValue(req.headers, 'apikey');
	if (key && (key === req.state.apiKey || key === instance?.token)) return;
	fail(401, 'Unauthorized');
}

/** instanceExistsGuard, then the apikey guard: a missing instance is 404 whatever the key. */
export function instanceRoute(handler: (req: Req, instance: EvolutionInstance, name: string) => Reply) {
	return replying<EvolutionState>((req) => {
		const name = req.params.instance;
		const instance = req.state.instances[name];
		if (!instance) fail(404, [`The "${name}" instance does not exist`]);
		requireKey(req, instance);
		return handler(req, instance, name);
	});
}

export function keyRoute(handler: (req: Req) => Reply) {
	return replying<EvolutionState>((req) => {
		requireKey(req);
		return handler(req);
	});
}
