/**
 * The Evolution API v2 (Baileys) gateway: checks an instance, offers its recovery ladder
 * (restart → relink with a QR), fetches QR codes and sends text/images. Endpoints, guard
 * order and quirks after /work/shared/reference/apis.md §2; replies are read by the pure
 * functions in ./evolutionClassify. Every call goes through the shared `httpRequest`
 * (hard deadline, never throws) with the API key registered as a secret, and every
 * message that leaves here is redacted once more, since some quote the server.
 */
import { CheckRecorder } from '../../shared/checkRecorder';
import { commonCause } from '../../shared/causes';
import type { Cause, CheckResult } from '../../shared/contract';
import { httpRequest, type HttpMethod, type HttpOutcome } from '../../shared/http';
import { redact, redactDeep } from '../../shared/redact';
import {
	classifyEvolutionFailure,
	classifyEvolutionState,
	defaultImageFileName,
	evolutionCause,
	isEvolutionErrorBody,
	isMissingRouteReply,
	isNotConnectedReply,
	normaliseRecipient,
	parseEvolutionQr,
	parseSentMessage,
	stateLabel,
	stateVerdict,
	type EvolutionConnectReading,
} from './evolutionClassify';
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
	WhatsAppGateway,
} from './types';
import { isRecord } from '../../shared/json';
import { SESSION_RESTART_MAY_FIX } from '../conversation/causes';
import type { CanaryInboxMessage } from '../conversation/botReply';
import type { GatewayLookup } from '../conversation/verdict';
import type { ExpectedWebhook } from '../webhook/expectedWebhook';
import { evolutionWebhookSetRequest, type RestoreSecrets } from '../webhook/restoreWebhook';
import { readEvolutionWebhook } from '../webhook/webhookConfig';
import { lookupIn, peerDigits } from './readBack';
import { evolutionHistoryMessage, HISTORY_PAGE_SIZE, readHistoryPages, type HistoryReading } from '../passive/history';

/** Failures of a send that are about the recipient or the request, not the gateway: degraded. */
const CALLER_PROBLEMS: ReadonlySet<string> = new Set(['whatsapp.recipient_not_on_whatsapp', 'provider.bad_request']);

export interface EvolutionConfig {
	/** e.g. `http://evolution:8080` (no `/api` prefix). */
	baseUrl: string;
	/** The global AUTHENTICATION_API_KEY or the instance's own token. */
	apiKey: string;
	/** Instance name, e.g. `ventas`. */
	instance: string;
}

/** Session problems a restart or a new link can fix. */
const SESSION_CAUSES = new Set([
	'whatsapp.disconnected',
	'whatsapp.qr_required',
	'whatsapp.connecting',
	'whatsapp.instance_not_loaded',
	'whatsapp.qr_limit_reached',
	'whatsapp.unknown_state',
]);

/** Transport trouble: the state is unknown, so only the non-destructive restart is offered. */
const TRANSPORT_CAUSES = new Set([
	'net.timeout',
	'net.unreachable',
	'net.reset',
	'provider.server_error',
	'provider.malformed_response',
]);

type RungOutcome = { ok: boolean; message: string; qr?: QrCode };


export function createEvolutionGateway(config: EvolutionConfig): WhatsAppGateway {
	return new EvolutionGateway(config);
}

class EvolutionGateway implements WhatsAppGateway {
	readonly kind = 'evolution' as const;
	readonly target: string;
	readonly secrets: string[];
	private readonly baseUrl: string;
	private readonly instance: string;
	private readonly apiKey: string;

	constructor(config: EvolutionConfig) {
		this.baseUrl = config.baseUrl.trim().replace(/\/+$/, '');
		this.instance = config.instance.trim();
		this.apiKey = config.apiKey;
		this.secrets = this.apiKey === '' ? [] : [this.apiKey];
		this.target = this.say(`evolution:${this.instance === '' ? '(unset)' : this.instance}`);
	}

	private say(text: string): string {
		return redact(text, { secrets: this.secrets });
	}

	/** The final safety net on everything returned: no key in any string. */
	private safe(result: CheckResult): CheckResult {
		return redactDeep(result, { secrets: this.secrets });
	}

	private recorder(): CheckRecorder {
		return new CheckRecorder('whatsapp', this.target);
	}

	private baseDetails(): Record<string, unknown> {
		return { instance: this.instance };
	}

