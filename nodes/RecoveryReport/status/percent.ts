/** A 0..1 ratio as a percentage people read: at most 2 decimals, no trailing zeros, the language's decimal mark. */
import type { Language } from '../../shared/alerts/phrases';

export function formatPercent(ratio: number, language: Language): string {
	const value = String(Math.round(ratio * 10_000) / 100);
	return `${language === 'es' ? value.replace('.', ',') : value} %`;
}
