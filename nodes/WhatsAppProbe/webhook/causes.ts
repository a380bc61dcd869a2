/** Cause codes of the webhook integrity check, with their fixed flags. */
import type { Cause } from '../../shared/contract';

export const WEBHOOK_CAUSES = {
	/**
	 * No webhook carries messages to the bot (none configured, an empty URL after a restart,
	 * or the Meta app not subscribed to the WABA): the bot is deaf. Restoring it is automatic
	 * when the expected configuration is known, so no person is needed first.
	 */
	'whatsapp.webhook_missing': { retryable: false, needsHuman: false },
	/** A webhook exists but differs from the expected one (disabled, another URL, events or auth header missing). */
	'whatsapp.webhook_mismatch': { retryable: false, needsHuman: false },
} as const satisfies Record<string, Omit<Cause, 'code' | 'message'>>;

export type WebhookCauseCode = keyof typeof WEBHOOK_CAUSES;

export function webhookCause(code: WebhookCauseCode, message: string): Cause {
	return { code, message, ...WEBHOOK_CAUSES[code] };
}
