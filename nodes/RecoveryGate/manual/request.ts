/**
 * The body of `POST /webhook/auto-recovery`, read from the raw bytes (the webhook keeps
 * them raw so malformed JSON reaches us and gets a 400 instead of n8n's own 422).
 * Anything but exactly the documented shape is refused with what is allowed: a typo
 * like "dryrun" must not silently run a real recovery.
 */
import { isRecord } from '../../shared/json';
import { redact } from '../../shared/redact';

/** The components a manual recovery can act on (the Recover sub-workflow's branches). */
export const RECOVERABLE_COMPONENTS = ['whatsapp', 'database', 'payments', 'llm'] as const;
export type RecoverableComponent = (typeof RECOVERABLE_COMPONENTS)[number];

const REQUEST_FIELDS = ['action', 'component', 'dryRun', 'force'] as const;

export interface ManualRecoveryRequest {
	/** 'full' or the one component asked for. */
	scope: 'full' | RecoverableComponent;
	components: RecoverableComponent[];
	dryRun: boolean;
	force: boolean;
}

/** What the webhook answers instead of running: an HTTP status and `{ error, allowed }`. */
export class RequestRefused extends Error {
	constructor(
		readonly statusCode: number,
		message: string,
		readonly allowed: string[],
		readonly details: Record<string, unknown> = {},
	) {
		super(message);
		this.name = 'RequestRefused';
	}

	get body(): Record<string, unknown> {
		return { error: this.message, allowed: this.allowed, ...this.details };
	}
}

const EXAMPLES = ['{"action":"full"}', '{"component":"whatsapp"}', '{"component":"database","dryRun":true}', '{"action":"full","force":true}'];
const MAX_BODY_BYTES = 16 * 1024;

function shown(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
	return redact(text).slice(0, 60);
}

function bad(message: string, allowed: string[] = EXAMPLES): RequestRefused {
	return new RequestRefused(400, message, allowed);
}

function parseJson(raw: Buffer | string | undefined): unknown {
	const text = raw === undefined ? '' : Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
	if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new RequestRefused(413, `the body is larger than ${MAX_BODY_BYTES} bytes`, EXAMPLES);
	if (text.trim() === '') throw bad('the body is empty: send a JSON object');
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw bad(`the body is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
	}
}

function optionalBoolean(body: Record<string, unknown>, field: 'dryRun' | 'force'): boolean {
	const value = body[field];
	if (value === undefined) return false;
	if (typeof value !== 'boolean') throw bad(`"${field}" must be true or false, got ${shown(value)}`, ['true', 'false']);
	return value;
}

export function parseRecoveryRequest(raw: Buffer | string | undefined): ManualRecoveryRequest {
	const body = parseJson(raw);
	if (!isRecord(body)) throw bad(`the body must be a JSON object, got ${Array.isArray(body) ? 'an array' : shown(body)}`);
	const unknown = Object.keys(body).filter((key) => !(REQUEST_FIELDS as readonly string[]).includes(key));
	if (unknown.length > 0) throw bad(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => shown(key)).join(', ')}`, [...REQUEST_FIELDS]);
	const dryRun = optionalBoolean(body, 'dryRun');
	const force = optionalBoolean(body, 'force');
	const { action, component } = body;
	if (action !== undefined && component !== undefined) throw bad('give either "action" or "component", not both');
	if (action !== undefined) {
		if (action !== 'full') throw bad(`unknown action ${shown(action)}`, ['full']);
		return { scope: 'full', components: [...RECOVERABLE_COMPONENTS], dryRun, force };
	}
	if (component !== undefined) {
		if (typeof component !== 'string' || !(RECOVERABLE_COMPONENTS as readonly string[]).includes(component)) {
			throw bad(`unknown component ${shown(component)}`, [...RECOVERABLE_COMPONENTS]);
		}
		const one = component as RecoverableComponent;
		return { scope: one, components: [one], dryRun, force };
	}
	throw bad('say what to recover: "action": "full" or "component"');
}
