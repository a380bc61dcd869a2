/**
 * Decides whether an archive entry may be written under a restore target: its path must
 * be relative without `..`, symlinks must point inside the target, hard links must name
 * another safe path, and nothing may be written through a symlink the archive itself
 * created (the classic "link then write into it" escape). Pure string logic, so verify
 * and restore judge an archive the same way before a single byte is written.
 */
import path from 'node:path';

/** Entry types we ever write; devices, FIFOs and the like are refused. */
const WRITABLE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

interface EntryFacts {
	path: string;
	type: string;
	linkpath?: string;
}

/** `./a//b/` → `a/b`; keeps `..` and leading `/` so the checks below can see them. */
export function normaliseEntryPath(entryPath: string): string {
	const trimmed = entryPath.replace(/\\/g, '/').replace(/\/+$/, '');
	const parts = trimmed.split('/').filter((part, i) => part !== '' || i === 0);
	const withoutDots = parts.filter((part) => part !== '.');
	return withoutDots.join('/');
}

function relativePathProblem(entryPath: string, what: string): string | undefined {
	const unified = entryPath.replace(/\\/g, '/');
	if (unified === '' || unified === '.' || unified === './') return undefined;
	if (unified.startsWith('/') || /^[a-zA-Z]:/.test(unified)) return `${what} is absolute`;
	if (unified.split('/').includes('..')) return `${what} contains '..'`;
	if (unified.includes('\0')) return `${what} contains a NUL byte`;
	return undefined;
}

/**
 * Checks entries in archive order; returns a reason for each unsafe one. `links` carries
 * the symlinks seen so far, so later entries cannot be written through them.
 */
export class EntrySafetyCheck {
	private readonly symlinks = new Set<string>();

	problem(entry: EntryFacts): string | undefined {
		if (!WRITABLE_TYPES.has(entry.type)) return `entry type ${entry.type} is not restored`;
		const pathProblem = relativePathProblem(entry.path, 'path');
		if (pathProblem) return pathProblem;
		const normalised = normaliseEntryPath(entry.path);
		const parts = normalised.split('/');
		for (let i = 1; i < parts.length; i++) {
			const parent = parts.slice(0, i).join('/');
			if (this.symlinks.has(parent)) return `path goes through the symlink ${parent}`;
		}
		if (entry.type === 'SymbolicLink') {
			const target = entry.linkpath ?? '';
			if (target === '') return 'symlink has no target';
			if (target.startsWith('/') || /^[a-zA-Z]:/.test(target)) return `symlink points to the absolute path ${target}`;
			// Resolve lexically against a virtual root: anything leaving it leaves the target.
			const root = '/restore-root';
			const resolved = path.posix.resolve(root, path.posix.dirname(normalised), target);
			if (resolved !== root && !resolved.startsWith(`${root}/`)) return `symlink points outside the target (${target})`;
			this.symlinks.add(normalised);
		}
		if (entry.type === 'Link') {
			const linkProblem = relativePathProblem(entry.linkpath ?? '', 'hard link target');
			if (linkProblem) return linkProblem;
			if ((entry.linkpath ?? '') === '') return 'hard link has no target';
		}
		return undefined;
	}
}
