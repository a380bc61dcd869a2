/**
 * Gateway events (issue 20): what Evolution API, WAHA and the Meta Cloud API announce by
 * webhook, normalised into one shape the Incident Tracker can act on within seconds.
 * Plain data, no n8n types. Facts: /work/shared/reference/whatsapp-canary-webhooks.md.
 */
import type { Cause, Status } from '../contract';

export const GATEWAY_SOURCES = ['evolution', 'waha', 'meta'] as const;
export type GatewaySource = (typeof GATEWAY_SOURCES)[number];

/**
 * What one event says about the bot's WhatsApp:
 *  - `healthy`: connected again (`open`, `WORKING`);
 *  - `suspect`: maybe down (`connecting`, a failed message): an outage only if the probe's
 *    re-check after the grace time still fails;
 *  - `outage`: the gateway itself says it is down (`close`, `refused`, `FAILED`, …) or a
 *    Meta failure that is the bot's problem: an incident opens at once;
 *  - `info`: nothing to act on (acks, one customer's undeliverable message, a QR refresh).
 */
export type EventSignal = 'healthy' | 'suspect' | 'outage' | 'info';

export interface GatewayEvent {
	source: GatewaySource;
	/** Stable id for deduplication: the gateway's own id when it has one, else a hash of what identifies the event. */
	id: string;
	/** The gateway's event name (`connection.update`, `session.status`, `statuses`, …). */
	name: string;
	/** The tracker target, as the WhatsApp probe names it: `evolution:<instance>`, `waha:<session>`, `cloudapi:<phone number id>`. */
	target: string;
	/** When the gateway says it happened (epoch ms), when it says so in a trustworthy clock. */
	at?: number;
	signal: EventSignal;
	/** Present for `suspect` and `outage`. */
	status?: Exclude<Status, 'healthy'>;
	cause?: Cause;
	/** `connecting` transitions count towards flapping. */
	connecting?: boolean;
	/** One sentence, no secret: what the event said. */
	summary: string;
}

/** A request that is not accepted: nothing is recorded or acted on. */
export class EventRefused extends Error {
	constructor(
		readonly statusCode: 400 | 401 | 403 | 404 | 413 | 429,
		message: string,
	) {
		super(message);
		this.name = 'EventRefused';
	}
}

/** The webhook request as n8n's Webhook node hands it over (header names in lower case). */
export interface EventRequest {
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, string | string[] | undefined>;
	/** The exact bytes received (signatures are computed over them). */
	rawBody: Buffer;
}

/** The secrets of the Autorecovery Gateway Events credential; an empty one refuses its source. */
export interface EventSecrets {
	evolutionToken?: string;
	wahaHmacKey?: string;
	metaAppSecret?: string;
	metaVerifyToken?: string;
}
