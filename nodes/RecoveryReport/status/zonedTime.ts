/**
 * Wall-clock time in an IANA timezone with nothing but Intl.DateTimeFormat: the local
 * date and clock of an instant, and the instant a local day starts (which DST can move:
 * days of 23 or 25 h, and in a few zones a day that starts at 01:00).
 */
import { StatusParameterError } from './errors';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter for a timezone; throws a StatusParameterError naming `timezone` when it is not a valid IANA name. */
function formatterFor(timezone: unknown): Intl.DateTimeFormat {
	if (typeof timezone !== 'string' || timezone.trim() === '') {
		throw new StatusParameterError('timezone', `timezone must be an IANA name such as "Europe/Madrid", got ${JSON.stringify(timezone)}`);
	}
	const cached = formatters.get(timezone);
	if (cached) return cached;
	let formatter: Intl.DateTimeFormat;
	try {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone: timezone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
		});
	} catch {
		throw new StatusParameterError('timezone', `timezone must be an IANA name such as "Europe/Madrid", got ${JSON.stringify(timezone)}`);
	}
	formatters.set(timezone, formatter);
	return formatter;
}

/** Throws a StatusParameterError naming `timezone` unless it is a valid IANA name. */
export function checkTimezone(timezone: unknown): string {
	formatterFor(timezone);
	return timezone as string;
}

interface LocalParts {
	date: string;
	time: string;
}

function localParts(ms: number, timezone: string): LocalParts {
	const parts: Record<string, string> = {};
	for (const part of formatterFor(timezone).formatToParts(ms)) parts[part.type] = part.value;
	return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** `YYYY-MM-DD` of the instant in the timezone. */
export function localDate(ms: number, timezone: string): string {
	return localParts(ms, timezone).date;
}

/** `YYYY-MM-DD HH:mm` of the instant in the timezone (what a status page shows). */
export function localClock(ms: number, timezone: string): string {
	const { date, time } = localParts(ms, timezone);
	return `${date} ${time}`;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar day `days` after `day` (both `YYYY-MM-DD`). */
export function addDays(day: string, days: number): string {
	const match = DAY_PATTERN.exec(day);
	if (!match) throw new StatusParameterError('day', `day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
	return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days)).toISOString().slice(0, 10);
}

/** Whether `day` is a real `YYYY-MM-DD` calendar date. */
export function isCalendarDay(day: unknown): day is string {
	return typeof day === 'string' && DAY_PATTERN.test(day) && addDays(day, 0) === day;
}

/** No timezone is more than 14 h from UTC. */
const MAX_OFFSET_MS = 15 * 60 * 60 * 1000;

/**
 * The first instant whose local date is `day`. Found by bisection on "local date ≥ day",
 * which holds whatever the offset or a DST gap at midnight does.
 */
export function startOfLocalDay(day: string, timezone: string): number {
	checkTimezone(timezone);
	const utcMidnight = Date.parse(`${addDays(day, 0)}T00:00:00Z`);
	let low = utcMidnight - MAX_OFFSET_MS; // local date before `day`
	let high = utcMidnight + MAX_OFFSET_MS; // local date `day` or later
	while (high - low > 1) {
		const middle = Math.floor((low + high) / 2);
		if (localDate(middle, timezone) >= day) high = middle;
		else low = middle;
	}
	return high;
}
