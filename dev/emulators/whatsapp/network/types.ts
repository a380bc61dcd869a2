/**
 * Vocabulary of the emulated WhatsApp network: what travels between numbers and what a
 * gateway emulator exposes so the network can reach the numbers it holds.
 */

/** A message on the wire, gateway-neutral. Each gateway renders `id` in its own format. */
export interface WireMessage {
	/** The WhatsApp message id (Evolution `key.id`, the tail of a WAHA id, inside a Meta wamid). */
	id: string;
	/** Sender's number, digits only. */
	from: string;
	/** Recipient's number, digits only. */
	to: string;
	text: string;
	/** Unix seconds. */
	timestamp: number;
	/** The sender's profile name, shown to the recipient as pushName / contacts[].profile.name. */
	pushName: string | null;
}

/** Delivery progress as WhatsApp itself reports it; each gateway maps it to its own vocabulary. */
export type WireAck = 'SERVER' | 'DEVICE' | 'READ';

/**
 * One linked device of a number, as the gateway currently sees it:
 *  - `online`: connected and healthy; a message is handed over at once;
 *  - `offline`: not connected (close, STOPPED, QR pending): WhatsApp keeps the message and
 *    delivers it when the device comes back;
 *  - `deaf`: reports connected but receives nothing (the `zombie` fault): like offline, the
 *    message waits on the server until the device is healed (WAHA #2151: "backlog then delivered").
 */
export type DeviceStatus = 'online' | 'offline' | 'deaf';

export interface NetworkDevice {
	status: DeviceStatus;
	/** Stores the inbound message and fires the gateway's own webhooks. */
	receive(message: WireMessage): void;
}

/** What a gateway emulator attaches: a name for logs and a live lookup of the numbers it holds. */
export interface NetworkEndpoint {
	/** e.g. `evolution`, `waha`, `cloudApi`. */
	gateway: string;
	/** The devices of this gateway that hold `number` (digits), read from its current state. */
	devices(number: string): Array<NetworkDevice & { label: string }>;
}

/** What the network tells the sender's gateway about its message. */
export type AckListener = (ack: WireAck) => void;

/** Timing of the network, in ms. Defaults are small so tests are fast; a demo may slow them down. */
export interface NetworkTiming {
	/** Send → SERVER ack (one grey tick). */
	serverAckMs: number;
	/** SERVER ack → handed to the recipient's device → DEVICE ack (two grey ticks). */
	deliveryMs: number;
	/** DEVICE ack → READ (blue ticks); null: recipients never send read receipts. */
	readMs: number | null;
	/** How often messages waiting for an offline or deaf device are retried. */
	retryMs: number;
}

/** The network's log of one message, for assertions. */
export interface NetworkLogEntry extends WireMessage {
	/** Which gateway sent it. */
	via: string;
	/** `attached`: some gateway holds the recipient's number; `external`: nobody does. */
	recipient: 'attached' | 'external';
	/** Device labels the message was handed to, in order. */
	deliveredTo: string[];
	acks: WireAck[];
}
