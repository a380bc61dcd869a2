/**
 * Whether an alert carries the relink QR, said by the alert itself, so the Alert
 * workflow's channels only reference fields: the e-mail attaches `attachment`, the
 * WhatsApp message sends an image when `hasImage`.
 */

/** The binary property a relink's QR travels in (WhatsApp Probe's Recover and Get QR write it). */
export const QR_BINARY = 'qr';

export interface AlertAttachment {
	/** The binary property to attach to the e-mail ('' for none). */
	attachment: string;
	hasImage: boolean;
}

export function alertAttachment(binaryProperties: readonly string[]): AlertAttachment {
	return binaryProperties.includes(QR_BINARY) ? { attachment: QR_BINARY, hasImage: true } : { attachment: '', hasImage: false };
}

/**
 * How long a QR lives once issued: WhatsApp's first QR of a pairing about 60 s, the next
 * ones about 20 s (whatsapp-canary-webhooks.md: "well under a minute"). The e-mailed image's
 * expiry is its issue time plus this: an upper bound, said as "about".
 */
export const QR_LIFETIME_MS = 60_000;
