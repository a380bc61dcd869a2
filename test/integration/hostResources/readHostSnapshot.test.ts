import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { evaluateHost } from '../../../nodes/HostResources/host/evaluateHost';
import { isDiskError, nodeHostReaders, readHostSnapshot } from '../../../nodes/HostResources/host/readHostSnapshot';
import { DEFAULT_HOST_THRESHOLDS } from '../../../nodes/HostResources/host/thresholds';
import { checkN8nHealth } from '../../../nodes/HostResources/transport/n8nHealth';
import { validateCheckResult } from '../../../nodes/shared/validate';

describe('readHostSnapshot on this machine', () => {
	test('reads real memory, load and disk figures for real paths', async () => {
		const snapshot = await readHostSnapshot([os.tmpdir(), '/']);
		expect(snapshot.cpuCount).toBeGreaterThanOrEqual(1);
		expect(snapshot.memoryTotalBytes).toBeGreaterThan(0);
		expect(snapshot.memoryAvailableBytes).toBeGreaterThan(0);
		expect(snapshot.memoryAvailableBytes).toBeLessThanOrEqual(snapshot.memoryTotalBytes);
		for (const disk of snapshot.disks) {
			if (isDiskError(disk)) throw new Error(`unexpected error for ${disk.path}: ${disk.error}`);
			expect(disk.totalBytes).toBeGreaterThan(0);
			expect(disk.availableBytes).toBeLessThanOrEqual(disk.totalBytes);
		}
		expect(validateCheckResult(evaluateHost(snapshot, DEFAULT_HOST_THRESHOLDS))).toEqual([]);
	});

	test('a missing path is reported, not thrown', async () => {
		const snapshot = await readHostSnapshot(['/definitely/not/here']);
		expect(snapshot.disks).toEqual([{ path: '/definitely/not/here', error: 'path does not exist' }]);
	});

	test('a nearly full filesystem is down with host.disk_space_low', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-full-'));
		let mounted = false;
		try {
			// A real 1 MiB tmpfs filled to 97 % where the machine lets us mount (root); otherwise a
			// statfs reader reporting the same numbers, so the evaluation path is exercised either way.
			try {
				execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
				mounted = true;
				fs.writeFileSync(path.join(dir, 'fill'), Buffer.alloc(1024 * 1000));
			} catch {
				mounted = false;
			}
			const readers = mounted
				? nodeHostReaders
				: { ...nodeHostReaders, statfs: async () => ({ blocks: 256, bsize: 4096, bavail: 6, files: 1000, ffree: 900 }) };
			const snapshot = await readHostSnapshot([dir], readers);
			const result = evaluateHost(snapshot, DEFAULT_HOST_THRESHOLDS);
			const disk = result.checks.find((c) => c.name === `disk ${dir}`);
			expect(disk?.status).toBe('down');
			expect(result.cause?.code).toMatch(/host\.(disk_space_low|memory_low|load_high)/);
			expect(result.checks.filter((c) => c.code === 'host.disk_space_low')).toHaveLength(1);
		} finally {
			if (mounted) execFileSync('umount', [dir]);
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('checkN8nHealth against a local HTTP server', () => {
	let server: http.Server;
	let url: string;
	let readinessStatus = 200;
	let hang = false;
	beforeAll(async () => {
		server = http.createServer((req, res) => {
			if (hang) return;
			if (req.url === '/healthz/readiness') {
				res.writeHead(readinessStatus, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ status: readinessStatus === 200 ? 'ok' : 'error' }));
			} else if (req.url === '/metrics') {
				res.writeHead(200, { 'content-type': 'text/plain' });
				res.end('n8n_scaling_mode_queue_jobs_waiting 4\n');
			} else {
				res.writeHead(404).end();
			}
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((r) => server.close(r));
	});
	beforeEach(() => {
		readinessStatus = 200;
		hang = false;
	});

	test('ready, with metrics when asked', async () => {
		expect(await checkN8nHealth(url, 2_000, true)).toMatchObject({ ready: true, metrics: { queueWaiting: 4 } });
		const plain = await checkN8nHealth(`${url}/`, 2_000, false);
		expect(plain.ready).toBe(true);
		expect('metrics' in plain).toBe(false);
	});

	test('503 from readiness is host.n8n_not_ready', async () => {
		readinessStatus = 503;
		expect(await checkN8nHealth(url, 2_000, false)).toMatchObject({ ready: false, cause: { code: 'host.n8n_not_ready' } });
	});

	test('a hung n8n is net.timeout within the timeout', async () => {
		hang = true;
		const started = Date.now();
		expect(await checkN8nHealth(url, 300, false)).toMatchObject({ ready: false, cause: { code: 'net.timeout' } });
		expect(Date.now() - started).toBeLessThan(1_300);
	});

	test('a closed port is net.unreachable', async () => {
		expect(await checkN8nHealth('http://127.0.0.1:1', 1_000, false)).toMatchObject({ ready: false, cause: { code: 'net.unreachable' } });
	});
});
