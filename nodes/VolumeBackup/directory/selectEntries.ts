/**
 * Walks the source directory (never following symlinks) and lists, in archive order,
 * the relative paths to store: a directory before its contents, names sorted so two
 * runs over the same tree produce the same archive order.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

import { minimatch } from 'minimatch';

export interface SelectionRules {
	include: string[];
	exclude: string[];
	/** Relative paths left out whatever the globs say (live SQLite files, the backup folder). */
	skip: Set<string>;
}

const GLOB_OPTIONS = { dot: true };

function matchesAny(relative: string, patterns: string[]): boolean {
	return patterns.some((pattern) => minimatch(relative, pattern, GLOB_OPTIONS));
}

function excluded(relative: string, isDirectory: boolean, rules: SelectionRules): boolean {
	if (rules.skip.has(relative)) return true;
	// `cache/**` should also drop the `cache` folder itself, and `cache/` name a folder.
	return matchesAny(relative, rules.exclude) || (isDirectory && matchesAny(`${relative}/`, rules.exclude));
}

function included(relative: string, rules: SelectionRules): boolean {
	return rules.include.length === 0 || matchesAny(relative, rules.include);
}

/** Regular files, directories and symlinks only: sockets, FIFOs and devices are not backed up. */
function storable(entry: Dirent): boolean {
	return entry.isFile() || entry.isDirectory() || entry.isSymbolicLink();
}

/** Relative `/` paths to archive, a directory before its contents. */
export async function selectEntries(sourceDir: string, rules: SelectionRules): Promise<string[]> {
	const walk = async (relativeDir: string): Promise<string[]> => {
		const absolute = relativeDir === '' ? sourceDir : path.join(sourceDir, relativeDir);
		const children = (await fs.readdir(absolute, { withFileTypes: true })).filter(storable);
		children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		const selected: string[] = [];
		for (const child of children) {
			const relative = relativeDir === '' ? child.name : `${relativeDir}/${child.name}`;
			const isDirectory = child.isDirectory();
			if (excluded(relative, isDirectory, rules)) continue;
			if (isDirectory) {
				const inside = await walk(relative);
				// A directory is stored when it matches or holds something that does.
				if (inside.length > 0 || included(relative, rules)) {
					selected.push(relative);
					for (const item of inside) selected.push(item); // no spread: trees can be huge
				}
			} else if (included(relative, rules)) {
				selected.push(relative);
			}
		}
		return selected;
	};
	return walk('');
}
