/**
 * The file-access rules n8n gives its own file nodes, for the paths our nodes read, write
 * and delete. Mirrors n8n-core's `isFilePathBlocked`, `resolvePath` and the settings
 * behind them, identical in n8n 2.8.4 and 2.41.1 (docs/configuration.md#file-access):
 *
 * - `N8N_RESTRICT_FILE_ACCESS_TO`: folders separated by `;`, each trimmed, a leading `~`
 *   replaced by the home folder. Set but empty: no restriction. Not set at all: n8n 2.x's
 *   default, `~/.n8n-files`. Also read from the file named by `..._FILE`, like n8n.
 * - `N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES`: unless exactly `false`, n8n's own files are off
 *   limits: `<N8N_USER_FOLDER or HOME>/.n8n`, its static cache, and the folders or files in
 *   N8N_CONFIG_FILES, N8N_CUSTOM_EXTENSIONS, N8N_BINARY_DATA_STORAGE_PATH and the two
 *   N8N_UM_EMAIL_TEMPLATES_* variables.
 * - A path is inside a folder when, resolved, it is the folder or starts with the folder
 *   and a separator (`/data-evil` is not inside `/data`).
 *
 * n8n's helpers check one file. A folder operation reads or writes a whole tree, so a tree
 * that merely contains n8n's files (a backup of `/home/node`, which holds `.n8n`) is refused
 * too. Paths are resolved as the kernel would follow them (symlinks, `..`, a dangling
 * symlink's target, missing tail folders), so no path reaches outside through a link.
 * Where we differ from n8n it is to honour what the admin wrote: an allowed folder given
 * through a symlink also allows its real location, `/` allows everything, and empty list
 * entries are ignored (n8n would resolve them to its working folder).
 * Not mirrored: N8N_BLOCK_FILE_PATTERNS (regexes n8n applies to single file paths).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { configuredValue, n8nFolder } from '../n8nEnv';

export const RESTRICT_VARIABLE = 'N8N_RESTRICT_FILE_ACCESS_TO';
export const BLOCK_N8N_FILES_VARIABLE = 'N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES';
/** n8n 2.x's value when N8N_RESTRICT_FILE_ACCESS_TO is not set (@n8n/config SecurityConfig). */
export const DEFAULT_ALLOWED_FOLDERS = '~/.n8n-files';
/** As Linux's limit on symlinks followed in one lookup. */
const MAX_LINK_HOPS = 40;

export interface FileAccessRules {
	/** Folders every path must stay inside (`~` expanded, absolute); empty: anywhere. */
	allowedFolders: string[];
	/** True when the allowed folders are n8n's default because the variable is not set. */
	allowedByDefault: boolean;
	/** n8n's own files and folders, off limits; empty when N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false. */
	n8nPaths: string[];
}

/**
 * How an operation uses a path: `file` reads or writes that file; `folder` creates, reads
 * or deletes files directly in it; `tree` reads or writes everything beneath it.
 */
export type PathUse = 'file' | 'folder' | 'tree';

export type FileAccessDecision =
	| { allowed: true; path: string }
	| { allowed: false; path: string; resolved: string; reason: 'outside_allowed_folders'; rules: FileAccessRules }
	| { allowed: false; path: string; resolved: string; reason: 'n8n_files'; n8nPath: string };

