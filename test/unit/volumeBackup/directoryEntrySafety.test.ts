import { EntrySafetyCheck, normaliseEntryPath } from '../../../nodes/VolumeBackup/directory/entrySafety';
import { compareWithManifest, findUnsafeEntries } from '../../../nodes/VolumeBackup/directory/checkArchive';

function problem(entries: Array<{ path: string; type: string; linkpath?: string }>): Array<string | undefined> {
	const check = new EntrySafetyCheck();
	return entries.map((entry) => check.problem(entry));
}

describe('EntrySafetyCheck', () => {
	test.each([
		['config', 'File'],
		['workflows/', 'Directory'],
		['./nodes/package.json', 'File'],
		['a..b/c..d.json', 'File'],
	])('accepts %s (%s)', (path, type) => {
		expect(problem([{ path, type }])).toEqual([undefined]);
	});

	test.each([
		['../x', 'File', "path contains '..'"],
		['a/../../x', 'File', "path contains '..'"],
		['a\\..\\x', 'File', "path contains '..'"],
		['/etc/passwd', 'File', 'path is absolute'],
		['C:/Windows/x', 'File', 'path is absolute'],
		['fifo', 'FIFO', 'entry type FIFO is not restored'],
		['dev', 'BlockDevice', 'entry type BlockDevice is not restored'],
	])('refuses %s (%s): %s', (path, type, reason) => {
		expect(problem([{ path, type }])).toEqual([reason]);
	});

	test('symlinks must resolve inside the target, relative to their own folder', () => {
		expect(
			problem([
				{ path: 'a/b/link', type: 'SymbolicLink', linkpath: '../../c' },
				{ path: 'a/b/up', type: 'SymbolicLink', linkpath: '../../..' },
				{ path: 'abs', type: 'SymbolicLink', linkpath: '/etc' },
				{ path: 'empty', type: 'SymbolicLink', linkpath: '' },
				{ path: 'dot', type: 'SymbolicLink', linkpath: '.' },
			]),
		).toEqual([
			undefined,
			'symlink points outside the target (../../..)',
			'symlink points to the absolute path /etc',
			'symlink has no target',
			undefined,
		]);
	});

	test('nothing is written through a symlink the archive made earlier, at any depth', () => {
		expect(
			problem([
				{ path: 'dir/link', type: 'SymbolicLink', linkpath: 'real' },
				{ path: 'dir/link/file', type: 'File' },
				{ path: 'dir/link/deeper/file', type: 'File' },
				{ path: 'dir/linked', type: 'File' },
			]),
		).toEqual([undefined, 'path goes through the symlink dir/link', 'path goes through the symlink dir/link', undefined]);
	});

	test('hard links must name a relative path inside the archive', () => {
		expect(
			problem([
				{ path: 'h1', type: 'Link', linkpath: 'config' },
				{ path: 'h2', type: 'Link', linkpath: '../outside' },
				{ path: 'h3', type: 'Link', linkpath: '/etc/shadow' },
				{ path: 'h4', type: 'Link', linkpath: '' },
			]),
		).toEqual([undefined, "hard link target contains '..'", 'hard link target is absolute', 'hard link has no target']);
	});

	test('findUnsafeEntries reports path and reason of each unsafe entry', () => {
		expect(
			findUnsafeEntries([
				{ path: 'ok', type: 'File', size: 1 },
				{ path: '../bad', type: 'File', size: 1 },
			]),
		).toEqual([{ path: '../bad', reason: "path contains '..'" }]);
	});
});

test('normaliseEntryPath strips ./, duplicate and trailing slashes but keeps what checks need', () => {
	expect(normaliseEntryPath('./a//b/')).toBe('a/b');
	expect(normaliseEntryPath('a/./b')).toBe('a/b');
	expect(normaliseEntryPath('/abs/x')).toBe('/abs/x');
	expect(normaliseEntryPath('../x')).toBe('../x');
});

describe('compareWithManifest', () => {
	const manifest = [
		{ path: 'config', type: 'file' as const, size: 10 },
		{ path: 'workflows', type: 'dir' as const, size: 0 },
		{ path: 'link', type: 'symlink' as const, size: 0, linkTarget: 'config' },
	];

	test('an identical listing has no differences (trailing slashes ignored)', () => {
		expect(
			compareWithManifest(manifest, [
				{ path: 'config', type: 'File', size: 10 },
				{ path: 'workflows/', type: 'Directory', size: 0 },
				{ path: 'link', type: 'SymbolicLink', size: 0, linkpath: 'config' },
			]),
		).toEqual({ missing: [], unexpected: [], mismatched: [] });
	});

	test('reports missing, unexpected, and type/size/link differences', () => {
		expect(
			compareWithManifest(manifest, [
				{ path: 'config', type: 'File', size: 11 },
				{ path: 'link', type: 'SymbolicLink', size: 0, linkpath: 'elsewhere' },
				{ path: 'extra', type: 'File', size: 1 },
			]),
		).toEqual({
			missing: ['workflows'],
			unexpected: ['extra'],
			mismatched: [
				{ path: 'config', reason: 'manifest says 10 bytes, archive holds 11' },
				{ path: 'link', reason: 'manifest says link to config, archive has elsewhere' },
			],
		});
		expect(compareWithManifest(manifest.slice(0, 1), [{ path: 'config', type: 'Directory', size: 0 }]).mismatched).toEqual([
			{ path: 'config', reason: 'manifest says file, archive holds Directory' },
		]);
	});
});
