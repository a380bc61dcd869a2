/**
 * Deterministic fixture data for the bot's catalog and logs, generated inside
 * Postgres (INSERT … SELECT FROM generate_series, in chunks) so that a million
 * products or ten million log rows take seconds, not a million round trips.
 *
 * Same options + same seed (+ same `now`) ⇒ the same rows. Defect counts are
 * exact (see permutation.ts), so tests can assert them.
 *
 * Pass a pg Pool instead of a client to load chunks over several connections at
 * once (Postgres runs one statement per core; 2 connections ≈ 2× on 2 cores).
 */
import { Pool, type ClientBase, type PoolClient } from 'pg';

import { createPrng, randomPermutation, randomSalt, SPREAD_FRACTIONS, type AffinePermutation } from './permutation';

/** One connection, or a pool to run `concurrency` chunk loaders in parallel. */
export type SeedTarget = ClientBase | Pool;

interface ParallelOptions {
	/** Rows per INSERT statement. */
	chunkSize?: number;
	/** Connections used at once when the target is a Pool (default 2); 1 for a client. */
	concurrency?: number;
}

export interface SeedCatalogOptions extends ParallelOptions {
	/** Total product rows, duplicates included. */
	products: number;
	/** Percentage (0–100) of products whose image_url is NULL; rounded to a row count. */
	missingImagesPct?: number;
	/** Rows that reuse another product's SKU (each reuses a different one): at most products/2. */
	duplicateSkus?: number;
	/** Rows whose category_id points at no category. */
	orphanRows?: number;
	/** Rows with price ≤ 0 (alternately 0 and negative). */
	nonPositivePrices?: number;
	seed?: number;
	/** Timestamps are spread over the year before this instant. */
	now?: Date;
	/** Empty the catalog tables first (default). With false, rows are appended after the current max id. */
	truncate?: boolean;
}

export interface CatalogSummary {
	products: number;
	distinctSkus: number;
	missingImages: number;
	duplicateSkus: number;
	orphanRows: number;
	nonPositivePrices: number;
	categories: number;
	backupImages: number;
	durationMs: number;
}

export interface SeedLogsOptions extends ParallelOptions {
	rows: number;
	/** Rows are spread evenly over the `days` days before `now`. */
	days?: number;
	/** Percentage (0–100) of rows with level 'error'; rounded to a row count. */
	errorPct?: number;
	/** Percentage (0–100) of rows with level 'warn'; the rest are 'info'. */
	warnPct?: number;
	seed?: number;
	now?: Date;
	truncate?: boolean;
}

export interface LogsSummary {
	rows: number;
	byLevel: { error: number; warn: number; info: number };
	from: Date;
	to: Date;
	durationMs: number;
}

export const CATEGORY_NAMES = [
	'Remeras',
	'Pantalones',
	'Zapatillas',
	'Camperas',
	'Buzos',
	'Accesorios',
	'Mochilas',
	'Medias',
	'Vestidos',
	'Camisas',
	'Ofertas',
	'Novedades',
] as const;

/** Orphan rows point at ids from here on; real categories are 1..CATEGORY_NAMES.length. */
export const ORPHAN_CATEGORY_BASE = 1_000_000;
export const PRODUCT_IMAGE_BASE_URL = 'https://cdn.example.com/products/';
export const DEFAULT_SEED = 42;
const DEFAULT_CHUNK_SIZE = 250_000;
const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * A well-mixed 32-bit hash of (k + salt), in bigint arithmetic that cannot overflow
 * for k < 2^32 (every product stays below 2^63). Used for names, prices, stock…
 */
const ROW_HASH = `(((((k + $salt) * 1103515245) % 4294967296) # ((((k + $salt) * 1103515245) % 4294967296) >> 15)) * 1911520717) % 4294967296`;

/** 'SKU-' + the number zero-padded to 7 digits (more digits when needed, never truncated). */
function skuSql(numberSql: string): string {
	return `'SKU-' || lpad((${numberSql})::text, greatest(7, length((${numberSql})::text)), '0')`;
}

/** `perm(k)` of an affine permutation whose parameters are the given placeholders. */
function permSql(multiplier: string, offset: string, size = '$n'): string {
	return `((${multiplier} * k + ${offset}) % ${size})`;
}

/**
 * Replaces named placeholders ($name) by typed positional ones ($1::bigint…) for pg.
 * Only the parameters the statement uses are sent: Postgres rejects untyped unused ones.
 */
