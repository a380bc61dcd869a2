/**
 * How the WhatsApp Business Cloud API's replies become contract checks and causes:
 * the phone number node (status, quality rating, messaging tier), `health_status`,
 * Graph error bodies and the usage headers. Pure functions, no I/O, so every rule is
 * unit-tested without a server. Graph errors are classified by `error.code` in the
 * body, never by the HTTP status alone: Meta answers 400 for an invalid token (190)
 * and for several rate limits, and usually sends no Retry-After (messages say what the reply had).
 */
import { commonCause, type CommonCauseCode } from '../../shared/causes';
import type { Cause, Status } from '../../shared/contract';
import { statusOfFailure } from '../../shared/failureStatus';
import { retryAfterFact } from '../../shared/rateLimit';
import { MASK, redact } from '../../shared/redact';
import { isRecord, trimmedText as text } from '../../shared/json';

export const CLOUD_API = 'WhatsApp Cloud API';

/** The verdict on one facet of the number; the gateway records it as one check. */
export interface Verdict {
	status: Status;
	message: string;
	/** Present unless healthy. */
	cause?: Cause;
	value?: unknown;
}

interface NamedVerdict extends Verdict {
	name: string;
}

export interface ClassifyOptions {
	/** A two-step PIN is configured, so `whatsapp.register` can fix an unregistered number. */
	pinConfigured: boolean;
	/** Credential values to mask in any text Meta sent back. */
	secrets?: Iterable<string | undefined | null>;
	/**
	 * Short numeric secrets (the two-step PIN), masked only where they stand alone: masked
	 * anywhere, a PIN like 123456 would also cut holes into ids such as app 1234567890123456.
	 */
	numericSecrets?: Iterable<string | undefined | null>;
}

// ---------------------------------------------------------------- causes

/** Cloud API specific cause codes with their flags (needsHuman of registrable ones depends on the PIN). */
const CLOUD_API_CAUSES = {
	'whatsapp.disconnected': { retryable: false, needsHuman: false },
	'whatsapp.number_not_registered': { retryable: false, needsHuman: false },
	'whatsapp.number_not_verified': { retryable: false, needsHuman: true },
	'whatsapp.number_flagged': { retryable: false, needsHuman: true },
	'whatsapp.number_restricted': { retryable: true, needsHuman: true },
	'whatsapp.number_banned': { retryable: false, needsHuman: true },
	'whatsapp.number_migrated': { retryable: false, needsHuman: true },
	'whatsapp.quality_yellow': { retryable: false, needsHuman: true },
	'whatsapp.quality_red': { retryable: false, needsHuman: true },
	'whatsapp.send_blocked': { retryable: false, needsHuman: true },
	'whatsapp.send_limited': { retryable: false, needsHuman: true },
	'whatsapp.reengagement_required': { retryable: false, needsHuman: true },
	'whatsapp.recipient_undeliverable': { retryable: false, needsHuman: true },
	'whatsapp.policy_blocked': { retryable: true, needsHuman: true },
	'whatsapp.pin_mismatch': { retryable: false, needsHuman: true },
	'config.unknown_phone_number': { retryable: false, needsHuman: true },
} as const satisfies Record<string, { retryable: boolean; needsHuman: boolean }>;

export type CloudApiCauseCode = keyof typeof CLOUD_API_CAUSES;

/** States a re-registration with the two-step PIN can fix (the `whatsapp.register` rung). */
export const REGISTRABLE_CODES: ReadonlySet<string> = new Set<CloudApiCauseCode>([
	'whatsapp.disconnected',
	'whatsapp.number_not_registered',
]);

export function cloudApiCause(code: CloudApiCauseCode, message: string, options?: Pick<ClassifyOptions, 'pinConfigured'>): Cause {
	const flags = { ...CLOUD_API_CAUSES[code] };
	// Without a PIN nothing automatic can re-register the number: a person has to.
	if (REGISTRABLE_CODES.has(code)) flags.needsHuman = !(options?.pinConfigured ?? false);
	return { code, message, ...flags };
}

/** Conditions that still let the bot work (or are about one recipient) are degraded, rate limits too (shared/failureStatus); the rest down. */
const DEGRADING_CODES = new Set<string>([
	'whatsapp.quality_yellow',
	'whatsapp.quality_red',
	'whatsapp.send_limited',
	'whatsapp.reengagement_required',
	'whatsapp.recipient_undeliverable',
]);

