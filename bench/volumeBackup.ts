/**
 * Volume Backup benchmark (issue: a 1 GiB directory of many small files plus a few large
 * ones; Backup Directory vs GNU `tar czf` at the same gzip level, same run; targets wall
 * time ≤ 1.0× tar czf, peak RSS ≤ 150 MB).
 *
 *   npx tsx bench/volumeBackup.ts [--size-mb 1024] [--level 6] [--runs 2] [--threads N] [--dir /tmp/x]
 *   npx tsx bench/volumeBackup.ts --size-mb 64      # quick run
 *
 * Builds the tree once (about 30% in ~2-30 KB JSON-like files, the rest in four large
 * incompressible files, like binaryData's images and PDFs), then alternates the two tools
 * `--runs` times. Ours runs in a child process so its peak RSS (getrusage maxrss) is its
 * own. The child is this file bundled to plain JS with esbuild first and run by plain
 * `node`: through tsx the TypeScript loader alone added ~85 MB of RSS that the node does
 * not have in n8n (which loads compiled dist/). The report also gives the RSS of a bare
 * `node` printing its own maxrss, so the engine's share is visible. tar's wall time
 * includes its gzip child, as `tar czf` does, and ours includes the child's start-up.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { defaultCompressionThreads } from '../nodes/VolumeBackup/directory/backupOptions';
import { backupDirectory } from '../nodes/VolumeBackup/directory/backupDirectory';

const MIB = 1024 * 1024;

/** Deterministic bytes: text-like for small files (compresses like JSON), noise for large ones (already-compressed media). */
function fill(buffer: Buffer, seed: number, textLike: boolean): void {
	let x = seed >>> 0 || 1;
	const words = Buffer.from('{"id":1,"name":"workflow","nodes":[{"type":"n8n-nodes-base.httpRequest","position":[100,200]}],"active":true}\n');
	for (let i = 0; i < buffer.length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		if (textLike) buffer[i] = (x & 7) === 0 ? 48 + ((x >>> 8) % 10) : (words[i % words.length] ?? 32);
		else buffer[i] = x & 0xff;
	}
}

function buildTree(dir: string, totalBytes: number): { files: number; bytes: number } {
	fs.mkdirSync(dir, { recursive: true });
	let bytes = 0;
	let files = 0;
	const smallBudget = Math.floor(totalBytes * 0.3);
	const template = Buffer.alloc(32 * 1024);
	fill(template, 7, true);
	while (bytes < smallBudget) {
		const folder = path.join(dir, 'workflows', `f${Math.floor(files / 500)}`);
		if (files % 500 === 0) fs.mkdirSync(folder, { recursive: true });
		const size = 2048 + ((files * 7919) % (28 * 1024));
		fs.writeFileSync(path.join(folder, `w${files}.json`), template.subarray(0, size));
		bytes += size;
		files += 1;
	}
	const large = 4;
	const largeSize = Math.floor((totalBytes - bytes) / large);
	const chunk = Buffer.alloc(8 * MIB);
	fs.mkdirSync(path.join(dir, 'binaryData'), { recursive: true });
	for (let i = 0; i < large; i++) {
		const fd = fs.openSync(path.join(dir, 'binaryData', `blob${i}.bin`), 'w');
		for (let written = 0; written < largeSize; written += chunk.length) {
			fill(chunk, 1000 + i * 977 + written, false);
			fs.writeSync(fd, chunk, 0, Math.min(chunk.length, largeSize - written));
		}
		fs.closeSync(fd);
		bytes += largeSize;
		files += 1;
	}
	return { files, bytes };
}

function run(command: string, args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(command, args, { maxBuffer: 16 * MIB, timeout: 3_600_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
	});
}

async function timeTar(source: string, out: string, level: number): Promise<number> {
	const started = performance.now();
	await run('tar', ['-I', `gzip -${level}`, '-cf', out, '-C', source, '.']);
	return performance.now() - started;
}

interface OurRun {
	/** The engine's own time (backupDirectory's durationMs: walk, snapshot, write, fsync, re-read). */
	ms: number;
	/** The child's wall time, including node's start-up and loading the bundle. */
	wallMs: number;
	rssMb: number;
	bytes: number;
}

/**
 * This file as one plain-JS bundle (engine, node-tar, minimatch), so the child runs
 * without a TypeScript loader. esbuild is loaded here only, never by the child.
 */
async function bundleChild(work: string): Promise<string> {
	const outfile = path.join(work, 'bench-child.cjs');
	const { build } = await import('esbuild');
	await build({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, external: ['esbuild'], logLevel: 'error' });
	return outfile;
}

/** Peak RSS of a bare node that does nothing: what every child pays before our code runs. */
async function bareNodeRssMb(): Promise<number> {
	const stdout = await run(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS / 1024)']);
	return Number(stdout.trim());
}