	/** A parameter is missing: a result, not an exception, so monitoring workflows still branch on it. */
	private missingConfig(): Cause | undefined {
		const missing = [
			...(this.baseUrl === '' ? ['base URL'] : []),
			...(this.apiKey === '' ? ['API key'] : []),
			...(this.instance === '' ? ['instance name'] : []),
		];
		return missing.length === 0 ? undefined : commonCause('config.missing', `The Evolution API ${missing.join(', ')} is not set; fill it in n8n.`);
	}

	private configFailure(name: string, cause: Cause): CheckResult {
		return this.safe(this.recorder().fail(name, cause).result(this.baseDetails()));
	}

	private call<T = unknown>(
		method: HttpMethod,
		route: string,
		options: GatewayCallOptions,
		extra: { body?: unknown; query?: Record<string, string | undefined>; withKey?: boolean } = {},
	): Promise<HttpOutcome<T>> {
		return httpRequest<T>({
			method,
			url: `${this.baseUrl}${route}`,
			headers: extra.withKey === false ? {} : { apikey: this.apiKey },
			query: extra.query,
			body: extra.body,
			timeoutMs: options.timeoutMs,
			signal: options.signal,
			secrets: this.secrets,
		});
	}

	private instancePath(route: string): string {
		return `${route}/${encodeURIComponent(this.instance)}`;
	}

	// ------------------------------------------------------------ check

	async check(options: CheckOptions): Promise<CheckResult> {
		const missing = this.missingConfig();
		if (missing) return this.configFailure('config', missing);
		const rec = this.recorder();
		const details: Record<string, unknown> = { instance: this.instance, state: null, version: null };

		// Independent, so in parallel: a hung server costs one timeout, not two.
		const [live, stateReply] = await Promise.all([
			this.call('GET', '/', options, { withKey: false }),
			this.call('GET', this.instancePath('/instance/connectionState'), options),
		]);

		if (live.ok) {
			const version = isRecord(live.data) && typeof live.data.version === 'string' ? live.data.version : null;
			details.version = version;
			if (isRecord(live.data) && typeof live.data.whatsappWebVersion === 'string') details.whatsappWebVersion = live.data.whatsappWebVersion;
			rec.pass('liveness', version ? `Evolution API ${version} answers GET /.` : 'Evolution API answers GET / but did not say its version.', {
				value: version,
				durationMs: live.durationMs,
			});
		} else {
			rec.failure('liveness', classifyEvolutionFailure(live, this.instance), { durationMs: live.durationMs });
		}

		let open = false;
		if (!stateReply.ok) {
			rec.failure('connectionState', classifyEvolutionFailure(stateReply, this.instance), { durationMs: stateReply.durationMs });
		} else {
			const reading = classifyEvolutionState(stateReply.data);
			details.state = stateLabel(reading);
			const durationMs = stateReply.durationMs;
			// No `connect` here, ever: on a connecting instance it may restart pairing and replace the
			// QR a person was just sent (issue 19 §3). So `connecting` is not split into "waiting for a
			// scan" and "handshake in progress"; Get QR and the relink page ask for the QR on purpose.
			const qrPending: boolean | undefined = undefined;
			if (reading.kind === 'state' && reading.state === 'connecting') details.qrPending = null;
			const verdict = stateVerdict(reading, this.instance, qrPending);
			if (verdict.cause) rec.add({ name: 'connectionState', status: verdict.status, message: verdict.message, code: verdict.cause.code, value: details.state, durationMs }, verdict.cause);
			else rec.pass('connectionState', verdict.message, { value: details.state, durationMs });
			open = verdict.status === 'healthy';
		}

		if (options.roundTrip) {
			if (open) {
				const sent = await this.sendText(options.roundTrip.to, options.roundTrip.text, options);
				if (sent.ok) {
					rec.pass('roundTrip', `Evolution accepted a test message (id ${sent.message.messageId}, ${sent.message.status ?? 'no status'}).`, {
						value: sent.message.messageId,
						durationMs: sent.durationMs,
					});
					details.roundTrip = { messageId: sent.message.messageId, status: sent.message.status ?? null };
				} else {
					const failed = sent.result.checks[0];
					rec.add({ ...failed, name: 'roundTrip' }, sent.result.cause);
					details.roundTrip = { error: sent.result.cause?.code ?? 'unknown' };
				}
			} else {
				// Sending on a socket that is not open only fails with "Connection Closed".
				details.roundTrip = 'skipped: the instance is not open';
			}
		}
		return this.safe(rec.result(details));
	}