function listed(value: string | undefined, separator: string): string[] {
	return (value ?? '').split(separator).map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function single(value: string | undefined): string[] {
	return value ? [value] : [];
}

/** n8n's own files, as n8n-core's getN8nRestrictedPaths lists them. */
function n8nOwnPaths(env: NodeJS.ProcessEnv): string[] {
	const own = n8nFolder(env);
	return [
		own,
		path.join(path.dirname(own), '.cache/n8n/public'),
		...listed(env.N8N_CONFIG_FILES, ','),
		...listed(env.N8N_CUSTOM_EXTENSIONS, ';'),
		...single(env.N8N_BINARY_DATA_STORAGE_PATH),
		...single(env.N8N_UM_EMAIL_TEMPLATES_INVITE),
		...single(env.N8N_UM_EMAIL_TEMPLATES_PWRESET),
	].map((entry) => path.resolve(entry));
}

/** The rules in force for this process (n8n's environment). */
export function fileAccessRules(env: NodeJS.ProcessEnv = process.env): FileAccessRules {
	const configured = configuredValue(env, RESTRICT_VARIABLE);
	const home = env.HOME ?? os.homedir();
	const allowedFolders = listed(configured ?? DEFAULT_ALLOWED_FOLDERS, ';')
		.map((folder) => (folder.startsWith('~') ? folder.replace('~', home) : folder))
		.map((folder) => path.resolve(folder));
	return {
		allowedFolders,
		allowedByDefault: configured === undefined,
		n8nPaths: env[BLOCK_N8N_FILES_VARIABLE] === 'false' ? [] : n8nOwnPaths(env),
	};
}

/** `child` is `parent` or beneath it; both absolute and resolved. */
export function isInside(parent: string, child: string): boolean {
	const folder = path.resolve(parent);
	const candidate = path.resolve(child);
	return candidate === folder || candidate.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

function isMissing(error: unknown): boolean {
	const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
	return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Where an absolute path really leads: symlinks followed (also a dangling one, to the
 * file it would create), `..` applied after them as the kernel does, missing folders kept.
 */
export async function resolveReal(target: string, hops = 0): Promise<string> {
	try {
		return await fs.realpath(target);
	} catch (error) {
		if (!isMissing(error)) throw error;
	}
	const parentPath = path.dirname(target);
	if (parentPath === target) return target;
	const parent = await resolveReal(parentPath, hops);
	const full = path.join(parent, path.basename(target));
	const link = await fs.readlink(full).catch(() => undefined);
	if (link === undefined) return full;
	if (hops >= MAX_LINK_HOPS) throw Object.assign(new Error(`too many symbolic links in ${target}`), { code: 'ELOOP' });
	return resolveReal(path.resolve(parent, link), hops + 1);
}

/** A folder as written and where it really is (an admin may name a symlink). */
async function bothForms(folder: string): Promise<string[]> {
	const real = await resolveReal(folder).catch(() => folder);
	return real === folder ? [folder] : [folder, real];
}

/** Whether the rules let an operation use `target` (absolute) as `use` says; when they do, the resolved path to use. */
export async function checkFileAccess(rules: FileAccessRules, target: string, use: PathUse): Promise<FileAccessDecision> {
	// No rule in force: the path is used as given, as before these rules existed.
	if (rules.allowedFolders.length === 0 && rules.n8nPaths.length === 0) return { allowed: true, path: target };
	// Not path.resolve first: `..` after a symlink leads where the kernel says, not lexically.
	const resolved = await resolveReal(target);
	for (const n8nPath of rules.n8nPaths) {
		for (const form of await bothForms(n8nPath)) {
			if (isInside(form, resolved) || (use === 'tree' && isInside(resolved, form))) {
				return { allowed: false, path: target, resolved, reason: 'n8n_files', n8nPath: form };
			}
		}
	}
	if (rules.allowedFolders.length === 0) return { allowed: true, path: resolved };
	for (const folder of rules.allowedFolders) {
		for (const form of await bothForms(folder)) {
			if (isInside(form, resolved)) return { allowed: true, path: resolved };
		}
	}
	return { allowed: false, path: target, resolved, reason: 'outside_allowed_folders', rules };
}

/** One sentence for a refused path: what it is, which rule, and how an admin changes it. */
export function describeRefusal(decision: Exclude<FileAccessDecision, { allowed: true }>): string {
	const shown = decision.resolved === path.resolve(decision.path) ? decision.path : `${decision.path} (really ${decision.resolved})`;
	if (decision.reason === 'n8n_files') {
		const relation = isInside(decision.n8nPath, decision.resolved) ? 'is inside' : 'contains';
		return `${shown} ${relation} n8n's own files (${decision.n8nPath}), which n8n keeps nodes away from unless ${BLOCK_N8N_FILES_VARIABLE}=false`;
	}
	const { allowedFolders, allowedByDefault } = decision.rules;
	const source = allowedByDefault ? `${RESTRICT_VARIABLE} is not set, so n8n's default ${DEFAULT_ALLOWED_FOLDERS} applies` : `set by ${RESTRICT_VARIABLE}`;
	return `${shown} is outside the folders n8n lets nodes use: ${allowedFolders.join(', ')} (${source})`;
}
