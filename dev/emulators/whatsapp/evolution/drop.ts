/**
 * Test action `drop`: a reconnectable loss of the WhatsApp socket (Baileys 408,
 * connectionLost). Evolution sends no `close` for it, only `connection.update` `connecting`
 * (whatsapp-canary-webhooks.md §1.C), and the stored session is still good, so no QR is
 * issued. With `reconnectAfterMs` the socket comes back by itself that long after (`open`
 * announced): repeated, that is a flapping session. Without it the instance hangs in
 * `connecting` until something restarts it.
 */
import { bodyObject, stringField } from '../common';
import { connectionData, openInstance } from './qr';
import type { EvolutionRuntime } from './runtime';

/** Baileys' DisconnectReason.connectionLost: a drop Baileys reconnects from. */
const CONNECTION_LOST = 408;

export class EvolutionDrops {
	/** Drop generation per instance: a later drop (or anything that reopened it) cancels an earlier reconnect. */
	private readonly generations = new Map<string, number>();

	constructor(private readonly rt: EvolutionRuntime) {}

	drop(body: Record<string, unknown>): Record<string, unknown> {
		const input = bodyObject(body);
		const name = stringField(input, 'instance') ?? '';
		const instance = this.rt.state.instances[name];
		if (!instance) throw new Error(`no instance "${name}"`);
		if (instance.state !== 'open') throw new Error(`instance "${name}" is not open (state ${String(instance.state)}): only a connected socket can drop`);
		const reconnectAfterMs = input.reconnectAfterMs;
		if (reconnectAfterMs !== undefined && (typeof reconnectAfterMs !== 'number' || !Number.isFinite(reconnectAfterMs) || reconnectAfterMs < 0)) {
			throw new Error('`reconnectAfterMs` must be a number of milliseconds ≥ 0');
		}
		const generation = (this.generations.get(name) ?? 0) + 1;
		this.generations.set(name, generation);
		instance.state = 'connecting';
		instance.updatedAt = new Date().toISOString();
		this.rt.emit(name, 'CONNECTION_UPDATE', connectionData(name, instance, 'connecting', CONNECTION_LOST));
		if (reconnectAfterMs !== undefined) {
			this.rt.timers.after(reconnectAfterMs, () => {
				const current = this.rt.state.instances[name];
				// Restarted, logged out or dropped again meanwhile: that wins.
				if (this.generations.get(name) !== generation || !current || current.state !== 'connecting') return;
				openInstance(current);
				this.rt.emit(name, 'CONNECTION_UPDATE', connectionData(name, current, 'open', 200));
			});
		}
		return { instance: name, state: 'connecting', reconnectAfterMs: reconnectAfterMs ?? null };
	}

	clear(): void {
		this.generations.clear();
	}
}