	// ------------------------------------------------------------ recovery

	/** POST since 2.2; older servers only know PUT (as the docs still say) and answer 404/405 to POST. */
	private async restartInstance(options: GatewayCallOptions): Promise<{ reply: HttpOutcome; method: 'POST' | 'PUT' }> {
		const path = this.instancePath('/instance/restart');
		const post = await this.call('POST', path, options);
		if (!post.ok && isMissingRouteReply(post.status, post.data)) {
			return { reply: await this.call('PUT', path, options), method: 'PUT' };
		}
		return { reply: post, method: 'POST' };
	}

	/** What a connect/restart reply means for a rung: accepted or not, and the QR if one came. */
	private connectOutcome(connect: EvolutionConnectReading, what: string): RungOutcome {
		switch (connect.kind) {
			case 'qr':
				return { ok: true, message: `${what} accepted; the instance is pairing and a QR is waiting to be scanned (QR #${connect.count}).`, qr: connect.qr };
			case 'not_ready':
				return { ok: true, message: `${what} accepted; the QR is not generated yet ({"count":0}).` };
			case 'state': {
				const label = stateLabel(connect.reading) ?? 'unknown';
				return { ok: connect.reading.kind === 'state', message: `${what} answered with state ${label}.` };
			}
			case 'error':
				return { ok: false, message: `${what} answered HTTP 200 with error:true (${connect.message}).` };
			case 'unrecognised':
				return { ok: false, message: `${what} answered with a reply that could not be read.` };
		}
	}

	private async reconnect(options: GatewayCallOptions): Promise<RungOutcome> {
		const { reply, method } = await this.restartInstance(options);
		const restartWhat = `restart (${method})`;
		if (!reply.ok) return { ok: false, message: this.say(`${restartWhat} failed: ${classifyEvolutionFailure(reply, this.instance).message}`) };
		if (!isEvolutionErrorBody(reply.data)) return this.sayAll(this.connectOutcome(parseEvolutionQr(reply.data), restartWhat));

		// v2 throws a plain object when restarting a closed instance and answers 200 {"error":true}:
		// the restart did nothing, so start the socket with connect instead.
		const refused = `${restartWhat} was refused (HTTP 200 with error:true, what Evolution does for a closed instance)`;
		const connect = await this.call('GET', this.instancePath('/instance/connect'), options);
		if (!connect.ok) return { ok: false, message: this.say(`${refused}; connect failed: ${classifyEvolutionFailure(connect, this.instance).message}`) };
		const outcome = this.connectOutcome(parseEvolutionQr(connect.data), 'connect');
		return this.sayAll({ ...outcome, message: `${refused}; ${outcome.message}` });
	}

	private async relink(options: GatewayCallOptions): Promise<RungOutcome> {
		const logout = await this.call('DELETE', this.instancePath('/instance/logout'), options);
		let loggedOut: string;
		if (logout.ok && !isEvolutionErrorBody(logout.data)) loggedOut = 'logged out';
		else if (!logout.ok && isNotConnectedReply(logout.status, logout.data)) loggedOut = 'already logged out';
		else if (logout.ok) return { ok: false, message: 'logout answered HTTP 200 with error:true; the session was not cleared.' };
		else return { ok: false, message: this.say(`logout failed: ${classifyEvolutionFailure(logout, this.instance).message}`) };

		const connect = await this.call('GET', this.instancePath('/instance/connect'), options);
		if (!connect.ok) return { ok: false, message: this.say(`${loggedOut}; connect failed: ${classifyEvolutionFailure(connect, this.instance).message}`) };
		const reading = parseEvolutionQr(connect.data);
		if (reading.kind === 'not_ready') {
			// No QR to hand to a person yet: the rung did not produce what it is for.
			return { ok: false, message: `${loggedOut}; connect accepted but the QR is not generated yet ({"count":0}); ask for the QR again in a few seconds.` };
		}
		const outcome = this.connectOutcome(reading, 'connect');
		return this.sayAll({ ...outcome, message: `${loggedOut}; ${outcome.message}` });
	}

