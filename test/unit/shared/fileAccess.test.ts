/**
 * n8n's file-access rules as our nodes apply them: the variables read as n8n reads them,
 * paths resolved so that no symlink, `..` or name prefix leads outside the allowed
 * folders, n8n's own files kept out (also from a tree that contains them), and no rule
 * at all when the variable is set but empty.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { checkFileAccess, describeRefusal, fileAccessRules, type FileAccessDecision, type FileAccessRules, type PathUse } from '../../../nodes/shared/files/fileAccess';

let root: string;
const at = (...parts: string[]) => path.join(root, ...parts);
/** A path as a user types it: `..` and trailing separators left in (path.join would normalise them away). */
const typed = (relative: string) => `${root}/${relative}`;

beforeEach(() => {
	root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'file-access-')));
	for (const folder of ['data/backups', 'data-evil', 'outside/deep', 'home/.n8n', 'real-allowed']) fs.mkdirSync(at(folder), { recursive: true });
	fs.writeFileSync(at('data/backups/n8n-1.tar.gz'), 'x');
	fs.writeFileSync(at('outside/secret'), 'x');
	fs.symlinkSync(at('outside'), at('data/link-out'));
	fs.symlinkSync(at('outside/deep'), at('data/link-deep'));
	fs.symlinkSync(at('outside/new.tar.gz'), at('data/dangling'));
	fs.symlinkSync(at('home/.n8n'), at('data/link-n8n'));
	fs.symlinkSync(at('real-allowed'), at('alias-allowed'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Rules from an environment holding only these variables (and HOME inside the test folder). */
function rules(variables: Record<string, string>): FileAccessRules {
	return fileAccessRules({ HOME: at('home'), ...variables });
}

async function decide(variables: Record<string, string>, target: string, use: PathUse = 'folder'): Promise<FileAccessDecision> {
	return checkFileAccess(rules(variables), target, use);
}

/** Only the test's `data` folder is allowed. */
const dataOnly = () => ({ N8N_RESTRICT_FILE_ACCESS_TO: at('data') });

describe('reading the variables as n8n does', () => {
	test('not set: only n8n 2.x default ~/.n8n-files; set but empty (or blank): no folder restriction', () => {
		expect(rules({})).toMatchObject({ allowedFolders: [at('home', '.n8n-files')], allowedByDefault: true });
		expect(rules({ N8N_RESTRICT_FILE_ACCESS_TO: '' })).toMatchObject({ allowedFolders: [], allowedByDefault: false });
		expect(rules({ N8N_RESTRICT_FILE_ACCESS_TO: '   ' }).allowedFolders).toEqual([]);
	});

	test('several folders: split on ;, trimmed, empty entries dropped, ~ expanded, quotes around the whole value removed', () => {
		expect(rules({ N8N_RESTRICT_FILE_ACCESS_TO: ` "/srv/a ; ;~/b;/srv/c/" ` }).allowedFolders).toEqual(['/srv/a', at('home', 'b'), '/srv/c']);
	});

	test('the value can come from the file named by N8N_RESTRICT_FILE_ACCESS_TO_FILE; the variable itself wins', () => {
		fs.writeFileSync(at('restrict'), '/srv/from-file\n');
		expect(rules({ N8N_RESTRICT_FILE_ACCESS_TO_FILE: at('restrict') }).allowedFolders).toEqual(['/srv/from-file']);
		expect(rules({ N8N_RESTRICT_FILE_ACCESS_TO_FILE: at('restrict'), N8N_RESTRICT_FILE_ACCESS_TO: '/srv/env' }).allowedFolders).toEqual(['/srv/env']);
	});

	test("n8n's own files: the user folder's .n8n, the static cache and the configured extra paths, unless the block is exactly \"false\"", () => {
		const own = rules({ N8N_USER_FOLDER: '/u', N8N_CONFIG_FILES: '/etc/n8n/a.json,/etc/n8n/b.json', N8N_CUSTOM_EXTENSIONS: '/ext1;/ext2', N8N_BINARY_DATA_STORAGE_PATH: '/bin-data' }).n8nPaths;
		expect(own).toEqual(['/u/.n8n', '/u/.cache/n8n/public', '/etc/n8n/a.json', '/etc/n8n/b.json', '/ext1', '/ext2', '/bin-data']);
		expect(rules({}).n8nPaths[0]).toBe(at('home', '.n8n'));
		expect(rules({ N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'false' }).n8nPaths).toEqual([]);
		expect(rules({ N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'FALSE' }).n8nPaths).not.toEqual([]);
		expect(rules({ N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: '0' }).n8nPaths).not.toEqual([]);
	});
});

describe('a path inside an allowed folder', () => {
	test('the folder itself, a file in it, a folder not created yet: allowed, resolved', async () => {
		expect(await decide(dataOnly(), at('data'))).toEqual({ allowed: true, path: at('data') });
		expect(await decide(dataOnly(), at('data/backups/n8n-1.tar.gz'), 'file')).toEqual({ allowed: true, path: at('data/backups/n8n-1.tar.gz') });
		expect(await decide(dataOnly(), at('data/new/deeper'), 'tree')).toEqual({ allowed: true, path: at('data/new/deeper') });
	});

	test('trailing separators on the folder or the path change nothing', async () => {
		const trailing = { N8N_RESTRICT_FILE_ACCESS_TO: `${at('data')}/` };
		expect(await decide(trailing, at('data/backups'))).toMatchObject({ allowed: true });
		expect(await decide(trailing, typed('data/backups/'))).toMatchObject({ allowed: true });
		expect(await decide(trailing, typed('data/'))).toMatchObject({ allowed: true });
		expect(await decide(trailing, typed('data-evil/'))).toMatchObject({ allowed: false });
	});

	test('.. that stays inside is allowed and resolved away', async () => {
		expect(await decide(dataOnly(), typed('data/backups/../new'))).toEqual({ allowed: true, path: at('data/new') });
	});

	test('several folders: a path in any of them is allowed', async () => {
		const several = { N8N_RESTRICT_FILE_ACCESS_TO: `${at('elsewhere')};${at('data')}` };
		expect(await decide(several, at('data/backups'))).toMatchObject({ allowed: true });
	});

	test('an allowed folder named through a symlink also allows its real location', async () => {
		const alias = { N8N_RESTRICT_FILE_ACCESS_TO: at('alias-allowed') };
		expect(await decide(alias, at('real-allowed/backups'))).toEqual({ allowed: true, path: at('real-allowed/backups') });
		expect(await decide(alias, at('alias-allowed/backups'))).toEqual({ allowed: true, path: at('real-allowed/backups') });
	});

	test('/ allows everything (n8n itself would only allow / itself)', async () => {
		expect(await decide({ N8N_RESTRICT_FILE_ACCESS_TO: '/' }, at('outside/deep'))).toMatchObject({ allowed: true });
	});
});

describe('a path that would leave the allowed folders is refused', () => {
	test.each([
		['a name that only starts like the folder', 'data-evil/backups'],
		['.. climbing out', 'data/../outside'],
		['.. climbing out of a folder that does not exist yet', 'data/missing/../../outside'],
		['a symlink to a folder outside', 'data/link-out'],
		['a file beneath such a symlink', 'data/link-out/secret'],
		['.. applied after a symlink, as the kernel does (lexically it would be data/x)', 'data/link-deep/../x'],
		['a dangling symlink (writing it would create its target outside)', 'data/dangling'],
	])('%s', async (_what, relative) => {
		const decision = await decide(dataOnly(), typed(relative), 'file');
		expect(decision).toMatchObject({ allowed: false, reason: 'outside_allowed_folders' });
	});

	test('the refusal names the path, where it really leads, every allowed folder and the variable', async () => {
		const several = { N8N_RESTRICT_FILE_ACCESS_TO: `${at('data')};${at('elsewhere')}` };
		const decision = await decide(several, at('data/link-out/secret'));
		if (decision.allowed) throw new Error('expected a refusal');
		expect(describeRefusal(decision)).toBe(
			`${at('data/link-out/secret')} (really ${at('outside/secret')}) is outside the folders n8n lets nodes use: ${at('data')}, ${at('elsewhere')} (set by N8N_RESTRICT_FILE_ACCESS_TO)`,
		);
	});

	test('with the variable not set, the refusal says n8n default applies', async () => {
		const decision = await decide({}, at('data'));
		if (decision.allowed) throw new Error('expected a refusal');
		expect(describeRefusal(decision)).toBe(
			`${at('data')} is outside the folders n8n lets nodes use: ${at('home/.n8n-files')} (N8N_RESTRICT_FILE_ACCESS_TO is not set, so n8n's default ~/.n8n-files applies)`,
		);
	});

	test('a symlink loop is an error, never a pass', async () => {
		fs.symlinkSync(at('data/loop-b'), at('data/loop-a'));
		fs.symlinkSync(at('data/loop-a'), at('data/loop-b'));
		await expect(decide(dataOnly(), at('data/loop-a/x'))).rejects.toThrow();
	});
});

describe("n8n's own files", () => {
	const inHome = () => ({ N8N_RESTRICT_FILE_ACCESS_TO: root });

	test('a path inside the n8n folder, directly or through a symlink, is refused even inside an allowed folder', async () => {
		expect(await decide(inHome(), at('home/.n8n'), 'tree')).toMatchObject({ allowed: false, reason: 'n8n_files' });
		expect(await decide(inHome(), at('home/.n8n/database.sqlite'), 'file')).toMatchObject({ allowed: false, reason: 'n8n_files' });
		expect(await decide(inHome(), at('data/link-n8n'), 'folder')).toMatchObject({ allowed: false, reason: 'n8n_files' });
	});

	test('a tree that contains the n8n folder is refused; the same folder used only for its own files is not', async () => {
		const tree = await decide(inHome(), at('home'), 'tree');
		if (tree.allowed) throw new Error('expected a refusal');
		expect(describeRefusal(tree)).toBe(`${at('home')} contains n8n's own files (${at('home/.n8n')}), which n8n keeps nodes away from unless N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false`);
		expect(await decide(inHome(), at('home'), 'folder')).toMatchObject({ allowed: true });
	});

	test('N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false lets a backup read the n8n folder (the allowed folders still apply)', async () => {
		expect(await decide({ ...inHome(), N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'false' }, at('home/.n8n'), 'tree')).toEqual({ allowed: true, path: at('home/.n8n') });
		expect(await decide({ ...dataOnly(), N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'false' }, at('home/.n8n'), 'tree')).toMatchObject({ allowed: false, reason: 'outside_allowed_folders' });
	});
});

describe('no rule in force', () => {
	test('an empty variable and the n8n-files block off: any path, used exactly as given (not resolved)', async () => {
		const none = { N8N_RESTRICT_FILE_ACCESS_TO: '', N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'false' };
		expect(await decide(none, at('data/link-out/secret'), 'file')).toEqual({ allowed: true, path: at('data/link-out/secret') });
		expect(await decide(none, at('home/.n8n'), 'tree')).toEqual({ allowed: true, path: at('home/.n8n') });
	});

	test('an empty variable with the block on: anywhere but the n8n folder', async () => {
		expect(await decide({ N8N_RESTRICT_FILE_ACCESS_TO: '' }, at('outside/deep'), 'tree')).toEqual({ allowed: true, path: at('outside/deep') });
		expect(await decide({ N8N_RESTRICT_FILE_ACCESS_TO: '' }, at('home/.n8n/config'), 'file')).toMatchObject({ allowed: false, reason: 'n8n_files' });
	});
});
