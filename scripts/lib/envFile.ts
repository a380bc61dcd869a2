/**
 * A strict `.env` reader: KEY=value lines, comments, optional `export` and quotes.
 * A malformed line is an error that names the line, not a silently ignored setting.
 */
import fs from 'node:fs';

export class EnvFileError extends Error {}

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

function unquote(raw: string, lineNo: number, file: string): string {
	const value = raw.trim();
	if (value.startsWith('"') || value.startsWith("'")) {
		const quote = value[0];
		const end = value.indexOf(quote, 1);
		if (end === -1) throw new EnvFileError(`${file} line ${lineNo}: the value opens a ${quote} quote that never closes`);
		const rest = value.slice(end + 1).trim();
		if (rest !== '' && !rest.startsWith('#')) {
			throw new EnvFileError(`${file} line ${lineNo}: unexpected text after the quoted value: ${rest}`);
		}
		const inner = value.slice(1, end);
		return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
	}
	// An unquoted value ends at an inline comment.
	return value.replace(/\s+#.*$/, '');
}

export function parseEnv(text: string, file = '.env'): Record<string, string> {
	const result: Record<string, string> = {};
	text.split(/\r?\n/).forEach((line, index) => {
		const lineNo = index + 1;
		const trimmed = line.trim();
		if (trimmed === '' || trimmed.startsWith('#')) return;
		const match = LINE.exec(trimmed);
		if (!match) {
			throw new EnvFileError(`${file} line ${lineNo}: expected KEY=value, got: ${trimmed.slice(0, 60)}`);
		}
		const [, key, raw] = match;
		if (key in result) throw new EnvFileError(`${file} line ${lineNo}: ${key} is set twice`);
		result[key] = unquote(raw, lineNo, file);
	});
	return result;
}

export function readEnvFile(path: string): Record<string, string> {
	if (!fs.existsSync(path)) return {};
	return parseEnv(fs.readFileSync(path, 'utf8'), path);
}

/** Keys the example documents; anything else in `.env` is probably a typo. */
export function documentedKeys(examplePath: string): Set<string> {
	const keys = new Set<string>();
	if (!fs.existsSync(examplePath)) return keys;
	for (const line of fs.readFileSync(examplePath, 'utf8').split(/\r?\n/)) {
		const match = /^#?\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=/.exec(line.trim());
		if (match) keys.add(match[1]);
	}
	return keys;
}
