/**
 * Which of the package's two languages (en, es) a short text is written in, by a small
 * stop-word count: enough to tell an LLM's English summary from a Spanish one, never a
 * general language detector. Unsure (few words, a mix, ids only) is `null`, and the
 * caller keeps the text: only a clear answer in the other language is acted on.
 */
export type TextLanguage = 'en' | 'es';

/** Frequent function words of each language that the other does not use ("no", "a" left out). */
const STOP_WORDS: Record<TextLanguage, ReadonlySet<string>> = {
	en: new Set('the is are was were be been and of to in it its this that with for on by an or from not has have had can could will should after because when which there their'.split(' ')),
	es: new Set('el la los las es son está están fue ser y de del que en un una unos con por para se su sus al lo como pero puede ha han hay porque cuando sin más este esta ya'.split(' ')),
};

/** At least this many stop words of one language before the text is said to be in it. */
const MIN_HITS = 2;

/** The language of the text, or null when the stop words do not say clearly (at least twice the other's count). */
export function detectLanguage(text: string): TextLanguage | null {
	const words = text.toLowerCase().split(/[^a-záéíóúüñ]+/u).filter((word) => word !== '');
	const hits = { en: 0, es: 0 };
	for (const word of words) {
		if (STOP_WORDS.en.has(word)) hits.en += 1;
		if (STOP_WORDS.es.has(word)) hits.es += 1;
	}
	if (hits.en >= MIN_HITS && hits.en >= 2 * hits.es) return 'en';
	if (hits.es >= MIN_HITS && hits.es >= 2 * hits.en) return 'es';
	return null;
}

/** Whether the text is clearly written in another language than the wanted one (unsure counts as not). */
export function isOtherLanguage(text: string, wanted: TextLanguage): boolean {
	const found = detectLanguage(text);
	return found !== null && found !== wanted;
}
