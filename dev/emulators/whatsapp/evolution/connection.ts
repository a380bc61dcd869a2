/**
 * Evolution connection routes: connectionState, connect (QR object), restart, logout. Every
 * state change is announced by `connection.update` (whatsapp-canary-webhooks.md §1.C); QR
 * rotation and the scan switch are in qr.ts.
 */
import { digitsOnly } from '../common';
import { pngDataUri, qrPng } from '../qrPng';
import { cannotRoute, fail, instanceRoute, type Req } from './http';
import { connectionData, currentQrCode, openInstance, pairingCodeFor } from './qr';
import { runtimeOf } from './runtime';
import type { EvolutionInstance } from './state';
import type { Reply } from '../../core/types';

export function connectionStateBody(name: string, instance: EvolutionInstance): Record<string, unknown> {
	// An instance not in memory has state undefined, which JSON drops.
	const state = instance.state ?? undefined;
	return { instance: { instanceName: name, ...(state ? { state } : {}) } };
}

/** The current QR object; `?number=` asks for a pairing code for that phone (valid for this QR round). */
export function qrObject(req: Req, name: string, instance: EvolutionInstance): Record<string, unknown> {
	if (req.state.qrNotReady) return { count: 0 };
	if (instance.qrCount === 0) instance.qrCount = 1;
	if (instance.state === 'connecting') runtimeOf(req.state).pairing.ensure(name, instance);
	const code = currentQrCode(name, instance);
	const number = req.query.number ? digitsOnly(req.query.number) : '';
	if (number) instance.pairing = { code: pairingCodeFor(number, instance.qrCount), number };
	return {
		pairingCode: number ? (instance.pairing?.code ?? null) : null,
		code,
		base64: pngDataUri(qrPng(code)),
		count: instance.qrCount,
	};
}

function touch(instance: EvolutionInstance): void {
	instance.updatedAt = new Date().toISOString();
}

/** The socket starts without usable credentials: pairing begins with a fresh QR. */
export function startPairing(req: Req, name: string, instance: EvolutionInstance): void {
	instance.state = 'connecting';
	instance.qrCount += 1;
	instance.pairing = null;
	touch(instance);
	runtimeOf(req.state).pairing.started(name, instance);
}

function markOpen(req: Req, name: string, instance: EvolutionInstance): void {
	const runtime = runtimeOf(req.state);
	runtime.pairing.stopped(name);
	openInstance(instance);
	runtime.emit(name, 'CONNECTION_UPDATE', connectionData(name, instance, 'open', 200));
}

/** The controller catches the plain-object exception and calls toString() on it. */
const OBJECT_OBJECT_QUIRK = { error: true, message: '[object Object]' };

function connect(req: Req, instance: EvolutionInstance, name: string): Reply {
	switch (instance.state) {
		case null:
			return { status: 200, body: OBJECT_OBJECT_QUIRK };
		case 'open':
			return { status: 200, body: connectionStateBody(name, instance) };
		case 'connecting':
			return { status: 200, body: qrObject(req, name, instance) };
		case 'close':
			startPairing(req, name, instance);
			return { status: 200, body: qrObject(req, name, instance) };
	}
}

function connectionState(_req: Req, instance: EvolutionInstance, name: string): Reply {
	return { status: 200, body: connectionStateBody(name, instance) };
}

function restart(req: Req, instance: EvolutionInstance, name: string): Reply {
	if (instance.state === null) return { status: 200, body: OBJECT_OBJECT_QUIRK };
	if (instance.state === 'close' && req.state.restartCloseQuirk) return { status: 200, body: OBJECT_OBJECT_QUIRK };
	if (req.state.restartHeals) {
		markOpen(req, name, instance);
		return { status: 200, body: connectionStateBody(name, instance) };
	}
	startPairing(req, name, instance);
	return { status: 200, body: qrObject(req, name, instance) };
}

/** The method check runs before any guard: on a server without the route it is an unknown route. */
function restartRoute(req: Req): Promise<Reply> | Reply {
	const allowed = req.state.restartMethod;
	if (allowed !== 'both' && req.method !== allowed) return cannotRoute(req);
	return instanceRoute(restart)(req);
}

function logout(req: Req, instance: EvolutionInstance, name: string): Reply {
	if (instance.state === 'close') fail(400, [`The "${name}" instance is not connected`]);
	if (instance.state !== null) {
		runtimeOf(req.state).pairing.stopped(name);
		instance.state = 'close';
		instance.qrCount = 0;
		instance.qrIssuedAt = null;
		instance.pairing = null;
		instance.disconnectionReasonCode = 401;
		instance.disconnectionObject = JSON.stringify({ error: { output: { statusCode: 401 } }, reason: 'loggedOut' });
		instance.disconnectionAt = new Date().toISOString();
		touch(instance);
		runtimeOf(req.state).emit(name, 'CONNECTION_UPDATE', connectionData(name, instance, 'close', 401));
	}
	return { status: 200, body: { status: 'SUCCESS', error: false, response: { message: 'Instance logged out' } } };
}

export const connectionRoutes = {
	connectionState: instanceRoute(connectionState),
	connect: instanceRoute(connect),
	restart: restartRoute,
	logout: instanceRoute(logout),
};
