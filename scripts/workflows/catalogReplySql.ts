/**
 * The example bot's answer from the catalog (Demo: Sales Bot): one parameterised statement
 * for n8n's own Postgres node, so the workflow holds no logic. It lists up to three products
 * that are active, in stock and priced, those whose names share the most words with the
 * customer's message first (Spanish stemming: "zapatillas negras" finds "Zapatilla Urbana
 * Negra"), else the first ones of the catalog; an empty catalog gets its own answer.
 *
 * Parameters, in the order of CATALOG_REPLY_PARAMETERS: $1 the customer's message, $2 the
 * text before the list, $3 the text after it, $4 the answer when nothing is for sale. The
 * message is only ever a bound value (n8n's Postgres node is given them as a list, which it
 * binds as they are; a text would be split at its commas).
 */

/** How many products one answer lists (a WhatsApp message a person reads on a phone). */
export const CATALOG_REPLY_PRODUCTS = 3;

/** What $1…$4 are. */
export const CATALOG_REPLY_PARAMETERS = ['message', 'intro', 'closing', 'emptyReply'] as const;

export const CATALOG_REPLY_SQL = `WITH asked AS (
	SELECT plainto_tsquery('spanish', word) AS query
	FROM regexp_split_to_table(coalesce($1::text, ''), '[[:space:][:punct:]¿¡]+') AS word
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
SELECT CASE WHEN count(*) = 0 THEN $4::text
	ELSE $2::text || ' ' || string_agg(name || ' (' || coalesce(currency, '') || ' ' || price || ')', ', ' ORDER BY matches DESC, id) || '. ' || $3::text
	END AS reply
FROM chosen`;
