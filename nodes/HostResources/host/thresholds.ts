/** Warn (degraded) and critical (down) levels of the host checks, with the defaults the issue fixes. */
export interface HostThresholds {
	diskDegradedPct: number;
	diskDownPct: number;
	inodesDegradedPct: number;
	inodesDownPct: number;
	memoryDegradedPct: number;
	memoryDownPct: number;
	/** Five-minute load average divided by the number of cores. */
	loadDegradedPerCore: number;
	loadDownPerCore: number;
}

export const DEFAULT_HOST_THRESHOLDS: HostThresholds = {
	diskDegradedPct: 15,
	diskDownPct: 5,
	inodesDegradedPct: 10,
	inodesDownPct: 2,
	memoryDegradedPct: 10,
	memoryDownPct: 3,
	loadDegradedPerCore: 2,
	loadDownPerCore: 4,
};

/** Names the threshold pairs whose critical level is not beyond their warning level. */
export function thresholdProblems(t: HostThresholds): string[] {
	const problems: string[] = [];
	const lowerIsWorse: Array<[keyof HostThresholds, keyof HostThresholds]> = [
		['diskDownPct', 'diskDegradedPct'],
		['inodesDownPct', 'inodesDegradedPct'],
		['memoryDownPct', 'memoryDegradedPct'],
	];
	for (const [down, degraded] of lowerIsWorse) {
		if (t[down] > t[degraded]) problems.push(`${down} (${t[down]}) must not be above ${degraded} (${t[degraded]})`);
		if (t[down] < 0 || t[degraded] > 100) problems.push(`${down}/${degraded} must be percentages (0-100)`);
	}
	if (t.loadDownPerCore < t.loadDegradedPerCore) {
		problems.push(`loadDownPerCore (${t.loadDownPerCore}) must not be below loadDegradedPerCore (${t.loadDegradedPerCore})`);
	}
	return problems;
}
