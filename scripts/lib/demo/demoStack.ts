/**
 * Everything the demo's bot depends on, started in this process: an embedded Postgres
 * with the bot's schema, a sample catalog and a week-like log history, every SaaS
 * emulator, and an SMTP catcher. close() stops what was started, in reverse.
 */
import crypto from 'node:crypto';

import { startEmulatedStack, STACK, type EmulatedStack, type EmulatorName } from '../../../dev/emulators/stack';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedCatalog, seedLogs } from '../../../dev/stack/seed';
import { startSmtp, type SmtpHarness } from '../../../dev/stack/smtp';
import { evolutionDefaults } from '../../../dev/emulators/whatsapp/evolution';
import { DEMO_CANARY_INSTANCE, DEMO_CANARY_NUMBER, DEMO_INSTANCE, type DemoEndpoints } from './demoEnv';

/** A catalog big enough to be realistic, small enough to seed in a second; every product has its image. */
const DEMO_CATALOG = { products: 300, missingImagesPct: 0, seed: 7 } as const;
/** Logs spread evenly over two days with a steady 2 % errors: no spike until something breaks. */
const DEMO_LOGS = { rows: 2_000, days: 2, errorPct: 2, seed: 7 } as const;
const SMTP_USER = 'alerts';

interface DemoStackOptions {
	/** 0 = free ports. */
	emulatorsBasePort: number;
	/** 0 = a free port. */
	smtpPort: number;
	log: (line: string) => void;
}

interface DemoStack {
	pg: PostgresHarness;
	emulators: EmulatedStack;
	smtp: SmtpHarness;
	endpoints: DemoEndpoints;
	close(): Promise<void>;
}

type Closer = () => Promise<void>;

async function closeAll(closers: Closer[]): Promise<void> {
	for (const close of [...closers].reverse()) await close().catch(() => undefined);
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
	const closers: Closer[] = [];
	try {
		options.log('starting Postgres (embedded) and seeding the sample catalog');
		const pg = await startPostgres({ databasePrefix: 'demo_shop' });
		closers.push(() => pg.stop());
		const db = await pg.connect();
		try {
			await applySchema(db);
			await seedCatalog(db, { ...DEMO_CATALOG });
			await seedLogs(db, { ...DEMO_LOGS });
		} finally {
			await db.end();
		}

		options.log('starting the emulators (WhatsApp, payments, LLMs, Slack) and the SMTP catcher');
		const emulators = await startEmulatedStack(options.emulatorsBasePort === 0 ? {} : { basePort: options.emulatorsBasePort });
		closers.push(() => emulators.close());
		// The demo's gateway heals on restart, so the recovery is visible (v2.3.6 would need a QR scan).
		emulators.evolution.patchState({ restartCloseQuirk: false });
		// Each alert's diagnosis is about its own failure, not the emulators' canned "WhatsApp is closed".
		for (const llm of [emulators.groq, emulators.openai, emulators.anthropic]) llm.patchState({ answerFromPrompt: true });
		// The conversation canary: a second number on its own instance, beside the bot's.
		const bot = evolutionDefaults.instances[DEMO_INSTANCE];
		emulators.evolution.patchState({
			instances: { [DEMO_CANARY_INSTANCE]: { ...structuredClone(bot), id: 'demo-canary', token: crypto.randomBytes(12).toString('hex'), number: DEMO_CANARY_NUMBER, ownerJid: `${DEMO_CANARY_NUMBER}@s.whatsapp.net`, profileName: 'Canary' } },
		});
		const smtpPassword = crypto.randomBytes(12).toString('hex');
		const smtp = await startSmtp({ user: SMTP_USER, password: smtpPassword, port: options.smtpPort });
		closers.push(() => smtp.stop());

		const urls = Object.fromEntries((Object.keys(STACK) as EmulatorName[]).map((name) => [name, emulators[name].url])) as Record<EmulatorName, string>;
		return {
			pg,
			emulators,
			smtp,
			endpoints: {
				postgres: pg.connection,
				smtp: { host: smtp.host, port: smtp.port, user: SMTP_USER, password: smtpPassword },
				emulators: urls,
				access: { webhookToken: crypto.randomBytes(18).toString('base64url'), statusUser: 'demo', statusPassword: crypto.randomBytes(12).toString('base64url'), relinkSecret: crypto.randomBytes(32).toString('base64url') },
			},
			close: () => closeAll(closers),
		};
	} catch (error) {
		await closeAll(closers);
		throw error;
	}
}
