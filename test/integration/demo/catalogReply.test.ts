/**
 * The example bot's catalog answer (scripts/workflows/catalogReplySql.ts) on a real Postgres
 * with the seeded catalog: what a customer asks for comes first, only what is for sale is
 * offered, an empty catalog gets its own answer, and the message is only ever a value.
 */
import type { Client } from 'pg';

import { CATALOG_REPLY_PARAMETERS, CATALOG_REPLY_PRODUCTS, CATALOG_REPLY_SQL } from '../../../scripts/workflows/catalogReplySql';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedCatalog } from '../../../dev/stack/seed';

const INTRO = 'Tenemos:';
const OUTRO = '¿Cuál te interesa?';
const EMPTY = 'Ahora no tenemos productos a la venta.';

describe('the example bot answers from the catalog', () => {
	let pg: PostgresHarness;
	let db: Client;

	const reply = async (message: string): Promise<string> => {
		const values = { message, intro: INTRO, closing: OUTRO, emptyReply: EMPTY };
		// As n8n's Postgres node binds a list: each value as it is, in the statement's order.
		const { rows } = await db.query<{ reply: string }>(CATALOG_REPLY_SQL, CATALOG_REPLY_PARAMETERS.map((name) => values[name]));
		expect(rows).toHaveLength(1);
		return rows[0].reply;
	};
	/** The products an answer lists, by name, in order. */
	const listed = (text: string): string[] =>
		text
			.slice(INTRO.length + 1, text.length - OUTRO.length - 2)
			.split(', ')
			.map((entry) => entry.replace(/ \(.*\)$/, ''));

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedCatalog(db, { products: 300, seed: 4 });
	});

	afterAll(async () => {
		await db?.end();
		await pg?.stop();
	});

	test('a product asked for by a plural, lower-case name comes first, with its price', async () => {
		const { rows } = await db.query<{ name: string; price: string; currency: string }>(
			"SELECT name, price, currency FROM products WHERE name LIKE 'Zapatilla % Negra' AND active AND stock > 0 AND price > 0 ORDER BY id LIMIT 1",
		);
		expect(rows).toHaveLength(1);
		const text = await reply('Hola! ¿tienen zapatillas negras?');
		expect(text.startsWith(`${INTRO} `)).toBe(true);
		expect(text.endsWith(`. ${OUTRO}`)).toBe(true);
		const names = listed(text);
		expect(names).toHaveLength(CATALOG_REPLY_PRODUCTS);
		expect(names[0]).toMatch(/^Zapatilla .* Negra$/);
		expect(text).toContain(`${rows[0].name} (${rows[0].currency} ${rows[0].price})`);
	});

	test('a message naming nothing in the catalog still gets products, the first of the catalog', async () => {
		const { rows } = await db.query<{ name: string }>(`SELECT name FROM products WHERE active AND stock > 0 AND price > 0 ORDER BY id LIMIT ${CATALOG_REPLY_PRODUCTS}`);
		expect(listed(await reply('Hola, ¿qué venden?'))).toEqual(rows.map((row) => row.name));
	});

	test('what is not for sale is never offered: inactive, out of stock, without a price', async () => {
		const asked = 'gorra azul';
		const before = listed(await reply(asked));
		expect(before[0]).toMatch(/^Gorra .* Azul$/);
		await db.query("UPDATE products SET stock = 0 WHERE name = $1", [before[0]]);
		await db.query("UPDATE products SET active = false WHERE name = $1", [before[1]]);
		await db.query("UPDATE products SET price = 0 WHERE name = $1", [before[2]]);
		const after = listed(await reply(asked));
		for (const gone of before) expect(after).not.toContain(gone);
	});

	test('a message that looks like SQL or a text-search operator is only a value', async () => {
		for (const message of ["'; DROP TABLE products; --", 'zapatilla & | ! :* <->', '', '¿¡?!', 'a'.repeat(5000)]) {
			expect(await reply(message)).toMatch(new RegExp(`^${INTRO} .+\\. ${OUTRO.replace(/[?¿]/g, '\\$&')}$`));
		}
		const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM products');
		expect(Number(rows[0].n)).toBe(300);
	});

	test('an empty catalog gets its own answer', async () => {
		await db.query('BEGIN');
		try {
			await db.query('DELETE FROM products');
			expect(await reply('zapatillas')).toBe(EMPTY);
		} finally {
			await db.query('ROLLBACK');
		}
	});
});
