/**
 * Evolution pairing in time: a pending QR is replaced every `qrRotateMs` (the old one then
 * expires), each new one is announced by `qrcode.updated`, and after `qrLimit` QRs pairing
 * stops: `qrcode.updated {"message":"QR code limit reached, please login again","statusCode":500}`,
 * `connection.update {state:"refused",statusReason:428}`, and the instance is `close`
 * (whatsapp-canary-webhooks.md §1.C "QR limit reached"). The `qrcode.updated` data for a new QR,
 * `{qrcode:{instance,pairingCode,code,base64}}`, is not in the reference (UNVERIFIED).
 * The `scan` test action pairs with the current QR or pairing code; a stale one is refused.
 */
import { createHash } from 'node:crypto';

import { bodyObject, digitsOnly, stringField } from '../common';
import { pngDataUri, qrPng, qrValue } from '../qrPng';
import type { EvolutionRuntime } from './runtime';
import { instanceNumber, type EvolutionInstance } from './state';

export function currentQrCode(name: string, instance: EvolutionInstance): string {
	return qrValue(`${name}:${instance.id}:${instance.qrCount}`);
}

/** 8 characters, derived from the number and the QR round: stable within a round, new after a rotation. */
export function pairingCodeFor(number: string, round: number): string {
	const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ0123456789';
	const seed = createHash('sha256').update(`${digitsOnly(number)}:${round}`).digest();
	return Array.from({ length: 8 }, (_, i) => alphabet[seed[i] % alphabet.length]).join('');
}

export function connectionData(name: string, instance: EvolutionInstance, state: string, statusReason: number): Record<string, unknown> {
	if (state === 'connecting') return { instance: name, state, statusReason };
	if (state === 'close') return { instance: name, state, statusReason };
	return {
		instance: name,
		wuid: instance.ownerJid,
		profileName: instance.profileName,
		profilePictureUrl: instance.profilePicUrl,
		state,
		statusReason,
	};
}

export class EvolutionPairing {
	/** Rotation generation per instance: a restarted pairing invalidates the previous timer chain. */
	private readonly generations = new Map<string, number>();

	constructor(private readonly rt: EvolutionRuntime) {}

	/** A new pairing attempt: QR #1 (counted by the caller), rotation armed, QR announced. */
	started(name: string, instance: EvolutionInstance): void {
		instance.qrIssuedAt = new Date().toISOString();
		this.rt.emit(name, 'CONNECTION_UPDATE', connectionData(name, instance, 'connecting', 200));
		this.arm(name);
		this.announce(name, instance);
	}

	/** Arms the rotation if nothing does yet (an instance patched straight into `connecting`). */
	ensure(name: string, instance: EvolutionInstance): void {
		instance.qrIssuedAt ??= new Date().toISOString();
		if (!this.generations.has(name)) this.arm(name);
	}

	stopped(name: string): void {
		this.generations.delete(name);
	}

	clear(): void {
		this.generations.clear();
	}

	private arm(name: string): void {
		const generation = (this.generations.get(name) ?? 0) + 1;
		this.generations.set(name, generation);
		this.schedule(name, generation);
	}

	private schedule(name: string, generation: number): void {
		this.rt.timers.after(this.rt.state.qrRotateMs, () => {
			if (this.generations.get(name) !== generation) return;
			const instance = this.rt.state.instances[name];
			if (!instance || instance.state !== 'connecting') {
				this.generations.delete(name);
				return;
			}
			if (instance.qrCount >= this.rt.state.qrLimit) {
				this.refuse(name, instance);
				return;
			}
			instance.qrCount += 1;
			instance.qrIssuedAt = new Date().toISOString();
			if (instance.pairing) instance.pairing.code = pairingCodeFor(instance.pairing.number, instance.qrCount);
			this.announce(name, instance);
			this.schedule(name, generation);
		});
	}

	private announce(name: string, instance: EvolutionInstance): void {
		if (this.rt.state.qrNotReady) return;
		const code = currentQrCode(name, instance);
		this.rt.emit(name, 'QRCODE_UPDATED', {
			qrcode: { instance: name, pairingCode: instance.pairing?.code ?? null, code, base64: pngDataUri(qrPng(code)) },
		});
	}

	private refuse(name: string, instance: EvolutionInstance): void {
		this.generations.delete(name);
		this.rt.emit(name, 'QRCODE_UPDATED', { message: 'QR code limit reached, please login again', statusCode: 500 });
		this.rt.emit(name, 'CONNECTION_UPDATE', connectionData(name, instance, 'refused', 428));
		instance.state = 'close';
		instance.qrCount = 0;
		instance.qrIssuedAt = null;
		instance.pairing = null;
		instance.updatedAt = new Date().toISOString();
	}

	/**
	 * Test action `scan`: `{instance, code}` (the QR's `code`) or `{instance, pairingCode}`;
	 * `number` (digits) names the phone that scanned, needed when the instance has none yet.
	 */
	scan(body: Record<string, unknown>): Record<string, unknown> {
		const input = bodyObject(body);
		const name = stringField(input, 'instance') ?? '';
		const instance = this.rt.state.instances[name];
		if (!instance) throw new Error(`no instance "${name}"`);
		if (instance.state !== 'connecting') throw new Error(`instance "${name}" is not waiting for a scan (state ${String(instance.state)})`);
		const code = stringField(input, 'code');
		const pairingCode = stringField(input, 'pairingCode');
		if (code !== undefined) {
			if (code !== currentQrCode(name, instance)) throw new Error(`QR code refused: not the current QR of "${name}" (stale or unknown)`);
		} else if (pairingCode !== undefined) {
			if (!instance.pairing || pairingCode !== instance.pairing.code) throw new Error(`pairing code refused for "${name}" (stale or unknown)`);
		} else {
			throw new Error('scan needs `code` or `pairingCode`');
		}
		const number = digitsOnly(stringField(input, 'number') ?? instance.pairing?.number ?? instanceNumber(instance) ?? '');
		if (!number) throw new Error(`scan of "${name}" needs \`number\`: the instance has no phone number yet`);
		this.stopped(name);
		instance.number = number;
		instance.ownerJid = `${number}@s.whatsapp.net`;
		instance.profileName ??= stringField(input, 'profileName') ?? name;
		openInstance(instance);
		this.rt.emit(name, 'CONNECTION_UPDATE', connectionData(name, instance, 'open', 200));
		return { instance: name, state: 'open', number };
	}
}

/** The instance is connected: pairing state cleared, faults of the old socket healed. */
export function openInstance(instance: EvolutionInstance): void {
	instance.state = 'open';
	instance.qrCount = 0;
	instance.qrIssuedAt = null;
	instance.pairing = null;
	instance.zombie = false;
	instance.disconnectionReasonCode = null;
	instance.disconnectionObject = null;
	instance.disconnectionAt = null;
	instance.updatedAt = new Date().toISOString();
}
