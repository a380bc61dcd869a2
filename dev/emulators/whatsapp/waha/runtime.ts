/**
 * What a WAHA emulator does on its own, outside a request (whatsapp-canary-webhooks.md §2):
 * holds its sessions' numbers on the WhatsApp network, stores messages, turns network acks
 * into `ack` values and `message.ack` webhooks, POSTs session webhooks (HMAC-SHA512 when a key
 * is set), settles STARTING sessions in time, rotates a pending QR, and pairs on `scan`.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { bodyObject, digitsOnly, isRecord, randomHex, stringField, unixSeconds } from '../common';
import { BOT_ANSWER_TEXT, trafficHistory, trafficOptions, type TrafficMessage } from '../customers';
import { GatewayRuntime, RuntimeRegistry } from '../gatewayRuntime';
import type { NetworkDevice, WhatsAppNetwork, WireAck, WireMessage } from '../network';
import { qrValue } from '../qrPng';
import { wahaHmac } from '../webhooks/signing';
import type { WahaSession, WahaState, WahaStoredMessage, WahaWebhookConfig } from './state';

const runtimes = new RuntimeRegistry<WahaState, WahaRuntime>('WAHA', 'createWahaEmulator');

export function runtimeOf(state: WahaState): WahaRuntime {
	return runtimes.of(state);
}

/** `WAMessageAck`: -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED (§2.A). */
export const ACK_NAMES: Record<number, string> = { [-1]: 'ERROR', 0: 'PENDING', 1: 'SERVER', 2: 'DEVICE', 3: 'READ', 4: 'PLAYED' };
const WIRE_ACK: Record<WireAck, number> = { SERVER: 1, DEVICE: 2, READ: 3 };

export function sessionNumber(session: WahaSession): string | null {
	return session.account ? digitsOnly(session.account.id.split('@')[0]) : null;
}

export function currentQrValue(name: string, session: WahaSession): string {
	return qrValue(`${name}:${session.qrCount}`);
}

/** `ABCD-EFGH`, stable for one phone within one QR round. */
export function pairingCodeFor(phoneNumber: string, round: number): string {
	const letters = randomFree(`${phoneNumber}:${round}`);
	return `${letters.slice(0, 4)}-${letters.slice(4, 8)}`;
}

