/**
 * What the Groq, OpenAI and Anthropic emulators share: the scripted replies that let a
 * test decide what "the model" says, a rough token count so usage numbers agree with
 * the text, request ids, rate-limit windows, and the OpenAI-compatible chat request
 * parsing that Groq and OpenAI have in common. Provider envelopes stay in each emulator.
 */
import { randomInt } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { diagnosisFromPrompt } from './readsPrompt';

// ---------------------------------------------------------------------------
// Scripted replies
// ---------------------------------------------------------------------------

/** A diagnosis the "LLM Diagnose" node can parse, used when no reply is scripted. */
export const DEFAULT_DIAGNOSIS = JSON.stringify({
	rootCause: 'The Evolution API instance lost its WhatsApp session (connection state: close).',
	summary: 'The sales bot stopped answering because its WhatsApp connection is closed.',
	severity: 'high',
	confidence: 0.8,
	recommendedActions: ['whatsapp.reconnect'],
});

/** The part of every LLM emulator's state that decides the completion text. */
export interface ScriptedReplyState {
	/** Completion texts, consumed one per successful completion (FIFO). */
	replies: string[];
	/** What the model says once `replies` is empty. */
	defaultReply: string;
	/**
	 * Once `replies` is empty, answer about the check result in the prompt (the rule for its
	 * cause, in the language asked) instead of `defaultReply`; the demo turns it on.
	 */
	answerFromPrompt: boolean;
}

export function scriptedReplyDefaults(): ScriptedReplyState {
	return { replies: [], defaultReply: DEFAULT_DIAGNOSIS, answerFromPrompt: false };
}

/** Takes the next scripted reply, or (queue empty) the answer about the prompt or the default one. */
export function takeReply(state: ScriptedReplyState, promptTexts: string[]): string {
	const next = state.replies.shift();
	if (next !== undefined) return next;
	return (state.answerFromPrompt ? diagnosisFromPrompt(promptTexts) : undefined) ?? state.defaultReply;
}

// ---------------------------------------------------------------------------
// Token counting (an approximation: about four characters per token)
// ---------------------------------------------------------------------------

const CHARS_PER_TOKEN = 4;
/** Chat formats wrap each message in a few special tokens, and prime the reply. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY_PRIMER = 3;

export function estimateTokens(text: string): number {
	return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Prompt tokens of a chat: each message's text plus per-message framing. */
export function countPromptTokens(messageTexts: string[]): number {
	return (
		messageTexts.reduce((sum, text) => sum + TOKENS_PER_MESSAGE + estimateTokens(text), 0) +
		TOKENS_PER_REPLY_PRIMER
	);
}

export interface GeneratedText {
	text: string;
	tokens: number;
	/** True when `maxTokens` cut the reply short (finish_reason `length`). */
	truncated: boolean;
}

/** Applies a max-tokens cap to a reply, the way a model stops mid-sentence. */
export function generate(reply: string, maxTokens: number | undefined): GeneratedText {
	const tokens = estimateTokens(reply);
	if (maxTokens === undefined || tokens <= maxTokens) return { text: reply, tokens, truncated: false };
	const text = reply.slice(0, maxTokens * CHARS_PER_TOKEN);
	return { text, tokens: estimateTokens(text), truncated: true };
}

// ---------------------------------------------------------------------------
// Ids and headers
// ---------------------------------------------------------------------------

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const CROCKFORD32 = '0123456789abcdefghjkmnpqrstvwxyz';
export const HEX = '0123456789abcdef';

export function randomId(prefix: string, alphabet: string, length: number): string {
	let id = prefix;
	for (let i = 0; i < length; i += 1) id += alphabet[randomInt(alphabet.length)];
	return id;
}

interface RequestMeta {
	id: string;
	startedAt: number;
}

const requestMetas = new WeakMap<object, RequestMeta>();

/**
 * One id per HTTP request, so the `x-request-id` header (set in commonHeaders) and the
 * id inside the body (set by the handler or faultReply) agree: the engine hands the
 * same request object to all of them.
 */
export function requestMeta(request: object, makeId: () => string): RequestMeta {
	let meta = requestMetas.get(request);
	if (!meta) {
		meta = { id: makeId(), startedAt: Date.now() };
		requestMetas.set(request, meta);
	}
	return meta;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
	const match = /^Bearer\s+(.+)$/i.exec(headerValue(headers, 'authorization') ?? '');
	return match ? match[1].trim() : undefined;
}

// ---------------------------------------------------------------------------
// Rate-limit windows
// ---------------------------------------------------------------------------

/**
 * One rate limit: `remaining` counts down per request and refills to `limit` when the
 * window ends. Discrete windows (not a leaky bucket) so a test that patches
 * `remaining` sees exactly that value until `resetsAt`.
 */
export interface RateBudget {
	limit: number;
	remaining: number;
	windowMs: number;
	/** Epoch ms when the window ends; patch to 0 to force a refill on the next request. */
	resetsAt: number;
}

export function rateBudget(limit: number, windowMs: number): RateBudget {
	return { limit, remaining: limit, windowMs, resetsAt: Date.now() + windowMs };
}

/** Starts a new window (full budget) when the current one is over. */
export function rollWindow(budget: RateBudget, now = Date.now()): void {
	if (now < budget.resetsAt) return;
	budget.remaining = budget.limit;
	budget.resetsAt = now + budget.windowMs;
}