/** The status a failed call with this cause gives its check. */
export function statusOfCause(cause: Cause): Status {
	return statusOfFailure(cause, DEGRADING_CODES);
}

// ---------------------------------------------------------------- small readers



function integer(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
	return null;
}

type RedactOptions = Pick<ClassifyOptions, 'secrets' | 'numericSecrets'>;

/** Masks the secrets (anywhere) and the numeric secrets (as whole numbers) in a text. */
export function redactText(value: string, options: RedactOptions): string {
	let result = redact(value, { secrets: options.secrets });
	for (const secret of options.numericSecrets ?? []) {
		if (typeof secret !== 'string' || secret === '') continue;
		const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		result = result.replace(new RegExp(`(?<![0-9])${escaped}(?![0-9])`, 'g'), MASK);
	}
	return result;
}

/** Provider text as it may appear in a message: redacted, one line, bounded. */
function safeText(value: string, options: RedactOptions): string {
	const line = redactText(value, options).replace(/\s+/g, ' ').trim();
	return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function sentence(value: string): string {
	return /[.!?]$/.test(value) ? value : `${value}.`;
}

// ---------------------------------------------------------------- phone number node

const TIER_LIMITS: Record<string, string> = {
	TIER_50: '50',
	TIER_250: '250',
	TIER_1K: '1,000',
	TIER_2K: '2,000',
	TIER_10K: '10,000',
	TIER_100K: '100,000',
};

function numberLabel(fields: Record<string, unknown>): string {
	return text(fields.display_phone_number) ?? text(fields.id) ?? 'the phone number';
}

/** The `status` field of the phone number node. */
export function classifyPhoneStatus(status: unknown, label: string, options: ClassifyOptions): Verdict {
	const value = text(status);
	if (value === undefined) {
		const cause = commonCause('provider.malformed_response', `${CLOUD_API} did not report the status of ${label}.`);
		return { status: 'down', message: cause.message, cause };
	}
	if (value === 'CONNECTED') return { status: 'healthy', message: `${label} is CONNECTED`, value };
	const fix = options.pinConfigured
		? 're-registering it with the configured two-step PIN can fix this'
		: 're-register it with its two-step verification PIN (none is configured in n8n)';
	const failed = (cause: Cause): Verdict => ({ status: statusOfFailure(cause), message: cause.message, cause, value });
	switch (value) {
		case 'DISCONNECTED':
		case 'OFFLINE':
			return failed(cloudApiCause('whatsapp.disconnected', `WhatsApp number ${label} is ${value}: ${fix}.`, options));
		case 'PENDING':
			return failed(cloudApiCause('whatsapp.number_not_registered', `WhatsApp number ${label} is PENDING registration: ${fix}.`, options));
		case 'UNVERIFIED':
			return failed(cloudApiCause('whatsapp.number_not_verified', `WhatsApp number ${label} is UNVERIFIED: verify it with the SMS/voice code in WhatsApp Manager.`));
		case 'FLAGGED':
			return failed(cloudApiCause('whatsapp.number_flagged', `WhatsApp number ${label} is FLAGGED for low quality: review recent messages and opt-ins in WhatsApp Manager.`));
		case 'RESTRICTED':
			return failed(cloudApiCause('whatsapp.number_restricted', `WhatsApp number ${label} is RESTRICTED from sending: check the account's policy notices in WhatsApp Manager.`));
		case 'RATE_LIMITED': // degraded, as every rate limit (shared/failureStatus)
			return failed(commonCause('provider.rate_limited', `WhatsApp number ${label} is RATE_LIMITED by Meta: sending resumes when the limit lifts.`));
		case 'BANNED':
		case 'DELETED':
			return failed(cloudApiCause('whatsapp.number_banned', `WhatsApp number ${label} is ${value}: only Meta support can restore it.`));
		case 'MIGRATED':
			return failed(cloudApiCause('whatsapp.number_migrated', `WhatsApp number ${label} was MIGRATED to another account: update the Phone Number ID in n8n.`));
		default:
			// A status Meta may add later: not CONNECTED, so not working; registering is the documented repair.
			return failed(cloudApiCause('whatsapp.disconnected', `WhatsApp number ${label} is ${value}, not CONNECTED: ${fix}.`, options));
	}
}

/** `quality_rating`: GREEN healthy, YELLOW degraded (medium), RED degraded with high severity; NA/UNKNOWN not rated yet. */
export function classifyQualityRating(rating: unknown, label: string): Verdict {
	const value = text(rating);
	if (value === 'YELLOW') {
		const cause = cloudApiCause('whatsapp.quality_yellow', `Quality rating of ${label} is YELLOW: customers are blocking or reporting messages; review recent campaigns before the messaging limit drops.`);
		return { status: 'degraded', message: cause.message, cause, value: { rating: value, severity: 'medium' } };
	}
	if (value === 'RED') {
		const cause = cloudApiCause('whatsapp.quality_red', `Quality rating of ${label} is RED: Meta may lower its messaging limit or flag it; stop bulk sends and review recent messages now.`);
		return { status: 'degraded', message: cause.message, cause, value: { rating: value, severity: 'high' } };
	}
	if (value === 'GREEN') return { status: 'healthy', message: `quality rating of ${label} is GREEN`, value: { rating: value } };
	return { status: 'healthy', message: `quality rating of ${label} is ${value ?? 'not reported'} (not rated yet)`, value: { rating: value ?? null } };
}

/** `messaging_limit_tier`: informational, always healthy. */
export function classifyMessagingTier(tier: unknown): Verdict {
	const value = text(tier);
	if (value === undefined) return { status: 'healthy', message: 'messaging limit tier not reported', value: null };
	const limit = value === 'TIER_UNLIMITED' ? 'unlimited' : TIER_LIMITS[value];
	const meaning = limit ? ` (${limit} unique customers per 24 h)` : '';
	return { status: 'healthy', message: `messaging limit tier ${value}${meaning}`, value };
}

interface PhoneNumberAssessment {
	checks: NamedVerdict[];
	details: Record<string, unknown>;
}

/** The reply of `GET /{phone-number-id}?fields=…` as checks (status, quality_rating, messaging_limit_tier) and details. */
export function classifyPhoneNumber(fields: unknown, options: ClassifyOptions): PhoneNumberAssessment {
	if (!isRecord(fields)) {
		const cause = commonCause('provider.malformed_response', `${CLOUD_API} answered the phone number request with something that is not a phone number object.`);
		return { checks: [{ name: 'phone_number', status: 'down', message: cause.message, cause }], details: {} };
	}
	const label = numberLabel(fields);
	const quality = classifyQualityRating(fields.quality_rating, label);
	const severity = isRecord(quality.value) ? quality.value.severity : undefined;
	const throughput = isRecord(fields.throughput) ? text(fields.throughput.level) : undefined;
	const details: Record<string, unknown> = {
		status: text(fields.status) ?? null,
		quality_rating: text(fields.quality_rating) ?? null,
		tier: text(fields.messaging_limit_tier) ?? null,
		display_phone_number: text(fields.display_phone_number) ?? null,
		verified_name: text(fields.verified_name) ?? null,
	};
	if (severity !== undefined) details.severity = severity;
	for (const key of ['name_status', 'code_verification_status', 'account_mode', 'platform_type'] as const) {
		const value = text(fields[key]);
		if (value !== undefined) details[key] = value;
	}
	if (throughput !== undefined) details.throughput = throughput;
	return {
		checks: [
			{ name: 'status', ...classifyPhoneStatus(fields.status, label, options) },
			{ name: 'quality_rating', ...quality },
			{ name: 'messaging_limit_tier', ...classifyMessagingTier(fields.messaging_limit_tier) },
		],
		details,
	};
}

// ---------------------------------------------------------------- health_status

interface HealthEntitySummary {
	entity_type: string;
	id: string | null;
	can_send_message: string;
	additional_info?: string[];
	errors?: Array<{ error_code: number | null; error_description: string | null; possible_solution: string | null }>;
}

function summariseEntity(entity: Record<string, unknown>, options: RedactOptions): HealthEntitySummary {
	const summary: HealthEntitySummary = {
		entity_type: text(entity.entity_type) ?? 'UNKNOWN',
		id: text(entity.id) ?? null,
		can_send_message: text(entity.can_send_message) ?? 'UNKNOWN',
	};
	if (Array.isArray(entity.additional_info)) {
		summary.additional_info = entity.additional_info.filter((info): info is string => typeof info === 'string').map((info) => safeText(info, options));
	}
	if (Array.isArray(entity.errors)) {
		summary.errors = entity.errors.filter(isRecord).map((error) => ({
			error_code: integer(error.error_code),
			error_description: text(error.error_description) ? safeText(String(error.error_description), options) : null,
			possible_solution: text(error.possible_solution) ? safeText(String(error.possible_solution), options) : null,
		}));
	}
	return summary;
}

function entityName(entity: HealthEntitySummary): string {
	return entity.id ? `${entity.entity_type} ${entity.id}` : entity.entity_type;
}

function blockedReason(entity: HealthEntitySummary): string {
	const errors = entity.errors ?? [];
	if (errors.length === 0) return `${entityName(entity)}: no reason given`;
	const reasons = errors.map((error) => {
		const code = error.error_code !== null ? `error ${error.error_code} ` : '';
		const fix = error.possible_solution ? ` (fix: ${error.possible_solution.replace(/[.\s]+$/, '')})` : '';
		return `${code}${(error.error_description ?? 'no description').replace(/[.\s]+$/, '')}${fix}`;
	});
	return `${entityName(entity)}: ${reasons.join('; ')}`;
}

function limitedReason(entity: HealthEntitySummary): string {
	const info = (entity.additional_info ?? []).map((line) => line.replace(/[.\s]+$/, ''));
	return `${entityName(entity)}: ${info.length > 0 ? info.join('; ') : 'no reason given'}`;
}

/**
 * `health_status` of the phone number: BLOCKED is down with the blocking entities' errors
 * (error_code, error_description, possible_solution), LIMITED degraded with their
 * additional_info, AVAILABLE healthy. The overall value is Meta's; entities give the why.
 */
export function classifyHealthStatus(health: unknown, options: RedactOptions = {}): Verdict {
	if (!isRecord(health) || text(health.can_send_message) === undefined) {
		const cause = commonCause('provider.malformed_response', `${CLOUD_API} did not report health_status.can_send_message for the phone number.`);
		return { status: 'down', message: cause.message, cause };
	}
	const canSend = text(health.can_send_message) as string;
	const entities = (Array.isArray(health.entities) ? health.entities : []).filter(isRecord).map((entity) => summariseEntity(entity, options));
	const value = { can_send_message: canSend, entities };
	if (canSend === 'AVAILABLE') return { status: 'healthy', message: 'health_status: can_send_message AVAILABLE', value };
	if (canSend === 'BLOCKED') {
		const blocked = entities.filter((entity) => entity.can_send_message === 'BLOCKED');
		const why = blocked.length > 0 ? blocked.map(blockedReason).join(' | ') : 'no entity says why';
		const cause = cloudApiCause('whatsapp.send_blocked', sentence(`WhatsApp blocks sending from this number: ${why}`));
		return { status: 'down', message: cause.message, cause, value };
	}
	if (canSend === 'LIMITED') {
		const limited = entities.filter((entity) => entity.can_send_message === 'LIMITED');
		const why = limited.length > 0 ? limited.map(limitedReason).join(' | ') : 'no entity says why';
		const cause = cloudApiCause('whatsapp.send_limited', sentence(`WhatsApp limits sending from this number: ${why}`));
		return { status: 'degraded', message: cause.message, cause, value };
	}
	const cause = commonCause('provider.malformed_response', `${CLOUD_API} reported an unknown health_status.can_send_message value "${safeText(canSend, options)}".`);
	return { status: 'degraded', message: cause.message, cause, value };
}

// ---------------------------------------------------------------- Graph errors

export interface GraphError {
	code: number | null;
	subcode: number | null;
	type: string | null;
	/** Meta's `message`, e.g. "(#130429) Rate limit hit" (unredacted: pass through the classifier). */
	message: string;
	/** `error_data.details`, when present. */
	details: string | null;
	isTransient: boolean;
	fbtraceId: string | null;
}

/** The `{error:{…}}` body Graph answers failures with, or null when the body is something else. */
export function parseGraphError(body: unknown): GraphError | null {
	if (!isRecord(body) || !isRecord(body.error)) return null;
	const error = body.error;
	const data = isRecord(error.error_data) ? error.error_data : {};
	return {
		code: integer(error.code),
		subcode: integer(error.error_subcode),
		type: text(error.type) ?? null,
		message: text(error.message) ?? text(error.error_user_msg) ?? '',
		details: text(data.details) ?? null,
		isTransient: error.is_transient === true,
		fbtraceId: text(error.fbtrace_id) ?? null,
	};
}

/**
 * `estimated_time_to_regain_access` (minutes) from `x-business-use-case-usage`, Meta's only
 * back-off hint (there is no Retry-After): the WABA's entry when its id is known, else the
 * largest over all entries; null when the header is missing or unreadable.
 */
export function regainAccessMinutes(header: string | undefined, wabaId?: string): number | null {
	if (!header) return null;
	let usage: unknown;
	try {
		usage = JSON.parse(header);
	} catch {
		return null;
	}
	if (!isRecord(usage)) return null;
	const entries = wabaId !== undefined && Array.isArray(usage[wabaId]) ? [usage[wabaId]] : Object.values(usage);
	let minutes: number | null = null;
	for (const list of entries) {
		if (!Array.isArray(list)) continue;
		for (const entry of list) {
			const value = isRecord(entry) ? integer(entry.estimated_time_to_regain_access) : null;
			if (value !== null && (minutes === null || value > minutes)) minutes = value;
		}
	}
	return minutes;
}

interface GraphErrorContext extends Partial<ClassifyOptions> {
	/** The HTTP status, only for codes this module does not know. */
	httpStatus?: number;
	/** From `regainAccessMinutes`, for rate limits. */
	regainAccessMinutes?: number | null;
	/** The reply's own Retry-After (parseRetryAfter), for rate limits: Meta usually sends none, but this reply may have. */
	retryAfterMs?: number | null;
}

const RATE_LIMITS: Record<number, string> = {
	4: 'the app request limit was reached',
	17: 'the user request limit was reached',
	32: 'the page request limit was reached',
	613: 'the call rate limit was reached',
	80007: 'the WhatsApp Business Account rate limit was reached',
	130429: 'the throughput limit of this number (messages per second) was reached',
	131048: 'the spam rate limit was hit: too many messages were blocked or reported',
	131056: 'too many messages went to the same recipient in a short time (pair rate limit)',
};

const TOKEN_PROBLEMS: Record<number, string> = {
	458: 'the app was removed from the user',
	459: 'the user checkpoint blocks it',
	460: 'it was invalidated by a password change or a security reset',
	463: 'it has expired',
	464: 'the user is not confirmed',
	467: 'it is invalid (logged out)',
};

const SERVER_ERRORS = new Set([1, 2, 131000, 131016, 131057]);
const FORBIDDEN = new Set([3, 10]);

/** Meta's own words, redacted: "(#code) title: details". */
function metaSays(error: GraphError, options: RedactOptions): string {
	const parts = [error.message];
	if (error.details && !error.message.includes(error.details)) parts.push(error.details);
	const said = parts.filter((part) => part !== '').join(': ');
	return said === '' ? 'no message' : safeText(said, options);
}

function codeLabel(error: GraphError): string {
	if (error.code === null) return 'no error code';
	return error.subcode !== null ? `code ${error.code}/${error.subcode}` : `code ${error.code}`;
}

/** The wait facts of a rate-limited reply: its Retry-After as the headers said (shared wording), then Meta's estimate. */
function regainText(minutes: number | null | undefined, retryAfterMs: number | null | undefined): string {
	const retryAfter = retryAfterFact(retryAfterMs);
	if (minutes === null || minutes === undefined || minutes <= 0) {
		return typeof retryAfterMs === 'number' ? `Meta gave no wait estimate (${retryAfter})` : `Meta gave no wait time (${retryAfter}), so back off before retrying`;
	}
	return `Meta estimates access returns in about ${minutes} min (${retryAfter})`;
}

/**
 * The contract cause of a Graph error body, by `error.code` (HTTP status only for codes not
 * listed here): 190/104 bad token, 10/200-299 permissions, 4/17/80007/130429/131056 rate
 * limits, 803 (and 100/33) unknown phone number id, 133010 not registered, 1/2/131000 transient.
 */
export function classifyGraphError(error: GraphError, context: GraphErrorContext = {}): Cause {
	const code = error.code;
	const said = metaSays(error, context);
	const label = codeLabel(error);
	if (code === 190) {
		const why = (error.subcode !== null ? TOKEN_PROBLEMS[error.subcode] : undefined) ?? 'it is invalid';
		return commonCause('auth.invalid_credentials', `${CLOUD_API} rejected the access token because ${why} (${label}): put a valid system-user token in the n8n credential.`);
	}
	if (code === 104) {
		return commonCause('auth.invalid_credentials', `${CLOUD_API} received no access token (${label}): set the token in the n8n credential.`);
	}
	if (code !== null && (FORBIDDEN.has(code) || (code >= 200 && code <= 299))) {
		return commonCause('auth.forbidden', `${CLOUD_API} refused access (${label}: ${said}): give the token whatsapp_business_messaging and whatsapp_business_management on this number.`);
	}
	if (code !== null && RATE_LIMITS[code] !== undefined) {
		return commonCause('provider.rate_limited', `${CLOUD_API} is rate limiting us: ${RATE_LIMITS[code]} (${label}); ${regainText(context.regainAccessMinutes, context.retryAfterMs)}.`);
	}
	if (code === 803 || (code === 100 && error.subcode === 33)) {
		return cloudApiCause('config.unknown_phone_number', `${CLOUD_API} does not know the configured phone number id, or this token cannot see it (${label}): check the Phone Number ID in n8n.`);
	}
	const nodeType = code === 100 ? /on node type \((\w+)\)/.exec(error.message)?.[1] : undefined;
	if (nodeType !== undefined && nodeType !== 'WhatsAppBusinessPhoneNumber') {
		// Graph names the node type when a field is missing on it: the id is not a phone number.
		return cloudApiCause('config.unknown_phone_number', `The configured phone number id is a ${nodeType}, not a phone number (${label}): check the Phone Number ID in n8n.`);
	}
	if (code === 133010) {
		return cloudApiCause('whatsapp.number_not_registered', `The WhatsApp number is not registered with the Cloud API (${label}): re-register it with its two-step PIN.`, { pinConfigured: context.pinConfigured ?? false });
	}
	if (code === 133005) return cloudApiCause('whatsapp.pin_mismatch', sentence(`${CLOUD_API} refused the two-step verification PIN (${label}: ${said}); set the right PIN in the n8n credential`));
	if (code === 131047) {
		return cloudApiCause('whatsapp.reengagement_required', `The recipient last wrote more than 24 h ago, so only a template message can reach them (${label}).`);
	}
	if (code === 131026) {
		return cloudApiCause('whatsapp.recipient_undeliverable', `The message cannot be delivered to this recipient: not on WhatsApp, an old app, or terms not accepted (${label}).`);
	}
	if (code === 368) return cloudApiCause('whatsapp.policy_blocked', `The number is temporarily blocked for policy violations (${label}): review the notices in WhatsApp Manager.`);
	if (code === 131031) return cloudApiCause('whatsapp.number_banned', `The WhatsApp Business Account is locked (${label}): contact Meta support.`);
	if ((code !== null && SERVER_ERRORS.has(code)) || error.isTransient) {
		return commonCause('provider.server_error', sentence(`${CLOUD_API} had a transient error (${label}: ${said}); retry later`));
	}
	return commonCause(fallbackCode(context.httpStatus), sentence(`${CLOUD_API} rejected the request (${label}: ${said})`));
}

function fallbackCode(httpStatus: number | undefined): CommonCauseCode {
	if (httpStatus === 401) return 'auth.invalid_credentials';
	if (httpStatus === 403) return 'auth.forbidden';
	if (httpStatus === 404) return 'provider.not_found';
	if (httpStatus === 429) return 'provider.rate_limited';
	if (httpStatus !== undefined && httpStatus >= 500) return 'provider.server_error';
	return 'provider.bad_request';
}

/** What a Graph error contributes to `details`: ids for Meta support, never text. */
export function graphErrorFacts(error: GraphError, httpStatus: number | undefined): Record<string, unknown> {
	return {
		code: error.code,
		...(error.subcode !== null ? { subcode: error.subcode } : {}),
		...(error.type !== null ? { type: error.type } : {}),
		...(httpStatus !== undefined ? { http_status: httpStatus } : {}),
		...(error.fbtraceId !== null ? { fbtrace_id: error.fbtraceId } : {}),
	};
}

// ---------------------------------------------------------------- success bodies

/** `{messages:[{id, message_status?}]}` of an accepted send, or null when the body lacks a message id. */
export function readSentMessage(body: unknown): { messageId: string; status?: string } | null {
	if (!isRecord(body) || !Array.isArray(body.messages) || !isRecord(body.messages[0])) return null;
	const message = body.messages[0];
	const messageId = text(message.id);
	if (messageId === undefined) return null;
	const status = text(message.message_status);
	return status !== undefined ? { messageId, status } : { messageId };
}

/** `{id}` of a media upload, or null. */
export function readMediaId(body: unknown): string | null {
	if (!isRecord(body)) return null;
	const id = body.id;
	if (typeof id === 'number' && Number.isFinite(id)) return String(id);
	return text(id) ?? null;
}