function compile(sql: string, params: Record<string, number | string>): { text: string; values: Array<number | string> } {
	const used: string[] = [];
	const text = sql.replace(/\$([a-zA-Z]\w*)/g, (match, name: string) => {
		const value = params[name];
		if (value === undefined) throw new Error(`seed SQL uses unknown parameter ${match}`);
		if (!used.includes(name)) used.push(name);
		return `$${used.indexOf(name) + 1}::${typeof value === 'number' ? 'bigint' : 'text'}`;
	});
	return { text, values: used.map((name) => params[name] as number | string) };
}

function rowCount(total: number, pct: number, what: string): number {
	if (!(pct >= 0 && pct <= 100)) throw new Error(`${what} must be a percentage in 0..100, got ${pct}`);
	return Math.round((total * pct) / 100);
}

function requireCount(value: number, max: number, what: string): number {
	if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${what} must be an integer in 0..${max}, got ${value}`);
	return value;
}

function permutationParams(prefix: string, permutation: AffinePermutation): Record<string, number> {
	return {
		[`${prefix}Mul`]: permutation.multiplier,
		[`${prefix}Off`]: permutation.offset,
		[`${prefix}Inv`]: permutation.inverseMultiplier,
	};
}

/** Runs `sql` once per chunk of row indexes [lo, hi], spread over the given connections. */
async function runChunks(
	clients: ClientBase[],
	total: number,
	chunkSize: number,
	sql: string,
	params: Record<string, number | string>,
): Promise<void> {
	let next = 0;
	const worker = async (client: ClientBase): Promise<void> => {
		while (next < total) {
			const lo = next;
			next = Math.min(total, lo + chunkSize);
			const { text, values } = compile(sql, { ...params, lo, hi: next - 1 });
			await client.query(text, values);
		}
	};
	await Promise.all(clients.map(worker));
}

/**
 * Lends `work` one connection per parallel loader (the client itself, or clients
 * checked out of the pool), with synchronous_commit off: bulk loads need not wait
 * for WAL flushes.
 */
async function withLoaders<T>(target: SeedTarget, options: ParallelOptions, work: (clients: ClientBase[]) => Promise<T>): Promise<T> {
	const borrowed: PoolClient[] = [];
	try {
		if (target instanceof Pool) {
			const concurrency = Math.max(1, options.concurrency ?? 2);
			for (let i = 0; i < concurrency; i++) borrowed.push(await target.connect());
		}
		const clients: ClientBase[] = target instanceof Pool ? borrowed : [target];
		for (const client of clients) await client.query('SET synchronous_commit = off');
		try {
			return await work(clients);
		} finally {
			for (const client of clients) await client.query('RESET synchronous_commit').catch(() => undefined);
		}
	} finally {
		for (const client of borrowed) client.release();
	}
}

async function maxId(client: ClientBase, table: 'products' | 'system_logs'): Promise<number> {
	const result = await client.query<{ max: string }>(`SELECT coalesce(max(id), 0)::text AS max FROM ${table}`);
	return Number(result.rows[0]?.max ?? 0);
}

async function syncSequence(client: ClientBase, table: 'products' | 'system_logs' | 'categories'): Promise<void> {
	await client.query(
		`SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest(coalesce((SELECT max(id) FROM ${table}), 0), 1), (SELECT count(*) > 0 FROM ${table}))`,
	);
}

/**
 * One chunk of products. Row k (0-based) gets id/SKU number base + k + 1. A
 * duplicate row (perm_dup(k) < dup) takes the SKU of the row whose perm_dup value
 * is perm_dup(k) + dup: never itself a duplicate, and a different one for each.
 */
const PRODUCTS_SQL = `
INSERT INTO products (id, sku, name, description, price, currency, image_url, stock, category_id, active, created_at, updated_at)
SELECT
	$base + k + 1,
	sku,
	name,
	name || ': producto de la tienda, talle ' || (ARRAY['S','M','L','XL'])[(1 + (h >> 3) % 4)::int] || '.',
	CASE
		WHEN p_price < $nonPositive THEN CASE WHEN p_price % 2 = 0 THEN 0 ELSE -((1 + h % 50000) / 100.0) END
		ELSE 1000 + ((h >> 4) % 99000) + ((h >> 2) % 100) / 100.0
	END,
	'ARS',
	CASE WHEN p_image < $missingImages THEN NULL ELSE $imageBase || sku || '.jpg' END,
	((h >> 8) % 250)::int,
	CASE WHEN p_orphan < $orphans THEN $orphanBase + k % 1000 ELSE 1 + (h >> 5) % $categories END,
	true,
	$now::timestamptz - age_s * interval '1 second',
	$now::timestamptz - (age_s * ((h >> 12) % 100) / 100) * interval '1 second'
