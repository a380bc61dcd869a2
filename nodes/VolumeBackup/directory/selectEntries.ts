/**
 * Walks the source directory (never following symlinks) and lists, in archive order,
 * the relative paths to store: a directory before its contents, names sorted so two
 * runs over the same tree produce the same archive order. Symlinks pointing outside the
 * source are left out and reported: Restore refuses such links, so storing them would
 * make a backup its own restore rejects.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

import { minimatch } from 'minimatch';

import { EntrySafetyCheck } from './entrySafety';

interface SelectionRules {
	include: string[];
	exclude: string[];
	/** Relative paths left out whatever the globs say (live SQLite files, the backup folder). */
	skip: Set<string>;
	/** Told after every directory listed (progress for a stall guard). */
	onProgress?: () => void;
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

interface Selection {
	/** Relative `/` paths to archive, a directory before its contents. */
	paths: string[];
	/** Symlinks left out because they point outside the source (a restore would refuse them). */
	skippedLinks: Array<{ path: string; target: string }>;
}

/** A link target that, resolved from the link's folder, stays inside the source. */
function linkStaysInside(relativeLink: string, target: string): boolean {
	const check = new EntrySafetyCheck();
	return check.problem({ path: relativeLink, type: 'SymbolicLink', linkpath: target }) === undefined;
}

export async function selectEntries(sourceDir: string, rules: SelectionRules): Promise<Selection> {
	const skippedLinks: Selection['skippedLinks'] = [];
	const walk = async (relativeDir: string): Promise<string[]> => {
		const absolute = relativeDir === '' ? sourceDir : path.join(sourceDir, relativeDir);
		const children = (await fs.readdir(absolute, { withFileTypes: true })).filter(storable);
		rules.onProgress?.();
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
				if (child.isSymbolicLink()) {
					const target = await fs.readlink(path.join(absolute, child.name));
					if (!linkStaysInside(relative, target)) {
						skippedLinks.push({ path: relative, target });
						continue;
					}
				}
				selected.push(relative);
			}
		}
		return selected;
	};
	const paths = await walk('');
	return { paths, skippedLinks };
}