	private sayAll(outcome: RungOutcome): RungOutcome {
		return { ...outcome, message: this.say(outcome.message) };
	}

	recoveryLadder(state: CheckResult, options: GatewayCallOptions): RecoveryRung[] {
		const code = state.cause?.code;
		if (state.status === 'healthy' || code === undefined || this.missingConfig()) return [];
		const knownState = state.details?.state;
		const reconnectRung: RecoveryRung = {
			action: 'whatsapp.reconnect',
			description: this.say(`restart Evolution instance "${this.instance}" (POST, or PUT on older servers) and, if a closed instance refuses the restart, start its socket with connect`),
			run: () => this.reconnect(options),
		};
		const relinkRung: RecoveryRung = {
			action: 'whatsapp.relink',
			description: this.say(`log Evolution instance "${this.instance}" out and request a fresh QR code for a person to scan`),
			run: () => this.relink(options),
		};
		// A deaf session (the canary's message never arrived) that reports itself open: restart it;
		// logging out a session that claims to be open is left to a person.
		if (SESSION_RESTART_MAY_FIX.has(code)) return [reconnectRung];
		// Logging out an open session would break a working bot: relink only when the state says it is not open.
		if (SESSION_CAUSES.has(code)) return knownState === 'open' ? [reconnectRung] : [reconnectRung, relinkRung];
		// A server that fails but reports the instance open: restarting the instance will not fix the server.
		if (TRANSPORT_CAUSES.has(code)) return knownState === 'open' ? [] : [reconnectRung];
		// auth.*, config.*, provider.rate_limited, recipient problems: nothing automatic helps.
		return [];
	}

	// ------------------------------------------------------------ read-back and webhook

	async readChat(peer: string, options: GatewayCallOptions): Promise<ChatReading> {
		const missing = this.missingConfig();
		if (missing) return { ok: false, cause: missing, durationMs: 0 };
		const digits = peerDigits(peer);
		if (!digits) return { ok: false, cause: commonCause('config.invalid', 'The chat to read is not a phone number.'), durationMs: 0 };
		// Page size is `offset` in Evolution's findMessages (limit is ignored); newest first.
		const reply = await this.call('POST', this.instancePath('/chat/findMessages'), options, {
			body: { where: { key: { remoteJid: `${digits}@s.whatsapp.net` } }, offset: 50, page: 1 },
		});
		if (!reply.ok) return { ok: false, cause: this.sayCause(classifyEvolutionFailure(reply, this.instance)), durationMs: reply.durationMs };
		const records = isRecord(reply.data) && isRecord(reply.data.messages) && Array.isArray(reply.data.messages.records) ? reply.data.messages.records : null;
		if (records === null) {
			return { ok: false, cause: commonCause('provider.malformed_response', 'Evolution API answered findMessages without a messages.records list.'), durationMs: reply.durationMs };
		}
		return { ok: true, messages: records.map(evolutionInboxMessage).filter((m): m is CanaryInboxMessage => m !== null), durationMs: reply.durationMs };
	}

	async findMessage(query: MessageQuery, options: GatewayCallOptions): Promise<GatewayLookup> {
		const chat = await this.readChat(query.peer, options);
		if (!chat.ok) return chat.unsupported ? { kind: 'unsupported' } : { kind: 'failed', cause: chat.cause, durationMs: chat.durationMs };
		return lookupIn(chat.messages, query, chat.durationMs);
	}

	async readHistory(from: number, to: number, options: GatewayCallOptions): Promise<HistoryReading> {
		const missing = this.missingConfig();
		if (missing) return { ok: false, cause: missing, durationMs: 0 };
		// Both bounds or no filter at all; ISO strings, since each bound is read as `new Date(x)`.
		const where = { messageTimestamp: { gte: new Date(from).toISOString(), lte: new Date(to).toISOString() } };
		return readHistoryPages(async (index) => {
			const reply = await this.call('POST', this.instancePath('/chat/findMessages'), options, { body: { where, offset: HISTORY_PAGE_SIZE, page: index + 1 } });
			if (!reply.ok) return { ok: false, cause: this.sayCause(classifyEvolutionFailure(reply, this.instance)), durationMs: reply.durationMs };
			const messages = isRecord(reply.data) && isRecord(reply.data.messages) ? reply.data.messages : null;
			if (messages === null || !Array.isArray(messages.records)) {
				return { ok: false, cause: commonCause('provider.malformed_response', 'Evolution API answered findMessages without a messages.records list.'), durationMs: reply.durationMs };
			}
			const pages = Number(messages.pages);
			const last = messages.records.length < HISTORY_PAGE_SIZE || (Number.isFinite(pages) && index + 1 >= pages);
			return { ok: true, items: messages.records, last, durationMs: reply.durationMs };
		}, evolutionHistoryMessage);
	}

