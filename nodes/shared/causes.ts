/**
 * Cause codes that more than one node produces, with their fixed retryable/needsHuman
 * flags, so every node reports e.g. a timeout the same way. Node-specific codes
 * (`whatsapp.qr_required`, `database.catalog_empty`, ...) live with their nodes.
 */
import type { Cause } from './contract';

interface CauseTemplate {
	retryable: boolean;
	needsHuman: boolean;
}

export const COMMON_CAUSES = {
	'net.timeout': { retryable: true, needsHuman: false },
	'net.unreachable': { retryable: true, needsHuman: false },
	'net.reset': { retryable: true, needsHuman: false },
	'auth.invalid_credentials': { retryable: false, needsHuman: true },
	'auth.forbidden': { retryable: false, needsHuman: true },
	'provider.rate_limited': { retryable: true, needsHuman: false },
	'provider.server_error': { retryable: true, needsHuman: false },
	'provider.malformed_response': { retryable: true, needsHuman: false },
	'provider.bad_request': { retryable: false, needsHuman: true },
	'provider.not_found': { retryable: false, needsHuman: true },
	'config.missing': { retryable: false, needsHuman: true },
	'config.invalid': { retryable: false, needsHuman: true },
} as const satisfies Record<string, CauseTemplate>;

export type CommonCauseCode = keyof typeof COMMON_CAUSES;

/** A cause with the standard flags of a common code. */
export function commonCause(code: CommonCauseCode, message: string): Cause {
	return { code, message, ...COMMON_CAUSES[code] };
}
