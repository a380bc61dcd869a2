/**
 * Table and column names come from node parameters: they are validated as plain
 * identifiers (optionally schema-qualified) and always quoted, never concatenated raw.
 */

/** Letters, digits and underscores, not starting with a digit, at most 63 bytes (Postgres' limit). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class IdentifierError extends Error {}

/** `"name"`; throws an IdentifierError naming the parameter when the name is not a plain identifier. */
export function quoteIdentifier(name: string, parameter: string): string {
	const trimmed = name.trim();
	if (!IDENTIFIER.test(trimmed)) {
		throw new IdentifierError(
			`${parameter} must be a plain identifier (letters, digits, underscores; not starting with a digit; at most 63 characters), got ${JSON.stringify(name)}`,
		);
	}
	return `"${trimmed}"`;
}

/** `"schema"."table"` or `"table"`, from `schema.table` or `table`. */
export function quoteQualifiedName(name: string, parameter: string): string {
	const parts = name.trim().split('.');
	if (parts.length > 2) throw new IdentifierError(`${parameter} must be "table" or "schema.table", got ${JSON.stringify(name)}`);
	return parts.map((part) => quoteIdentifier(part, parameter)).join('.');
}
