/**
 * Zombie detection time (issue 19): from the moment the bot's session turns zombie (reports
 * `open`, nothing arrives, sends never leave) to the first degraded/down result, for
 *  - the WhatsApp Check alone (the baseline: it reads the connection state, which stays open);
 *  - the Passive Check (the bot's own message history, no canary), per traffic profile;
 *  - the Conversation Check (a canary number writes to the bot and waits for its answer);
 * and what a canary costs: messages a day at the Monitor's interval, and seconds and calls
 * per check next to a plain Check's, measured in the same run.
 *
 *   npx tsx bench/zombieDetection.ts [--reply-timeout 60] [--profiles 60,10,2] [--interval 5]
 *
 * Everything runs the real providers against the Evolution emulator on an emulated WhatsApp
 * network, in this process (no n8n: the Monitor adds its tick, not detection logic). The
 * Conversation Check runs in real time (its detection is the reply timeout). The Passive
 * Check is judged at each Monitor tick after the fault on a virtual clock (`now` moved one
 * interval at a time): a zombie stores nothing, so the history it reads for real is the same
 * as it would be then, and a statistical rule that needs 20+ minutes of silence is measured
 * without waiting for them.
 */
import { parseArgs } from 'node:util';

import { MINUTE_MS } from '../nodes/shared/timeUnits';
import { runConversationCheck } from '../nodes/WhatsAppProbe/conversation/runConversation';
import { resolveConversationTiming } from '../nodes/WhatsAppProbe/conversation/verdict';
import { DEFAULT_PASSIVE_PARAMETERS } from '../nodes/WhatsAppProbe/passive/passiveVerdict';
import { runPassiveCheck } from '../nodes/WhatsAppProbe/passive/runPassiveCheck';
import { createEvolutionGateway } from '../nodes/WhatsAppProbe/providers/evolution';
import { createEvolutionEmulator, evolutionDefaults } from '../dev/emulators/whatsapp/evolution';
import { WhatsAppNetwork } from '../dev/emulators/whatsapp/network';

const CANARY = '5215599990000';
const BOT = evolutionDefaults.instances.ventas.number as string;
const CALL = { timeoutMs: 10_000 };
const DAY_TICKS = (interval: number) => Math.round((24 * 60) / interval);

