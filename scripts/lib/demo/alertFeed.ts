/**
 * Prints, as they arrive, every Slack message and e-mail the catchers receive, every
 * WhatsApp message sent to the admin, and every Recover execution in n8n's history.
 * The catchers are polled in-process (twice a second); n8n's public API every few seconds.
 */
import { emailLine, executionLine, SeenItems, slackLine, whatsappLine, type RecoverExecution } from './feedLines';
import { saveMail, type MailToSave } from './mailbox';

interface AlertFeedSources {
	/** The Slack emulator's state (its `received` list). */
	slackState: () => unknown;
	/** The Evolution emulator's state (its `sentMessages` list). */
	evolutionState: () => unknown;
	adminNumber: string;
	mails: () => Array<{ to: string[] } & MailToSave>;
	/** Where each e-mail is written as a file to open in a browser. */
	mailDir: string;
	/** n8n's Recover executions, newest first (the public API's order), with their custom data. */
	recoverExecutions: () => Promise<Array<RecoverExecution & { stoppedAt: string | null }>>;
	editorUrl: string;
	print: (line: string) => void;
	catcherPollMs?: number;
	executionPollMs?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Payloads the Slack emulator accepted, oldest first. */
export function slackPayloads(state: unknown): Array<Record<string, unknown>> {
	if (!isRecord(state) || !Array.isArray(state.received)) return [];
	return state.received.flatMap((entry: unknown) => (isRecord(entry) && isRecord(entry.payload) ? [entry.payload] : []));
}

/** Messages the Evolution emulator delivered to `number`, oldest first. */
export function messagesTo(state: unknown, number: string): Array<{ number: string; text: string }> {
	if (!isRecord(state) || !Array.isArray(state.sentMessages)) return [];
	return state.sentMessages.flatMap((entry: unknown) =>
		isRecord(entry) && entry.number === number && typeof entry.text === 'string' ? [{ number, text: entry.text }] : [],
	);
}

export function startAlertFeed(sources: AlertFeedSources): { stop(): void } {
	const slack = new SeenItems<Record<string, unknown>>();
	const mails = new SeenItems<{ to: string[] } & MailToSave>();
	let mailCount = 0;
	const whatsapp = new SeenItems<{ number: string; text: string }>();
	const executions = new SeenItems<RecoverExecution & { stoppedAt: string | null }>((execution) => execution.id);

	const catchers = setInterval(() => {
		for (const payload of slack.fresh(slackPayloads(sources.slackState()))) sources.print(slackLine(payload));
		for (const mail of mails.fresh(sources.mails())) {
			mailCount += 1;
			sources.print(`${emailLine(mail)}  (${saveMail(sources.mailDir, mailCount, mail)})`);
		}
		for (const message of whatsapp.fresh(messagesTo(sources.evolutionState(), sources.adminNumber))) sources.print(whatsappLine(message));
	}, sources.catcherPollMs ?? 500);

	let polling = false;
	const history = setInterval(() => {
		if (polling) return;
		polling = true;
		sources
			.recoverExecutions()
			// Only finished runs: a running one would be printed before its status is known.
			.then((list) => executions.fresh(list.filter((execution) => execution.stoppedAt !== null)).reverse())
			.then((fresh) => fresh.forEach((execution) => sources.print(executionLine(execution, sources.editorUrl))))
			// n8n busy or restarting: the next poll catches up.
			.catch(() => undefined)
			.finally(() => {
				polling = false;
			});
	}, sources.executionPollMs ?? 3_000);

	return {
		stop() {
			clearInterval(catchers);
			clearInterval(history);
		},
	};
}
