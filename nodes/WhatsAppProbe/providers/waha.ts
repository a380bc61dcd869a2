/**
 * The WAHA gateway (devlikeapro/waha): checks the server and one session, repairs it
 * (restart/start, then logout + QR), fetches QR/pairing codes and sends messages. Every
 * call goes through the shared HTTP helper with the caller's deadline and the API key
 * as a secret, so nothing here throws for a failing server or leaks the key. How replies
 * are classified lives in wahaClassify.ts.
 */
import { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause, CheckResult } from '../../shared/contract';
import { causeOfHttpFailure, httpRequest, type HttpMethod, type HttpOutcome } from '../../shared/http';
import { redact } from '../../shared/redact';
import { commonCause } from '../../shared/causes';
import { isRecord } from '../../shared/json';
import type { CanaryInboxMessage } from '../conversation/botReply';
import type { GatewayLookup } from '../conversation/verdict';
import type { ExpectedWebhook } from '../webhook/expectedWebhook';
import { wahaSessionUpdateRequest, type RestoreSecrets } from '../webhook/restoreWebhook';
import { readWahaWebhooks } from '../webhook/webhookConfig';
import { lookupIn, peerDigits } from './readBack';
import { HISTORY_PAGE_SIZE, readHistoryPages, wahaHistoryMessage, type HistoryReading } from '../passive/history';
import type {
	ChatReading,
	CheckOptions,
	GatewayCallOptions,
	MessageQuery,
	WebhookReadOutcome,
	WebhookRestoreOutcome,
	QrCode,
	QrOutcome,
	RecoveryRung,
	SendOutcome,
	SentMessage,
	WhatsAppGateway,
} from './types';
import {
	WAHA,
	causeOfSessionFailure,
	causeOfSessionRouteFailure,
	classifyWahaSession,
	emptyImageCause,
	invalidRecipientCause,
	malformedReplyCause,
	pairingCodeOf,
	parseStatusNotExpected,
	parseWahaSessionInfo,
	planWahaRecovery,
	qrPngFromReply,
	qrRawValue,
	sessionStatusOf,
	wahaAckName,
	wahaChatId,
	wahaDetails,
	wahaMessageId,
	type WahaSessionInfo,
} from './wahaClassify';

interface WahaConfig {
	/** e.g. `http://waha:3000`; a trailing slash is fine. */
	baseUrl: string;
	/** WAHA_API_KEY in plain form (sent as `X-Api-Key`); empty when the server runs without one. */
	apiKey: string;
	/** The WAHA session name, e.g. `default`. */
	session: string;
}

/** How often a reconnect re-reads a STARTING session while waiting for it to settle. */
const SETTLE_POLL_MS = 500;

interface CallSpec extends GatewayCallOptions {
	body?: unknown;
	query?: Record<string, string>;
	accept?: string;
	responseType?: 'json' | 'binary';
}

type SendAttempt =
	| { ok: true; message: SentMessage; durationMs: number }
	| { ok: false; cause: Cause; durationMs: number; detail?: string; sessionStatus?: string | null };

type QrFetch = { ok: true; qr: QrCode } | { ok: false; cause: Cause; detail?: string; sessionStatus: string | null; notRunning: boolean };

