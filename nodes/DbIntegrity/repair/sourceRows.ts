/**
 * Source files of the repairs, parsed (pure: text in, rows out).
 *
 *  - JSON: an array of objects. Elements that are not objects are counted as invalid.
 *  - CSV: RFC 4180: a header row names the fields; fields may be quoted ("a, b",
 *    "say ""hi""", line breaks inside quotes); LF, CRLF or CR line ends; a leading
 *    UTF-8 BOM is dropped; blank lines are skipped. An empty field is NULL (CSV has no
 *    other way to say so). A row with more or fewer fields than the header is invalid.
 *
 * For `database.restore_images` the records become (sku, image) pairs. A usable image
 * is an absolute http(s) URL without spaces, after trimming: the bot sends it as a
 * picture, so placeholders such as "N/A", "null", "-" or a bare file name would only
 * replace a missing image with a broken one. SKUs may be JSON strings or numbers and
 * are trimmed; a pair with an empty SKU or an unusable image is ignored and counted.
 */
import { isRecord } from '../../shared/json';
import { SourceFormatError } from './errors';

type SourceFormat = 'json' | 'csv';

/** One source row: field name → value (CSV values are strings or null). */
export type SourceRecord = Record<string, unknown>;

export interface ParsedRecords {
	/** Field names in first-seen order (CSV: the header). */
	fields: string[];
	records: SourceRecord[];
	/** Rows that could not be read as a record (not an object; wrong CSV field count). */
	invalidRecords: number;
}

export interface ImagePair {
	sku: string;
	value: string;
}

interface ImagePairs {
	pairs: ImagePair[];
	/** Records with an empty SKU or an empty/unusable image value (not counting invalid records). */
	ignored: number;
}

/** The rule for a usable image value, for values already trimmed. */
const USABLE_IMAGE = /^https?:\/\/[^\s]+$/i;

/** The same rule in Postgres' regex syntax, for `btrim(value) ~* pattern` on table sources. */
export const USABLE_IMAGE_SQL_PATTERN = '^https?://[^[:space:]]+$';

export function isUsableImageValue(value: string): boolean {
	return USABLE_IMAGE.test(value.trim());
}

/** A SKU as text: trimmed strings and finite numbers; undefined for anything else or empty. */
export function skuText(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * CSV text → rows of fields (RFC 4180, lenient about a stray quote inside an unquoted
 * field). Blank lines are dropped. Throws SourceFormatError on an unterminated quote.
 */
export function parseCsv(text: string): string[][] {
	const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let line = 1;
	let i = 0;
	const endRow = (): void => {
		row.push(field);
		field = '';
		// A blank line is one empty field: skip it rather than make an all-empty record.
		if (!(row.length === 1 && row[0] === '')) rows.push(row);
		row = [];
	};
	while (i < input.length) {
		const code = input.charCodeAt(i);
		if (code === QUOTE && field === '') {
			const startLine = line;
			let j = i + 1;
			let value = '';
			for (;;) {
				const close = input.indexOf('"', j);
				if (close === -1) throw new SourceFormatError(`CSV: the quoted field starting on line ${startLine} is never closed`);
				value += input.slice(j, close);
				if (input.charCodeAt(close + 1) === QUOTE) {
					value += '"';
					j = close + 2;
					continue;
				}
				j = close + 1;
				break;
			}
			for (let k = i; k < j; k++) if (input.charCodeAt(k) === LF) line += 1;
			field = value;
			i = j;
			continue;
		}
		if (code === COMMA) {
			row.push(field);
			field = '';
			i += 1;
		} else if (code === LF || code === CR) {
			endRow();
			i += code === CR && input.charCodeAt(i + 1) === LF ? 2 : 1;
			line += 1;
		} else {
			// Plain run of characters up to the next delimiter, in one slice.
			let j = i + 1;
			while (j < input.length) {
				const next = input.charCodeAt(j);
				if (next === COMMA || next === LF || next === CR) break;
				j += 1;
			}
			field += input.slice(i, j);
			i = j;
		}
	}
	if (field !== '' || row.length > 0) endRow();
	return rows;
}

function parseCsvRecords(text: string): ParsedRecords {
	const [header, ...body] = parseCsv(text);
	if (header === undefined) return { fields: [], records: [], invalidRecords: 0 };
	const fields = header.map((name) => name.trim());
	const seen = new Set<string>();
	fields.forEach((name, index) => {
		if (name === '') throw new SourceFormatError(`CSV: header column ${index + 1} has no name`);
		if (seen.has(name)) throw new SourceFormatError(`CSV: the header names "${name}" twice`);
		seen.add(name);
	});
	const records: SourceRecord[] = [];
	let invalidRecords = 0;
	for (const values of body) {
		if (values.length !== fields.length) {
			invalidRecords += 1;
			continue;
		}
		const record: SourceRecord = {};
		fields.forEach((name, index) => {
			const value = values[index] as string;
			record[name] = value === '' ? null : value;
		});
		records.push(record);
	}
	return { fields, records, invalidRecords };
}

function parseJsonRecords(text: string): ParsedRecords {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch {
		// Not the parser's message: it quotes the text, which may be anything (an HTML error page…).
		throw new SourceFormatError('JSON: the text is not valid JSON');
	}
	if (!Array.isArray(parsed)) throw new SourceFormatError('JSON: expected an array of objects at the top level');
	const fields = new Set<string>();
	const records: SourceRecord[] = [];
	let invalidRecords = 0;
	for (const element of parsed as unknown[]) {
		if (!isRecord(element)) {
			invalidRecords += 1;
			continue;
		}
		for (const key of Object.keys(element)) fields.add(key);
		records.push(element);
	}
	return { fields: [...fields], records, invalidRecords };
}

/** Source text → records. Throws SourceFormatError when the text is not the format at all. */
export function parseRecords(text: string, format: SourceFormat): ParsedRecords {
	return format === 'csv' ? parseCsvRecords(text) : parseJsonRecords(text);
}

/**
 * Records → (sku, image) pairs, trimmed; unusable ones are counted, not returned. A
 * field the source never has is a configuration mistake, not a row problem: it throws
 * SourceFormatError naming the fields the source does have. Empty sources pass.
 */
export function toImagePairs(parsed: ParsedRecords, skuField: string, imageField: string): ImagePairs {
	if (parsed.records.length > 0) {
		for (const field of [skuField, imageField]) {
			if (!parsed.fields.includes(field)) {
				throw new SourceFormatError(`the source has no field "${field}" (its fields: ${parsed.fields.slice(0, 20).join(', ') || 'none'})`);
			}
		}
	}
	const pairs: ImagePair[] = [];
	let ignored = 0;
	for (const record of parsed.records) {
		const sku = skuText(record[skuField]);
		const image = record[imageField];
		if (sku === undefined || typeof image !== 'string' || !isUsableImageValue(image)) {
			ignored += 1;
			continue;
		}
		pairs.push({ sku, value: image.trim() });
	}
	return { pairs, ignored };
}
