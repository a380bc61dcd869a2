/** Small readers for provider replies: parsed JSON is `unknown` until narrowed. */

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string with content, trimmed; undefined for anything else. */
export function trimmedText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