export function createWahaGateway(config: WahaConfig): WhatsAppGateway {
	return new WahaGateway(config);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function fileNameFor(mimeType: string): string {
	const extension = /^image\/([a-z0-9.+-]+)$/i.exec(mimeType)?.[1]?.replace('jpeg', 'jpg').replace(/\+.*$/, '') ?? 'bin';
	return `image.${extension}`;
}

class WahaGateway implements WhatsAppGateway {
	readonly kind = 'waha' as const;
	readonly target: string;
	readonly secrets: string[];
	private readonly baseUrl: string;
	private readonly apiKey: string;
	private readonly session: string;

	constructor(config: WahaConfig) {
		// Misconfiguration is misuse, not a failing dependency: it throws.
		if (!config.baseUrl?.trim()) throw new Error('WAHA base URL is required');
		if (!config.session?.trim()) throw new Error('WAHA session name is required');
		this.baseUrl = config.baseUrl.trim().replace(/\/+$/, '');
		this.apiKey = config.apiKey ?? '';
		this.session = config.session.trim();
		this.target = `waha:${this.session}`;
		this.secrets = this.apiKey === '' ? [] : [this.apiKey];
	}

	// ------------------------------------------------------------ check

	async check(options: CheckOptions): Promise<CheckResult> {
		const recorder = new CheckRecorder('whatsapp', this.target);
		// In parallel, so a hung server costs one deadline, not two.
		const [ping, sessionReply] = await Promise.all([
			this.call('GET', '/ping', options),
			this.call('GET', this.sessionPath(), options),
		]);

		if (ping.ok) recorder.pass('server', `${WAHA} answered /ping.`, { durationMs: ping.durationMs });
		else recordFailure(recorder, 'server', causeOfHttpFailure(ping, WAHA), { durationMs: ping.durationMs, value: ping.message });

		let info: WahaSessionInfo | null = null;
		if (!sessionReply.ok) {
			recordFailure(recorder, 'session', causeOfSessionFailure(sessionReply, this.session), { durationMs: sessionReply.durationMs, value: sessionReply.message });
		} else {
			info = parseWahaSessionInfo(sessionReply.data);
			if (!info) {
				recorder.fail('session', malformedReplyCause('its session info has no status'), { durationMs: sessionReply.durationMs });
			} else {
				const verdict = classifyWahaSession(info.status, this.session);
				const extra = { durationMs: sessionReply.durationMs, value: info.status };
				if (!verdict.cause) recorder.pass('session', verdict.message, extra);
				else if (verdict.status === 'degraded') recorder.degrade('session', verdict.cause, extra);
				else recorder.fail('session', verdict.cause, extra);
			}
		}

		// A round trip only means something while the session claims to work.
		if (options.roundTrip && info?.status === 'WORKING') {
			const sent = await this.send('/api/sendText', options.roundTrip.to, { text: options.roundTrip.text }, options);
			if (sent.ok) {
				recorder.pass('round_trip', `${WAHA} accepted a test message (${sent.message.messageId}).`, { durationMs: sent.durationMs, value: sent.message.messageId });
			} else {
				recordFailure(recorder, 'round_trip', sent.cause, { durationMs: sent.durationMs, ...(sent.detail ? { value: sent.detail } : {}) });
			}
		}
		return recorder.result(wahaDetails(this.session, info));
	}

	// ------------------------------------------------------------ recovery

	recoveryLadder(state: CheckResult, options: GatewayCallOptions): RecoveryRung[] {
		const plan = planWahaRecovery(state);
		switch (plan.kind) {
			case 'none':
				return [];
			case 'show_qr':
				return [this.showQrRung(options)];
			case 'reconnect':
				return [this.reconnectRung(plan.via, options), this.relinkRung(options)];
		}
	}

	private reconnectRung(via: 'start' | 'restart', options: GatewayCallOptions): RecoveryRung {
		return {
			action: 'whatsapp.reconnect',
			description: `${via} ${WAHA} session '${this.session}' (POST ${this.sessionPath()}/${via})`,
			run: async () => {
				const reply = await this.call('POST', `${this.sessionPath()}/${via}`, options);
				if (!reply.ok) return { ok: false, message: this.say(`${via} failed: ${causeOfSessionFailure(reply, this.session).message}`) };
				const reported = parseWahaSessionInfo(reply.data)?.status ?? null;
				// A session that is still STARTING may yet heal; judging it now would escalate to a relink needlessly.
				const status = reported === 'STARTING' || reported === null ? await this.waitUntilSettled(options) : reported;
				return { ok: status === 'WORKING', message: this.say(`${via} done: session is now ${status ?? 'unknown'}`) };
			},
		};
	}

	private relinkRung(options: GatewayCallOptions): RecoveryRung {
		return {
			action: 'whatsapp.relink',
			description: `log out ${WAHA} session '${this.session}' (wipes its WhatsApp login), start it and fetch a fresh QR code for a person to scan`,
			run: async () => {
				// Logging out is the one destructive step: look first, and never wipe blind or a working login.
				const current = await this.call('GET', this.sessionPath(), options);
				if (!current.ok) return { ok: false, message: this.say(`not logging out: cannot read the session status (${causeOfSessionFailure(current, this.session).message})`) };
				const status = parseWahaSessionInfo(current.data)?.status ?? null;
				if (status === null) return { ok: false, message: 'not logging out: the session status could not be read' };
				if (status === 'WORKING') return { ok: false, message: 'not logging out: the session is WORKING, so its login is kept' };
				// A session already waiting for a scan has no login to wipe; logging out would only churn its QR.
				const alreadyWaiting = status === 'SCAN_QR_CODE';
				if (!alreadyWaiting) {
					for (const step of ['logout', 'start'] as const) {
						const reply = await this.call('POST', `${this.sessionPath()}/${step}`, options);
						if (!reply.ok) return { ok: false, message: this.say(`${step} failed: ${causeOfSessionFailure(reply, this.session).message}`) };
					}
				}
				const fetched = await this.fetchQr(options);
				if (!fetched.ok) return { ok: false, message: this.say(`no QR code: ${fetched.cause.message}`) };
				const how = alreadyWaiting ? 'session was already waiting for a scan' : 'logged out and started';
				return { ok: true, message: this.say(`${how}; QR code ready: a person must scan it in WhatsApp > Linked devices`), qr: fetched.qr };
			},
		};
	}

	private showQrRung(options: GatewayCallOptions): RecoveryRung {
		return {
			action: 'whatsapp.relink',
			description: `fetch the pending QR code of ${WAHA} session '${this.session}' for a person to scan`,
			run: async () => {
				const fetched = await this.fetchQr(options);
				if (!fetched.ok) return { ok: false, message: this.say(`no QR code: ${fetched.cause.message}`) };
				return { ok: true, message: 'QR code ready: a person must scan it in WhatsApp > Linked devices', qr: fetched.qr };
			},
		};
	}

	/** Re-reads the session until it leaves STARTING or the deadline passes; its last known status. */
	private async waitUntilSettled(options: GatewayCallOptions): Promise<string | null> {
		const deadline = Date.now() + options.timeoutMs;
		let status: string | null = null;
		for (;;) {
			const left = deadline - Date.now();
			if (left <= 0 || options.signal?.aborted) return status;
			const reply = await this.call('GET', this.sessionPath(), { timeoutMs: left, signal: options.signal });
			status = reply.ok ? parseWahaSessionInfo(reply.data)?.status ?? null : status;
			if (status !== null && status !== 'STARTING') return status;
			await sleep(Math.min(SETTLE_POLL_MS, Math.max(0, deadline - Date.now())));
		}
	}

	// ------------------------------------------------------------ QR

	async getQr(options: GatewayCallOptions & { pairingNumber?: string }): Promise<QrOutcome> {
		const fetched = await this.fetchQr(options, options.pairingNumber);
		if (fetched.ok) return { pending: true, qr: fetched.qr };
		if (fetched.sessionStatus !== null) {
			// WAHA's 422 names the status; the full check says the rest.
			return { pending: false, reason: `session is ${fetched.sessionStatus}, no QR pending`, result: await this.check(options) };
		}
		if (fetched.notRunning) {
			const result = await this.check(options);
			const status = sessionStatusOf(result);
			const reason = status ? `session is ${status}, no QR pending` : (result.cause?.message ?? 'session is not running, no QR pending');
			return { pending: false, reason, result };
		}
		const recorder = new CheckRecorder('whatsapp', this.target);
		recordFailure(recorder, 'qr', fetched.cause, fetched.detail ? { value: fetched.detail } : {});
		const result = recorder.result(wahaDetails(this.session, null));
		return { pending: false, reason: fetched.cause.message, result };
	}

	/** The QR image (required), plus its raw value and a pairing code when available. */
	private async fetchQr(options: GatewayCallOptions, pairingNumber?: string): Promise<QrFetch> {
		const { timeoutMs, signal } = options;
		const qrPath = `/api/${encodeURIComponent(this.session)}/auth/qr`;
		const image = await this.call('GET', qrPath, { timeoutMs, signal, query: { format: 'image' }, accept: 'image/png', responseType: 'binary' });
		if (!image.ok) {
			// The error body of a binary request arrives as bytes; WAHA's are JSON.
			const failure = { ...image, data: Buffer.isBuffer(image.data) ? parseJson(image.data) : image.data };
			const { cause } = causeOfSessionRouteFailure(failure, this.session);
			const notExpected = failure.status === 422 ? parseStatusNotExpected(failure.data) : null;
			return { ok: false, cause, detail: image.message, sessionStatus: notExpected?.status ?? null, notRunning: failure.status === 404 };
		}
		const png = Buffer.isBuffer(image.data) ? qrPngFromReply(image.headers['content-type'], image.data) : null;
		if (!png) {
			return { ok: false, cause: malformedReplyCause('its QR reply is not a PNG'), sessionStatus: null, notRunning: false };
		}
		// Both extras are best effort: the PNG alone lets a person relink.
		const [raw, pairing] = await Promise.all([
			this.call('GET', qrPath, { timeoutMs, signal, query: { format: 'raw' } }),
			pairingNumber
				? this.call('POST', `/api/${encodeURIComponent(this.session)}/auth/request-code`, {
						timeoutMs,
						signal,
						body: { phoneNumber: pairingNumber.replace(/\D/g, ''), method: null },
					})
				: Promise.resolve(null),
		]);
		const code = raw.ok ? qrRawValue(raw.data) : undefined;
		const pairingCode = pairing?.ok ? pairingCodeOf(pairing.data) : undefined;
		return { ok: true, qr: { png, ...(code ? { code } : {}), ...(pairingCode ? { pairingCode } : {}) } };
	}

	// ------------------------------------------------------------ messages

	async sendText(to: string, text: string, options: GatewayCallOptions): Promise<SendOutcome> {
		return this.sendOutcome('send_text', await this.send('/api/sendText', to, { text }, options));
	}

	async sendImage(
		to: string,
		image: { data: Buffer; mimeType: string; fileName?: string },
		caption: string,
		options: GatewayCallOptions,
	): Promise<SendOutcome> {
		if (image.data.length === 0) {
			return this.sendOutcome('send_image', { ok: false, cause: emptyImageCause(), durationMs: 0 });
		}
		const file = { mimetype: image.mimeType, filename: image.fileName ?? fileNameFor(image.mimeType), data: image.data.toString('base64') };
		return this.sendOutcome('send_image', await this.send('/api/sendImage', to, { file, caption }, options));
	}

	private sendOutcome(checkName: string, attempt: SendAttempt): SendOutcome {
		if (attempt.ok) return attempt;
		const recorder = new CheckRecorder('whatsapp', this.target);
		recordFailure(recorder, checkName, attempt.cause, { durationMs: attempt.durationMs, ...(attempt.detail ? { value: attempt.detail } : {}) });
		const result = recorder.result({ session: this.session, status: attempt.sessionStatus ?? null });
		return { ok: false, result };
	}

	private async send(path: '/api/sendText' | '/api/sendImage', to: string, payload: Record<string, unknown>, options: GatewayCallOptions): Promise<SendAttempt> {
		const chatId = wahaChatId(to);
		if (!chatId) return { ok: false, cause: invalidRecipientCause(), durationMs: 0 };
		const reply = await this.call('POST', path, { timeoutMs: options.timeoutMs, signal: options.signal, body: { session: this.session, chatId, ...payload } });
		if (!reply.ok) {
			const { cause, sessionStatus } = causeOfSessionRouteFailure(reply, this.session);
			return { ok: false, cause, durationMs: reply.durationMs, detail: reply.message, sessionStatus };
		}
		const messageId = wahaMessageId(reply.data);
		if (!messageId) {
			return { ok: false, cause: malformedReplyCause('it accepted the message but its reply has no message id'), durationMs: reply.durationMs };
		}
		const ack = wahaAckName(reply.data);
		return { ok: true, message: { messageId, ...(ack ? { status: ack } : {}) }, durationMs: reply.durationMs };
	}

	// ------------------------------------------------------------ read-back and webhook

	async readChat(peer: string, options: GatewayCallOptions): Promise<ChatReading> {
		const digits = peerDigits(peer);
		if (!digits) return { ok: false, cause: commonCause('config.invalid', 'The chat to read is not a phone number.'), durationMs: 0 };
		const path = `/api/${encodeURIComponent(this.session)}/chats/${encodeURIComponent(`${digits}@c.us`)}/messages`;
		const reply = await this.call('GET', path, { ...options, query: { limit: '50', downloadMedia: 'false' } });
		if (!reply.ok) return { ok: false, cause: this.sayCause(causeOfSessionRouteFailure(reply, this.session).cause), durationMs: reply.durationMs };
		if (!Array.isArray(reply.data)) return { ok: false, cause: malformedReplyCause('its chat messages are not a list'), durationMs: reply.durationMs };
		return { ok: true, messages: reply.data.map(wahaInboxMessage).filter((m): m is CanaryInboxMessage => m !== null), durationMs: reply.durationMs };
	}

	async findMessage(query: MessageQuery, options: GatewayCallOptions): Promise<GatewayLookup> {
		const chat = await this.readChat(query.peer, options);
		if (!chat.ok) return chat.unsupported ? { kind: 'unsupported' } : { kind: 'failed', cause: chat.cause, durationMs: chat.durationMs };
		return lookupIn(chat.messages, query, chat.durationMs);
	}

	async readHistory(from: number, to: number, options: GatewayCallOptions): Promise<HistoryReading> {
		const path = `/api/${encodeURIComponent(this.session)}/chats/all/messages`;
		const filter = { 'filter.timestamp.gte': String(Math.floor(from / 1000)), 'filter.timestamp.lte': String(Math.ceil(to / 1000)) };
		let refused: string | undefined;
		const reading = await readHistoryPages(async (index) => {
			const reply = await this.call('GET', path, { ...options, query: { ...filter, limit: String(HISTORY_PAGE_SIZE), offset: String(index * HISTORY_PAGE_SIZE), downloadMedia: 'false' } });
			if (!reply.ok) {
				// WEBJS has no `all` chat, NOWEB no store unless enabled at creation: 400, a setup that cannot be read.
				if (reply.status === 400) refused = reply.message;
				return { ok: false, cause: this.sayCause(causeOfSessionRouteFailure(reply, this.session).cause), durationMs: reply.durationMs };
			}
			if (!Array.isArray(reply.data)) return { ok: false, cause: malformedReplyCause('its chat messages are not a list'), durationMs: reply.durationMs };
			return { ok: true, items: reply.data, last: reply.data.length < HISTORY_PAGE_SIZE, durationMs: reply.durationMs };
		}, wahaHistoryMessage);
		if (refused !== undefined) {
			return {
				ok: false,
				unsupported: true,
				reason: this.say(`WAHA refused to list the messages of all chats (GET ${path}: ${refused}); it does so only on the NOWEB engine with its store enabled, or on GOWS`),
			};
		}
		return reading;
	}

	async getWebhookConfig(options: GatewayCallOptions): Promise<WebhookReadOutcome> {
		const reply = await this.call('GET', this.sessionPath(), options);
		if (!reply.ok) return { ok: false, cause: this.sayCause(causeOfSessionFailure(reply, this.session)), durationMs: reply.durationMs };
		if (!isRecord(reply.data)) return { ok: false, cause: malformedReplyCause('its session info is not an object'), durationMs: reply.durationMs };
		return { ok: true, reading: readWahaWebhooks(reply.data), durationMs: reply.durationMs };
	}

	async restoreWebhook(expected: ExpectedWebhook, secrets: RestoreSecrets, options: GatewayCallOptions): Promise<WebhookRestoreOutcome> {
		const started = Date.now();
		const hidden = [...this.secrets, secrets.hmacKey ?? '', ...Object.values(secrets.headerValues ?? {})].filter((v) => v !== '');
		const hide = (text: string) => redact(text, { secrets: hidden });
		// PUT replaces the whole config: read it first so nothing else is dropped.
		const current = await this.call('GET', this.sessionPath(), options);
		if (!current.ok) return { ok: false, message: hide(`not restored: cannot read the session (${causeOfSessionFailure(current, this.session).message})`), durationMs: Date.now() - started };
		const plan = wahaSessionUpdateRequest(this.session, current.data, expected, secrets);
		if (!plan.ok) return { ok: false, message: hide(`not restored: ${plan.reason}`), durationMs: Date.now() - started };
		const reply = await this.call('PUT', plan.request.path, { ...options, body: plan.request.body });
		if (!reply.ok) return { ok: false, message: hide(`PUT ${plan.request.path} failed: ${causeOfSessionFailure(reply, this.session).message}`), durationMs: Date.now() - started };
		// WAHA restarts a running session to apply the config: wait for it to settle, so the re-check sees it working.
		const reported = parseWahaSessionInfo(reply.data)?.status ?? null;
		const status = reported === 'STARTING' || reported === null ? await this.waitUntilSettled(options) : reported;
		return {
			ok: true,
			message: hide(`webhook restored (PUT ${plan.request.path}, which restarts the session); the session is now ${status ?? 'unknown'}`),
			restartedSession: true,
			durationMs: Date.now() - started,
		};
	}

	private sayCause(cause: Cause): Cause {
		return { ...cause, message: this.say(cause.message) };
	}

	// ------------------------------------------------------------ transport

	private sessionPath(): string {
		return `/api/sessions/${encodeURIComponent(this.session)}`;
	}

	private call(method: HttpMethod, path: string, spec: CallSpec): Promise<HttpOutcome> {
		return httpRequest({
			method,
			url: `${this.baseUrl}${path}`,
			headers: { ...(this.apiKey ? { 'X-Api-Key': this.apiKey } : {}), Accept: spec.accept ?? 'application/json' },
			query: spec.query,
			body: spec.body,
			timeoutMs: spec.timeoutMs,
			signal: spec.signal,
			responseType: spec.responseType ?? 'json',
			secrets: this.secrets,
		});
	}

	/** Every message a rung builds passes through redaction, as a safety net. */
	private say(text: string): string {
		return redact(text, { secrets: this.secrets });
	}
}

/** Rate limiting is `degraded` (shared/failureStatus, as for every provider); every other failure is `down`. */
function recordFailure(recorder: CheckRecorder, name: string, cause: Cause, extra: { durationMs?: number; value?: unknown }): void {
	recorder.failure(name, cause, extra);
}

function parseJson(bytes: Buffer): unknown {
	try {
		return JSON.parse(bytes.toString('utf8')) as unknown;
	} catch {
		return bytes.toString('utf8');
	}
}

/** One WAHA chat message as an inbox message, or null without an id. */
function wahaInboxMessage(item: unknown): CanaryInboxMessage | null {
	if (!isRecord(item) || typeof item.id !== 'string') return null;
	const seconds = Number(item.timestamp);
	const fromMe = item.fromMe === true;
	// ack: -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED.
	const serverAcked = fromMe && typeof item.ack === 'number' ? item.ack >= 1 : undefined;
	return {
		id: item.id,
		from: typeof item.from === 'string' ? item.from : '',
		fromMe,
		timestamp: Number.isFinite(seconds) ? seconds * 1000 : 0,
		text: typeof item.body === 'string' ? item.body : '',
		...(serverAcked !== undefined ? { serverAcked } : {}),
	};
}
