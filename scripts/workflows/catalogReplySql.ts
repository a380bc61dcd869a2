/**
 * The example bot's answer from the catalog (Demo: Sales Bot): one parameterised statement
 * for n8n's own Postgres node, so the workflow holds no logic. It lists up to three products
 * that are active, in stock and priced, those whose names share the most words with the
 * customer's message first (Spanish stemming: "zapatillas negras" finds "Zapatilla Urbana
 * Negra"), else the first ones of the catalog; an empty catalog gets its own answer.
 *
 * One parameter, $1: a JSON object with the fields of CATALOG_QUESTION_FIELDS (n8n's Postgres
 * node passes an object as one JSON value; text would be split at its commas). The message is
 * only ever a bound value.
 */

/** How many products one answer lists (a WhatsApp message a person reads on a phone). */
export const CATALOG_REPLY_PRODUCTS = 3;

/** The question's fields: the customer's message, the text before and after the list, the answer when nothing is for sale. */
export const CATALOG_QUESTION_FIELDS = ['message', 'intro', 'closing', 'emptyReply'] as const;
export type CatalogQuestion = Record<(typeof CATALOG_QUESTION_FIELDS)[number], string>;

export const CATALOG_REPLY_SQL = `WITH question AS (
	SELECT $1::jsonb AS q
),
asked AS (
	SELECT plainto_tsquery('spanish', word) AS query
	FROM question, regexp_split_to_table(coalesce(q ->> 'message', ''), '[[:space:][:punct:]¿¡]+') AS word
	WHERE length(word) >= 3
),
available AS (
	SELECT p.id, p.name, p.price, p.currency,
		(SELECT count(*) FROM asked WHERE to_tsvector('spanish', p.name) @@ asked.query) AS matches
	FROM products p
	WHERE p.active AND coalesce(p.stock, 0) > 0 AND p.price > 0
),
chosen AS (
	SELECT * FROM available ORDER BY matches DESC, id LIMIT ${CATALOG_REPLY_PRODUCTS}
)
SELECT CASE WHEN count(chosen.id) = 0 THEN min(q ->> 'emptyReply')
	ELSE min(q ->> 'intro') || ' ' || string_agg(name || ' (' || coalesce(currency, '') || ' ' || price || ')', ', ' ORDER BY matches DESC, id) || '. ' || min(q ->> 'closing')
	END AS reply
FROM question LEFT JOIN chosen ON true`;
