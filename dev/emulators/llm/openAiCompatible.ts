/**
 * The OpenAI-compatible chat API that OpenAI (`/v1`) and Groq (`/openai/v1`) both serve:
 * models list and lookup, chat completions with rate-limit windows, and injected faults.
 * One implementation; each provider is a `CompatDialect` that says where the two APIs
 * differ (paths, models, error envelopes and wording, headers, extra checks and fields).
 */
import { defineEmulator, type Emulator } from '../core/emulator';
import type { EmulatorRequest, FaultContext, Reply, Route } from '../core/types';
import { bearerToken, type ChatRequest, consume, countPromptTokens, firstExhausted, type GeneratedText, generate, isRecord, jsonModeProblem, msUntilReset, nowSeconds, parseChatRequest, type RateBudget, requestMeta, type RequestProblem, retryAfterSeconds, type ScriptedReplyState, takeReply } from './common';

export type CompatLimitKind = 'requests' | 'tokens';

export interface CompatModel {
	id: string;
	created: number;
	owned_by: string;
}

/** The state every OpenAI-compatible emulator has. */
export interface CompatState<M extends CompatModel> extends ScriptedReplyState {
	apiKeys: string[];
	models: M[];
	rateLimit: Record<CompatLimitKind, RateBudget>;
	systemFingerprint: string;
}

export type CompatRequest<S> = EmulatorRequest<S>;

/** What a 429 reports: which limit, for which model, how much was used and asked for. */
export interface RateLimitHit {
	kind: CompatLimitKind;
	model: string;
	used: number;
	requested: number;
	tryAgainMs: number;
	retryAfter: number | null;
}

/** A static error reply of an injected status: message, `type`, optional `code`. */
export interface FaultBody {
	message: string;
	type: string;
	code?: string;
}

/** Where one provider's API differs from the other's. */
export interface CompatDialect<M extends CompatModel, S extends CompatState<M>> {
	/** Emulator name and route-id prefix (`openai`, `groq`). */
	name: string;
	/** Path prefix of every route (`/v1`, `/openai/v1`). */
	basePath: string;
	defaults: () => S;
	/** Model named in injected faults when the request names none and the state lists none. */
	fallbackModel: string;
	/** A new request id (`x-request-id`); the engine keeps one per HTTP request. */
	newRequestId: () => string;
	/** The provider's error envelope. */
	error: (status: number, message: string, type: string, param?: string | null, code?: string | null) => Reply;
	/** The reply to a missing or wrong API key. */
	rejectKey: (req: CompatRequest<S>) => Reply;
	/** Checks of other headers once the key is good. */
	checkHeaders?: (req: CompatRequest<S>) => Reply | undefined;
	/** Models GET /models lists and GET /models/:model finds. */
	listed: (state: S) => M[];
	modelObject: (m: M) => Record<string, unknown>;
	/** GET /models/:model for an id that is not listed. */
	unknownModel: (id: string) => Reply;
	/** A completion naming a model the provider does not serve. */
	modelNotFound: (id: string) => Reply;
	/** Why a completion's model is refused, if it is. */
	modelUnavailable: (state: S, id: string) => Reply | undefined;
	/** A refusal after the request checks and before the rate limits (e.g. no quota). */
	refuseCompletion?: (state: S) => Reply | undefined;
	/** A refusal of the model's text before it is sent (e.g. invalid JSON in JSON mode). */
	refuseReply?: (state: S, chat: ChatRequest, reply: string, promptTokens: number) => Reply | undefined;
	rateLimitMessage: (req: CompatRequest<S>, hit: RateLimitHit, limit: number) => string;
	/** The body of a completion; `choice` and `usage` are the parts both APIs share. */
	completion: (req: CompatRequest<S>, parts: CompletionParts) => Record<string, unknown>;
	/** An injected 429: the limit to report, or a whole reply of its own. */
	injected429: (state: S) => CompatLimitKind | Reply;
	/** Static replies of injected statuses; 401, 404 and 429 are built from the request. */
	faultBodies: Record<number, FaultBody>;
	/** An injected status whose reply depends on the request (other than 401, 404, 429). */
	faultReply?: (status: number, ctx: FaultContext<S>, model: string) => Reply | undefined;
	/** `type` of an injected status missing from `faultBodies`, by class. */
	serverErrorType: string;
	/** GET /models/… routes beyond `/models/:model`, with their own way to read the id. */
	extraModelRoutes?: Array<{ id: string; path: string; modelId: (req: CompatRequest<S>) => string }>;
	notFound: (req: CompatRequest<S>) => Reply;
	commonHeaders: (req: CompatRequest<S>) => Record<string, string>;
}

export interface CompletionParts {
	chat: ChatRequest;
	output: GeneratedText;
	promptTokens: number;
	created: number;
	choice: (message?: Record<string, unknown>) => Record<string, unknown>;
	usage: Record<string, number>;
}

