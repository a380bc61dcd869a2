/**
 * One passive check run, as plain logic (the n8n operation only reads parameters): read the
 * bot's message history from its own gateway, judge it (passiveVerdict.ts), and return a
 * contract result with its own `probe`, so it has its own incident beside the Check's.
 * A failing gateway is a result; nothing here throws for it.
 */
import { CheckRecorder } from '../../shared/checkRecorder';
import { commonCause } from '../../shared/causes';
import type { CheckResult } from '../../shared/contract';
import { redactDeep } from '../../shared/redact';
import { DAY_MS } from '../../shared/timeUnits';
import type { GatewayCallOptions, WhatsAppGateway } from '../providers/types';
import { HISTORY_MAX_PAGES, HISTORY_PAGE_SIZE } from './history';
import { judgePassive, passiveCheckEntries, type PassiveParameters, type PassiveVerdict } from './passiveVerdict';

/** The `probe` of every passive check result. */
export const PASSIVE_PROBE = 'passive';

export interface PassiveRun {
	gateway: WhatsAppGateway;
	parameters: PassiveParameters;
	call: GatewayCallOptions;
	now?: () => number;
}

export interface PassiveOutcome {
	result: CheckResult;
	verdict?: PassiveVerdict;
	/** Gateway calls made (pages read). */
	calls: number;
}

export async function runPassiveCheck(run: PassiveRun): Promise<PassiveOutcome> {
	const now = run.now ?? Date.now;
	const p = run.parameters;
	const recorder = new CheckRecorder('whatsapp', run.gateway.target, now);
	const to = now();
	// One day more than compared, so a silence up to a day long still has History Days of past windows.
	const from = to - (p.historyDays + 1) * DAY_MS;
	const reading = await run.gateway.readHistory(from, to, run.call);
	const finish = (result: CheckResult, calls: number, verdict?: PassiveVerdict): PassiveOutcome => {
		result.probe = PASSIVE_PROBE;
		return { result: redactDeep(result, { secrets: run.gateway.secrets }), calls, ...(verdict ? { verdict } : {}) };
	};
	if (!reading.ok) {
		if (reading.unsupported) {
			// The setup cannot be read: say so once to a person rather than pass silently forever.
			const cause = commonCause('config.invalid', `The passive check cannot read this bot's message history. ${reading.reason}`);
			return finish(recorder.degrade('history', cause).result(), 0);
		}
		return finish(recorder.failure('history', reading.cause, { durationMs: reading.durationMs }).result(), 1);
	}
	const messages = reading.messages;
	const oldest = messages.reduce((min, m) => Math.min(min, m.at), to);
	// The history starts with its oldest message: a bot that is new (or a read cut at the page cap)
	// has no past days before it, rather than silent ones.
	const historyStart = Math.max(from, oldest);
	const verdict = judgePassive(messages, now(), historyStart, p);
	const days = Math.round(((to - historyStart) / DAY_MS) * 10) / 10;
	const cut = reading.complete ? '' : ` (cut at the newest ${HISTORY_PAGE_SIZE * HISTORY_MAX_PAGES} messages)`;
	// No message at all in weeks is usually a gateway that does not store them, not a silent shop.
	const empty = messages.length === 0 ? ' If the bot does receive messages, its gateway is not storing them (Evolution: DATABASE_SAVE_DATA_NEW_MESSAGE; WAHA NOWEB: the store), so nothing can be judged.' : '';
	recorder.pass('history', `Read ${verdict.inbound} customer messages and ${verdict.outbound} bot answers over ${days} days${cut} in ${reading.calls} calls.${empty}`, {
		value: messages.length,
		durationMs: reading.durationMs,
	});
	for (const { entry, cause } of passiveCheckEntries(verdict, p)) recorder.add(entry, cause);
	const silence = verdict.silence;
	const details: Record<string, unknown> = {
		inbound: verdict.inbound,
		outbound: verdict.outbound,
		historyDays: days,
		historyComplete: reading.complete,
		silentMinutes: Math.round(silence.silentMs / 60_000),
		silence: silence.kind,
		answers: verdict.answers.kind,
		...('expected' in silence && silence.expected !== undefined ? { expectedInSilence: silence.expected } : {}),
		calls: reading.calls,
	};
	return finish(recorder.result(details), reading.calls, verdict);
}
