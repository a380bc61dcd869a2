// The static half of the build, the same as `n8n-node build` (@n8n/node-cli 0.48.3,
// copyStaticFiles): every PNG/SVG icon and __schema__ JSON outside dist/ and node_modules/,
// at the same path under dist/. Codex files (X.node.json) are not copied here: tsconfig.json
// lists them, so tsc writes them in both builds. test/unit/layout/build.test.ts keeps this equal
// to n8n-node build's copy.
const { src, dest } = require('gulp');

/** Globs relative to the repository root, as n8n-node build passes them to fast-glob (dot folders never match). */
const STATIC_FILES = ['**/*.{png,svg}', '**/__schema__/**/*.json'];
const NOT_SOURCES = ['dist/**', 'node_modules/**'];

function copyStaticFiles(outDir = 'dist') {
	return src(STATIC_FILES, { cwd: __dirname, ignore: NOT_SOURCES, base: __dirname, encoding: false }).pipe(dest(outDir, { cwd: __dirname }));
}

exports.STATIC_FILES = STATIC_FILES;
exports.copyStaticFiles = copyStaticFiles;
exports['build:static'] = () => copyStaticFiles();