FROM (
	SELECT k, h, p_image, p_orphan, p_price,
		(h % ${YEAR_SECONDS})::double precision AS age_s,
		${skuSql(`$base + 1 + CASE WHEN p_dup < $duplicates
			THEN ($dupInv * ((p_dup + $duplicates - $dupOff + $n) % $n)) % $n
			ELSE k END`)} AS sku,
		(ARRAY['Remera','Pantalón','Zapatilla','Campera','Buzo','Gorra','Mochila','Medias','Vestido','Camisa'])[(1 + h % 10)::int]
			|| ' ' || (ARRAY['Clásica','Deportiva','Urbana','Premium','Básica','Oversize','Slim','Vintage'])[(1 + (h >> 7) % 8)::int]
			|| ' ' || (ARRAY['Negra','Blanca','Azul','Roja','Verde','Gris','Beige'])[(1 + (h >> 11) % 7)::int] AS name
	FROM (
		SELECT k, ${ROW_HASH} AS h,
			${permSql('$dupMul', '$dupOff')} AS p_dup,
			${permSql('$imageMul', '$imageOff')} AS p_image,
			${permSql('$orphanMul', '$orphanOff')} AS p_orphan,
			${permSql('$priceMul', '$priceOff')} AS p_price
		FROM generate_series($lo, $hi) AS k
	) AS hashed
	OFFSET 0
) AS rows`;

/** The backup holds the canonical image of every distinct SKU (the non-duplicate rows). */
const IMAGE_BACKUP_SQL = `
INSERT INTO product_images_backup (sku, image_url, updated_at)
SELECT sku, $imageBase || sku || '.jpg', $now::timestamptz
FROM (
	SELECT ${skuSql('$base + k + 1')} AS sku
	FROM generate_series($lo, $hi) AS k
	WHERE ${permSql('$dupMul', '$dupOff')} >= $duplicates
) AS originals
`;
/** Appending may meet SKUs an earlier seeding already backed up. */
const IMAGE_BACKUP_UPSERT = ' ON CONFLICT (sku) DO UPDATE SET image_url = excluded.image_url, updated_at = excluded.updated_at';

export async function seedCatalog(target: SeedTarget, options: SeedCatalogOptions): Promise<CatalogSummary> {
	const started = Date.now();
	const n = requireCount(options.products, 1_000_000_000, 'products');
	const missingImages = rowCount(n, options.missingImagesPct ?? 0, 'missingImagesPct');
	const duplicates = requireCount(options.duplicateSkus ?? 0, Math.floor(n / 2), 'duplicateSkus');
	const orphans = requireCount(options.orphanRows ?? 0, n, 'orphanRows');
	const nonPositive = requireCount(options.nonPositivePrices ?? 0, n, 'nonPositivePrices');
	const random = createPrng(options.seed ?? DEFAULT_SEED);
	const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;

	const truncate = options.truncate ?? true;
	await withLoaders(target, options, async (clients) => {
		const client = clients[0] as ClientBase;
		if (truncate) {
			await client.query('TRUNCATE products, categories, product_images_backup RESTART IDENTITY');
		}
		await client.query(
			`INSERT INTO categories (id, name) SELECT ordinality, name FROM unnest($1::text[]) WITH ORDINALITY AS c(name, ordinality)
			 ON CONFLICT (id) DO NOTHING`,
			[[...CATEGORY_NAMES]],
		);
		await syncSequence(client, 'categories');
		if (n === 0) return;

		const params = {
			n,
			base: await maxId(client, 'products'),
			salt: randomSalt(random),
			now: (options.now ?? new Date()).toISOString(),
			imageBase: PRODUCT_IMAGE_BASE_URL,
			orphanBase: ORPHAN_CATEGORY_BASE,
			categories: CATEGORY_NAMES.length,
			duplicates,
			missingImages,
			orphans,
			nonPositive,
			...permutationParams('dup', randomPermutation(n, random, SPREAD_FRACTIONS[0])),
			...permutationParams('image', randomPermutation(n, random, SPREAD_FRACTIONS[1])),
			...permutationParams('orphan', randomPermutation(n, random, SPREAD_FRACTIONS[2])),
			...permutationParams('price', randomPermutation(n, random, SPREAD_FRACTIONS[3])),
		};
		await runChunks(clients, n, chunkSize, PRODUCTS_SQL, params);
		await runChunks(clients, n, chunkSize, IMAGE_BACKUP_SQL + (truncate ? '' : IMAGE_BACKUP_UPSERT), params);
		await syncSequence(client, 'products');
		await client.query('ANALYZE products, categories, product_images_backup');
	});

	return {
		products: n,
		distinctSkus: n - duplicates,
		missingImages,
		duplicateSkus: duplicates,
		orphanRows: orphans,
		nonPositivePrices: nonPositive,
		categories: CATEGORY_NAMES.length,
		backupImages: n - duplicates,
		durationMs: Date.now() - started,
	};
}

/** Log rows are evenly spaced in time and inserted oldest first (id order = time order). */
const LOGS_SQL = `
INSERT INTO system_logs (id, level, message, context, created_at)
SELECT
	$base + k + 1,
	level,
	CASE level
		WHEN 'error' THEN (ARRAY[
			'WhatsApp send failed: request timed out',
			'Catalog query failed: connection reset by peer',
			'LLM call failed: 429 rate limit exceeded',
			'Payment webhook rejected: invalid signature'])[(1 + h % 4)::int]
		WHEN 'warn' THEN (ARRAY[
			'Slow catalog query',
			'Product without image sent to customer',
			'Retrying WhatsApp message delivery'])[(1 + h % 3)::int]
		ELSE (ARRAY[
			'Message received from customer',
			'Catalog search served',
			'Order confirmation sent',
			'Conversation closed'])[(1 + h % 4)::int]
	END,
	CASE WHEN level = 'info' THEN NULL ELSE jsonb_build_object(
		'source', (ARRAY['whatsapp','catalog','llm','payments'])[(1 + (h >> 3) % 4)::int],
		'requestId', 'req-' || ($base + k + 1),
		'durationMs', (h >> 5) % 30000) END,
	$from::timestamptz + make_interval(secs => k * $stepSeconds::double precision)
