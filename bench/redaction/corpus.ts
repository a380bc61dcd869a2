/**
 * A labelled corpus for the shared redaction: lines that hold a secret (which must not
 * survive) and harmless lines (which must come out unchanged), both shaped after the real
 * answers of the providers the nodes talk to (/work/shared/reference/apis.md). Every secret
 * is synthetic and generated from a seed, so no key-shaped literal is committed and each
 * run sees the same lines. Used by bench/redaction.ts and its unit test.
 */
import { createPrng } from '../../dev/stack/permutation';

export interface SecretLine {
	kind: 'secret';
	/** What the line is, for reports: provider and shape. */
	label: string;
	text: string;
	/** Substrings that must not appear after redaction. */
	secrets: string[];
}

export interface HarmlessLine {
	kind: 'harmless';
	label: string;
	text: string;
}

export type CorpusLine = SecretLine | HarmlessLine;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const BASE64URL = `${ALNUM}-_`;
const HEX = '0123456789abcdef';

class Synth {
	constructor(private readonly random: () => number) {}

	int(min: number, max: number): number {
		return min + Math.floor(this.random() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.random() * items.length)];
	}

	chars(alphabet: string, length: number): string {
		let out = '';
		for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(this.random() * alphabet.length)];
		return out;
	}

	/** Random characters that hold at least one upper-case letter, one lower-case letter and one digit. */
	mixed(length: number, alphabet = ALNUM): string {
		for (;;) {
			const value = this.chars(alphabet, length);
			if (/[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value)) return value;
		}
	}

	digits(length: number): string {
		return String(this.int(1, 9)) + this.chars(DIGITS, length - 1);
	}

	uuid(): string {
		const h = (n: number) => this.chars(HEX, n);
		return `${h(8)}-${h(4)}-4${h(3)}-${this.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
	}

	base64url(text: string): string {
		return Buffer.from(text).toString('base64url');
	}
}

type SecretMaker = (s: Synth) => { label: string; text: string; secrets: string[] };
type HarmlessMaker = (s: Synth) => { label: string; text: string };

// ---------------------------------------------------------------- secret shapes

const evolutionKey = (s: Synth) => s.chars('0123456789ABCDEF', 32);
const wahaKey = (s: Synth) => s.chars(HEX, 32);
const metaToken = (s: Synth) => `EAA${s.mixed(s.int(140, 200))}`;
const mercadoPagoToken = (s: Synth, prefix: 'APP_USR' | 'TEST') => `${prefix}-${s.digits(16)}-${s.digits(6)}-${s.chars(HEX, 32)}-${s.digits(9)}`;
const payPalSecret = (s: Synth) => `E${s.mixed(79, BASE64URL)}`;
const payPalAccessToken = (s: Synth) => `A21AA${s.mixed(92, BASE64URL)}`;
const groqKey = (s: Synth) => `gsk_${s.mixed(52)}`;
const openAiKey = (s: Synth) => `sk-proj-${s.mixed(120, BASE64URL)}`;
const anthropicKey = (s: Synth) => `sk-ant-api03-${s.mixed(93, BASE64URL)}AA`;
const supabaseJwt = (s: Synth, role: string) =>
	`${s.base64url('{"alg":"HS256","typ":"JWT"}')}.${s.base64url(`{"iss":"supabase","ref":"${s.chars(LOWER, 20)}","role":"${role}","iat":${s.digits(10)},"exp":${s.digits(10)}}`)}.${s.mixed(43, BASE64URL)}`;
const supabaseSecretKey = (s: Synth) => `sb_secret_${s.mixed(31, BASE64URL)}`;
const slackBotToken = (s: Synth) => `xoxb-${s.digits(13)}-${s.digits(13)}-${s.mixed(24)}`;
const slackWebhookSecret = (s: Synth) => s.mixed(24);
/** A key someone made up, hyphenated or underscored: no provider prefix to recognise it by. */
const homemadeKey = (s: Synth) => s.pick(['-', '_']) === '-' ? `${s.mixed(8)}-${s.mixed(8)}-${s.mixed(8)}-${s.mixed(8)}` : `${s.mixed(12)}_${s.mixed(14)}`;
const password = (s: Synth) => `${s.mixed(s.int(12, 20))}${s.pick(['', '!', '#', '%2A', '-', '_'])}`;
const spokenPassword = (s: Synth) => `${s.pick(['Perro', 'Ventas', 'Tienda', 'Hunter', 'Shop'])}${s.digits(4)}${s.pick(['', '!', '$'])}`;

const SECRET_LINES: SecretMaker[] = [
	// Gateways.
	(s) => { const k = evolutionKey(s); return { label: 'evolution bare key', text: `Evolution answered 401 Unauthorized for instance ventas; key ${k} was rejected`, secrets: [k] }; },
	(s) => { const k = evolutionKey(s); return { label: 'evolution apikey header', text: `curl -H "apikey: ${k}" http://evolution:8080/instance/connectionState/ventas`, secrets: [k] }; },
	(s) => { const k = evolutionKey(s); return { label: 'evolution fetchInstances token', text: `[{"id":"${s.uuid()}","name":"ventas","connectionStatus":"open","token":"${k}","integration":"WHATSAPP-BAILEYS"}]`, secrets: [k] }; },
	(s) => { const k = wahaKey(s); return { label: 'waha query key', text: `GET http://waha:3000/api/sessions/default?x-api-key=${k} answered 401 Unauthorized`, secrets: [k] }; },
	(s) => { const k = wahaKey(s); return { label: 'waha bare key', text: `WAHA rejected ${k} (401 {"message":"Unauthorized","statusCode":401})`, secrets: [k] }; },
	(s) => { const k = homemadeKey(s); return { label: 'hyphenated gateway key', text: `gateway key ${k} no longer works after the server moved`, secrets: [k] }; },
	(s) => { const k = s.chars(LOWER + DIGITS, s.int(24, 40)); return { label: 'lower-case generated key', text: `rotated the Evolution global key; ${k} no longer works`, secrets: [k] }; },
	(s) => { const k = homemadeKey(s); return { label: 'hyphenated key in env line', text: `AUTHENTICATION_API_KEY=${k}`, secrets: [k] }; },
	// Meta.
	(s) => { const t = metaToken(s); return { label: 'meta bearer', text: `Authorization: Bearer ${t}`, secrets: [t] }; },
	(s) => { const t = metaToken(s); return { label: 'meta access_token query', text: `GET https://graph.facebook.com/v23.0/${s.digits(15)}?fields=id,quality_rating&access_token=${t}`, secrets: [t] }; },
	(s) => { const t = metaToken(s); return { label: 'meta bare token', text: `Error validating access token ${t}: Session has expired`, secrets: [t] }; },
	// Payments.
	(s) => { const t = mercadoPagoToken(s, 'APP_USR'); return { label: 'mercadopago live token', text: `MercadoPago 401 with ${t}: invalid_access_token`, secrets: [t] }; },
	(s) => { const t = mercadoPagoToken(s, 'TEST'); return { label: 'mercadopago test token', text: `{"access_token":"${t}","public_key":"TEST-${s.uuid()}"}`, secrets: [t] }; },
	(s) => { const c = payPalSecret(s); return { label: 'paypal client secret phrasing', text: `the client secret is ${c}`, secrets: [c] }; },
	(s) => { const c = payPalSecret(s); return { label: 'paypal client secret bare', text: `PayPal invalid_client for secret ${c} in sandbox`, secrets: [c] }; },
	(s) => { const c = payPalSecret(s); return { label: 'paypal client_secret json', text: `{"client_id":"A${s.mixed(79, BASE64URL)}","client_secret":"${c}"}`, secrets: [c] }; },
	(s) => { const t = payPalAccessToken(s); return { label: 'paypal access token', text: `{"scope":"https://uri.paypal.com/services/invoicing","access_token":"${t}","token_type":"Bearer","expires_in":32400}`, secrets: [t] }; },
	(s) => { const id = s.mixed(20); const c = s.mixed(24); const basic = Buffer.from(`${id}:${c}`).toString('base64'); return { label: 'paypal basic header', text: `Authorization: Basic ${basic}`, secrets: [basic] }; },
	// LLMs.
	(s) => { const k = groqKey(s); return { label: 'groq key', text: `Groq 401 Invalid API Key for ${k}`, secrets: [k] }; },
	(s) => { const k = openAiKey(s); return { label: 'openai key', text: `{"error":{"message":"Incorrect API key provided: ${k}","type":"invalid_request_error","code":"invalid_api_key"}}`, secrets: [k] }; },
	(s) => { const k = anthropicKey(s); return { label: 'anthropic key', text: `x-api-key: ${k}`, secrets: [k] }; },
	(s) => { const k = anthropicKey(s); return { label: 'anthropic key bare', text: `Claude rejected ${k} with authentication_error`, secrets: [k] }; },
	// Supabase.
	(s) => { const k = supabaseJwt(s, 'service_role'); return { label: 'supabase service-role jwt', text: `apikey: ${k}`, secrets: [k] }; },
	(s) => { const k = supabaseJwt(s, 'anon'); return { label: 'supabase anon jwt bare', text: `PostgREST said PGRST301 for ${k}`, secrets: [k] }; },
	(s) => { const k = supabaseSecretKey(s); return { label: 'supabase sb_secret', text: `SUPABASE_KEY=${k}`, secrets: [k] }; },
	// Slack.
	(s) => { const w = slackWebhookSecret(s); return { label: 'slack webhook url', text: `POST https://hooks.slack.com/services/T${s.chars(UPPER + DIGITS, 9)}/B${s.chars(UPPER + DIGITS, 10)}/${w} answered 404 no_service`, secrets: [w] }; },
	(s) => { const t = slackBotToken(s); return { label: 'slack bot token', text: `chat.postMessage with ${t} answered {"ok":false,"error":"invalid_auth"}`, secrets: [t] }; },
	// Postgres.
	(s) => { const p = password(s); return { label: 'postgres url password', text: `connect to postgres://shop:${p}@db.internal:5432/demo_shop failed: ECONNREFUSED`, secrets: [p] }; },
	(s) => { const p = password(s); return { label: 'libpq password', text: `host=db port=5432 user=shop password=${p} dbname=demo_shop`, secrets: [p] }; },
	// Basic auth in URLs.
	(s) => { const p = password(s); return { label: 'url basic auth', text: `GET https://admin:${p}@evolution.example.com/instance/fetchInstances answered 200`, secrets: [p] }; },
	// Phrasings, English and Spanish.
	(s) => { const k = homemadeKey(s); return { label: 'api key is', text: `The API key is ${k}, please rotate it`, secrets: [k] }; },
	(s) => { const p = spokenPassword(s); return { label: 'la clave es', text: `la clave es ${p} para el panel de Evolution`, secrets: [p] }; },
	(s) => { const p = spokenPassword(s); return { label: 'la contraseña es', text: `La contraseña es ${p}.`, secrets: [p] }; },
	(s) => { const k = wahaKey(s); return { label: 'mi token es', text: `mi token es ${k} y no anda`, secrets: [k] }; },
	(s) => { const p = spokenPassword(s); return { label: 'password colon', text: `smtp login failed, password: ${p}`, secrets: [p] }; },
	(s) => { const k = homemadeKey(s); return { label: 'secret equals', text: `webhook secret=${k}`, secrets: [k] }; },
	(s) => { const p = spokenPassword(s); return { label: 'clave secreta colon', text: `clave secreta: ${p}`, secrets: [p] }; },
	(s) => { const p = spokenPassword(s); return { label: 'smtp auth object', text: `createTransport({ host: 'smtp.example.com', port: 587, auth: { user: 'alerts@shop.example', pass: '${p}' } })`, secrets: [p] }; },
];