export function consume(budget: RateBudget, amount: number): void {
	rollWindow(budget);
	budget.remaining = Math.max(0, budget.remaining - amount);
}

export function msUntilReset(budget: RateBudget, now = Date.now()): number {
	return Math.max(0, budget.resetsAt - now);
}

/** Retry-After is whole seconds: round up so a client never retries too early. */
export function retryAfterSeconds(ms: number): number {
	return Math.max(1, Math.ceil(ms / 1000));
}

export interface BudgetCheck<K extends string> {
	kind: K;
	budget: RateBudget;
	requested: number;
}

/** The first limit that cannot cover what the request asks for, if any. */
export function firstExhausted<K extends string>(checks: Array<BudgetCheck<K>>): BudgetCheck<K> | undefined {
	return checks.find((check) => {
		rollWindow(check.budget);
		return check.budget.remaining < check.requested;
	});
}

/** Go-style durations as Groq and OpenAI print them: `12ms`, `7.66s`, `2m59.56s`, `23h59m1s`. */
export function formatDuration(ms: number): string {
	// Whole milliseconds, so rounding can never print `60s`.
	const total = Math.max(0, Math.round(ms));
	if (total < 1000) return `${total}ms`;
	const hours = Math.floor(total / 3_600_000);
	const minutes = Math.floor((total % 3_600_000) / 60_000);
	const seconds = (total % 60_000) / 1000;
	if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
	if (minutes > 0) return `${minutes}m${seconds}s`;
	return `${seconds}s`;
}

/** The `x-ratelimit-*` family Groq and OpenAI send on every reply. */
export function xRateLimitHeaders(requests: RateBudget, tokens: RateBudget): Record<string, string> {
	rollWindow(requests);
	rollWindow(tokens);
	return {
		'x-ratelimit-limit-requests': String(requests.limit),
		'x-ratelimit-limit-tokens': String(tokens.limit),
		'x-ratelimit-remaining-requests': String(requests.remaining),
		'x-ratelimit-remaining-tokens': String(tokens.remaining),
		'x-ratelimit-reset-requests': formatDuration(msUntilReset(requests)),
		'x-ratelimit-reset-tokens': formatDuration(msUntilReset(tokens)),
	};
}

// ---------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a message `content`: a string, or an array of `{type:"text", text}` parts. */
export function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
		.filter((text) => text !== '')
		.join('\n');
}

/** Why a request was refused, before any provider wraps it in its envelope. */
export interface RequestProblem {
	message: string;
	param: string | null;
	code: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: RequestProblem };

function problem(message: string, param: string | null = null, code: string | null = null): { ok: false; problem: RequestProblem } {
	return { ok: false, problem: { message, param, code } };
}

/** A positive integer limit field (`max_tokens`…): undefined when absent. */
export function readTokenLimit(body: Record<string, unknown>, field: string): Parsed<number | undefined> {
	const value = body[field];
	if (value === undefined || value === null) return { ok: true, value: undefined };
	if (typeof value !== 'number' || !Number.isInteger(value)) {
		return problem(`Invalid type for '${field}': expected an integer, but got ${typeof value} instead.`, field, 'invalid_type');
	}
	if (value < 1) {
		return problem(
			`Invalid '${field}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
			field,
			'integer_below_min_value',
		);
	}
	return { ok: true, value };
}

/** An OpenAI-compatible chat completion request, as Groq and OpenAI read it. */
export interface ChatRequest {
	model: string;
	messageTexts: string[];
	maxTokens: number | undefined;
	responseFormat: string | undefined;
	serviceTier: string | undefined;
}

/** Validates `POST …/chat/completions` bodies (OpenAI wording; Groq mirrors it). */
export function parseChatRequest(body: unknown): Parsed<ChatRequest> {
	if (!isRecord(body)) return problem('We could not parse the JSON body of your request.');
	if (typeof body.model !== 'string' || body.model === '') return problem('you must provide a model parameter');
	if (body.messages === undefined) {
		return problem("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
	}
	if (!Array.isArray(body.messages)) {
		return problem("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');
	}
	if (body.messages.length === 0) {
		return problem(
			"Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
			'messages',
			'empty_array',
		);
	}
	// Streaming is not emulated: refuse it loudly rather than answer in the wrong format.
	if (body.stream === true) return problem('stream: true is not supported by this emulator.', 'stream');
	const maxCompletion = readTokenLimit(body, 'max_completion_tokens');
	if (!maxCompletion.ok) return maxCompletion;
	const maxTokens = readTokenLimit(body, 'max_tokens');
	if (!maxTokens.ok) return maxTokens;
	const format = isRecord(body.response_format) ? body.response_format.type : undefined;
	return {
		ok: true,
		value: {
			model: body.model,
			messageTexts: body.messages.map((message) => (isRecord(message) ? contentText(message.content) : '')),
			maxTokens: maxCompletion.value ?? maxTokens.value,
			responseFormat: typeof format === 'string' ? format : undefined,
			serviceTier: typeof body.service_tier === 'string' ? body.service_tier : undefined,
		},
	};
}

/** JSON mode needs the prompt to ask for JSON, on OpenAI and on Groq. */
export function jsonModeProblem(request: ChatRequest): RequestProblem | undefined {
	if (request.responseFormat !== 'json_object') return undefined;
	if (request.messageTexts.some((text) => /json/i.test(text))) return undefined;
	return {
		message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
		param: 'messages',
		code: null,
	};
}

export function isValidJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}
