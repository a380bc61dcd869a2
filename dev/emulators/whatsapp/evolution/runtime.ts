/**
 * What an Evolution emulator does on its own, outside a request: it holds its instances'
 * numbers on the WhatsApp network, stores inbound messages, turns network acks into
 * `MessageUpdate` rows, and POSTs webhooks (whatsapp-canary-webhooks.md §1.B, §1.C).
 * Handlers reach it through `runtimeOf(req.state)`.
 */
import { randomBytes } from 'node:crypto';

import { bodyObject, randomHex, stringField, unixSeconds } from '../common';
import { BOT_ANSWER_TEXT, trafficHistory, trafficOptions, type TrafficMessage } from '../customers';
import { GatewayRuntime, RuntimeRegistry } from '../gatewayRuntime';
import type { NetworkDevice, WhatsAppNetwork, WireAck, WireMessage } from '../network';
import { evolutionWebhookJwt } from '../webhooks/signing';
import { EvolutionDrops } from './drop';
import { EvolutionPairing } from './qr';
import { instanceNumber, type EvolutionInstance, type EvolutionState, type EvolutionStoredMessage } from './state';

const runtimes = new RuntimeRegistry<EvolutionState, EvolutionRuntime>('Evolution', 'createEvolutionEmulator');

export function runtimeOf(state: EvolutionState): EvolutionRuntime {
	return runtimes.of(state);
}

/** Evolution's `EventController.events` (2.3.6), the names `events[]` accepts. */
export const EVOLUTION_EVENTS = [
	'APPLICATION_STARTUP', 'QRCODE_UPDATED', 'MESSAGES_SET', 'MESSAGES_UPSERT', 'MESSAGES_EDITED', 'MESSAGES_UPDATE',
	'MESSAGES_DELETE', 'SEND_MESSAGE', 'SEND_MESSAGE_UPDATE', 'CONTACTS_SET', 'CONTACTS_UPSERT', 'CONTACTS_UPDATE',
	'PRESENCE_UPDATE', 'CHATS_SET', 'CHATS_UPSERT', 'CHATS_UPDATE', 'CHATS_DELETE', 'GROUPS_UPSERT', 'GROUP_UPDATE',
	'GROUP_PARTICIPANTS_UPDATE', 'CONNECTION_UPDATE', 'LABELS_EDIT', 'LABELS_ASSOCIATION', 'CALL', 'TYPEBOT_START',
	'TYPEBOT_CHANGE_STATUS', 'REMOVE_INSTANCE', 'LOGOUT_INSTANCE', 'INSTANCE_CREATE', 'INSTANCE_DELETE', 'STATUS_INSTANCE',
] as const;
export type EvolutionEvent = (typeof EVOLUTION_EVENTS)[number];

/** The payload's `event` value (`enum Events`, lower-case dotted), for the events this emulator emits. */
const DOTTED: Partial<Record<EvolutionEvent, string>> = {
	QRCODE_UPDATED: 'qrcode.updated',
	MESSAGES_UPSERT: 'messages.upsert',
	MESSAGES_UPDATE: 'messages.update',
	SEND_MESSAGE: 'send.message',
	CONNECTION_UPDATE: 'connection.update',
	LOGOUT_INSTANCE: 'logout.instance',
};

const ACK_STATUS: Record<WireAck, string> = { SERVER: 'SERVER_ACK', DEVICE: 'DELIVERY_ACK', READ: 'READ' };

/** A Prisma cuid-like row id. */
export function rowId(): string {
	return `cm${randomBytes(12).toString('hex').slice(0, 23)}`;
}

/** A message the instance sends, as Evolution stores it the moment it accepts it (PENDING, no updates yet). */
export function outboundRow(instance: EvolutionInstance, remoteJid: string, id: string, messageType: string, message: Record<string, unknown>): EvolutionStoredMessage {
	return {
		id: rowId(),
		key: { remoteJid, fromMe: true, id },
		pushName: instance.profileName ?? '',
		messageType,
		message,
		messageTimestamp: unixSeconds(),
		instanceId: instance.id,
		source: 'unknown',
		contextInfo: null,
		status: 'PENDING',
		updates: [],
	};
}

/** Baileys' getDevice(): ids starting 3EB0 come from WhatsApp Web; INFERENCE for the others. */
function sourceOf(id: string): string {
	return id.startsWith('3EB0') ? 'web' : 'android';
}

export class EvolutionRuntime extends GatewayRuntime<EvolutionState> {
	readonly pairing: EvolutionPairing;
	readonly drops: EvolutionDrops;