async function timeOurs(childJs: string, source: string, backupDir: string, level: number, threads: number): Promise<OurRun> {
	const started = performance.now();
	const stdout = await run(process.execPath, [childJs, '--child', source, backupDir, String(level), String(threads)]);
	const wallMs = performance.now() - started;
	const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { rssMb: number; bytes: number; durationMs: number };
	return { ms: report.durationMs, wallMs, rssMb: report.rssMb, bytes: report.bytes };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** threads 0: the engine's default. */
async function child(source: string, backupDir: string, level: number, threads: number): Promise<void> {
	const outcome = await backupDirectory({ sourceDir: source, backupDir, compressionLevel: level, ...(threads > 0 ? { compressionThreads: threads } : {}) });
	const rssMb = process.resourceUsage().maxRSS / 1024;
	console.log(JSON.stringify({ rssMb, bytes: outcome.bytes, durationMs: outcome.durationMs }));
}

async function main(): Promise<void> {
	if (process.argv[2] === '--child') {
		const [, source, backupDir, level, threads] = process.argv.slice(2);
		if (!source || !backupDir) throw new Error('child needs <source> <backupDir> <level> <threads>');
		return child(source, backupDir, Number(level), Number(threads ?? 0));
	}
	const { values } = parseArgs({
		options: {
			'size-mb': { type: 'string', default: '1024' },
			level: { type: 'string', default: '6' },
			runs: { type: 'string', default: '2' },
			threads: { type: 'string', default: '0' },
			dir: { type: 'string' },
		},
	});
	const sizeMb = Number(values['size-mb']);
	const level = Number(values.level);
	const runs = Math.max(1, Number(values.runs));
	const threads = Number(values.threads);
	const work = values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vb-bench-'));
	const source = path.join(work, 'source');
	try {
		const built = buildTree(source, sizeMb * MIB);
		console.log(
			`tree: ${built.files} files, ${(built.bytes / MIB).toFixed(0)} MiB; gzip level ${level}; ${runs} runs each; ` +
				`compression threads ${threads > 0 ? threads : `${defaultCompressionThreads()} (default)`} on ${os.availableParallelism()} cores`,
		);
		execFileSync('sync');
		const childJs = await bundleChild(work);
		const bareRss = await bareNodeRssMb();
		const tarMs: number[] = [];
		const ours: OurRun[] = [];
		for (let i = 0; i < runs; i++) {
			const tarOut = path.join(work, `tar-${i}.tar.gz`);
			tarMs.push(await timeTar(source, tarOut, level));
			const tarBytes = fs.statSync(tarOut).size;
			fs.rmSync(tarOut);
			const backupDir = path.join(work, `ours-${i}`);
			ours.push(await timeOurs(childJs, source, backupDir, level, threads));
			fs.rmSync(backupDir, { recursive: true, force: true });
			const last = ours[ours.length - 1];
			console.log(
				`run ${i + 1}: tar czf ${(tarMs[i] ?? 0).toFixed(0)} ms (${(tarBytes / MIB).toFixed(1)} MiB), ` +
					`Backup Directory ${last?.ms.toFixed(0)} ms, ${last?.wallMs.toFixed(0)} ms with node start-up ` +
					`(${((last?.bytes ?? 0) / MIB).toFixed(1)} MiB, peak RSS ${last?.rssMb.toFixed(0)} MB of the whole node process)`,
			);
		}
		const ratio = median(ours.map((o) => o.ms)) / median(tarMs);
		const wallRatio = median(ours.map((o) => o.wallMs)) / median(tarMs);
		// Peak RSS varies run to run with when V8 collects (freed buffers stay resident in
		// malloc's arenas): the target is judged on the worst run, the median shows the usual.
		const peak = Math.max(...ours.map((o) => o.rssMb));
		const medianPeak = median(ours.map((o) => o.rssMb));
		const overTarget = ours.filter((o) => o.rssMb > 150).length;
		console.log(
			`median time ratio ours/tar = ${ratio.toFixed(2)} (target ≤ 1.00) ${ratio <= 1 ? 'PASS' : 'MISS'}, ` +
				`${wallRatio.toFixed(2)} with node start-up; ` +
				`peak RSS of the whole process: worst run ${peak.toFixed(0)} MB (target ≤ 150) ${peak <= 150 ? 'PASS' : 'MISS'}, ` +
				`median ${medianPeak.toFixed(0)} MB, ${overTarget} of ${ours.length} runs over 150; ` +
				`a bare node process is ${bareRss.toFixed(0)} MB (engine's own ≈ ${(peak - bareRss).toFixed(0)} MB at worst)`,
		);
	} finally {
		if (!values.dir) fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
