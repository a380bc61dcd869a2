/**
 * How the Monitor is started. n8n's editor runs the trigger it ranks first (a form, then a
 * webhook, then a schedule, then every other core trigger), so the Monitor holds only *Run Now*
 * and *When Called*, and the schedule and every webhook live in **Autorecovery: Triggers**,
 * which calls the Monitor with the request and an `entry` naming the lane it goes to.
 */

/** The Monitor's trigger for calls from Autorecovery: Triggers: a request's parts are read from it. */
export const MONITOR_CALL_TRIGGER = 'When Called';

/** What a call of the Monitor says it is (the item's `entry`); none (Run Now) is a tick. */
export const MONITOR_ENTRIES = {
	tick: 'tick',
	recovery: 'recoveryRequest',
	log: 'recoveryLog',
	stats: 'recoveryStats',
	status: 'statusPage',
	relink: 'relinkPage',
	evolution: 'evolutionEvent',
	waha: 'wahaEvent',
	meta: 'metaEvent',
	metaVerification: 'metaVerification',
	/** The events Ingest decided to act on, sent back by Triggers after it answered the gateway (field `decision`). */
	eventDecision: 'eventDecision',
} as const;

export type MonitorEntry = keyof typeof MONITOR_ENTRIES;

/** A field of the request the Monitor was called with (its webhook's headers, query…). */
export const calledWith = (field: string) => `={{ $('${MONITOR_CALL_TRIGGER}').first().json.${field} }}`;