FROM (
	SELECT k, h,
		CASE WHEN p < $errors THEN 'error' WHEN p < $errors + $warns THEN 'warn' ELSE 'info' END AS level
	FROM (
		SELECT k, ${ROW_HASH} AS h, ${permSql('$levelMul', '$levelOff')} AS p
		FROM generate_series($lo, $hi) AS k
	) AS hashed
	OFFSET 0
) AS rows`;

export async function seedLogs(target: SeedTarget, options: SeedLogsOptions): Promise<LogsSummary> {
	const started = Date.now();
	const n = requireCount(options.rows, 2_000_000_000, 'rows');
	const days = options.days ?? 7;
	if (!(days > 0)) throw new Error(`days must be positive, got ${days}`);
	const errors = rowCount(n, options.errorPct ?? 5, 'errorPct');
	const warns = rowCount(n, options.warnPct ?? 10, 'warnPct');
	if (errors + warns > n) throw new Error('errorPct + warnPct must not exceed 100');
	const random = createPrng(options.seed ?? DEFAULT_SEED);
	const to = options.now ?? new Date();
	const from = new Date(to.getTime() - days * 24 * 3600 * 1000);
	// Row k sits at from + k·step; the newest row lands one step before `to`.
	const stepSeconds = n === 0 ? 0 : (days * 24 * 3600) / n;

	await withLoaders(target, options, async (clients) => {
		const client = clients[0] as ClientBase;
		if (options.truncate ?? true) await client.query('TRUNCATE system_logs RESTART IDENTITY');
		if (n === 0) return;
		const params = {
			n,
			base: await maxId(client, 'system_logs'),
			salt: randomSalt(random),
			from: from.toISOString(),
			stepSeconds: String(stepSeconds),
			errors,
			warns,
			...permutationParams('level', randomPermutation(n, random, SPREAD_FRACTIONS[4])),
		};
		await runChunks(clients, n, options.chunkSize ?? DEFAULT_CHUNK_SIZE, LOGS_SQL, params);
		await syncSequence(client, 'system_logs');
		await client.query('ANALYZE system_logs');
	});

	return {
		rows: n,
		byLevel: { error: errors, warn: warns, info: n - errors - warns },
		from,
		to,
		durationMs: Date.now() - started,
	};
}

