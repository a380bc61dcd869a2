/**
 * Product code never reaches into test/: the package (nodes, credentials), the npm
 * scripts, the demo's emulated stack (dev/) and the benchmarks may be imported by the
 * tests, never the other way round. The check is also shown to catch every import form.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TEST_DIR = path.join(ROOT, 'test');
const PRODUCT_DIRS = ['nodes', 'credentials', 'scripts', 'dev', 'bench'];
const SOURCE = /\.(ts|js|mjs|cjs)$/;

/** The module specifiers of a source text: import/export … from, side-effect import, import(), require(). */
function moduleSpecifiers(source: string): string[] {
	const pattern = /\b(?:from|import|require)\s*\(?\s*(['"`])([^'"`\n]+)\1/g;
	return [...source.matchAll(pattern)].map((match) => match[2]);
}

/** The specifiers of `file` (a path in the repository) that resolve into test/. */
function importsIntoTest(file: string, source: string): string[] {
	return moduleSpecifiers(source).filter((specifier) => {
		if (!specifier.startsWith('.') && !path.isAbsolute(specifier)) return false; // a package
		const target = path.resolve(path.dirname(file), specifier);
		return target === TEST_DIR || target.startsWith(TEST_DIR + path.sep);
	});
}

function sourceFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
		return SOURCE.test(entry.name) ? [full] : [];
	});
}

describe('product code does not import from test/', () => {
	test.each(PRODUCT_DIRS)('%s/ holds source files (so the check below is not vacuous)', (dir) => {
		expect(sourceFiles(path.join(ROOT, dir)).length).toBeGreaterThan(0);
	});

	test('no file under nodes/, credentials/, scripts/, dev/ or bench/ imports or requires anything under test/', () => {
		const offenders = PRODUCT_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir))).flatMap((file) =>
			importsIntoTest(file, fs.readFileSync(file, 'utf8')).map((specifier) => `${path.relative(ROOT, file)} imports '${specifier}'`),
		);
		expect(offenders).toEqual([]);
	});

	test('the check catches every import form, and only imports that land in test/', () => {
		const file = path.join(ROOT, 'scripts', 'lib', 'example.ts');
		const source = [
			"import { startPostgres } from '../../test/harness/postgres';",
			"import type { Emulator } from \"../../test/emulators/core/emulator\";",
			"export * from '../../test';",
			"import '../../test/setup';",
			"const helper = require('../../test/helper');",
			"const later = await import('../../test/later');",
			"import { freePort } from '../ports';",
			"import { STACK } from '../../dev/emulators/stack';",
			"import { testing } from '../../tests/elsewhere';",
			"import { Client } from 'pg';",
		].join('\n');
		expect(importsIntoTest(file, source)).toEqual([
			'../../test/harness/postgres',
			'../../test/emulators/core/emulator',
			'../../test',
			'../../test/setup',
			'../../test/helper',
			'../../test/later',
		]);
	});
});
