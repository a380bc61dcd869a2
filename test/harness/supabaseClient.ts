/**
 * supabase-js for tests on Node 20.
 *
 * supabase-js ≥ 2.10x builds its Realtime client eagerly, and on Node < 22 (no global
 * WebSocket) `createClient` throws "Node.js 20 detected without native WebSocket
 * support" unless a transport is given. The harness only exercises REST, so it
 * passes a transport that refuses to be used.
 */
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';

type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

class RealtimeNotAvailableInTests {
	constructor() {
		throw new Error('Realtime is not available in the test harness (no WebSocket on Node 20)');
	}
}

/** Options that let createClient work on Node 20 without a WebSocket implementation. */
export const NODE_TEST_CLIENT_OPTIONS: SupabaseClientOptions<'public'> = {
	// The class never produces a socket, so it cannot honour the WebSocket shape the type asks for.
	realtime: { transport: RealtimeNotAvailableInTests as unknown as RealtimeTransport },
	auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};

export function createTestSupabaseClient(url: string, key: string): SupabaseClient {
	return createClient(url, key, NODE_TEST_CLIENT_OPTIONS);
}
