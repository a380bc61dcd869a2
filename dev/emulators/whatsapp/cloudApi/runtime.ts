/**
 * What a Cloud API emulator does on its own (whatsapp-canary-webhooks.md §3): its phone
 * number is on the WhatsApp network; inbound messages and the statuses of its own sends are
 * POSTed to the app's callback as `messages` webhooks signed with `X-Hub-Signature-256`.
 * There is no read-back (§3.B): `receivedMessages` is a test record only, no route serves it.
 * Callback precedence: WABA `override_callback_uri` → app callback (`app.callbackUrl`); the
 * phone-number override is not modelled. Nothing is POSTed while the app is not subscribed to
 * the WABA (`webhookLost`, the "dashboard Test works, real messages never arrive" failure, §3.D).
 */
import { randomBytes } from 'node:crypto';

import { digitsOnly } from '../common';
import { GatewayRuntime } from '../gatewayRuntime';
import type { NetworkDevice, WhatsAppNetwork, WireAck, WireMessage } from '../network';
import { hubSignature256 } from '../webhooks/signing';
import type { CloudApiState } from './index';

const STATUS: Record<WireAck, string> = { SERVER: 'sent', DEVICE: 'delivered', READ: 'read' };

/** A wamid for a WhatsApp message id seen by this number (the same id gives the same wamid). */
export function wamidFor(number: string, wireId: string): string {
	return `wamid.HBgL${Buffer.from(`${number}${wireId}`).toString('base64').replace(/=+$/, '')}`;
}

export class CloudApiRuntime extends GatewayRuntime<CloudApiState> {
	constructor(network: WhatsAppNetwork, ownsNetwork: boolean) {
		super(network, ownsNetwork, 'cloudApi', 'Cloud API');
	}

	get number(): string {
		return digitsOnly(this.state.phone.display_phone_number);
	}

	protected devices(number: string): Array<NetworkDevice & { label: string }> {
		if (!this.emulator || number !== this.number) return [];
		const online = this.state.registered && this.state.phone.status === 'CONNECTED';
		return [{ label: `cloudApi:${this.state.phone.id}`, status: online ? 'online' : 'offline', receive: (m: WireMessage) => this.receive(m) }];
	}

	/** A send accepted by `/messages`: to the network; statuses come back as webhooks. */
	sent(wamid: string, to: string, text: string): void {
		const wire: WireMessage = {
			// The recipient's gateway renders the id in its own format; Meta's wamid stays on this side.
			id: randomBytes(10).toString('hex').toUpperCase(),
			from: this.number,
			to: digitsOnly(to),
			text,
			timestamp: Math.floor(Date.now() / 1000),
			pushName: this.state.phone.verified_name,
		};
		this.network.send(this.endpoint, wire, (ack) => this.emitStatus(wamid, wire.to, ack));
	}

	private receive(message: WireMessage): void {
		const id = message.id.startsWith('wamid.') ? message.id : wamidFor(message.from, message.id);
		this.state.receivedMessages.push({ id, from: message.from, text: message.text, timestamp: message.timestamp });
		this.emit({
			contacts: [{ profile: { name: message.pushName ?? '' }, wa_id: message.from }],
			messages: [{ from: message.from, id, timestamp: String(message.timestamp), type: 'text', text: { body: message.text } }],
		});
	}

	private emitStatus(wamid: string, recipient: string, ack: WireAck): void {
		const status = STATUS[ack];
		this.emit({
			statuses: [
				{
					id: wamid,
					status,
					timestamp: String(Math.floor(Date.now() / 1000)),
					recipient_id: recipient,
					// `pricing` only with sent and one of delivered/read (§3.C); `conversation` is omitted (v24.0+ style).
					...(status === 'read' ? {} : { pricing: { billable: true, pricing_model: 'CBP', category: 'service' } }),
				},
			],
		});
	}

	/** One `messages` change on the WABA entry, POSTed to the effective callback. */
	private emit(value: Record<string, unknown>): void {
		const state = this.state;
		const url = state.subscription.override_callback_uri ?? state.app.callbackUrl;
		if (state.webhookLost || !url) return;
		const body = {
			object: 'whatsapp_business_account',
			entry: [
				{
					id: state.waba.id,
					changes: [
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								metadata: { display_phone_number: this.number, phone_number_id: state.phone.id },
								...value,
							},
						},
					],
				},
			],
		};
		const bodyText = JSON.stringify(body);
		const headers = { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature256(state.app.secret, bodyText) };
		this.webhooks.post({ event: 'messages', url, headers, bodyText });
	}
}
