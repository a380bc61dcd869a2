/**
 * Availability of one component over a window (24 h, 7 d): the share of the tracked
 * part of the window it was not down. Down time is the union of its incidents whose
 * worst status was `down` (several targets may fail at once: counted once); degraded
 * time is the union of the degraded-only incidents minus the down time. Before the
 * tracker first ran nothing is known, so that part of the window is not counted.
 */
import { COMPONENTS, type Component } from '../../shared/contract';
import { StatusParameterError } from './errors';
import { overlapLength, totalLength, unionWithin, type Interval } from './intervals';
import type { Availability, ClosedIncidentSpan } from './types';

interface OpenIncidentSpan {
	component: Component;
	openedAt: number;
	worstStatus: 'degraded' | 'down';
}

export interface AvailabilityInput {
	component: Component;
	now: number;
	windowMs: number;
	/** When the tracker first ran; undefined: never, so availability is unknown. */
	trackingSince: number | undefined;
	closed: ClosedIncidentSpan[];
	/** Open incidents run until now. */
	open: OpenIncidentSpan[];
}

function checkInput(input: AvailabilityInput): void {
	if (!(COMPONENTS as readonly string[]).includes(input.component)) {
		throw new StatusParameterError('component', `component must be one of ${COMPONENTS.join('|')}, got ${JSON.stringify(input.component)}`);
	}
	if (typeof input.now !== 'number' || !Number.isFinite(input.now)) throw new StatusParameterError('now', `now must be an epoch time in ms, got ${String(input.now)}`);
	if (typeof input.windowMs !== 'number' || !Number.isFinite(input.windowMs) || input.windowMs <= 0) {
		throw new StatusParameterError('windowMs', `windowMs must be a positive number of ms, got ${String(input.windowMs)}`);
	}
	if (input.trackingSince !== undefined && (typeof input.trackingSince !== 'number' || !Number.isFinite(input.trackingSince))) {
		throw new StatusParameterError('trackingSince', `trackingSince must be an epoch time in ms or undefined, got ${String(input.trackingSince)}`);
	}
	if (!Array.isArray(input.closed)) throw new StatusParameterError('closed', 'closed must be an array of resolved incident spans');
	if (!Array.isArray(input.open)) throw new StatusParameterError('open', 'open must be an array of open incidents');
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function availability(input: AvailabilityInput): Availability {
	checkInput(input);
	const { component, now, windowMs, trackingSince } = input;
	const from = trackingSince === undefined ? now : Math.max(now - windowMs, trackingSince);
	const coveredMs = Math.max(0, now - from);
	if (coveredMs === 0) return { ratio: null, downMs: 0, degradedMs: 0, coveredMs: 0 };

	// State read back from storage may hold a broken span: it is skipped, not fatal.
	const spans = [
		...input.closed.filter((s) => s.component === component && isTime(s.openedAt) && isTime(s.resolvedAt)).map((s) => ({ worst: s.worstStatus, interval: [s.openedAt, s.resolvedAt] as Interval })),
		...input.open.filter((s) => s.component === component && isTime(s.openedAt)).map((s) => ({ worst: s.worstStatus, interval: [s.openedAt, now] as Interval })),
	];
	const down = unionWithin(spans.filter((s) => s.worst === 'down').map((s) => s.interval), from, now);
	const degraded = unionWithin(spans.filter((s) => s.worst === 'degraded').map((s) => s.interval), from, now);
	const downMs = totalLength(down);
	const degradedMs = totalLength(degraded) - overlapLength(degraded, down);
	const ratio = Math.round((1 - downMs / coveredMs) * 10_000) / 10_000;
	return { ratio, downMs, degradedMs, coveredMs };
}