	constructor(network: WhatsAppNetwork, ownsNetwork: boolean) {
		super(network, ownsNetwork, 'evolution', 'Evolution');
		this.pairing = new EvolutionPairing(this);
		this.drops = new EvolutionDrops(this);
	}

	bind(state: EvolutionState): EvolutionState {
		return runtimes.bind(state, this);
	}

	protected override forget(): void {
		this.pairing.clear();
		this.drops.clear();
	}

	// ------------------------------------------------------------ customers (customers.ts)

	/**
	 * Action `traffic`: stores `days` of past conversations with customers on `instance`, lets
	 * live customers write every `everyMs`, and from now on an emulated bot answers each direct
	 * message after `answerAfterS` (not while `botDeaf`).
	 */
	traffic(body: Record<string, unknown>): Record<string, unknown> {
		const input = bodyObject(body);
		const name = stringField(input, 'instance') ?? 'ventas';
		const instance = this.state.instances[name];
		const number = instance ? instanceNumber(instance) : null;
		if (!instance || !number) throw new Error(`traffic: no paired instance "${name}"`);
		const options = trafficOptions(input);
		const history = trafficHistory(options, unixSeconds());
		for (const message of history) this.store(name, historyRow(instance, message));
		instance.botAnswerMs = options.answerAfterS * 1000;
		this.startLiveTraffic(name, options.everyMs, () => {
			const current = this.state.instances[name];
			return current ? instanceNumber(current) : null;
		});
		return { instance: name, stored: history.length, inbound: history.filter((m) => !m.fromMe).length, outbound: history.filter((m) => m.fromMe).length };
	}

	/** The emulated bot's answer: sent like a REST send (stored PENDING, to the network), unless it is deaf. */
	private answer(name: string, to: string): void {
		const instance = this.state.instances[name];
		if (!instance || instance.state !== 'open' || instance.botDeaf || typeof instance.botAnswerMs !== 'number') return;
		const text = BOT_ANSWER_TEXT;
		const row = outboundRow(instance, `${to}@s.whatsapp.net`, `3EB0${randomHex(9).toUpperCase()}`, 'conversation', { conversation: text });
		instance.counts.Message += 1;
		this.sent(name, instance, row, text);
	}

	// ------------------------------------------------------------ network

	protected devices(number: string): Array<NetworkDevice & { label: string }> {
		if (!this.emulator) return [];
		return Object.entries(this.state.instances)
			.filter(([, instance]) => instanceNumber(instance) === number)
			.map(([name, instance]) => ({
				label: `evolution:${name}`,
				status: instance.state !== 'open' ? 'offline' : instance.zombie ? 'deaf' : 'online',
				receive: (message: WireMessage) => this.receive(name, message),
			}));
	}

	private store(name: string, row: EvolutionStoredMessage): void {
		(this.state.messages[name] ??= []).push(row);
	}

	/** An inbound message: stored (status DELIVERY_ACK, as for inbound without a Baileys status) and upserted. */
	private receive(name: string, message: WireMessage): void {
		const instance = this.state.instances[name];
		if (!instance) return;
		const row: EvolutionStoredMessage = {
			id: rowId(),
			key: { id: message.id, remoteJid: `${message.from}@s.whatsapp.net`, fromMe: false },
			pushName: message.pushName ?? '',
			messageType: 'conversation',
			message: { conversation: message.text },
			messageTimestamp: message.timestamp,
			instanceId: instance.id,
			source: sourceOf(message.id),
			contextInfo: null,
			status: 'DELIVERY_ACK',
			updates: [],
		};
		this.store(name, row);
		instance.counts.Message += 1;
		this.emit(name, 'MESSAGES_UPSERT', upsertData(row));
		const answerMs = instance.botAnswerMs;
		if (typeof answerMs === 'number') this.timers.after(answerMs, () => this.answer(name, message.from));
	}

	/**
	 * An accepted send: stored as PENDING, `send.message` emitted, and handed to the network
	 * unless the instance is a zombie (then it stays PENDING forever, as in #2597/#1938).
	 */
	sent(name: string, instance: EvolutionInstance, row: EvolutionStoredMessage, text: string): void {
		this.store(name, row);
		this.emit(name, 'SEND_MESSAGE', upsertData(row));
		if (instance.zombie) return;
		const from = instanceNumber(instance) ?? '';
		const to = row.key.remoteJid.split('@')[0];
		const wire: WireMessage = { id: row.key.id, from, to, text, timestamp: row.messageTimestamp, pushName: instance.profileName };
		this.network.send(this.endpoint, wire, (ack) => this.acked(name, row.key.id, ack));
	}

