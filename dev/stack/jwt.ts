/**
 * Minimal HS256 JWT signing (node:crypto), enough to mint Supabase-style API keys
 * that PostgREST accepts.
 */
import { createHmac } from 'node:crypto';

export type JwtPayload = Record<string, unknown>;

function base64url(input: string | Buffer): string {
	return Buffer.from(input).toString('base64url');
}

export function signHs256Jwt(payload: JwtPayload, secret: string): string {
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const body = base64url(JSON.stringify(payload));
	const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
	return `${header}.${body}.${signature}`;
}

/**
 * A Supabase-shaped API key for `role`. Fixed iat/exp keep the keys stable for a
 * given secret, so a demo stack can print them once.
 */
export function supabaseApiKey(role: 'anon' | 'service_role', secret: string, ref = 'autorecovery-test'): string {
	return signHs256Jwt({ iss: 'supabase', ref, role, iat: 1_700_000_000, exp: 2_000_000_000 }, secret);
}