	async getWebhookConfig(options: GatewayCallOptions): Promise<WebhookReadOutcome> {
		const missing = this.missingConfig();
		if (missing) return { ok: false, cause: missing, durationMs: 0 };
		const reply = await this.call('GET', this.instancePath('/webhook/find'), options);
		if (!reply.ok) return { ok: false, cause: this.sayCause(classifyEvolutionFailure(reply, this.instance)), durationMs: reply.durationMs };
		return { ok: true, reading: readEvolutionWebhook(reply.data), durationMs: reply.durationMs };
	}

	async restoreWebhook(expected: ExpectedWebhook, secrets: RestoreSecrets, options: GatewayCallOptions): Promise<WebhookRestoreOutcome> {
		const missing = this.missingConfig();
		if (missing) return { ok: false, message: missing.message, durationMs: 0 };
		const plan = evolutionWebhookSetRequest(this.instance, expected, secrets);
		if (!plan.ok) return { ok: false, message: this.say(`not restored: ${plan.reason}`), durationMs: 0 };
		const hidden = [...this.secrets, ...Object.values(secrets.headerValues ?? {})].filter((v) => v !== '');
		const reply = await this.call('POST', plan.request.path, options, { body: plan.request.body });
		if (!reply.ok) {
			const cause = classifyEvolutionFailure(reply, this.instance);
			return { ok: false, message: redact(`POST ${plan.request.path} failed: ${cause.message}`, { secrets: hidden }), durationMs: reply.durationMs };
		}
		return { ok: true, message: this.say(`webhook set again (POST ${plan.request.path}) to ${expected.url ?? 'the expected URL'}`), durationMs: reply.durationMs };
	}

	private sayCause(cause: Cause): Cause {
		return { ...cause, message: this.say(cause.message) };
	}

	// ------------------------------------------------------------ QR

	async getQr(options: GatewayCallOptions & { pairingNumber?: string }): Promise<QrOutcome> {
		const missing = this.missingConfig();
		if (missing) return { pending: false, reason: missing.message, result: this.configFailure('qr', missing) };
		const pairing = options.pairingNumber ? normaliseRecipient(options.pairingNumber) : undefined;
		// Note: on a closed instance connect starts the socket, so asking for a QR starts pairing.
		const reply = await this.call('GET', this.instancePath('/instance/connect'), options, { query: { number: pairing || undefined } });
		const rec = this.recorder();
		const details = this.baseDetails();
		if (!reply.ok) {
			const cause = classifyEvolutionFailure(reply, this.instance);
			return { pending: false, reason: this.say(cause.message), result: this.safe(rec.failure('qr', cause, { durationMs: reply.durationMs }).result(details)) };
		}
		const reading = parseEvolutionQr(reply.data);
		const durationMs = reply.durationMs;
		switch (reading.kind) {
			case 'qr':
				return { pending: true, qr: reading.qr };
			case 'not_ready': {
				const cause = evolutionCause('whatsapp.qr_not_ready', `Evolution instance "${this.instance}" is pairing but has not generated the QR yet; ask again in a few seconds.`);
				return { pending: false, reason: 'QR not generated yet', result: this.safe(rec.degrade('qr', cause, { durationMs }).result({ ...details, state: 'connecting', qrPending: false })) };
			}
			case 'state': {
				const verdict = stateVerdict(reading.reading, this.instance);
				const label = stateLabel(reading.reading);
				if (!verdict.cause) {
					return { pending: false, reason: 'already connected', result: this.safe(rec.pass('qr', verdict.message, { value: label, durationMs }).result({ ...details, state: label })) };
				}
				const result = rec.add({ name: 'qr', status: verdict.status, message: verdict.message, code: verdict.cause.code, value: label, durationMs }, verdict.cause).result({ ...details, state: label });
				return { pending: false, reason: this.say(verdict.message), result: this.safe(result) };
			}
			case 'error': {
				const cause = evolutionCause('whatsapp.instance_not_loaded', this.say(`Evolution instance "${this.instance}" could not start pairing (HTTP 200 with error:true: ${reading.message}); it is probably not loaded.`));
				return { pending: false, reason: cause.message, result: this.safe(rec.fail('qr', cause, { durationMs }).result({ ...details, state: 'not_loaded' })) };
			}
			case 'unrecognised': {
				const cause = commonCause('provider.malformed_response', 'Evolution API answered connect with a reply that is neither a QR nor a state.');
				return { pending: false, reason: cause.message, result: this.safe(rec.fail('qr', cause, { durationMs }).result(details)) };
			}
		}
	}

