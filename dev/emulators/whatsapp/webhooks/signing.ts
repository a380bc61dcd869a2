/**
 * Webhook signatures as the gateways compute them over the raw body.
 *  - WAHA: `X-Webhook-Hmac` = hex HMAC-SHA512 keyed with the webhook's `hmac.key`, plus
 *    `X-Webhook-Hmac-Algorithm: sha512` (whatsapp-canary-webhooks.md §2.C "Headers").
 *  - Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 keyed with the App Secret>` (§3.C, [2nd]).
 *  - Evolution has no HMAC; a `jwt_key` header becomes `Authorization: Bearer <HS256 JWT>` (§1.C, 2.3.0+).
 */
import { createHmac } from 'node:crypto';

export function wahaHmac(key: string, bodyText: string): string {
	return createHmac('sha512', key).update(bodyText).digest('hex');
}

export function hubSignature256(appSecret: string, bodyText: string): string {
	return `sha256=${createHmac('sha256', appSecret).update(bodyText).digest('hex')}`;
}

/** HS256 JWT `{iat, exp: iat+600, app:"evolution", action:"webhook"}`, as Evolution 2.3.0+ signs with `jwt_key`. */
export function evolutionWebhookJwt(key: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const head = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iat: nowSeconds, exp: nowSeconds + 600, app: 'evolution', action: 'webhook' })}`;
	return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}
