/**
 * The day a daily report covers: yesterday in the configured timezone, from its local
 * midnight (inclusive) to today's local midnight (exclusive). On DST days that is 23 or
 * 25 hours, never a fixed 24.
 */
import { StatusParameterError } from './errors';
import { addDays, checkTimezone, localDate, startOfLocalDay } from './zonedTime';

interface ReportWindow {
	/** `YYYY-MM-DD`, the reported local day. */
	day: string;
	/** Epoch ms of its first instant (inclusive). */
	from: number;
	/** Epoch ms of the next day's first instant (exclusive). */
	to: number;
}

export function reportWindow(now: number, timezone: string): ReportWindow {
	if (typeof now !== 'number' || !Number.isFinite(now)) throw new StatusParameterError('now', `now must be an epoch time in ms, got ${String(now)}`);
	checkTimezone(timezone);
	const today = localDate(now, timezone);
	const day = addDays(today, -1);
	return { day, from: startOfLocalDay(day, timezone), to: startOfLocalDay(today, timezone) };
}
