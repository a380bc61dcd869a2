import { evaluateHost } from '../../../nodes/HostResources/host/evaluateHost';
import type { HostSnapshot } from '../../../nodes/HostResources/host/readHostSnapshot';
import { DEFAULT_HOST_THRESHOLDS, thresholdProblems } from '../../../nodes/HostResources/host/thresholds';
import { metricsFrom, parsePrometheus } from '../../../nodes/HostResources/transport/n8nHealth';
import { parsePaths } from '../../../nodes/HostResources/actions/host/check.operation';
import { validateCheckResult } from '../../../nodes/shared/validate';

const GiB = 1024 ** 3;

function snapshot(overrides: Partial<HostSnapshot> = {}, diskFreePct = 50, inodesFreePct = 50): HostSnapshot {
	return {
		hostname: 'bot-server',
		cpuCount: 2,
		loadAverage: [0.5, 0.5, 0.5],
		memoryTotalBytes: 8 * GiB,
		memoryAvailableBytes: 4 * GiB,
		disks: [
			{
				path: '/data',
				totalBytes: 100 * GiB,
				availableBytes: (diskFreePct / 100) * 100 * GiB,
				inodesTotal: 1_000_000,
				inodesFree: (inodesFreePct / 100) * 1_000_000,
			},
		],
		...overrides,
	};
}

const statusOf = (result: ReturnType<typeof evaluateHost>, name: string) => result.checks.find((c) => c.name === name)?.status;

describe('evaluateHost thresholds (defaults: disk 15/5 %, inodes 10/2 %, memory 10/3 %, load 2/4 per core)', () => {
	test('a comfortable host is healthy and suggests nothing', () => {
		const result = evaluateHost(snapshot(), DEFAULT_HOST_THRESHOLDS);
		expect(result.status).toBe('healthy');
		expect(result.target).toBe('host:bot-server');
		expect(result.details?.suggestedActions).toBeUndefined();
		expect(validateCheckResult(result)).toEqual([]);
	});

	test.each([
		[15, 'healthy'],
		[14.9, 'degraded'],
		[5, 'degraded'],
		[4.9, 'down'],
	] as const)('disk %s %% free → %s', (freePct, expected) => {
		const result = evaluateHost(snapshot({}, freePct), DEFAULT_HOST_THRESHOLDS);
		expect(statusOf(result, 'disk /data')).toBe(expected);
		if (expected !== 'healthy') {
			expect(result.cause?.code).toBe('host.disk_space_low');
			expect(result.details?.suggestedActions).toEqual(['backup.prune', 'logs.archive', 'notify.escalate']);
		}
		expect(validateCheckResult(result)).toEqual([]);
	});

	test.each([
		[10, 'healthy'],
		[9.9, 'degraded'],
		[1.9, 'down'],
	] as const)('inodes %s %% free → %s', (freePct, expected) => {
		expect(statusOf(evaluateHost(snapshot({}, 50, freePct), DEFAULT_HOST_THRESHOLDS), 'inodes /data')).toBe(expected);
	});

	test.each([
		[0.1, 'healthy'],
		[0.099, 'degraded'],
		[0.029, 'down'],
	] as const)('memory share %s available → %s', (share, expected) => {
		const result = evaluateHost(snapshot({ memoryAvailableBytes: share * 8 * GiB }), DEFAULT_HOST_THRESHOLDS);
		expect(statusOf(result, 'memory')).toBe(expected);
		if (expected !== 'healthy') {
			expect(result.cause).toMatchObject({ code: 'host.memory_low', needsHuman: true });
			expect(result.details?.suggestedActions).toEqual(['notify.escalate']);
		}
	});

	test.each([
		[3.98, 'healthy'],
		[4, 'degraded'],
		[8, 'down'],
	] as const)('5-minute load %s on 2 cores → %s', (load, expected) => {
		expect(statusOf(evaluateHost(snapshot({ loadAverage: [9, load, 0] }), DEFAULT_HOST_THRESHOLDS), 'load')).toBe(expected);
	});

	test('an unreadable path is down with config.invalid, naming the path', () => {
		const result = evaluateHost(snapshot({ disks: [{ path: '/missing', error: 'path does not exist' }] }), DEFAULT_HOST_THRESHOLDS);
		expect(result.status).toBe('down');
		expect(result.cause?.code).toBe('config.invalid');
		expect(result.cause?.message).toContain('/missing');
	});

	test('n8n health: ready adds a passing check with metrics; not ready makes the host down', () => {
		const ready = evaluateHost(snapshot(), DEFAULT_HOST_THRESHOLDS, { ready: true, latencyMs: 3, metrics: { queueWaiting: 2 } });
		expect(ready.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['n8n readiness', 'n8n metrics']));
		const down = evaluateHost(snapshot(), DEFAULT_HOST_THRESHOLDS, {
			ready: false,
			latencyMs: 10_000,
			cause: { code: 'net.timeout', message: 'n8n did not answer in time.', retryable: true, needsHuman: false },
		});
		expect(down.status).toBe('down');
		expect(down.cause?.code).toBe('net.timeout');
		expect(validateCheckResult(down)).toEqual([]);
	});
});

describe('thresholdProblems', () => {
	test('defaults are consistent', () => {
		expect(thresholdProblems(DEFAULT_HOST_THRESHOLDS)).toEqual([]);
	});
	test('names inverted pairs', () => {
		const problems = thresholdProblems({ ...DEFAULT_HOST_THRESHOLDS, diskDownPct: 20, loadDownPerCore: 1 });
		expect(problems.join('\n')).toMatch(/diskDownPct \(20\) must not be above diskDegradedPct/);
		expect(problems.join('\n')).toMatch(/loadDownPerCore/);
	});
});

describe('parsePaths', () => {
	test('expands ~, drops duplicates and blanks, and reports relative paths', () => {
		expect(parsePaths(' ~/.n8n, /backups ,, /backups/ , data', '/home/node')).toEqual({
			paths: ['/home/node/.n8n', '/backups'],
			invalid: ['data'],
		});
	});
});

describe('n8n metrics', () => {
	const text = [
		'# HELP n8n_scaling_mode_queue_jobs_waiting Jobs waiting',
		'n8n_scaling_mode_queue_jobs_waiting 3',
		'n8n_workflow_failed_total{workflow_id="a"} 2',
		'n8n_workflow_failed_total{workflow_id="b"} 5',
		'garbage line',
	].join('\n');
	test('sums samples per metric', () => {
		expect(parsePrometheus(text).get('n8n_workflow_failed_total')).toBe(7);
		expect(metricsFrom(text)).toEqual({ queueWaiting: 3, failedExecutions: 7 });
		expect(metricsFrom('')).toEqual({});
	});
});