/** An OpenAI-compatible emulator; `overrides` replace top-level defaults (and survive `reset()`). */
export function defineCompatEmulator<M extends CompatModel, S extends CompatState<M>>(
	d: CompatDialect<M, S>,
	overrides: Partial<S>,
): Emulator<S> {
	type Req = CompatRequest<S>;

	/** Starts the request's clock and id when its handler begins. */
	const started = (handler: (req: Req) => Reply) => (req: Req) => {
		requestMeta(req, d.newRequestId);
		return handler(req);
	};

	const authorize = (req: Req): Reply | undefined => {
		const key = bearerToken(req.headers);
		if (key === undefined || !req.state.apiKeys.includes(key)) return d.rejectKey(req);
		return d.checkHeaders?.(req);
	};

	const requestedModel = (req: Req): string => {
		const body = req.body;
		if (isRecord(body) && typeof body.model === 'string') return body.model;
		return req.state.models[0]?.id ?? d.fallbackModel;
	};

	const invalidRequest = (problem: RequestProblem): Reply =>
		d.error(400, problem.message, 'invalid_request_error', problem.param, problem.code);

	const rateLimited = (req: Req, hit: RateLimitHit): Reply => {
		const limit = req.state.rateLimit[hit.kind].limit;
		const reply = d.error(429, d.rateLimitMessage(req, hit, limit), hit.kind, null, 'rate_limit_exceeded');
		reply.headers = {
			[`x-ratelimit-remaining-${hit.kind}`]: '0',
			...(hit.retryAfter !== null ? { 'retry-after': String(hit.retryAfter) } : {}),
		};
		return reply;
	};

	const listModels = (req: Req): Reply =>
		authorize(req) ?? { status: 200, body: { object: 'list', data: d.listed(req.state).map(d.modelObject) } };

	const getModel = (id: string, req: Req): Reply => {
		const denied = authorize(req);
		if (denied) return denied;
		const found = d.listed(req.state).find((m) => m.id === id);
		return found ? { status: 200, body: d.modelObject(found) } : d.unknownModel(id);
	};

	const chatCompletions = (req: Req): Reply => {
		const denied = authorize(req);
		if (denied) return denied;
		const parsed = parseChatRequest(req.body);
		if (!parsed.ok) return invalidRequest(parsed.problem);
		const chat = parsed.value;
		const state = req.state;
		const refused = d.modelUnavailable(state, chat.model) ?? jsonProblemReply(chat) ?? d.refuseCompletion?.(state);
		if (refused) return refused;

		const promptTokens = countPromptTokens(chat.messageTexts);
		const exhausted = firstExhausted<CompatLimitKind>([
			{ kind: 'requests', budget: state.rateLimit.requests, requested: 1 },
			{ kind: 'tokens', budget: state.rateLimit.tokens, requested: promptTokens },
		]);
		if (exhausted) {
			const wait = msUntilReset(exhausted.budget);
			return rateLimited(req, {
				kind: exhausted.kind,
				model: chat.model,
				used: exhausted.budget.limit - exhausted.budget.remaining,
				requested: exhausted.requested,
				tryAgainMs: wait,
				retryAfter: retryAfterSeconds(wait),
			});
		}

		const text = takeReply(state, chat.messageTexts);
		consume(state.rateLimit.requests, 1);
		const badReply = d.refuseReply?.(state, chat, text, promptTokens);
		if (badReply) return badReply;
		const output = generate(text, chat.maxTokens);
		consume(state.rateLimit.tokens, promptTokens + output.tokens);
		const body = d.completion(req, {
			chat,
			output,
			promptTokens,
			created: nowSeconds(),
			choice: (message = {}) => ({
				index: 0,
				message: { role: 'assistant', content: output.text, ...message },
				logprobs: null,
				finish_reason: output.truncated ? 'length' : 'stop',
			}),
			usage: { prompt_tokens: promptTokens, completion_tokens: output.tokens, total_tokens: promptTokens + output.tokens },
		});
		return { status: 200, body };
	};

	const jsonProblemReply = (chat: ChatRequest): Reply | undefined => {
		const problem = jsonModeProblem(chat);
		return problem ? invalidRequest(problem) : undefined;
	};

	const injectedRateLimit = (ctx: FaultContext<S>): Reply => {
		const req = ctx.request;
		const kind = d.injected429(req.state);
		if (typeof kind !== 'string') return kind;
		const budget = req.state.rateLimit[kind];
		return rateLimited(req, {
			kind,
			model: requestedModel(req),
			used: budget.limit,
			requested: kind === 'requests' ? 1 : 500,
			tryAgainMs: ctx.retryAfter !== null ? ctx.retryAfter * 1000 : msUntilReset(budget),
			retryAfter: ctx.retryAfter,
		});
	};

	const faultReply = (status: number, ctx: FaultContext<S>): Reply => {
		if (status === 401) return d.rejectKey(ctx.request);
		if (status === 404) return d.modelNotFound(requestedModel(ctx.request));
		if (status === 429) return injectedRateLimit(ctx);
		const special = d.faultReply?.(status, ctx, requestedModel(ctx.request));
		if (special) return special;
		const known = d.faultBodies[status];
		if (known) return d.error(status, known.message, known.type, null, known.code ?? null);
		return d.error(status, `HTTP ${status}`, status >= 500 ? d.serverErrorType : 'invalid_request_error');
	};

	const models = `${d.basePath}/models`;
	const routes: Array<Route<S>> = [
		{ id: `${d.name}.listModels`, method: 'GET', path: models, handler: started(listModels) },
		{ id: `${d.name}.getModel`, method: 'GET', path: `${models}/:model`, handler: started((req) => getModel(req.params.model, req)) },
		...(d.extraModelRoutes ?? []).map(
			(extra): Route<S> => ({ id: extra.id, method: 'GET', path: extra.path, handler: started((req) => getModel(extra.modelId(req), req)) }),
		),
		{ id: `${d.name}.chatCompletions`, method: 'POST', path: `${d.basePath}/chat/completions`, handler: started(chatCompletions) },
	];
	return defineEmulator<S>({
		name: d.name,
		initialState: () => ({ ...d.defaults(), ...structuredClone(overrides) }),
		routes,
		faultReply,
		notFound: d.notFound,
		commonHeaders: d.commonHeaders,
	});
}