// ---------------------------------------------------------------- harmless lines

const n8nWorkflowId = (s: Synth) => s.mixed(16);
const metaPhoneNumberId = (s: Synth) => s.digits(15);
const baileysMessageId = (s: Synth) => `3EB0${s.chars('0123456789ABCDEF', s.pick([16, 18, 20]))}`;
const wamid = (s: Synth) => `wamid.HBgL${s.mixed(48, `${ALNUM}`)}`;
const fbtraceId = (s: Synth) => s.mixed(23, BASE64URL);
const isoTime = (s: Synth) => `2026-${String(s.int(1, 12)).padStart(2, '0')}-${String(s.int(1, 28)).padStart(2, '0')}T${String(s.int(0, 23)).padStart(2, '0')}:${String(s.int(0, 59)).padStart(2, '0')}:00.000Z`;
const targetId = (s: Synth) => `postgres:demo_shop_${s.chars(HEX, 10)}`;

const HARMLESS_LINES: HarmlessMaker[] = [
	// Meta.
	(s) => ({ label: 'meta phone-number path', text: `GET https://graph.facebook.com/v23.0/${metaPhoneNumberId(s)}?fields=id,display_phone_number,verified_name,quality_rating,status answered 200` }),
	(s) => ({ label: 'meta messages path', text: `POST https://graph.facebook.com/v23.0/${metaPhoneNumberId(s)}/messages answered 400` }),
	(s) => ({ label: 'meta error body', text: `{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_subcode":2494055,"is_transient":true,"fbtrace_id":"${fbtraceId(s)}"}}` }),
	(s) => ({ label: 'meta expired token', text: `{"error":{"message":"Error validating access token: Session has expired on Friday, 21-Nov-25 10:00:00 PST.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"${fbtraceId(s)}"}}` }),
	(s) => ({ label: 'meta wamid', text: `{"messaging_product":"whatsapp","messages":[{"id":"${wamid(s)}","message_status":"accepted"}]}` }),
	(s) => ({ label: 'meta health entity', text: `{"entity_type":"PHONE_NUMBER","id":"${metaPhoneNumberId(s)}","can_send_message":"AVAILABLE"}` }),
	(s) => ({ label: 'meta phone-number id prose', text: `phone number id ${metaPhoneNumberId(s)} is FLAGGED, quality_rating RED` }),
	// Evolution and WAHA.
	(s) => ({ label: 'evolution not found', text: `{"status":404,"error":"Not Found","response":{"message":["The \\"ventas${s.int(1, 99)}\\" instance does not exist"]}}` }),
	(s) => ({ label: 'evolution state', text: `{"instance":{"instanceName":"ventas","state":"${s.pick(['open', 'close', 'connecting'])}"}}` }),
	(s) => ({ label: 'evolution message id', text: `{"key":{"fromMe":true,"id":"${baileysMessageId(s)}"},"status":"PENDING","messageTimestamp":${s.digits(10)},"instanceId":"${s.uuid()}"}` }),
	(s) => ({ label: 'evolution welcome', text: `{"status":200,"message":"Welcome to the Evolution API, it is working!","version":"2.3.${s.int(0, 9)}","whatsappWebVersion":"2.3000.${s.digits(10)}"}` }),
	(s) => ({ label: 'evolution restart quirk', text: `Evolution POST /instance/restart/ventas answered HTTP 200 with {"error":true,"message":"[object Object]"} at ${isoTime(s)}` }),
	() => ({ label: 'waha not found', text: `{"message":"Session not found","error":"Not Found","statusCode":404}` }),
	() => ({ label: 'waha qr 422', text: `{"error":"Session status is not as expected. Try again later or restart the session","session":"default","status":"WORKING","expected":["SCAN_QR_CODE"]}` }),
	(s) => ({ label: 'whatsapp message id prose', text: `message ${baileysMessageId(s)} stayed PENDING for ${s.int(30, 600)} s` }),
	// MercadoPago.
	() => ({ label: 'mercadopago 401', text: `{"message":"Must provide your access_token to proceed","error":"unauthorized","status":401,"cause":[{"code":5,"description":"Must provide your access_token to proceed","data":null}]}` }),
	(s) => ({ label: 'mercadopago preference', text: `{"id":"${s.digits(9)}-${s.uuid()}","collector_id":${s.digits(9)},"operation_type":"regular_payment","date_created":"2025-07-13T19:33:40.852-04:00"}` }),
	(s) => { const pref = `${s.digits(9)}-${s.uuid()}`; return { label: 'mercadopago init point', text: `init_point https://www.mercadopago.com.ar/checkout/v1/redirect?pref_id=${pref}` }; },
	(s) => ({ label: 'mercadopago live credentials', text: `{"message":"Unauthorized use of live credentials","error":"unauthorized","status":401,"cause":[{"code":7}]} for collector ${s.digits(9)}` }),
	// PayPal.
	(s) => ({ label: 'paypal invalid client', text: `{"error":"invalid_client","error_description":"Client Authentication failed"} (debug ${s.chars(HEX, 13)})` }),
	(s) => ({ label: 'paypal 422', text: `{"name":"UNPROCESSABLE_ENTITY","message":"The requested action could not be performed, semantically incorrect, or failed business validation.","debug_id":"${s.chars(HEX, 13)}","details":[{"issue":"CURRENCY_NOT_SUPPORTED"}]}` }),
	(s) => { const order = `${s.digits(1)}${s.chars(UPPER + DIGITS, 16)}`; return { label: 'paypal order path', text: `POST https://api-m.sandbox.paypal.com/v2/checkout/orders/${order}/capture was never called (order ${order} CREATED)` }; },
	(s) => { const order = `${s.digits(1)}${s.chars(UPPER + DIGITS, 16)}`; return { label: 'paypal approve link', text: `{"href":"https://www.sandbox.paypal.com/checkoutnow?token=${order}","rel":"approve","method":"GET"}` }; },
	(s) => ({ label: 'paypal app id', text: `{"token_type":"Bearer","app_id":"APP-${s.chars(UPPER + DIGITS, 17)}","expires_in":32400}` }),
	(s) => ({ label: 'paypal token not found', text: `{"error":"invalid_token","error_description":"Access Token not found in cache"} at ${isoTime(s)}` }),
	// LLMs.
	() => ({ label: 'groq 401', text: `{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}` }),
	(s) => ({ label: 'groq 429', text: `Rate limit reached for model \`llama-3.3-70b-versatile\` in organization \`org_${s.chars(LOWER + DIGITS, 26)}\` service tier \`on_demand\` on tokens per minute (TPM): Limit 6000, Used ${s.int(5000, 5999)}, Requested ${s.int(100, 900)}. Please try again in ${s.int(1, 9)}.${s.digits(3)}s.` }),
	(s) => ({ label: 'groq request id', text: `"x_groq":{"id":"req_${s.chars(LOWER + DIGITS, 26)}"} model openai/gpt-oss-20b finish_reason stop` }),
	(s) => ({ label: 'openai completion id', text: `{"id":"chatcmpl-${s.mixed(29)}","object":"chat.completion","model":"gpt-4o-mini","system_fingerprint":"fp_${s.chars(HEX, 10)}"}` }),
	(s) => ({ label: 'openai quota', text: `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}} x-request-id: req_${s.chars(HEX, 32)}` }),
	(s) => ({ label: 'anthropic overloaded', text: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011C${s.mixed(20)}"}` }),
	(s) => ({ label: 'anthropic message id', text: `{"id":"msg_01${s.mixed(22)}","type":"message","model":"claude-haiku-4-5","stop_reason":"end_turn"}` }),
	// Slack.
	(s) => ({ label: 'slack post ok', text: `{"ok":true,"channel":"C${s.chars(UPPER + DIGITS, 10)}","ts":"${s.digits(10)}.${s.chars(DIGITS, 6)}"}` }),
	(s) => ({ label: 'smtp auth failed', text: `Invalid login: 535 5.7.8 Username and Password not accepted (${s.int(1, 9)} attempts since ${isoTime(s)})` }),
	(s) => ({ label: 'rate-limit headers', text: `x-ratelimit-remaining-tokens: ${s.int(0, 6000)}, x-ratelimit-reset-requests: 2m59.56s, x-fb-trace-id: ${fbtraceId(s)}, anthropic-organization-id: ${s.uuid()}` }),
	(s) => ({ label: 'slack errors', text: `Slack answered ${s.pick(['404 channel_not_found', '410 channel_is_archived', '{"ok":false,"error":"invalid_auth"}', '403 action_prohibited'])}` }),
	// Supabase / PostgREST / Postgres.
	(s) => ({ label: 'postgrest 404', text: `{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table 'public.products_${s.int(1, 9)}' in the schema cache"}` }),
	() => ({ label: 'supabase gateway 401', text: '{"message":"Invalid API key","hint":"Double check your Supabase `anon` or `service_role` API key."}' }),
	(s) => ({ label: 'supabase url', text: `GET https://${s.chars(LOWER, 20)}.supabase.co/rest/v1/products?select=id&limit=1 answered 503` }),
	(s) => ({ label: 'postgres auth failed', text: `password authentication failed for user "shop" on ${targetId(s)}` }),
	(s) => ({ label: 'postgres relation', text: `relation "public.product_images" does not exist (42P01) in ${targetId(s)}` }),
	// Our own ids, times and files.
	(s) => ({ label: 'execution url', text: `http://localhost:5678/workflow/${n8nWorkflowId(s)}/executions/${s.int(1, 99999)}` }),
	(s) => ({ label: 'incident id', text: `incident whatsapp:evolution:ventas@${isoTime(s)} escalated after ${s.int(2, 9)} attempts` }),
	(s) => ({ label: 'backup file', text: `wrote n8n-backup-${isoTime(s).slice(0, 19).replace(/:/g, '-')}Z.tar.gz (${s.int(10, 900)} MB) sha256 ${s.chars(HEX, 64)}` }),
	(s) => ({ label: 'versions', text: `n8n 2.8.4, PostgREST 12.0.2, Evolution 2.3.6, node v20.19.${s.int(0, 9)}, commit ${s.chars(HEX, 40)}` }),
	(s) => ({ label: 'uuid idempotency', text: `X-Idempotency-Key: ${s.uuid()} replayed, PayPal-Request-Id ${s.uuid()}` }),
	(s) => ({ label: 'table names', text: `restored ${s.int(1, 99999)} rows into public.product_images from products_backup_${s.digits(8)}.sql.gz` }),
	(s) => ({ label: 'code identifiers', text: `TypeError: Cannot read properties of undefined (reading 'imageUrl') at restoreProductImages${s.digits(4)}Batch (ProductImagesBackupTable${s.int(1, 9)}.js:${s.int(1, 999)})` }),
	// Words about secrets, not secrets.
	(s) => ({ label: 'token is expired', text: `the ${s.pick(['token', 'API key', 'client secret', 'password'])} is ${s.pick(['invalid', 'expired', 'missing', 'incorrect', 'revoked'])}` }),
	(s) => ({ label: 'la clave es incorrecta', text: `la ${s.pick(['clave', 'contraseña'])} es ${s.pick(['incorrecta', 'inválida', 'obligatoria'])}` }),
	(s) => ({ label: 'token count', text: `usage prompt_tokens ${s.int(10, 999)}, completion_tokens ${s.int(1, 99)}, max_tokens: 300` }),
];

/** `perShape` lines of every secret shape and every harmless shape, from `seed`. */
export function buildRedactionCorpus(options: { seed?: number; perShape?: number } = {}): CorpusLine[] {
	const synth = new Synth(createPrng(options.seed ?? 20261207));
	const perShape = options.perShape ?? 20;
	const lines: CorpusLine[] = [];
	for (let round = 0; round < perShape; round += 1) {
		for (const make of SECRET_LINES) lines.push({ kind: 'secret', ...make(synth) });
		for (const make of HARMLESS_LINES) lines.push({ kind: 'harmless', ...make(synth) });
	}
	return lines;
}

export interface CorpusScore {
	secretLines: number;
	caught: number;
	harmlessLines: number;
	leftAlone: number;
	/** Labels of the lines each way that failed, with how many times. */
	missed: Map<string, number>;
	damaged: Map<string, number>;
}

/** Runs `redact` over the corpus: a secret line is caught when none of its secrets survive; a harmless line is left alone when unchanged. */
export function scoreRedaction(lines: readonly CorpusLine[], redact: (text: string) => string): CorpusScore {
	const score: CorpusScore = { secretLines: 0, caught: 0, harmlessLines: 0, leftAlone: 0, missed: new Map(), damaged: new Map() };
	const count = (map: Map<string, number>, label: string) => map.set(label, (map.get(label) ?? 0) + 1);
	for (const line of lines) {
		const out = redact(line.text);
		if (line.kind === 'secret') {
			score.secretLines += 1;
			if (line.secrets.every((secret) => !out.includes(secret))) score.caught += 1;
			else count(score.missed, line.label);
		} else {
			score.harmlessLines += 1;
			if (out === line.text) score.leftAlone += 1;
			else count(score.damaged, line.label);
		}
	}
	return score;
}
