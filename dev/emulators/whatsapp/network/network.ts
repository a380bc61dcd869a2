/**
 * The emulated WhatsApp network: every gateway emulator attaches itself, and a send from
 * one attached number to another is delivered to the recipient's gateway(s) — any gateway
 * type to any other — with acks flowing back to the sender in time:
 *
 *   send ──serverAckMs──▶ SERVER ──deliveryMs──▶ handed to every online device of the
 *   recipient ──▶ DEVICE ──readMs──▶ READ
 *
 * - A number held by several gateways (e.g. an Evolution instance and a WAHA session linked
 *   to the same phone) gets the message on each device: WhatsApp multi-device. The sending
 *   gateway's own device is skipped (a message to one's own number is not echoed back to the
 *   gateway that sent it); another number on the same gateway (a second Evolution instance,
 *   e.g. a canary beside the bot) is a phone like any other and gets it.
 * - A recipient nobody attached (`external`) gets SERVER only: WhatsApp accepted it, no
 *   device of ours can acknowledge it. The send itself is unchanged (accepted, recorded).
 * - A recipient whose devices are all offline or deaf waits on the server (SERVER only) and
 *   is retried every `retryMs`; once a device is online it is delivered and acked. INFERENCE
 *   from WhatsApp's store-and-forward and WAHA #2151 (backlog delivered after a restart).
 * - READ is sent for every delivered message after `readMs` (a human reading it); set
 *   `readMs: null` for recipients without read receipts.
 * Gateways never call each other: they only see `WireMessage`s and `WireAck`s.
 */
import { Timers } from '../timers';
import type { AckListener, NetworkEndpoint, NetworkLogEntry, NetworkTiming, WireAck, WireMessage } from './types';

export const DEFAULT_TIMING: NetworkTiming = { serverAckMs: 20, deliveryMs: 40, readMs: 80, retryMs: 50 };

interface InTransit {
	entry: NetworkLogEntry;
	sender: NetworkEndpoint;
	onAck: AckListener;
}

export class WhatsAppNetwork {
	readonly timing: NetworkTiming;
	/** Every message sent through the network, oldest first. */
	readonly log: NetworkLogEntry[] = [];
	private readonly endpoints = new Set<NetworkEndpoint>();
	private readonly timers = new Timers();
	private waiting: InTransit[] = [];
	private retrying = false;

	constructor(timing: Partial<NetworkTiming> = {}) {
		this.timing = { ...DEFAULT_TIMING, ...timing };
	}

	/** Attaches a gateway; returns the function that detaches it. */
	attach(endpoint: NetworkEndpoint): () => void {
		this.endpoints.add(endpoint);
		return () => {
			this.endpoints.delete(endpoint);
		};
	}

	get gateways(): string[] {
		return [...this.endpoints].map((endpoint) => endpoint.gateway);
	}

	/** Whether some attached gateway holds `number` (digits). */
	holds(number: string): boolean {
		return [...this.endpoints].some((endpoint) => endpoint.devices(number).length > 0);
	}

	/**
	 * Hands a message to the network. `onAck` hears SERVER, then DEVICE and READ when a
	 * device of the recipient gets it. Never throws; returns the log entry.
	 */
	send(sender: NetworkEndpoint, message: WireMessage, onAck: AckListener): NetworkLogEntry {
		const entry: NetworkLogEntry = {
			...message,
			via: sender.gateway,
			recipient: this.recipientDevices(sender, message.to, message.from).length > 0 ? 'attached' : 'external',
			deliveredTo: [],
			acks: [],
		};
		this.log.push(entry);
		const transit: InTransit = { entry, sender, onAck };
		this.timers.after(this.timing.serverAckMs, () => {
			this.ack(transit, 'SERVER');
			if (entry.recipient === 'attached') this.timers.after(this.timing.deliveryMs, () => this.tryDeliver(transit));
		});
		return entry;
	}

	/** Stops every timer (pending acks and retries are dropped). The network stays usable. */
	stop(): void {
		this.timers.clear();
		this.waiting = [];
		this.retrying = false;
	}

	private recipientDevices(sender: NetworkEndpoint, number: string, from: string) {
		return [...this.endpoints]
			.filter((endpoint) => endpoint !== sender || number !== from)
			.flatMap((endpoint) => endpoint.devices(number));
	}

	private ack(transit: InTransit, ack: WireAck): void {
		transit.entry.acks.push(ack);
		try {
			transit.onAck(ack);
		} catch {
			// The sender's gateway may be gone (closed, instance deleted): the network carries on.
		}
	}

	/** Hands the message to every online device not served yet; waits for the others. */
	private tryDeliver(transit: InTransit): void {
		const devices = this.recipientDevices(transit.sender, transit.entry.to, transit.entry.from);
		let handed = false;
		for (const device of devices) {
			if (device.status !== 'online' || transit.entry.deliveredTo.includes(device.label)) continue;
			transit.entry.deliveredTo.push(device.label);
			handed = true;
			try {
				device.receive({ ...transit.entry });
			} catch {
				// A receiving gateway's failure is its own; the message counts as handed over.
			}
		}
		if (handed && !transit.entry.acks.includes('DEVICE')) {
			this.ack(transit, 'DEVICE');
			const readMs = this.timing.readMs;
			if (readMs !== null) this.timers.after(readMs, () => this.ack(transit, 'READ'));
		}
		const unserved = devices.some((device) => !transit.entry.deliveredTo.includes(device.label));
		if (transit.entry.deliveredTo.length === 0 || unserved) this.wait(transit);
	}

	private wait(transit: InTransit): void {
		if (!this.waiting.includes(transit)) this.waiting.push(transit);
		if (this.retrying) return;
		this.retrying = true;
		this.timers.after(this.timing.retryMs, () => {
			this.retrying = false;
			const batch = this.waiting;
			this.waiting = [];
			for (const item of batch) this.tryDeliver(item);
		});
	}
}
