/** Before the integration suite: the system tools its tests drive (Chromium, sqlite3, pg_dump/pg_restore). */
import { CHROMIUM, ensureDebianTools, PG_DUMP, PG_RESTORE, SQLITE3 } from '../harness/debianTools';

export default async function globalSetup(): Promise<void> {
	ensureDebianTools([CHROMIUM, SQLITE3, PG_DUMP, PG_RESTORE], (line) => console.log(`[integration] ${line}`));
}
