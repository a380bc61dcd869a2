/**
 * README.md stays an entry point (short, with the two commands CI and users rely on), and
 * no relative link in README.md or docs/*.md points at a file that does not exist. The
 * link finder is also shown to catch a broken link, so the check cannot pass by finding
 * no links at all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const README = path.join(ROOT, 'README.md');
const DOCS = path.join(ROOT, 'docs');

const MAX_README_LINES = 130;

/** Link targets of `[text](target)` and `![alt](target)` outside code blocks and inline code. */
function linkTargets(markdown: string): string[] {
	const prose = markdown
		.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
		.replace(/`[^`\n]*`/g, '');
	const targets: string[] = [];
	for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]);
	return targets;
}

/** Relative targets only (no scheme, no pure anchor), without their #anchor or ?query. */
function relativeTargets(markdown: string): string[] {
	return linkTargets(markdown)
		.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'))
		.map((target) => decodeURI(target.replace(/[?#].*$/, '')))
		.filter((target) => target !== '');
}

/** The relative links of one file that point nowhere, as paths relative to `root`. */
function brokenLinks(file: string, root = ROOT): string[] {
	return relativeTargets(fs.readFileSync(file, 'utf8'))
		.map((target) => path.relative(root, path.resolve(path.dirname(file), target)).split(path.sep).join('/'))
		.filter((target) => !fs.existsSync(path.join(root, target)));
}

const docsPages = fs.existsSync(DOCS) ? fs.readdirSync(DOCS).filter((name) => name.endsWith('.md')).sort() : [];

describe('README.md', () => {
	const readme = fs.readFileSync(README, 'utf8');

	test(`is at most ${MAX_README_LINES} lines (the manuals live in docs/)`, () => {
		expect(readme.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(MAX_README_LINES);
	});

	test('keeps the two commands: `npm install && npm start` and `npm test`', () => {
		expect(readme).toContain('npm install && npm start');
		expect(readme).toContain('npm test');
	});

	test('links to the docs index', () => {
		expect(relativeTargets(readme)).toContain('docs/README.md');
	});
});

describe('relative links', () => {
	test('docs/ has pages to check', () => {
		expect(docsPages).toContain('README.md');
	});

	test.each(['README.md', ...docsPages.map((name) => `docs/${name}`)])('%s: every relative link points at an existing file', (file) => {
		expect(brokenLinks(path.join(ROOT, file))).toEqual([]);
	});

	test('the link finder sees links, skips code and URLs, and a missing file is reported', () => {
		const sample = [
			'See [the workflows](docs/workflows.md#monitor) and ![logo](img/logo.png "Logo").',
			'Online: [n8n](https://n8n.io), [mail](mailto:a@b.c), [top](#top).',
			'`[not a link](nowhere.md)`',
			'```md',
			'[not a link either](nowhere-either.md)',
			'```',
		].join('\n');
		expect(relativeTargets(sample)).toEqual(['docs/workflows.md', 'img/logo.png']);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-docs-test-'));
		try {
			fs.mkdirSync(path.join(dir, 'docs'));
			fs.writeFileSync(path.join(dir, 'docs', 'page.md'), '[here](page.md) [up](../README.md) [gone](gone.md)\n');
			fs.writeFileSync(path.join(dir, 'README.md'), '');
			expect(brokenLinks(path.join(dir, 'docs', 'page.md'), dir)).toEqual(['docs/gone.md']);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
