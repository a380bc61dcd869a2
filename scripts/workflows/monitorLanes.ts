/**
 * What the Monitor's canvas says: one sticky note per lane (what its nodes do, in the
 * order a tick or a request goes through them) and the guide to Settings beside it.
 */
import type { LaneSpec } from './builder';

export const MONITOR_LANES = {
	start: {
		title: '1 · Start',
		text: '**Run Now** (the button below), or called by **Autorecovery: Triggers**: every 5 minutes, and for each request. Every run reads **Settings**, then Entry sends a request to its lane and a tick on.',
		color: 5,
	},
	check: {
		title: '2 · Check every component',
		text: 'One probe per component; WhatsApp also as a customer sees it (webhook, canary conversation) when Settings name them. A failing dependency is a result, never a stopped run.',
		color: 7,
	},
	decide: {
		title: '3 · Decide',
		text: 'The Incident Tracker opens, confirms and closes incidents and spends the repair budget. Route: confirm, recover or alert.',
		color: 7,
	},
	confirm: {
		title: '4 · Confirm before acting',
		text: 'A first failure waits `confirmDelaySeconds`, then only that component is checked again and tracked again.',
		color: 7,
	},
	recover: {
		title: '5 · Recover',
		text: 'Diagnose (Groq, OpenAI, Claude, then fixed rules), take the component\'s lock, run the **Autorecovery: Recover** workflow, track what it did.',
		color: 4,
	},
	alert: {
		title: '6 · Tell a person',
		text: 'Only when something changed or needs someone: diagnose, write the alert in `language`, send it through **Autorecovery: Alert**.',
		color: 3,
	},
	manualApi: {
		title: 'Manual recovery API',
		text: '`POST /webhook/auto-recovery` (header token): the same locks and budget as the tick; answers what it did. See docs/manual-api.md.',
		color: 6,
	},
	pages: {
		title: 'Recovery log, status page, relink page',
		text: '`GET /webhook/auto-recovery` (log), `…/stats`, `/webhook/status` (login), `/webhook/relink` (the signed link of a QR alert).',
		color: 6,
	},
	events: {
		title: 'Gateway events',
		text: 'Evolution, WAHA and Meta announce outages as they happen: authenticated, tracked like a tick, answered at once; what needs acting joins Route. See docs/gateway-events.md.',
		color: 6,
	},
} satisfies Record<string, LaneSpec>;

/** The guide beside Settings: every setting by what it is for (test/unit/workflows/canvas.test.ts checks none is missing). */
export const SETTINGS_GUIDE = [
	'### Settings: the only node you edit',
	'**What to watch**: `whatsappTarget` (empty: the credential\'s instance), `hostPaths`, `n8nUrl`, `llmProviderOrder`.',
	'**When to act**: a first failure is checked again after `confirmDelaySeconds` (within `confirmWindowMinutes`); `successThreshold` healthy checks close an incident. Repairs per component: `budgetMaxActions` in `budgetWindowMinutes`, `budgetGapMinutes` apart; `allowOneActionWhenNeedsHuman`; reminders every `reminderHours`; `maintenanceUntil` (ISO time) silences everything until then.',
	'**WhatsApp as a customer sees it** (optional): `botMessageUrl` (Webhook Check), `botNumber` + `canaryNumber` (Conversation Check), `conversationReplyTimeoutSeconds`, `conversationSlowReplySeconds`, `conversationEveryMinutes`; without a canary, `passiveCheck` reads the bot\'s own message history (`passiveMinSilenceMinutes`, `passiveAnswerWithinMinutes`).',
	'**What people read**: `language` (es, en), `statusPageTitle`, `statusPageTargetNames`, `statusPageUrl`, `relinkPageUrl`, `executionBaseUrl`.',
	'**Running**: `heartbeatUrl` (a ping per tick), `lockFolder`, `tickDeadlineSeconds`; `tickStartedAt` is not a setting.',
	'Secrets are never here: they are in credentials. Every field: docs/workflows.md.',
].join('\n');

/** The note on nodes whose parameters all come from Settings (n8n shows it in the node's Settings tab). */
export const FROM_SETTINGS_NOTE = 'Its parameters are expressions that read the Settings node (e.g. confirmDelaySeconds, budgetMaxActions, maintenanceUntil): change them there, once, for every node that uses them.';