	/**
	 * Since 2.3.0 the `Message.status` column of an own message keeps PENDING; progress is
	 * a `MessageUpdate` row plus a `messages.update` webhook (§1.B "Important (2.3.0+)").
	 */
	private acked(name: string, keyId: string, ack: WireAck): void {
		const instance = this.state.instances[name];
		const row = this.state.messages[name]?.find((message) => message.key.fromMe && message.key.id === keyId);
		if (!instance || !row) return;
		const status = ACK_STATUS[ack];
		row.updates.push({ id: rowId(), status });
		this.emit(name, 'MESSAGES_UPDATE', {
			keyId,
			remoteJid: row.key.remoteJid,
			fromMe: true,
			participant: null,
			status,
			pollUpdates: null,
			instanceId: instance.id,
			messageId: row.id,
		});
	}

	// ------------------------------------------------------------ webhooks

	/** POSTs `event` to the instance webhook and the global one, where each is configured for it (§1.C). */
	emit(name: string, event: EvolutionEvent, data: unknown): void {
		const instance = this.state.instances[name];
		if (!instance) return;
		const dotted = DOTTED[event] ?? event.toLowerCase().replace(/_/g, '.');
		const eventPath = event.toLowerCase().replace(/_/g, '-');
		const row = this.state.webhooks[name];
		const targets: Array<{ url: string; headers: Record<string, string> | null }> = [];
		if (row && row.enabled && !instance.webhookLost && /^https?:\/\//.test(row.url)) {
			if (row.events.length === 0 || row.events.includes(event)) {
				targets.push({ url: row.webhookByEvents ? `${row.url}/${eventPath}` : row.url, headers: row.headers });
			}
		}
		const global = this.state.globalWebhook;
		if (global && /^https?:\/\//.test(global.url) && global.events.includes(event)) {
			targets.push({ url: global.byEvents ? `${global.url}/${eventPath}` : global.url, headers: null });
		}
		for (const target of targets) {
			const body = {
				event: dotted,
				instance: name,
				data,
				destination: target.url,
				date_time: new Date().toISOString(),
				sender: instance.ownerJid,
				server_url: this.serverUrl(),
				apikey: this.state.exposeApiKeyInWebhooks ? instance.token : null,
			};
			this.webhooks.post({ event: dotted, url: target.url, headers: webhookHeaders(target.headers), bodyText: JSON.stringify(body) });
		}
	}

	private serverUrl(): string {
		try {
			return this.emulator?.url ?? '';
		} catch {
			return '';
		}
	}
}

/** Custom headers as configured; a `jwt_key` header becomes `Authorization: Bearer <JWT>` (2.3.0+). */
function webhookHeaders(custom: Record<string, string> | null): Record<string, string> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	for (const [name, value] of Object.entries(custom ?? {})) {
		if (name === 'jwt_key') headers.authorization = `Bearer ${evolutionWebhookJwt(value)}`;
		else headers[name] = value;
	}
	return headers;
}

/** `prepareMessage()` output: the send response / `messages.upsert` data (no row id, no updates). */
export function upsertData(row: EvolutionStoredMessage): Record<string, unknown> {
	return {
		key: row.key,
		pushName: row.pushName,
		status: row.status,
		message: row.message,
		messageType: row.messageType,
		messageTimestamp: row.messageTimestamp,
		instanceId: row.instanceId,
		source: row.source,
	};
}

/** A seeded past message as a `Message` row: customers' rows DELIVERY_ACK, the bot's PENDING with its acks as MessageUpdate rows (2.3.0+). */
function historyRow(instance: EvolutionInstance, message: TrafficMessage): EvolutionStoredMessage {
	return {
		id: rowId(),
		key: { id: message.id, remoteJid: `${message.customer}@s.whatsapp.net`, fromMe: message.fromMe },
		pushName: message.fromMe ? (instance.profileName ?? '') : 'Cliente',
		messageType: 'conversation',
		message: { conversation: message.text },
		messageTimestamp: message.timestamp,
		instanceId: instance.id,
		source: message.fromMe ? 'unknown' : sourceOf(message.id),
		contextInfo: null,
		status: message.fromMe ? 'PENDING' : 'DELIVERY_ACK',
		updates: message.fromMe ? ['SERVER_ACK', 'DELIVERY_ACK', 'READ'].map((status) => ({ id: rowId(), status })) : [],
	};
}
