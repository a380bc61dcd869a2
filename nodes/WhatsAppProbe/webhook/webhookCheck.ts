/**
 * The Webhook Check and its recovery rung, as plain logic over a gateway: read the webhook
 * configuration, compare it with the expected one (parameters win over what was remembered
 * from a healthy reading), and, when nothing is expected yet, remember the current one if it
 * looks healthy. The restore rung puts the expected webhook back; runRecovery then re-runs the
 * Webhook Check to prove it.
 */
import { CheckRecorder } from '../../shared/checkRecorder';
import type { CheckResult } from '../../shared/contract';
import { redactDeep } from '../../shared/redact';
import type { GatewayCallOptions, RecoveryRung, WhatsAppGateway } from '../providers/types';
import { WEBHOOK_CAUSES } from './causes';
import { compareWebhook, WEBHOOK_CHECK_NAME, webhookCheckEntry } from './compareWebhook';
import { captureExpectedWebhook, mergeExpectedWebhook, readExpectedWebhook, type ExpectedWebhook, type WebhookParameters } from './expectedWebhook';
import type { RestoreSecrets } from './restoreWebhook';
import { describeWebhookUrl } from './webhookConfig';

/** The `probe` of every Webhook Check result. */
export const WEBHOOK_PROBE = 'webhook';

export interface WebhookCheckRun {
	gateway: WhatsAppGateway;
	parameters: WebhookParameters;
	/** What was remembered from a healthy reading (workflow static data), if anything. */
	remembered?: unknown;
	/** Remember the current configuration when nothing is expected yet and it looks healthy. */
	capture: boolean;
	call: GatewayCallOptions;
	now?: () => number;
}

export interface WebhookCheckOutcome {
	result: CheckResult;
	/** The configuration compared against (parameters over remembered), or the one just captured. */
	expected?: ExpectedWebhook;
	/** Set when this run captured the configuration: the caller stores it. */
	captured?: ExpectedWebhook;
}

/** The expected configuration from parameters and what was remembered; throws OptionError for a bad Webhook URL. */
export function expectedWebhookOf(gateway: WhatsAppGateway, parameters: WebhookParameters, remembered: unknown): ExpectedWebhook | undefined {
	return mergeExpectedWebhook(gateway.kind, parameters, readExpectedWebhook(remembered));
}

function describe(expected: ExpectedWebhook): Record<string, unknown> {
	return {
		...(expected.url ? { url: describeWebhookUrl(expected.url) } : {}),
		events: expected.allEvents ? ['*'] : expected.events,
		...(expected.appId ? { appId: expected.appId } : {}),
		...(expected.capturedAt ? { rememberedAt: expected.capturedAt } : {}),
	};
}

export async function runWebhookCheck(run: WebhookCheckRun): Promise<WebhookCheckOutcome> {
	const { gateway } = run;
	const now = run.now ?? Date.now;
	const expected = expectedWebhookOf(gateway, run.parameters, run.remembered);
	const started = now();
	const read = await gateway.getWebhookConfig(run.call);
	const recorder = new CheckRecorder('whatsapp', gateway.target);
	// Its own incident next to the Check's on the same target (the tracker's key includes `probe`).
	const safe = (outcome: WebhookCheckOutcome): WebhookCheckOutcome => ({ ...outcome, result: { ...redactDeep(outcome.result, { secrets: gateway.secrets }), probe: WEBHOOK_PROBE } });
	if (!read.ok) {
		recorder.failure(WEBHOOK_CHECK_NAME, read.cause, { durationMs: read.durationMs });
		return safe({ result: recorder.result({ webhook: 'unreadable' }), ...(expected ? { expected } : {}) });
	}
	if (!expected && run.capture) {
		const captured = captureExpectedWebhook(read.reading, started);
		if (captured) {
			recorder.pass(WEBHOOK_CHECK_NAME, 'No expected webhook was set; the current one looks healthy and is remembered as expected from now on.', {
				value: [],
				durationMs: read.durationMs,
			});
			return safe({ result: recorder.result({ webhook: 'remembered', expected: describe(captured), hooks: read.reading.hooks.length }), expected: captured, captured });
		}
	}
	// Nothing expected and nothing usable: at least a webhook with a URL carrying the message events must exist.
	const against = expected ?? { v: 1 as const, gateway: gateway.kind, events: [] };
	const { entry, cause } = webhookCheckEntry(compareWebhook(read.reading, against), read.reading.gateway, read.durationMs);
	recorder.add(entry, cause);
	const details = { webhook: entry.status === 'healthy' ? 'as_expected' : 'not_as_expected', expected: expected ? describe(expected) : null, hooks: read.reading.hooks.length };
	return safe({ result: recorder.result(details), ...(expected ? { expected } : {}) });
}

/** The webhook rung for a failing Webhook Check: restore when the expected configuration is known; else nothing (escalate). */
export function webhookRecoveryLadder(
	gateway: WhatsAppGateway,
	state: CheckResult,
	expected: ExpectedWebhook | undefined,
	secrets: RestoreSecrets,
	options: GatewayCallOptions,
): RecoveryRung[] {
	const code = state.cause?.code;
	if (state.status === 'healthy' || code === undefined || !(code in WEBHOOK_CAUSES) || !expected) return [];
	const where = expected.url ? ` to ${describeWebhookUrl(expected.url)}` : '';
	const restarts = gateway.kind === 'waha' ? ' (WAHA restarts the session to apply it)' : '';
	return [
		{
			action: 'whatsapp.restore_webhook',
			description: `restore the ${gateway.target} webhook${where}${restarts}`,
			run: async () => {
				const outcome = await gateway.restoreWebhook(expected, secrets, options);
				return { ok: outcome.ok, message: outcome.message };
			},
		},
	];
}