	// ------------------------------------------------------------ messages

	private async send(checkName: string, route: string, body: Record<string, unknown>, options: GatewayCallOptions): Promise<SendOutcome> {
		const missing = this.missingConfig();
		if (missing) return { ok: false, result: this.configFailure(checkName, missing) };
		const reply = await this.call('POST', this.instancePath(route), options, { body });
		const rec = this.recorder();
		if (!reply.ok) {
			const cause = classifyEvolutionFailure(reply, this.instance);
			// A bad recipient or request is the caller's problem, not the gateway being down;
			// a 429 is degraded as for every provider (shared/failureStatus).
			rec.failure(checkName, cause, { durationMs: reply.durationMs }, CALLER_PROBLEMS);
			return { ok: false, result: this.safe(rec.result(this.baseDetails())) };
		}
		const sent = parseSentMessage(reply.data);
		if (!sent) {
			const cause = commonCause('provider.malformed_response', `Evolution API answered HTTP ${reply.status} to ${checkName} without a message id.`);
			return { ok: false, result: this.safe(rec.fail(checkName, cause, { durationMs: reply.durationMs }).result(this.baseDetails())) };
		}
		return { ok: true, message: { messageId: sent.messageId, ...(sent.status ? { status: sent.status } : {}) }, durationMs: reply.durationMs };
	}

	sendText(to: string, text: string, options: GatewayCallOptions): Promise<SendOutcome> {
		return this.send('sendText', '/message/sendText', { number: normaliseRecipient(to), text }, options);
	}

	sendImage(
		to: string,
		image: { data: Buffer; mimeType: string; fileName?: string },
		caption: string,
		options: GatewayCallOptions,
	): Promise<SendOutcome> {
		// Evolution wants plain base64 (or a URL) in `media`, not a data: URI.
		return this.send(
			'sendImage',
			'/message/sendMedia',
			{
				number: normaliseRecipient(to),
				mediatype: 'image',
				mimetype: image.mimeType,
				caption,
				media: image.data.toString('base64'),
				fileName: image.fileName ?? defaultImageFileName(image.mimeType),
			},
			options,
		);
	}
}

const ACKED_STATUSES = new Set(['SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED']);

/** One findMessages record as an inbox message, or null when it has no key id. */
function evolutionInboxMessage(record: unknown): CanaryInboxMessage | null {
	if (!isRecord(record) || !isRecord(record.key) || typeof record.key.id !== 'string') return null;
	const message = isRecord(record.message) ? record.message : {};
	const extended = isRecord(message.extendedTextMessage) ? message.extendedTextMessage : {};
	const image = isRecord(message.imageMessage) ? message.imageMessage : {};
	const text = [message.conversation, extended.text, image.caption].find((value): value is string => typeof value === 'string') ?? '';
	const seconds = Number(record.messageTimestamp);
	const fromMe = record.key.fromMe === true;
	// 2.3+ keeps the row's status PENDING and records acks as MessageUpdate rows; older servers update `status`.
	const statuses = [...(Array.isArray(record.MessageUpdate) ? record.MessageUpdate : []).map((u) => (isRecord(u) ? u.status : undefined)), record.status];
	const serverAcked = fromMe ? statuses.some((status) => typeof status === 'string' && ACKED_STATUSES.has(status)) : undefined;
	return {
		id: record.key.id,
		from: fromMe ? '' : typeof record.key.remoteJid === 'string' ? record.key.remoteJid : '',
		fromMe,
		timestamp: Number.isFinite(seconds) ? seconds * 1000 : 0,
		text,
		...(serverAcked !== undefined ? { serverAcked } : {}),
	};
}
