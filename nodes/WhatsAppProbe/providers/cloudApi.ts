/**
 * WhatsApp gateway for the WhatsApp Business Cloud API (Meta Graph API). Check reads the
 * phone number node and its `health_status` (in parallel, so a hanging Graph costs one
 * timeout, not two) and optionally sends a test message; recovery re-registers the
 * number with its two-step PIN; there is no QR. How replies become checks and causes
 * lives in cloudApiClassify.ts; this file only calls Graph. The token travels in the
 * Authorization header (never the URL), and every text Meta sends back is redacted.
 */
import { randomBytes } from 'node:crypto';

import { commonCause } from '../../shared/causes';
import { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause, CheckResult } from '../../shared/contract';
import { causeOfHttpFailure, httpRequest, type HttpFailure, type HttpMethod, type HttpOutcome } from '../../shared/http';
import {
	CLOUD_API,
	REGISTRABLE_CODES,
	classifyGraphError,
	classifyHealthStatus,
	classifyPhoneNumber,
	graphErrorFacts,
	parseGraphError,
	readMediaId,
	readSentMessage,
	redactText,
	regainAccessMinutes,
	statusOfCause,
	type ClassifyOptions,
	type Verdict,
} from './cloudApiClassify';
import type { GatewayLookup } from '../conversation/verdict';
import { CLOUD_API_NO_HISTORY, type HistoryReading } from '../passive/history';
import type { ExpectedWebhook } from '../webhook/expectedWebhook';
import { metaSubscribeRequest, type RestoreSecrets } from '../webhook/restoreWebhook';
import { readMetaSubscribedApps } from '../webhook/webhookConfig';
import type {
	ChatReading,
	WebhookReadOutcome,
	WebhookRestoreOutcome,
	CheckOptions,
	GatewayCallOptions,
	QrOutcome,
	RecoveryRung,
	SendOutcome,
	SentMessage,
	WhatsAppGateway,
} from './types';
import { isRecord } from '../../shared/json';

export interface CloudApiConfig {
	/** `https://graph.facebook.com` (or an emulator), without the version. */
	baseUrl: string;
	/** e.g. `v23.0`. */
	graphVersion: string;
	accessToken: string;
	phoneNumberId: string;
	/** Picks this WABA's entry from `x-business-use-case-usage` when rate limited. */
	wabaId?: string;
	/** Two-step verification PIN; without it the number cannot be re-registered automatically. */
	pin?: string;
}

const PHONE_FIELDS = [
	'id',
	'display_phone_number',
	'verified_name',
	'quality_rating',
	'status',
	'name_status',
	'code_verification_status',
	'messaging_limit_tier',
	'throughput',
	'platform_type',
	'account_mode',
].join(',');
const GRAPH_VERSION = /^v\d+\.\d+$/;
const NO_QR_REASON = 'the Cloud API has no QR: numbers are registered with a PIN';

export function createCloudApiGateway(config: CloudApiConfig): WhatsAppGateway {
	return new CloudApiGateway(config);
}