const fmt = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(0)} min` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { 'reply-timeout': { type: 'string', default: '60' }, profiles: { type: 'string', default: '60,10,2' }, interval: { type: 'string', default: '5' } },
	});
	const replyTimeoutMs = Number(values['reply-timeout']) * 1000;
	const intervalMin = Number(values.interval);
	const profiles = String(values.profiles).split(',').map(Number);
	const network = new WhatsAppNetwork();
	const evolution = await createEvolutionEmulator(
		{
			instances: {
				ventas: structuredClone(evolutionDefaults.instances.ventas),
				canary: { ...structuredClone(evolutionDefaults.instances.ventas), id: 'canary-id', token: 'canary-token', number: CANARY, ownerJid: `${CANARY}@s.whatsapp.net`, profileName: 'Canary' },
			},
		},
		{ network },
	).start();
	const gateway = (instance: string) => createEvolutionGateway({ baseUrl: evolution.url, apiKey: evolutionDefaults.apiKey, instance });
	const bot = gateway('ventas');
	const canary = gateway('canary');
	const timing = resolveConversationTiming({ replyTimeoutMs, slowReplyMs: Math.min(20_000, replyTimeoutMs - 1000) });
	const reset = () => {
		evolution.patchState({ instances: { ventas: { zombie: false, botDeaf: false } } });
		evolution.state.messages = {};
	};
	try {
		console.log(`Zombie detection, Evolution emulator, Monitor interval ${intervalMin} min; reply timeout ${replyTimeoutMs / 1000} s\n`);

		// ---------------------------------------------------------------- costs, healthy
		reset();
		// An emulated bot that answers after 2 s (a bot answering a canary without its LLM).
		evolution.act('traffic', { instance: 'ventas', days: 0, perHour: 0, answerAfterS: 2 });
		let started = performance.now();
		const checkResult = await bot.check(CALL);
		const checkMs = performance.now() - started;
		started = performance.now();
		const healthy = await runConversationCheck({ bot, canary, botNumber: BOT, canaryNumber: CANARY, timing, language: 'es', call: CALL });
		const conversationMs = performance.now() - started;
		if (checkResult.status !== 'healthy' || healthy.result.status !== 'healthy') throw new Error(`not healthy before the fault: ${checkResult.status}, ${JSON.stringify(healthy.result.cause)}`);
		const perDay = DAY_TICKS(intervalMin);
		console.log('Cost per check (healthy bot answering in 2 s)');
		console.log(`  Check (baseline)        ${fmt(checkMs)}, 2 calls, 0 messages`);
		console.log(`  Conversation Check      ${fmt(conversationMs)}, ${healthy.calls.canary} canary + ${healthy.calls.bot} bot calls, 2 messages`);
		console.log(`  canary per day at ${intervalMin} min: ${perDay} checks, ${perDay} canary messages + ${perDay} answers = ${2 * perDay} messages, ${fmt(perDay * conversationMs)} of checking\n`);

		// ---------------------------------------------------------------- the Check alone and the Conversation Check, zombie
		evolution.patchState({ instances: { ventas: { zombie: true } } });
		const zombieAt = performance.now();
		const checkDuring = await bot.check(CALL);
		const zombie = await runConversationCheck({ bot, canary, botNumber: BOT, canaryNumber: CANARY, timing, language: 'es', call: CALL });
		const conversationDetectMs = performance.now() - zombieAt;
		console.log('Zombie detection (fault → first degraded/down result)');
		console.log(`  Check alone (baseline)  never: ${checkDuring.status}, state ${String(checkDuring.details?.state ?? '?')}`);
		console.log(
			`  Conversation Check      ${fmt(conversationDetectMs)} (${zombie.result.status}, ${zombie.result.cause?.code}); in the Monitor up to one interval more: ${fmt(conversationDetectMs)}–${fmt(conversationDetectMs + intervalMin * MINUTE_MS)}`,
		);

		// ---------------------------------------------------------------- the Passive Check, per profile
		for (const perHour of profiles) {
			reset();
			evolution.act('traffic', { instance: 'ventas', days: 14, perHour, answerAfterS: 20 });
			evolution.patchState({ instances: { ventas: { zombie: true } } });
			const faultAt = Date.now();
			let detectedAfter: number | undefined;
			let costMs = 0;
			let calls = 0;
			let runs = 0;
			let code = '';
			let read = 0;
			for (let tick = 1; tick <= DAY_TICKS(intervalMin); tick++) {
				const now = faultAt + tick * intervalMin * MINUTE_MS;
				const t = performance.now();
				const outcome = await runPassiveCheck({ gateway: bot, parameters: DEFAULT_PASSIVE_PARAMETERS, call: CALL, now: () => now });
				costMs += performance.now() - t;
				calls += outcome.calls;
				runs += 1;
				read = (outcome.verdict?.inbound ?? 0) + (outcome.verdict?.outbound ?? 0);
				if (outcome.result.status !== 'healthy') {
					detectedAfter = tick * intervalMin * MINUTE_MS;
					code = outcome.result.cause?.code ?? '';
					break;
				}
			}
			console.log(
				`  Passive, ${String(perHour).padStart(3)} customers/h  ${detectedAfter === undefined ? 'not within a day' : `${fmt(detectedAfter)} (${code})`}; ` +
					`each check read ${read} messages in ${Math.round(calls / runs)} calls, ${fmt(costMs / runs)}`,
			);
		}
		console.log(`\n(Passive defaults: Min Silence ${DEFAULT_PASSIVE_PARAMETERS.minSilenceMs / MINUTE_MS} min, Max Silence Odds ${DEFAULT_PASSIVE_PARAMETERS.maxSilenceOdds}, ${DEFAULT_PASSIVE_PARAMETERS.historyDays} days of history.)`);
	} finally {
		await evolution.close();
		network.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
