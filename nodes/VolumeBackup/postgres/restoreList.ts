/**
 * Reads `pg_restore --list` output: the table entries of a custom-format dump's table
 * of contents, e.g. `216; 1259 16385 TABLE public products postgres`.
 * Limitation: a table whose name contains a space is listed unquoted and is cut at it.
 */
/** A TABLE entry; `TABLE DATA` entries (the rows) are a different kind. */
const TABLE_ENTRY = /^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s)(\S+)\s+(\S+)/;

/** `schema.table` of every TABLE entry, sorted and unique. */
export function tablesInRestoreList(listing: string): string[] {
	const tables = new Set<string>();
	for (const line of listing.split('\n')) {
		if (line.startsWith(';')) continue; // comments
		const match = TABLE_ENTRY.exec(line.trim());
		if (match) tables.add(`${match[1]}.${match[2]}`);
	}
	return [...tables].sort();
}

/** The database a dump was taken from (`;     dbname: shop` in the list header), if shown. */
export function databaseInRestoreList(listing: string): string | undefined {
	return /^;\s+dbname:\s+(.+)$/m.exec(listing)?.[1]?.trim();
}
