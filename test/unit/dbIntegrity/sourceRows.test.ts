import { SourceFormatError } from '../../../nodes/DbIntegrity/repair/errors';
import {
	isUsableImageValue,
	parseCsv,
	parseRecords,
	skuText,
	toImagePairs,
} from '../../../nodes/DbIntegrity/repair/sourceRows';

describe('parseCsv', () => {
	test('plain rows with LF, CRLF and CR line ends, and no final line end', () => {
		expect(parseCsv('a,b\n1,2\r\n3,4\r5,6')).toEqual([
			['a', 'b'],
			['1', '2'],
			['3', '4'],
			['5', '6'],
		]);
	});

	test('quoted fields keep commas, doubled quotes and line breaks', () => {
		const text = 'sku,name\r\n"SKU-1","Remera, ""azul"""\r\n"SKU-2","dos\r\nlíneas"\r\nSKU-3,""\r\n';
		expect(parseCsv(text)).toEqual([
			['sku', 'name'],
			['SKU-1', 'Remera, "azul"'],
			['SKU-2', 'dos\r\nlíneas'],
			['SKU-3', ''],
		]);
	});

	test('a leading BOM is dropped; blank lines are skipped; an empty last field is kept', () => {
		expect(parseCsv('\uFEFFsku,image\n\nA,\n\r\nB,x\n')).toEqual([
			['sku', 'image'],
			['A', ''],
			['B', 'x'],
		]);
	});

	test('a stray quote inside an unquoted field is kept as a character', () => {
		expect(parseCsv('a,b"c\n')).toEqual([['a', 'b"c']]);
	});

	test('an unterminated quote is a format error naming its line', () => {
		expect(() => parseCsv('a,b\n1,"open\nstill open')).toThrow(SourceFormatError);
		expect(() => parseCsv('a,b\n1,"open\nstill open')).toThrow(/line 2 is never closed/);
	});

	test('empty text is no rows', () => {
		expect(parseCsv('')).toEqual([]);
		expect(parseCsv('\uFEFF')).toEqual([]);
	});
});

describe('parseRecords', () => {
	test('CSV: header names the fields (trimmed), empty fields are null, rows of the wrong width are invalid', () => {
		const parsed = parseRecords(' sku , image_url,price\nA,https://x/a.jpg,10.5\nB,,\nC,only-two\nD,https://x/d.jpg,1,extra\n', 'csv');
		expect(parsed.fields).toEqual(['sku', 'image_url', 'price']);
		expect(parsed.records).toEqual([
			{ sku: 'A', image_url: 'https://x/a.jpg', price: '10.5' },
			{ sku: 'B', image_url: null, price: null },
		]);
		expect(parsed.invalidRecords).toBe(2);
	});

	test('CSV: a duplicated or nameless header column makes the source unusable', () => {
		expect(() => parseRecords('sku,sku\n1,2\n', 'csv')).toThrow(/names "sku" twice/);
		expect(() => parseRecords('sku,,image\n1,2,3\n', 'csv')).toThrow(/column 2 has no name/);
	});

	test('CSV: header only, or nothing at all, is an empty source', () => {
		expect(parseRecords('sku,image\r\n', 'csv')).toEqual({ fields: ['sku', 'image'], records: [], invalidRecords: 0 });
		expect(parseRecords('', 'csv')).toEqual({ fields: [], records: [], invalidRecords: 0 });
	});

	test('JSON: an array of objects; fields are the union of keys in first-seen order; non-objects are invalid', () => {
		const parsed = parseRecords('\uFEFF[{"sku":"A","image":"https://x/a.jpg"},{"sku":2,"extra":true},null,[1],"x",7]', 'json');
		expect(parsed.fields).toEqual(['sku', 'image', 'extra']);
		expect(parsed.records).toHaveLength(2);
		expect(parsed.invalidRecords).toBe(4);
	});

	test('JSON: not JSON, or not an array, is a format error that does not quote the text', () => {
		const secretLooking = '{"token": "test-token-not-real"';
		let caught: unknown;
		try {
			parseRecords(secretLooking, 'json');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(SourceFormatError);
		expect((caught as Error).message).not.toContain('test-token-not-real');
		expect(() => parseRecords('{"sku":"A"}', 'json')).toThrow(/array of objects/);
		expect(() => parseRecords('<html>502 Bad Gateway</html>', 'json')).toThrow(SourceFormatError);
	});
});

describe('image pairs', () => {
	test('usable image values are absolute http(s) URLs without spaces', () => {
		for (const good of ['https://cdn.example.com/a.jpg', 'http://x/y', '  HTTPS://X/Y.PNG  ']) expect(isUsableImageValue(good)).toBe(true);
		for (const bad of ['', '   ', 'N/A', 'null', '-', 'a.jpg', '/img/a.jpg', 'ftp://x/a.jpg', 'https://', 'https://x/a b.jpg', 'javascript:alert(1)']) {
			expect(isUsableImageValue(bad)).toBe(false);
		}
	});

	test('SKUs: trimmed strings and finite numbers', () => {
		expect(skuText(' SKU-1 ')).toBe('SKU-1');
		expect(skuText(12345)).toBe('12345');
		for (const empty of ['', '  ', null, undefined, NaN, true, {}, []]) expect(skuText(empty)).toBeUndefined();
	});

	test('pairs are trimmed; empty SKUs and unusable images are ignored and counted', () => {
		const parsed = parseRecords(
			JSON.stringify([
				{ sku: ' A ', img: ' https://x/a.jpg ' },
				{ sku: 7, img: 'https://x/7.jpg' },
				{ sku: '', img: 'https://x/empty-sku.jpg' },
				{ sku: 'B', img: 'N/A' },
				{ sku: 'C', img: null },
				{ sku: 'D' },
				{ sku: 'E', img: 42 },
				{ sku: 'A', img: 'https://x/a-other.jpg' },
			]),
			'json',
		);
		expect(toImagePairs(parsed, 'sku', 'img')).toEqual({
			pairs: [
				{ sku: 'A', value: 'https://x/a.jpg' },
				{ sku: '7', value: 'https://x/7.jpg' },
				// Conflicts are kept here; the repair resolves them (and skips them) in SQL.
				{ sku: 'A', value: 'https://x/a-other.jpg' },
			],
			ignored: 5,
		});
	});

	test('a configured field the source does not have is a format error listing its fields', () => {
		const parsed = parseRecords('code,picture\nA,https://x/a.jpg\n', 'csv');
		expect(() => toImagePairs(parsed, 'sku', 'picture')).toThrow(/no field "sku" \(its fields: code, picture\)/);
		expect(() => toImagePairs(parsed, 'code', 'image_url')).toThrow(SourceFormatError);
	});

	test('an empty source has no pairs and is not an error', () => {
		expect(toImagePairs(parseRecords('[]', 'json'), 'sku', 'img')).toEqual({ pairs: [], ignored: 0 });
	});
});
