import { applyMaintenanceSwitch, parseMaintenanceUntil, SETTINGS_PAUSER } from '../../../nodes/shared/incident/maintenanceSwitch';
import { pause } from '../../../nodes/shared/incident/controls';
import { TrackerOptionError } from '../../../nodes/shared/incident/errors';
import { createTrackerState, isPaused } from '../../../nodes/shared/incident/state';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('the maintenance switch in Settings', () => {
	test('a future time pauses until then; the same time again changes nothing; clearing it resumes', () => {
		const until = NOW + 30 * 60_000;
		const paused = applyMaintenanceSwitch(createTrackerState(), until, NOW);
		expect(paused.pause).toMatchObject({ until, setBy: SETTINGS_PAUSER });
		expect(isPaused(paused, NOW + 60_000)).toBe(true);
		expect(applyMaintenanceSwitch(paused, until, NOW + 60_000)).toBe(paused);
		expect(isPaused(applyMaintenanceSwitch(paused, null, NOW + 60_000), NOW + 60_000)).toBe(false);
		expect(isPaused(paused, until)).toBe(false);
	});

	test('a past time does not pause; a pause set by the Pause operation is left alone', () => {
		expect(applyMaintenanceSwitch(createTrackerState(), NOW - 1, NOW).pause).toBeUndefined();
		const byPerson = pause(createTrackerState(), NOW + 60_000, 'deploy', NOW, 'ana');
		expect(applyMaintenanceSwitch(byPerson, null, NOW)).toBe(byPerson);
	});

	test('the setting is parsed as a date and time, or rejected naming the parameter', () => {
		expect(parseMaintenanceUntil('')).toBeNull();
		expect(parseMaintenanceUntil(' 2026-11-22T18:00:00Z ')).toBe(Date.parse('2026-11-22T18:00:00Z'));
		expect(() => parseMaintenanceUntil('tomorrow')).toThrow(TrackerOptionError);
		expect(() => parseMaintenanceUntil('tomorrow')).toThrow(/Maintenance Until/);
	});
});
