/**
 * Turns a host snapshot (and n8n's own health) into contract checks. Plain logic,
 * tested without n8n: thresholds in, statuses and causes out.
 */
import type { ActionId, Cause, CheckResult, Status } from '../../shared/contract';
import { CheckRecorder } from '../../shared/checkRecorder';
import { isDiskError, type HostSnapshot } from './readHostSnapshot';
import type { HostThresholds } from './thresholds';
import type { N8nHealth } from '../transport/n8nHealth';
import { DEFAULT_RELEASE, levelWithHysteresis } from '../../shared/hysteresis';

/** Each threshold check's last level, by check name: what hysteresis compares with (kept by the caller between runs). */
export type HostLevels = Record<string, Status>;

const GiB = 1024 ** 3;

function pct(part: number, whole: number): number {
	return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

function formatBytes(bytes: number): string {
	return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** Lower is worse: below `down` is down, below `degraded` is degraded; left only past the release mark (shared/hysteresis). */
function levelFor(levels: HostLevels, name: string, valuePct: number, degraded: number, down: number): Status {
	const level = levelWithHysteresis(valuePct, { degraded, down, worse: 'lower', release: DEFAULT_RELEASE }, levels[name]);
	levels[name] = level;
	return level;
}

function cause(code: string, message: string, needsHuman: boolean): Cause {
	return { code, message, retryable: false, needsHuman };
}

function record(recorder: CheckRecorder, name: string, status: Status, okMessage: string, problem: Cause, value: unknown): void {
	if (status === 'healthy') recorder.pass(name, okMessage, { value });
	else if (status === 'degraded') recorder.degrade(name, problem, { value });
	else recorder.fail(name, problem, { value });
}

export function evaluateHost(
	snapshot: HostSnapshot,
	thresholds: HostThresholds,
	n8n?: N8nHealth,
	/** The previous run's levels (read) and this run's (written); empty: no memory, plain marks. */
	levels: HostLevels = {},
): CheckResult {
	const recorder = new CheckRecorder('host', `host:${snapshot.hostname}`);
	const suggested = new Set<ActionId>();

	const memoryPct = pct(snapshot.memoryAvailableBytes, snapshot.memoryTotalBytes);
	record(
		recorder,
		'memory',
		levelFor(levels, 'memory', memoryPct, thresholds.memoryDegradedPct, thresholds.memoryDownPct),
		`${memoryPct}% of memory available (${formatBytes(snapshot.memoryAvailableBytes)})`,
		cause('host.memory_low', `Only ${memoryPct}% of memory is available (${formatBytes(snapshot.memoryAvailableBytes)}).`, true),
		{ availablePct: memoryPct, availableBytes: snapshot.memoryAvailableBytes, totalBytes: snapshot.memoryTotalBytes },
	);

	const loadPerCore = Math.round((snapshot.loadAverage[1] / snapshot.cpuCount) * 100) / 100;
	const loadStatus = levelWithHysteresis(
		loadPerCore,
		{ degraded: thresholds.loadDegradedPerCore, down: thresholds.loadDownPerCore, worse: 'higher', release: DEFAULT_RELEASE },
		levels.load,
	);
	levels.load = loadStatus;
	record(
		recorder,
		'load',
		loadStatus,
		`load ${loadPerCore} per core over 5 minutes`,
		cause('host.load_high', `The 5-minute load is ${loadPerCore} per core on ${snapshot.cpuCount} cores.`, true),
		{ loadAverage: snapshot.loadAverage, cpuCount: snapshot.cpuCount, perCore: loadPerCore },
	);

	for (const disk of snapshot.disks) {
		if (isDiskError(disk)) {
			recorder.fail(`disk ${disk.path}`, {
				code: 'config.invalid',
				message: `Cannot read disk usage of ${disk.path}: ${disk.error}.`,
				retryable: false,
				needsHuman: true,
			});
			continue;
		}
		const freePct = pct(disk.availableBytes, disk.totalBytes);
		const diskStatus = levelFor(levels, `disk ${disk.path}`, freePct, thresholds.diskDegradedPct, thresholds.diskDownPct);
		if (diskStatus !== 'healthy') {
			suggested.add('backup.prune');
			suggested.add('logs.archive');
		}
		record(
			recorder,
			`disk ${disk.path}`,
			diskStatus,
			`${freePct}% free (${formatBytes(disk.availableBytes)})`,
			cause('host.disk_space_low', `Only ${freePct}% of the disk holding ${disk.path} is free (${formatBytes(disk.availableBytes)}).`, false),
			{ freePct, availableBytes: disk.availableBytes, totalBytes: disk.totalBytes },
		);
		if (disk.inodesTotal > 0) {
			const inodesPct = pct(disk.inodesFree, disk.inodesTotal);
			record(
				recorder,
				`inodes ${disk.path}`,
				levelFor(levels, `inodes ${disk.path}`, inodesPct, thresholds.inodesDegradedPct, thresholds.inodesDownPct),
				`${inodesPct}% of inodes free`,
				cause('host.inodes_low', `Only ${inodesPct}% of inodes are free on the disk holding ${disk.path}.`, true),
				{ freePct: inodesPct, free: disk.inodesFree, total: disk.inodesTotal },
			);
		}
	}

	if (n8n) {
		if (n8n.ready) {
			recorder.pass('n8n readiness', `n8n is ready (${n8n.latencyMs} ms)`, { durationMs: n8n.latencyMs });
			if (n8n.metrics) recorder.pass('n8n metrics', 'metrics read', { value: n8n.metrics });
		} else {
			recorder.fail('n8n readiness', n8n.cause, { durationMs: n8n.latencyMs });
		}
	}

	const result = recorder.result({
		hostname: snapshot.hostname,
		...(suggested.size > 0 || recorder.status !== 'healthy'
			? { suggestedActions: suggested.size > 0 ? [...suggested, 'notify.escalate'] : ['notify.escalate'] }
			: {}),
	});
	return result;
}
