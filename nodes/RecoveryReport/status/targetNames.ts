/**
 * The names an owner gives the targets on the status page ("evolution:ventas = WhatsApp
 * de ventas"): one `target = name` per line, blank lines and `#` comments ignored. A
 * target without a name is shown by its id, as before.
 */
import { StatusParameterError } from './errors';

export type TargetNames = Readonly<Record<string, string>>;

const MAX_NAME_CHARS = 80;

export function parseTargetNames(text: string): TargetNames {
	const names: Record<string, string> = {};
	text.split(/\r?\n/).forEach((raw, index) => {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) return;
		const at = line.indexOf('=');
		const target = at < 0 ? '' : line.slice(0, at).trim();
		const name = at < 0 ? '' : line.slice(at + 1).trim();
		if (!target || !name) {
			throw new StatusParameterError('targetNames', `line ${index + 1} must read "target = name" (e.g. "evolution:ventas = WhatsApp de ventas"), got ${JSON.stringify(line.slice(0, 60))}`);
		}
		if (name.length > MAX_NAME_CHARS) throw new StatusParameterError('targetNames', `line ${index + 1}: the name of "${target}" is longer than ${MAX_NAME_CHARS} characters`);
		if (Object.prototype.hasOwnProperty.call(names, target)) throw new StatusParameterError('targetNames', `line ${index + 1}: "${target}" is named twice`);
		names[target] = name;
	});
	return names;
}

/** What the page shows for `target`. */
export function targetName(target: string, names: TargetNames | undefined): string {
	return names && Object.prototype.hasOwnProperty.call(names, target) ? names[target] : target;
}
