import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BUILD_MARKER, staleBuildReason } from '../../../scripts/lib/distFreshness';

describe('staleBuildReason: e2e never runs compiled code older than its sources', () => {
	let root: string;
	const at = (file: string, seconds: number): void => {
		const full = path.join(root, file);
		fs.mkdirSync(path.dirname(full), { recursive: true });
		if (!fs.existsSync(full)) fs.writeFileSync(full, '');
		fs.utimesSync(full, seconds, seconds);
	};

	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-freshness-'));
		at('nodes/HostResources/HostResources.node.ts', 1_000);
		at('credentials/Groq.credentials.ts', 1_000);
		at('package.json', 1_000);
		for (const dir of ['nodes/HostResources', 'nodes', 'credentials']) fs.utimesSync(path.join(root, dir), 1_000, 1_000);
	});
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	test('no build yet', () => {
		expect(staleBuildReason(root)).toBe('dist/ has not been built');
	});

	test('a build newer than every source is current', () => {
		at(BUILD_MARKER, 2_000);
		expect(staleBuildReason(root)).toBeUndefined();
	});

	test('a source edited after the build, however deep, makes it stale', () => {
		at(BUILD_MARKER, 2_000);
		at('nodes/HostResources/actions/read/read.operation.ts', 3_000);
		expect(staleBuildReason(root)).toBe('sources changed since dist/ was built');
	});

	test('a changed credential or package.json makes it stale too', () => {
		at(BUILD_MARKER, 2_000);
		at('credentials/Groq.credentials.ts', 2_500);
		expect(staleBuildReason(root)).toBe('sources changed since dist/ was built');
		at(BUILD_MARKER, 3_000);
		at('package.json', 3_500);
		expect(staleBuildReason(root)).toBe('sources changed since dist/ was built');
	});
});
