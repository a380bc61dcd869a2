/**
 * POSTs a gateway's webhooks for real, in order, one at a time, and records every attempt
 * so tests (and the demo) can see what was sent and what the receiver answered. A receiver
 * that is down, slow or answers an error never crashes the emulator: the attempt is recorded
 * with its error and the queue moves on. Retries are not modelled (each provider's retry
 * policy is described in the gateway's header comment).
 */
import { randomUUID } from 'node:crypto';

export interface WebhookDelivery {
	id: string;
	/** The gateway's event name as it appears in the payload (`messages.upsert`, `message.ack`, `messages`…). */
	event: string;
	url: string;
	headers: Record<string, string>;
	bodyText: string;
	body: unknown;
	/** When the POST was started (ISO). */
	at: string;
	/** The receiver's HTTP status, or null when there was no answer. */
	status: number | null;
	/** Why there was no answer (connection refused, timeout…), else null. */
	error: string | null;
}

export interface OutgoingWebhook {
	event: string;
	url: string;
	headers: Record<string, string>;
	/** The exact bytes to send (signatures are computed over them). */
	bodyText: string;
}

export class WebhookSender {
	private chain: Promise<void> = Promise.resolve();
	private stopped = false;

	/**
	 * @param record where each attempt goes (usually the emulator state's `webhookDeliveries`)
	 * @param timeoutMs how long one POST may take before it counts as failed
	 */
	constructor(
		private readonly record: (delivery: WebhookDelivery) => void,
		private readonly timeoutMs: () => number,
	) {}

	/** Queues a POST after the ones already queued. */
	post(webhook: OutgoingWebhook): void {
		if (this.stopped) return;
		this.chain = this.chain.then(() => this.deliver(webhook));
	}

	/** Resolves when everything queued so far has been attempted. */
	idle(): Promise<void> {
		return this.chain;
	}

	/** Drops what is still queued (the emulator closed). */
	stop(): void {
		this.stopped = true;
	}

	restart(): void {
		this.stopped = false;
	}

	private async deliver(webhook: OutgoingWebhook): Promise<void> {
		if (this.stopped) return;
		const delivery: WebhookDelivery = {
			id: randomUUID(),
			event: webhook.event,
			url: webhook.url,
			headers: webhook.headers,
			bodyText: webhook.bodyText,
			body: parse(webhook.bodyText),
			at: new Date().toISOString(),
			status: null,
			error: null,
		};
		try {
			const response = await fetch(webhook.url, {
				method: 'POST',
				headers: webhook.headers,
				body: webhook.bodyText,
				signal: AbortSignal.timeout(this.timeoutMs()),
			});
			delivery.status = response.status;
			await response.arrayBuffer().catch(() => undefined);
		} catch (error) {
			const cause = (error as { cause?: { code?: string } }).cause?.code;
			delivery.error = cause ?? (error as Error).message;
		}
		try {
			this.record(delivery);
		} catch {
			// The state may have been replaced by a reset; the attempt is simply not kept.
		}
	}
}

function parse(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}
