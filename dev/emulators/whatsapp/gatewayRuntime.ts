/**
 * What every gateway emulator (Evolution, WAHA, Cloud API) does outside a request, in
 * common: it is attached to the WhatsApp network as one endpoint, POSTs webhooks through
 * one sender that records each delivery in its state, keeps its timers, and detaches (and
 * stops a network it created) when closed. A reset keeps the network and the sender.
 */
import type { Emulator } from '../core/emulator';
import type { NetworkDevice, NetworkEndpoint, WhatsAppNetwork } from './network';
import { CustomerCrowd } from './customers';
import { Timers } from './timers';
import { WebhookSender, type WebhookDelivery } from './webhooks/sender';

/** The part of an emulator's state the shared runtime reads and writes. */
export interface WebhookRecordingState {
	webhookDeliveries: WebhookDelivery[];
	webhookTimeoutMs: number;
}

export abstract class GatewayRuntime<S extends WebhookRecordingState> {
	emulator: Emulator<S> | null = null;
	readonly timers = new Timers();
	readonly webhooks: WebhookSender;
	readonly endpoint: NetworkEndpoint;
	private detach: (() => void) | null;

	protected constructor(
		readonly network: WhatsAppNetwork,
		private readonly ownsNetwork: boolean,
		/** `evolution`, `waha`, `cloudApi`: the endpoint's gateway name. */
		gateway: string,
		/** How errors name this emulator, e.g. `WAHA`. */
		private readonly label: string,
	) {
		this.webhooks = new WebhookSender(
			(delivery) => this.state.webhookDeliveries.push(delivery),
			() => this.state.webhookTimeoutMs,
		);
		this.endpoint = { gateway, devices: (number) => this.devices(number) };
		this.detach = network.attach(this.endpoint);
	}

	get state(): S {
		if (!this.emulator) throw new Error(`${this.label} runtime used before its emulator exists`);
		return this.emulator.state;
	}

	stop(reason: 'close' | 'reset'): void {
		this.timers.clear();
		this.liveTraffic.clear();
		this.forget();
		if (reason === 'reset') return;
		this.webhooks.stop();
		this.detach?.();
		this.detach = null;
		if (this.ownsNetwork) this.network.stop();
	}

	/** Per instance or session, the generation of its live customers: a new `traffic` call (or a reset) ends the old loop. */
	private readonly liveTraffic = new Map<string, number>();

	/**
	 * Live customers (action `traffic`, customers.ts): every `everyMs` one writes to `name`'s
	 * number through the network (read each time: a relink may change it), until the next
	 * `traffic` call for `name` or a reset. `everyMs` 0: none, and an earlier loop ends.
	 */
	protected startLiveTraffic(name: string, everyMs: number, numberOf: () => string | null): void {
		const generation = (this.liveTraffic.get(name) ?? 0) + 1;
		this.liveTraffic.set(name, generation);
		if (everyMs <= 0) return;
		const crowd = CustomerCrowd.on(this.network);
		const tick = () =>
			this.timers.after(everyMs, () => {
				if (this.liveTraffic.get(name) !== generation) return;
				const to = numberOf();
				if (to) crowd.write(to);
				tick();
			});
		tick();
	}

	/** Drops what the subclass keeps beside the state (pairing rounds, QR generations). */
	protected forget(): void {}

	/** The devices of this gateway that hold `number` (digits), read from the current state. */
	protected abstract devices(number: string): Array<NetworkDevice & { label: string }>;
}

/** Which runtime a state object belongs to, for request handlers that only see the state. */
export class RuntimeRegistry<S extends object, R> {
	private readonly runtimes = new WeakMap<object, R>();

	constructor(
		private readonly label: string,
		private readonly creator: string,
	) {}

	/** Registers a fresh state object (initial or after a reset) as `runtime`'s. */
	bind(state: S, runtime: R): S {
		this.runtimes.set(state, runtime);
		return state;
	}

	of(state: S): R {
		const runtime = this.runtimes.get(state);
		if (!runtime) throw new Error(`${this.label} state has no runtime (not created by ${this.creator})`);
		return runtime;
	}
}
