/** What the tests tell ./storeProcess (in one JSON env variable). */
import type { PgConnection } from '../../../dev/stack/postgres';

export const STORE_PROCESS_ENV = 'AUTORECOVERY_TEST_STORE_PROCESS';

export interface StoreProcessConfig {
	mode: 'count' | 'loop' | 'hold';
	key: string;
	count?: number;
	backend: { kind: 'file'; folder: string } | { kind: 'postgres'; connection: PgConnection; table: string };
}