function randomFree(seed: string): string {
	const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';
	let hash = 0;
	return Array.from({ length: 8 }, (_, i) => {
		for (const char of `${seed}:${i}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
		return alphabet[hash % alphabet.length];
	}).join('');
}

/** The session's webhooks as the API shows them: none while `webhookLost`. */
export function sessionWebhooks(session: WahaSession): WahaWebhookConfig[] {
	if (session.webhookLost) return [];
	const list = session.config.webhooks;
	return Array.isArray(list) ? list.filter(isRecord).map((hook) => hook as unknown as WahaWebhookConfig) : [];
}

export class WahaRuntime extends GatewayRuntime<WahaState> {
	private readonly qrGenerations = new Map<string, number>();

	constructor(network: WhatsAppNetwork, ownsNetwork: boolean) {
		super(network, ownsNetwork, 'waha', 'WAHA');
	}

	bind(state: WahaState): WahaState {
		return runtimes.bind(state, this);
	}

	protected override forget(): void {
		this.qrGenerations.clear();
	}

	// ------------------------------------------------------------ customers (customers.ts)

	/** Action `traffic`: past conversations stored on `session`, live customers every `everyMs`, an emulated bot answering. */
	traffic(body: Record<string, unknown>): Record<string, unknown> {
		const input = bodyObject(body);
		const name = stringField(input, 'session') ?? 'default';
		const session = this.state.sessions[name];
		const number = session ? sessionNumber(session) : null;
		if (!session?.account || !number) throw new Error(`traffic: no paired session "${name}"`);
		const options = trafficOptions(input);
		const history = trafficHistory(options, unixSeconds());
		for (const message of history) this.store(name, historyMessage(session.account.id, message));
		session.botAnswerMs = options.answerAfterS * 1000;
		this.startLiveTraffic(name, options.everyMs, () => {
			const current = this.state.sessions[name];
			return current ? sessionNumber(current) : null;
		});
		return { session: name, stored: history.length, inbound: history.filter((m) => !m.fromMe).length, outbound: history.filter((m) => m.fromMe).length };
	}

	/** The emulated bot's answer: sent like `POST /api/sendText` (stored ack 0, to the network), unless it is deaf. */
	private answer(name: string, chatId: string): void {
		const session = this.state.sessions[name];
		if (!session?.account || session.status !== 'WORKING' || session.botDeaf || typeof session.botAnswerMs !== 'number') return;
		const id = `3EB0${randomHex(10).toUpperCase()}`;
		const body = BOT_ANSWER_TEXT;
		const message: WahaStoredMessage = {
			id: `true_${chatId}_${id}`,
			timestamp: unixSeconds(),
			from: session.account.id,
			fromMe: true,
			source: 'api',
			to: chatId,
			body,
			hasMedia: false,
			media: null,
			ack: 0,
			ackName: ACK_NAMES[0],
			replyTo: null,
			_data: {},
			chatId,
		};
		this.sent(name, session, message, id);
	}

	// ------------------------------------------------------------ status and QR

	/** Called on every status change: history, `session.status` webhook, QR rotation, settle timer. */
	statusChanged(name: string, session: WahaSession): void {
		const history = (session.history ??= []);
		history.push({ status: session.status, timestamp: Date.now() });
		if (history.length > 3) history.splice(0, history.length - 3);
		this.emit(name, session, 'session.status', { status: session.status, statuses: [...history] });
		if (session.status === 'SCAN_QR_CODE') this.armQr(name);
		else this.qrGenerations.delete(name);
		const pending = session.pending;
		if (pending) this.timers.after(pending.at - Date.now(), () => this.settleNow());
	}

	/** Settles due STARTING sessions (the routes also settle lazily on each request). */
	settleNow(): void {
		const now = Date.now();
		for (const [name, session] of Object.entries(this.state.sessions)) {
			if (session.pending && now >= session.pending.at) {
				session.status = session.pending.status;
				session.pending = null;
				this.statusChanged(name, session);
			}
		}
	}

	private armQr(name: string): void {
		const generation = (this.qrGenerations.get(name) ?? 0) + 1;
		this.qrGenerations.set(name, generation);
		const tick = () => {
			this.timers.after(this.state.qrRotateMs, () => {
				if (this.qrGenerations.get(name) !== generation) return;
				const session = this.state.sessions[name];
				if (!session || session.status !== 'SCAN_QR_CODE') return;
				if (session.qrCount >= this.state.qrLimit) {
					session.status = 'FAILED';
					session.pairing = null;
					this.statusChanged(name, session);
					return;
				}
				session.qrCount += 1;
				if (session.pairing) session.pairing.code = pairingCodeFor(session.pairing.number, session.qrCount);
				// "SCAN_QR_CODE (re-sent on every QR refresh)" (§2.C).
				const history = (session.history ??= []);
				history.push({ status: session.status, timestamp: Date.now() });
				if (history.length > 3) history.splice(0, history.length - 3);
				this.emit(name, session, 'session.status', { status: session.status, statuses: [...history] });
				tick();
			});
		};
		tick();
	}

	/** Test action `scan`: `{session, code}` (the raw QR value) or `{session, pairingCode}`, `number` when unknown. */
	scan(body: Record<string, unknown>): Record<string, unknown> {
		const input = bodyObject(body);
		const name = stringField(input, 'session') ?? 'default';
		const session = this.state.sessions[name];
		if (!session) throw new Error(`no session "${name}"`);
		if (session.status !== 'SCAN_QR_CODE') throw new Error(`session "${name}" is not waiting for a scan (status ${session.status})`);
		const code = stringField(input, 'code');
		const pairingCode = stringField(input, 'pairingCode');
		if (code !== undefined) {
			if (code !== currentQrValue(name, session)) throw new Error(`QR code refused: not the current QR of "${name}" (stale or unknown)`);
		} else if (pairingCode !== undefined) {
			if (!session.pairing || session.pairing.code !== pairingCode) throw new Error(`pairing code refused for "${name}" (stale or unknown)`);
		} else {
			throw new Error('scan needs `code` or `pairingCode`');
		}
		const number = digitsOnly(stringField(input, 'number') ?? session.pairing?.number ?? '');
		if (!number) throw new Error(`scan of "${name}" needs \`number\`: the session has no phone number yet`);
		session.account = { id: `${number}@c.us`, pushName: stringField(input, 'pushName') ?? name };
		session.pairing = null;
		session.status = 'WORKING';
		session.pending = null;
		this.statusChanged(name, session);
		return { session: name, status: 'WORKING', number };
	}

	// ------------------------------------------------------------ network and messages

	protected devices(number: string): Array<NetworkDevice & { label: string }> {
		if (!this.emulator) return [];
		return Object.entries(this.state.sessions)
			.filter(([, session]) => sessionNumber(session) === number)
			.map(([name, session]) => ({
				label: `waha:${name}`,
				status: session.status !== 'WORKING' ? 'offline' : session.zombie ? 'deaf' : 'online',
				receive: (message: WireMessage) => this.receive(name, message),
			}));
	}

	private store(name: string, message: WahaStoredMessage): void {
		(this.state.messages[name] ??= []).push(message);
	}

	private receive(name: string, wire: WireMessage): void {
		const session = this.state.sessions[name];
		if (!session?.account) return;
		const chatId = `${wire.from}@c.us`;
		const message: WahaStoredMessage = {
			id: `false_${chatId}_${wire.id}`,
			timestamp: wire.timestamp,
			from: chatId,
			fromMe: false,
			source: 'app',
			to: session.account.id,
			body: wire.text,
			hasMedia: false,
			media: null,
			// INFERENCE: a received message has reached this device.
			ack: 2,
			ackName: ACK_NAMES[2],
			replyTo: null,
			_data: { notifyName: wire.pushName },
			chatId,
		};
		this.store(name, message);
		this.emit(name, session, 'message', publicMessage(message));
		this.emit(name, session, 'message.any', publicMessage(message));
		const answerMs = session.botAnswerMs;
		if (typeof answerMs === 'number') this.timers.after(answerMs, () => this.answer(name, chatId));
	}

	/** An accepted send: stored (ack 0), `message.any` (source api), then to the network unless a zombie. */
	sent(name: string, session: WahaSession, message: WahaStoredMessage, wireId: string): void {
		this.store(name, message);
		this.emit(name, session, 'message.any', publicMessage(message));
		if (session.zombie) return;
		const wire: WireMessage = {
			id: wireId,
			from: sessionNumber(session) ?? '',
			to: digitsOnly(message.chatId.split('@')[0]),
			text: message.body,
			timestamp: message.timestamp,
			pushName: session.account?.pushName ?? null,
		};
		this.network.send(this.endpoint, wire, (ack) => this.acked(name, message.id, ack));
	}

	private acked(name: string, id: string, ack: WireAck): void {
		const session = this.state.sessions[name];
		const message = this.state.messages[name]?.find((stored) => stored.id === id);
		if (!session || !message) return;
		message.ack = WIRE_ACK[ack];
		message.ackName = ACK_NAMES[message.ack];
		this.emit(name, session, 'message.ack', {
			id: message.id,
			from: message.chatId,
			participant: null,
			fromMe: true,
			ack: message.ack,
			ackName: message.ackName,
		});
	}

	// ------------------------------------------------------------ webhooks

	/** POSTs to every session webhook and the global one that subscribed to `event` (or `*`). */
	emit(name: string, session: WahaSession, event: string, payload: unknown): void {
		const hooks = [...sessionWebhooks(session), ...(this.state.globalWebhook ? [this.state.globalWebhook] : [])];
		for (const hook of hooks) {
			if (typeof hook.url !== 'string' || !Array.isArray(hook.events)) continue;
			if (!hook.events.includes('*') && !hook.events.includes(event)) continue;
			const body = {
				id: `evt_${randomBytes(16).toString('hex').slice(0, 28)}`,
				timestamp: Date.now(),
				event,
				session: name,
				...(isRecord(session.config.metadata) ? { metadata: session.config.metadata } : {}),
				me: session.status === 'WORKING' ? session.account : null,
				payload,
				engine: this.state.engine,
				environment: { tier: 'CORE', version: this.state.version, engine: this.state.engine, browser: null },
			};
			const bodyText = JSON.stringify(body);
			const headers: Record<string, string> = {
				'content-type': 'application/json',
				'user-agent': `WAHA/${this.state.version}`,
				'x-webhook-request-id': randomUUID(),
				'x-webhook-timestamp': String(body.timestamp),
			};
			const key = hook.hmac?.key;
			if (key) {
				headers['x-webhook-hmac'] = wahaHmac(key, bodyText);
				headers['x-webhook-hmac-algorithm'] = 'sha512';
			}
			for (const header of hook.customHeaders ?? []) headers[header.name.toLowerCase()] = header.value;
			this.webhooks.post({ event, url: hook.url, headers, bodyText });
		}
	}
}

/** The stored message as WAHA returns it (without the emulator's `chatId`). */
export function publicMessage(message: WahaStoredMessage): Record<string, unknown> {
	const { chatId: _chatId, ...rest } = message;
	return rest;
}

/** A seeded past message as a WAMessage: customers' ack 2 DEVICE, the bot's (source api) ack 3 READ. */
function historyMessage(me: string, message: TrafficMessage): WahaStoredMessage {
	const chatId = `${message.customer}@c.us`;
	const ack = message.fromMe ? 3 : 2;
	return {
		id: `${message.fromMe}_${chatId}_${message.id}`,
		timestamp: message.timestamp,
		from: message.fromMe ? me : chatId,
		fromMe: message.fromMe,
		source: message.fromMe ? 'api' : 'app',
		to: message.fromMe ? chatId : me,
		body: message.text,
		hasMedia: false,
		media: null,
		ack,
		ackName: ACK_NAMES[ack],
		replyTo: null,
		_data: {},
		chatId,
	};
}