/** A value safe inside a multipart header line (no quotes, no line breaks). */
function headerSafe(value: string): string {
	return value.replace(/["\\\r\n]/g, '_');
}

/** multipart/form-data by hand (RFC 7578): the text fields, then the one file part. */
function multipartBody(
	boundary: string,
	fields: Array<[name: string, value: string]>,
	file: { field: string; fileName: string; mimeType: string; data: Buffer },
): Buffer {
	const chunks: Buffer[] = fields.map(([name, value]) =>
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${headerSafe(name)}"\r\n\r\n${value}\r\n`),
	);
	chunks.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${headerSafe(file.field)}"; filename="${headerSafe(file.fileName)}"\r\n` +
				`Content-Type: ${headerSafe(file.mimeType)}\r\n\r\n`,
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	);
	return Buffer.concat(chunks);
}

function defaultFileName(mimeType: string): string {
	const subtype = /^[\w.+-]+\/([\w.+-]+)/.exec(mimeType)?.[1] ?? 'bin';
	return `image.${subtype === 'jpeg' ? 'jpg' : subtype}`;
}

class CloudApiGateway implements WhatsAppGateway {
	readonly kind = 'cloudApi' as const;
	readonly target: string;
	readonly secrets: string[];
	private readonly classifyOptions: ClassifyOptions;

	constructor(private readonly config: CloudApiConfig) {
		this.target = `cloudapi:${config.phoneNumberId}`;
		this.secrets = [config.accessToken, config.pin ?? ''].filter((secret) => secret !== '');
		this.classifyOptions = {
			pinConfigured: Boolean(config.pin),
			secrets: [config.accessToken],
			numericSecrets: config.pin ? [config.pin] : [],
		};
	}

	// ------------------------------------------------------------ operations

	async check(options: CheckOptions): Promise<CheckResult> {
		const recorder = new CheckRecorder('whatsapp', this.target);
		const details = this.baseDetails();
		const misconfigured = this.configCause();
		if (misconfigured) return recorder.fail('config', misconfigured).result(details);

		const roundTrip = options.roundTrip;
		const [phone, health, sent] = await Promise.all([
			this.call('GET', '', options, { query: { fields: PHONE_FIELDS } }),
			this.call('GET', '', options, { query: { fields: 'health_status' } }),
			roundTrip ? this.call('POST', '/messages', options, { body: textMessage(roundTrip.to, roundTrip.text) }) : Promise.resolve(null),
		]);
		const errors: Array<Record<string, unknown>> = [];

		if (phone.ok) {
			recorder.pass('token', 'the access token was accepted', { durationMs: phone.durationMs });
			const assessment = classifyPhoneNumber(phone.data, this.classifyOptions);
			for (const { name, ...verdict } of assessment.checks) record(recorder, name, verdict, phone.durationMs);
			Object.assign(details, assessment.details);
		} else {
			const cause = this.causeOf(phone);
			// A rejected token is the token check failing; anything else is the request failing.
			const name = cause.code === 'auth.invalid_credentials' ? 'token' : 'phone_number';
			this.recordFailure(recorder, name, phone, cause, details, errors);
		}

		if (health.ok) {
			const verdict = classifyHealthStatus(isRecord(health.data) ? health.data.health_status : undefined, this.classifyOptions);
			record(recorder, 'health_status', verdict, health.durationMs);
			details.health = isRecord(verdict.value) ? verdict.value.can_send_message : null;
		} else {
			this.recordFailure(recorder, 'health_status', health, this.causeOf(health), details, errors);
		}

		if (sent) {
			const accepted = sent.ok ? readSentMessage(sent.data) : null;
			if (sent.ok && accepted) {
				const status = accepted.status ?? 'not reported';
				recorder.pass('round_trip', `the Cloud API accepted the test message (message_status ${status})`, {
					value: { message_id: accepted.messageId, message_status: accepted.status ?? null },
					durationMs: sent.durationMs,
				});
			} else if (sent.ok) {
				recorder.fail('round_trip', this.missingIdCause('the test message'), { durationMs: sent.durationMs });
			} else {
				this.recordFailure(recorder, 'round_trip', sent, this.causeOf(sent), details, errors);
			}
		}

		if (errors.length > 0) details.errors = errors;
		return recorder.result(details);
	}

	/**
	 * Registrable states (number not CONNECTED, or 133010 from a send) with a PIN configured:
	 * re-register. Everything else is empty, so the caller escalates: a rejected token can
	 * only be replaced by a person, and rate limits or transient errors only need time —
	 * registering during a throttle would spend more of the same quota.
	 */
	recoveryLadder(state: CheckResult, options: GatewayCallOptions): RecoveryRung[] {
		const pin = this.config.pin;
		if (!pin || this.configCause()) return [];
		const codes = new Set(state.checks.map((check) => check.code).filter((code): code is string => code !== undefined));
		if (state.cause) codes.add(state.cause.code);
		if (codes.has('auth.invalid_credentials') || codes.has('auth.forbidden')) return [];
		if (![...codes].some((code) => REGISTRABLE_CODES.has(code))) return [];
		return [
			{
				action: 'whatsapp.register',
				description: `re-register phone number ${this.config.phoneNumberId} with the configured two-step PIN (POST /register)`,
				run: () => this.register(pin, options),
			},
		];
	}

	async getQr(options: GatewayCallOptions & { pairingNumber?: string }): Promise<QrOutcome> {
		return { pending: false, reason: NO_QR_REASON, result: await this.check(options) };
	}

	async sendText(to: string, text: string, options: GatewayCallOptions): Promise<SendOutcome> {
		const recorder = new CheckRecorder('whatsapp', this.target);
		const details = { ...this.baseDetails(), operation: 'sendText' };
		const misconfigured = this.configCause();
		if (misconfigured) return { ok: false, result: recorder.fail('config', misconfigured).result(details) };
		const outcome = await this.call('POST', '/messages', options, { body: textMessage(to, text) });
		return this.sendOutcome(outcome, 'send_text', recorder, details, 0);
	}

	async sendImage(
		to: string,
		image: { data: Buffer; mimeType: string; fileName?: string },
		caption: string,
		options: GatewayCallOptions,
	): Promise<SendOutcome> {
		const recorder = new CheckRecorder('whatsapp', this.target);
		const details: Record<string, unknown> = { ...this.baseDetails(), operation: 'sendImage' };
		const misconfigured = this.configCause();
		if (misconfigured) return { ok: false, result: recorder.fail('config', misconfigured).result(details) };

		// Upload first: a media id is what Meta keeps; a link would have to be public.
		const boundary = `----autorecovery${randomBytes(12).toString('hex')}`;
		const body = multipartBody(boundary, [['messaging_product', 'whatsapp'], ['type', image.mimeType]], {
			field: 'file',
			fileName: image.fileName || defaultFileName(image.mimeType),
			mimeType: image.mimeType,
			data: image.data,
		});
		const upload = await this.call('POST', '/media', options, {
			body,
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
		});
		if (!upload.ok) {
			const errors: Array<Record<string, unknown>> = [];
			this.recordFailure(recorder, 'media_upload', upload, this.causeOf(upload), details, errors);
			return { ok: false, result: recorder.result({ ...details, errors }) };
		}
		const mediaId = readMediaId(upload.data);
		if (mediaId === null) {
			recorder.fail('media_upload', this.missingIdCause('the media upload'), { durationMs: upload.durationMs });
			return { ok: false, result: recorder.result(details) };
		}
		recorder.pass('media_upload', 'the Cloud API accepted the image upload', { value: { media_id: mediaId }, durationMs: upload.durationMs });
		details.media_id = mediaId;
		const message = {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to,
			type: 'image',
			image: caption ? { id: mediaId, caption } : { id: mediaId },
		};
		const sent = await this.call('POST', '/messages', options, { body: message });
		return this.sendOutcome(sent, 'send_image', recorder, details, upload.durationMs);
	}

	// ------------------------------------------------------------ recovery

	private async register(pin: string, options: GatewayCallOptions): Promise<{ ok: boolean; message: string }> {
		const outcome = await this.call('POST', '/register', options, { body: { messaging_product: 'whatsapp', pin } });
		if (outcome.ok) {
			if (isRecord(outcome.data) && outcome.data.success === true) {
				return { ok: true, message: `the Cloud API accepted the registration of phone number ${this.config.phoneNumberId}` };
			}
			return { ok: false, message: 'the Cloud API answered the registration without success:true' };
		}
		const error = parseGraphError(outcome.data);
		if (error) {
			// Meta's own words (e.g. "Invalid PIN format…", "PIN Mismatch") are what a person needs to fix it.
			const said = error.details && !error.message.includes(error.details) ? `${error.message}: ${error.details}` : error.message;
			const code = error.code !== null ? ` (code ${error.code})` : '';
			return { ok: false, message: this.redact(`registration refused: ${said || 'no message'}${code}`) };
		}
		return { ok: false, message: `registration failed: ${this.causeOf(outcome).message}` };
	}

	// ------------------------------------------------------------ read-back and webhook

	/** The Cloud API keeps no messages to read back: inbound is inferred from the reply. */
	async findMessage(): Promise<GatewayLookup> {
		return { kind: 'unsupported' };
	}

	/** No inbox to read either: a Cloud API number cannot be the canary. */
	async readChat(): Promise<ChatReading> {
		return { ok: false, unsupported: true };
	}

	/** Meta keeps no readable history: messages exist for the business only as the webhooks it was sent. */
	async readHistory(): Promise<HistoryReading> {
		return { ok: false, unsupported: true, reason: CLOUD_API_NO_HISTORY };
	}

	async getWebhookConfig(options: GatewayCallOptions): Promise<WebhookReadOutcome> {
		const misconfigured = this.configCause() ?? this.wabaCause();
		if (misconfigured) return { ok: false, cause: misconfigured, durationMs: 0 };
		const reply = await this.wabaCall('GET', `/${this.config.graphVersion}/${this.config.wabaId}/subscribed_apps`, options);
		if (!reply.ok) return { ok: false, cause: this.causeOf(reply), durationMs: reply.durationMs };
		return { ok: true, reading: readMetaSubscribedApps(reply.data), durationMs: reply.durationMs };
	}

	async restoreWebhook(expected: ExpectedWebhook, secrets: RestoreSecrets, options: GatewayCallOptions): Promise<WebhookRestoreOutcome> {
		const misconfigured = this.configCause() ?? this.wabaCause();
		if (misconfigured) return { ok: false, message: misconfigured.message, durationMs: 0 };
		const plan = metaSubscribeRequest(this.config.graphVersion, this.config.wabaId ?? '', expected, secrets);
		if (!plan.ok) return { ok: false, message: this.redact(`not restored: ${plan.reason}`), durationMs: 0 };
		const reply = await this.wabaCall('POST', plan.request.path, options, plan.request.body);
		const hide = (text: string) => redactText(text, { ...this.classifyOptions, secrets: [this.config.accessToken, secrets.verifyToken ?? ''].filter((v) => v !== '') });
		if (!reply.ok) return { ok: false, message: hide(`POST subscribed_apps failed: ${this.causeOf(reply).message}`), durationMs: reply.durationMs };
		return { ok: true, message: hide(`the app is subscribed to WhatsApp Business Account ${this.config.wabaId} again (POST subscribed_apps)`), durationMs: reply.durationMs };
	}

	private wabaCause(): Cause | null {
		return this.config.wabaId && /^\d+$/.test(this.config.wabaId)
			? null
			: commonCause('config.missing', 'The WhatsApp Business Account ID is not set in the Cloud API credential; the webhook subscription cannot be read without it.');
	}

	/** A call on the WABA (`subscribed_apps`), not on the phone number. */
	private wabaCall(method: HttpMethod, path: string, options: GatewayCallOptions, body?: unknown): Promise<HttpOutcome> {
		return httpRequest({
			method,
			url: `${this.config.baseUrl.replace(/\/+$/, '')}${path}`,
			headers: { authorization: `Bearer ${this.config.accessToken}`, accept: 'application/json' },
			body,
			timeoutMs: options.timeoutMs,
			signal: options.signal,
			secrets: this.classifyOptions.secrets,
		});
	}

	// ------------------------------------------------------------ plumbing

	private call(
		method: HttpMethod,
		path: string,
		options: GatewayCallOptions,
		request: { query?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
	): Promise<HttpOutcome> {
		const base = this.config.baseUrl.replace(/\/+$/, '');
		return httpRequest({
			method,
			url: `${base}/${this.config.graphVersion}/${encodeURIComponent(this.config.phoneNumberId)}${path}`,
			headers: { authorization: `Bearer ${this.config.accessToken}`, accept: 'application/json', ...(request.headers ?? {}) },
			query: request.query,
			body: request.body,
			timeoutMs: options.timeoutMs,
			signal: options.signal,
			// The PIN is left out here: only the host appears in these messages, never a body.
			secrets: this.classifyOptions.secrets,
		});
	}

	/** By Graph's `error.code` when the body has one (400 can mean a bad token); else by the transport/HTTP class. */
	private causeOf(failure: HttpFailure): Cause {
		const error = failure.kind === 'malformed' ? null : parseGraphError(failure.data);
		if (!error) return causeOfHttpFailure(failure, CLOUD_API);
		return classifyGraphError(error, {
			...this.classifyOptions,
			httpStatus: failure.status,
			regainAccessMinutes: regainAccessMinutes(failure.headers?.['x-business-use-case-usage'], this.config.wabaId),
			retryAfterMs: failure.retryAfterMs,
		});
	}

	private recordFailure(
		recorder: CheckRecorder,
		name: string,
		failure: HttpFailure,
		cause: Cause,
		details: Record<string, unknown>,
		errors: Array<Record<string, unknown>>,
	): void {
		record(recorder, name, { status: statusOfCause(cause), message: cause.message, cause }, failure.durationMs);
		const error = failure.kind === 'malformed' ? null : parseGraphError(failure.data);
		errors.push({ check: name, ...(error ? graphErrorFacts(error, failure.status) : { kind: failure.kind, ...(failure.status !== undefined ? { http_status: failure.status } : {}) }) });
		const minutes = regainAccessMinutes(failure.headers?.['x-business-use-case-usage'], this.config.wabaId);
		if (cause.code === 'provider.rate_limited' && minutes !== null) details.regain_access_minutes = minutes;
	}

	private sendOutcome(
		outcome: HttpOutcome,
		checkName: string,
		recorder: CheckRecorder,
		details: Record<string, unknown>,
		earlierMs: number,
	): SendOutcome {
		if (outcome.ok) {
			const accepted = readSentMessage(outcome.data);
			if (accepted) {
				const message: SentMessage = accepted.status !== undefined ? { messageId: accepted.messageId, status: accepted.status } : { messageId: accepted.messageId };
				return { ok: true, message, durationMs: earlierMs + outcome.durationMs };
			}
			recorder.fail(checkName, this.missingIdCause('the message'), { durationMs: outcome.durationMs });
			return { ok: false, result: recorder.result(details) };
		}
		const errors: Array<Record<string, unknown>> = [];
		this.recordFailure(recorder, checkName, outcome, this.causeOf(outcome), details, errors);
		return { ok: false, result: recorder.result({ ...details, errors }) };
	}

	private missingIdCause(what: string): Cause {
		return commonCause('provider.malformed_response', `${CLOUD_API} accepted ${what} but returned no id.`);
	}

	/** Bad configuration is a result (config.*), so a workflow can branch on it like any other failure. */
	private configCause(): Cause | null {
		const { baseUrl, graphVersion, accessToken, phoneNumberId } = this.config;
		if (!accessToken) return commonCause('config.missing', 'No WhatsApp Cloud API access token is configured: set it in the n8n credential.');
		if (!phoneNumberId) return commonCause('config.missing', 'No WhatsApp Cloud API phone number id is configured: set the Phone Number ID in n8n.');
		if (!/^https?:\/\/\S+$/.test(baseUrl)) return commonCause('config.invalid', 'The WhatsApp Cloud API base URL must be an http(s) URL.');
		if (!GRAPH_VERSION.test(graphVersion)) return commonCause('config.invalid', `The Graph API version must look like v23.0, got "${this.redact(graphVersion)}".`);
		return null;
	}

	private baseDetails(): Record<string, unknown> {
		return { phone_number_id: this.config.phoneNumberId, graph_version: this.config.graphVersion };
	}

	private redact(value: string): string {
		return redactText(value, this.classifyOptions);
	}
}

function textMessage(to: string, body: string): Record<string, unknown> {
	return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body, preview_url: false } };
}

function record(recorder: CheckRecorder, name: string, verdict: Verdict, durationMs: number): void {
	const extra = { durationMs, ...(verdict.value !== undefined ? { value: verdict.value } : {}) };
	if (verdict.status === 'healthy' || !verdict.cause) recorder.pass(name, verdict.message, extra);
	else if (verdict.status === 'degraded') recorder.degrade(name, verdict.cause, extra);
	else recorder.fail(name, verdict.cause, extra);
}
