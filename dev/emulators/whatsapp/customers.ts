/**
 * Customers of an emulated bot, for the passive check: a history of past conversations to
 * seed a gateway's message store with, and a crowd of customer numbers on the WhatsApp
 * network that write to the bot live. Gateway-neutral: each gateway stores the messages in
 * its own shape (Evolution `Message` rows, WAHA WAMessages).
 *
 * The action `traffic` of the Evolution and WAHA emulators (`{instance | session, days,
 * perHour, answerAfterS, unansweredLastMinutes, everyMs}`) uses both, and from then on an
 * emulated bot answers every direct message that reaches that instance after `answerAfterS`,
 * through the gateway's own send path (stored as sent, acked over the network) — unless the
 * instance's `botDeaf` switch is on (the gateway stores customers' messages, nobody answers),
 * or it is a `zombie` (nothing arrives, so nothing is answered; WhatsApp keeps the messages
 * and delivers them after a restart).
 */
import type { NetworkDevice, NetworkEndpoint, WhatsAppNetwork, WireMessage } from './network';

/** Customers' numbers: Mexican mobiles no emulated gateway holds. */
export const CUSTOMER_PREFIX = '52199';

/** What the emulated bot answers every customer (action `traffic`). */
export const BOT_ANSWER_TEXT = '¡Hola! Le paso el catálogo.';
const HOUR_S = 3600;

export interface TrafficOptions {
	/** Days of past conversations to store. */
	days: number;
	/** Customer conversations per hour: one number, or 24 (by UTC hour). */
	perHour: number | number[];
	/** Seconds after a customer's message the bot's answer is stored. */
	answerAfterS: number;
	/** The conversations of the last this many minutes have no answer (the bot went deaf then). */
	unansweredLastMinutes: number;
	/** A live customer writes every this many ms (0: none). */
	everyMs: number;
}

export interface TrafficMessage {
	/** The WhatsApp message id (Baileys-like). */
	id: string;
	/** The customer's number, digits. */
	customer: string;
	fromMe: boolean;
	text: string;
	/** Unix seconds. */
	timestamp: number;
}

const QUESTIONS = ['Hola, ¿tienen stock?', '¿Cuánto cuesta?', '¿Hacen envíos?', 'Quiero comprar', '¿Qué horario tienen?'];

function numberField(body: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
	const value = body[key] ?? fallback;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new Error(`traffic: \`${key}\` must be a number from ${min} to ${max}`);
	return value;
}

/** The action's options; throws (→ HTTP 400) naming the bad one. */
export function trafficOptions(body: Record<string, unknown>): TrafficOptions {
	const perHour = body.perHour ?? 6;
	const validRate = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 3600;
	if (!(validRate(perHour) || (Array.isArray(perHour) && perHour.length === 24 && perHour.every(validRate)))) {
		throw new Error('traffic: `perHour` must be a number (0-3600) or 24 of them, one per UTC hour');
	}
	return {
		days: numberField(body, 'days', 14, 0, 60),
		perHour: perHour as number | number[],
		answerAfterS: numberField(body, 'answerAfterS', 20, 0, 86_400),
		unansweredLastMinutes: numberField(body, 'unansweredLastMinutes', 0, 0, 60 * 24 * 60),
		everyMs: numberField(body, 'everyMs', 0, 0, 86_400_000),
	};
}

/** A deterministic message id per (customer, time, direction): seeding twice stores the same ids. */
function messageId(seed: string): string {
	let hash = 2166136261;
	for (const char of seed) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
	let hex = '';
	for (let i = 0; i < 4; i++) {
		hash = Math.imul(hash ^ (hash >>> 15), 2246822507) >>> 0;
		hex += hash.toString(16).padStart(8, '0');
	}
	return `3EB0${hex.slice(0, 18).toUpperCase()}`;
}

export function customerNumber(n: number): string {
	return `${CUSTOMER_PREFIX}${String(n % 1e8).padStart(8, '0')}`;
}

/**
 * Past conversations, oldest first, ending at `nowS` (unix seconds): `perHour` customers in each
 * hour, evenly spread, each answered `answerAfterS` later unless it falls in the last
 * `unansweredLastMinutes`. Each conversation is a new customer.
 */
export function trafficHistory(options: TrafficOptions, nowS: number): TrafficMessage[] {
	const messages: TrafficMessage[] = [];
	const from = nowS - options.days * 24 * HOUR_S;
	const deafFrom = nowS - options.unansweredLastMinutes * 60;
	let n = 0;
	for (let hour = Math.floor(from / HOUR_S) * HOUR_S; hour < nowS; hour += HOUR_S) {
		const rate = Array.isArray(options.perHour) ? options.perHour[new Date(hour * 1000).getUTCHours()] : options.perHour;
		const count = Math.floor(rate);
		for (let i = 0; i < count; i++) {
			const at = hour + Math.floor(((i + 0.5) * HOUR_S) / count);
			if (at < from || at >= nowS) continue;
			const customer = customerNumber(n++);
			messages.push({ id: messageId(`${customer}:${at}:in`), customer, fromMe: false, text: QUESTIONS[n % QUESTIONS.length], timestamp: at });
			const answerAt = at + options.answerAfterS;
			if (at < deafFrom && answerAt < nowS) {
				messages.push({ id: messageId(`${customer}:${at}:out`), customer, fromMe: true, text: '¡Hola! Le paso el catálogo.', timestamp: answerAt });
			}
		}
	}
	return messages.sort((a, b) => a.timestamp - b.timestamp);
}

const crowds = new WeakMap<WhatsAppNetwork, CustomerCrowd>();

/** The customers' phones: every `CUSTOMER_PREFIX` number is online and receives the bot's answers. */
export class CustomerCrowd {
	readonly received: WireMessage[] = [];
	private readonly endpoint: NetworkEndpoint;
	private next = 0;

	private constructor(private readonly network: WhatsAppNetwork) {
		this.endpoint = {
			gateway: 'customers',
			devices: (number) => (number.startsWith(CUSTOMER_PREFIX) ? [this.device(number)] : []),
		};
		network.attach(this.endpoint);
	}

	/** The one crowd of a network. */
	static on(network: WhatsAppNetwork): CustomerCrowd {
		let crowd = crowds.get(network);
		if (!crowd) {
			crowd = new CustomerCrowd(network);
			crowds.set(network, crowd);
		}
		return crowd;
	}

	private device(number: string): NetworkDevice & { label: string } {
		return { label: `customer:${number}`, status: 'online', receive: (message) => void this.received.push(message) };
	}

	/** A new customer writes to `to` (the bot's number): the network delivers it, or keeps it while the bot's device is deaf. */
	write(to: string): WireMessage {
		// Live customers get numbers far from the seeded ones.
		const customer = customerNumber(50_000_000 + this.next++);
		const id = messageId(`${customer}:${Date.now()}:live`);
		const message: WireMessage = { id, from: customer, to, text: QUESTIONS[this.next % QUESTIONS.length], timestamp: Math.floor(Date.now() / 1000), pushName: 'Cliente' };
		this.network.send(this.endpoint, message, () => undefined);
		return message;
	}
}
