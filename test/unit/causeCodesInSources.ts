/**
 * Every cause code the package's nodes can produce, read from their sources (the source
 * of truth: codes are written where each check sets its cause), so a catalogue that
 * must cover them (rule diagnoses, owner sentences) is checked against one list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_IDS } from '../../nodes/shared/contract';

/** Every quoted dotted cause code in nodes/ (action ids and the catalogues themselves excluded). */
export function causeCodesInSources(): string[] {
	const root = join(__dirname, '../../nodes');
	const catalogues = [join('LlmDiagnose', 'diagnosis'), join('shared', 'alerts', 'ownerSentences.ts')];
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (path.endsWith('.ts') && !catalogues.some((catalogue) => path.includes(catalogue))) files.push(path);
		}
	};
	walk(root);
	const codes = new Set<string>();
	const pattern = /'((?:whatsapp|database|payments|llm|logs|host|backup|net|auth|provider|config)\.[a-z0-9_]+)'/g;
	for (const file of files) {
		for (const match of readFileSync(file, 'utf8').matchAll(pattern)) codes.add(match[1]);
	}
	// Strings of the same shape that are not cause codes (n8n's SQLite file name).
	const NOT_CAUSES = new Set(['database.sqlite']);
	return [...codes].filter((code) => !(ACTION_IDS as readonly string[]).includes(code) && !NOT_CAUSES.has(code)).sort();
}
