/**
 * "Try it in two minutes", as a newcomer does it: `npm run demo` in one terminal,
 * `npm run chaos -- whatsapp-disconnect` in another, then watch the alert arrive at
 * the Slack catcher and the recovery appear in n8n's execution history within one
 * tick. Also every other fault and `heal` against the real servers, chaos's clear
 * failures, that no secret is ever printed, and that Ctrl+C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import { emulatorKeys } from '../../scripts/lib/demo/demoEnv';
import { FAULTS } from '../../scripts/lib/demo/faults';
import { parseDemoState, type DemoState } from '../../scripts/lib/demo/state';
import { PROJECT_ROOT } from '../../scripts/lib/paths';
import { isPortOpen } from '../../scripts/lib/ports';
import { WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { slackDefaults } from '../../dev/emulators/alerts/slack';
import { mercadoPagoDefaults } from '../../dev/emulators/payments/mercadopago';
import { payPalDefaults } from '../../dev/emulators/payments/paypal';
import { STACK } from '../../dev/emulators/stack';
import { evolutionDefaults } from '../../dev/emulators/whatsapp/evolution';
import { waitFor } from '../../dev/n8n/testN8n';

const TICK_SECONDS = 20;
const CONFIRM_SECONDS = 3;
/** One tick, the confirmation, and the Monitor's own run time on a loaded 2-core machine. */
const ONE_TICK_MS = (TICK_SECONDS + CONFIRM_SECONDS + 30) * 1000;

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** `npm run chaos -- <args>` as a user types it, in its own terminal. */
function chaos(args: string[], env: Record<string, string>): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', 'chaos', '--', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Resolves with `value` after `ms`, without keeping Jest alive once the race is decided. */
function after<T>(ms: number, value: T): Promise<T> {
	return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
	const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
	if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
	return (await response.json()) as T;
}

describe('npm run chaos without a demo', () => {
	let dir: string;
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-none-'));
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('an unknown fault exits 2 and lists the faults', async () => {
		const run = await chaos(['whatsapp-explode'], { DEMO_DIR: dir });
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('unknown fault "whatsapp-explode"');
		for (const fault of FAULTS) expect(run.stderr).toContain(fault.name);
	});

	test('no demo running: exit 1 and a clear message, nothing attempted', async () => {
		const run = await chaos(['whatsapp-disconnect'], { DEMO_DIR: dir });
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/no demo is running .*state\.json does not exist.*npm run demo/);
		expect(run.stdout).not.toContain('done:');
	});

	test('a demo whose emulators hang: chaos gives up after its timeout with a clear message', async () => {
		// Accepts connections and never answers, like a frozen process.
		const sockets: net.Socket[] = [];
		const frozen = net.createServer((socket) => sockets.push(socket));
		await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', () => resolve()));
		const url = `http://127.0.0.1:${(frozen.address() as net.AddressInfo).port}`;
		const state: DemoState = {
			// This test process stands in for a live demo.
			pid: process.pid,
			startedAt: new Date().toISOString(),
			tickSeconds: TICK_SECONDS,
			confirmSeconds: CONFIRM_SECONDS,
			n8n: { url, editorUrl: url, apiKey: 'test-api-key-not-real', ownerEmail: 'demo@autorecovery.local' },
			postgresUrl: 'postgres://postgres:test-pg-password-not-real@127.0.0.1:1/none',
			emulators: Object.fromEntries(Object.keys(STACK).map((name) => [name, url])) as DemoState['emulators'],
			smtp: { host: '127.0.0.1', port: 1 },
			evolutionInstance: 'ventas',
			adminNumber: '5215599999999',
		};
		expect(parseDemoState(state)).toEqual(state);
		fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state), { mode: 0o600 });
		try {
			const started = Date.now();
			const run = await chaos(['whatsapp-disconnect'], { DEMO_DIR: dir });
			expect(run.code).toBe(1);
			expect(run.stderr).toMatch(/the evolution emulator at http:\/\/127\.0\.0\.1:\d+ did not answer \(no answer within 5000 ms\); is the demo still running\?/);
			expect(Date.now() - started).toBeLessThan(30_000);
			expect(`${run.stdout}${run.stderr}`).not.toContain('test-pg-password-not-real');
		} finally {
			sockets.forEach((socket) => socket.destroy());
			await new Promise((resolve) => frozen.close(resolve));
			fs.rmSync(path.join(dir, 'state.json'), { force: true });
		}
	});
});

describe('npm run demo + npm run chaos', () => {
	let dir: string;
	let demo: ChildProcess;
	let output = '';
	let exited: Promise<number | null>;
	let state: DemoState;
	const chaosOutput: string[] = [];
	const env = () => ({ DEMO_DIR: dir });
	const runChaos = async (fault: string) => {
		const run = await chaos([fault], env());
		chaosOutput.push(run.stdout, run.stderr);
		return run;
	};

	const slackTexts = async () =>
		(await getJson<{ received: Array<{ payload: { text?: string } }> }>(`${state.emulators.slack}/__emulator/state`)).received.map((m) => String(m.payload.text ?? ''));
	const recoverExecutions = async () =>
		(
			await getJson<{ data: Array<{ id: string; status: string; stoppedAt: string | null; data?: unknown }> }>(
				`${state.n8n.url}/api/v1/executions?workflowId=${WORKFLOW_IDS.recover}&includeData=true&limit=50`,
				{ 'X-N8N-API-KEY': state.n8n.apiKey },
			)
		).data;
	const query = async (sql: string): Promise<number> => {
		const client = new Client({ connectionString: state.postgresUrl, connectionTimeoutMillis: 5_000 });
		await client.connect();
		try {
			return Number((await client.query<{ n: string }>(sql)).rows[0].n);
		} finally {
			await client.end();
		}
	};

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-e2e-'));
		demo = spawn('npm', ['run', 'demo'], {
			cwd: PROJECT_ROOT,
			env: {
				...process.env,
				DEMO_DIR: dir,
				DEMO_TICK_SECONDS: String(TICK_SECONDS),
				DEMO_CONFIRM_SECONDS: String(CONFIRM_SECONDS),
				// Free ports: this must not clash with a demo or `npm start` the developer has running.
				DEMO_N8N_PORT: '0',
				DEMO_EMULATORS_BASE_PORT: '0',
				DEMO_SMTP_PORT: '0',
			},
			// Its own process group, like a terminal's foreground job.
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		demo.stdout?.on('data', (d: Buffer) => (output += d.toString()));
		demo.stderr?.on('data', (d: Buffer) => (output += d.toString()));
		exited = new Promise((resolve) => demo.on('close', (code) => resolve(code)));
		let code: number | null | undefined;
		void exited.then((c) => (code = c));
		await waitFor(
			() => {
				if (code !== undefined) throw new Error(`npm run demo exited with ${code} before it was ready:\n${output}`);
				// The last line of the ready banner: the lines before it may arrive in later chunks.
				return output.includes('Ctrl+C stops everything') ? true : undefined;
			},
			240_000,
			`the demo's ready banner (up to "Ctrl+C stops everything") in:\n${output}`,
		);
		const parsed = parseDemoState(JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as unknown);
		if (typeof parsed === 'string') throw new Error(`bad state file: ${parsed}`);
		state = parsed;
	});

	afterAll(async () => {
		if (demo?.pid && demo.exitCode === null && demo.signalCode === null) {
			try {
				process.kill(-demo.pid, 'SIGINT');
			} catch {
				// already gone
			}
			const stopped = await Promise.race([exited.then(() => true), after(30_000, false)]);
			if (!stopped) {
				try {
					process.kill(-demo.pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}
		}
		fs.rmSync(dir, { recursive: true, force: true });
	});

	test('prints where to look: the editor and its login, where alerts appear, every chaos command', () => {
		expect(output).toContain(`[demo] ready: n8n ${state.n8n.editorUrl}`);
		expect(output).toMatch(/log in as demo@autorecovery\.local \/ \S+/);
		expect(output).toContain(`the Monitor runs every ${TICK_SECONDS} s`);
		expect(output).toContain(`[slack] …           the Slack emulator (${state.emulators.slack})`);
		expect(output).toContain(`the SMTP catcher (${state.smtp.host}:${state.smtp.port})`);
		expect(output).toContain(`${state.n8n.editorUrl}/workflow/${WORKFLOW_IDS.recover}/executions`);
		for (const fault of FAULTS) expect(output).toContain(`npm run chaos -- ${fault.name}`);
		expect(output).toContain('Ctrl+C stops everything');
		expect(output).toContain(`each e-mail is saved to open in a browser, in ${path.join(dir, 'mail')}`);
		expect(output).toMatch(/the manual API: curl -X POST \S+\/webhook\/auto-recovery -H 'X-Autorecovery-Token: \S+'/);
		// Its own user folder, and a state file only its owner can read.
		expect(fs.existsSync(path.join(dir, 'n8n', '.n8n'))).toBe(true);
		expect(fs.statSync(path.join(dir, 'state.json')).mode & 0o777).toBe(0o600);
	});

	test('the status page the banner names opens with the printed login, and refuses without it', async () => {
		const line = /the status page: (\S+)\s+\(log in as (\S+) \/ (\S+)\)/.exec(output);
		if (!line) throw new Error(`no status page line in:\n${output}`);
		const [, url, user, password] = line;
		expect(url).toBe(`${state.n8n.editorUrl}/webhook/status`);
		const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
		// A published webhook may answer 404 for a moment after n8n starts (2.4x): wait for it to register.
		const page = await waitFor(
			async () => {
				const response = await fetch(url, { headers: basic(user, password) });
				return response.status === 404 ? undefined : { status: response.status, text: await response.text() };
			},
			30_000,
			'the status page webhook',
		);
		expect(page.status).toBe(200);
		expect(page.text).toMatch(/<html/i);
		expect((await fetch(url, { headers: basic(user, `${password}x`) })).status).toBeGreaterThanOrEqual(401);
	});

	test('chaos whatsapp-disconnect: within one tick the Slack catcher has the WhatsApp alert and n8n the Recover execution', async () => {
		const slackBefore = (await slackTexts()).length;
		const recoveriesBefore = new Set((await recoverExecutions()).map((e) => e.id));
		const started = Date.now();
		const run = await runChaos('whatsapp-disconnect');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('done: Evolution instance "ventas" is now disconnected (state close)');
		expect(run.stdout).toContain(`watch: within one tick (${TICK_SECONDS} s)`);
		const instance = await getJson<{ instances: { ventas: { state: string } } }>(`${state.emulators.evolution}/__emulator/state`);
		expect(['close', 'open']).toContain(instance.instances.ventas.state);

		const alert = await waitFor(
			async () => (await slackTexts()).slice(slackBefore).find((text) => /WhatsApp/.test(text) && /evolution:ventas/.test(text)),
			ONE_TICK_MS,
			'the WhatsApp alert at the Slack catcher',
		);
		expect(alert).toMatch(/disconnected/i);
		expect(alert).toMatch(/whatsapp\.reconnect/);
		const recovery = await waitFor(
			async () => (await recoverExecutions()).find((e) => !recoveriesBefore.has(e.id) && e.stoppedAt !== null && JSON.stringify(e.data).includes('whatsapp.reconnect')),
			Math.max(5_000, ONE_TICK_MS - (Date.now() - started)),
			'the Recover execution in n8n',
		);
		expect(recovery.status).toBe('success');
		expect(Date.now() - started).toBeLessThan(ONE_TICK_MS);
		// The recovery worked: the instance is connected again.
		const after = await getJson<{ instances: { ventas: { state: string } } }>(`${state.emulators.evolution}/__emulator/state`);
		expect(after.instances.ventas.state).toBe('open');
		// And the newcomer saw both in the demo's terminal.
		// The line says what n8n says and what the recovery did (its custom data), not only n8n's status.
		await waitFor(() => (new RegExp(`\\[n8n\\] Recover execution ${recovery.id} fixed it \\(success\\): whatsapp evolution:ventas, whatsapp\\.reconnect`).test(output) ? true : undefined), 10_000, 'the printed Recover line');
		expect(output).toMatch(/^\[slack\] .*WhatsApp.*evolution:ventas/m);
		// The e-mail goes out beside the Slack post; SMTP delivery may land a moment later.
		const mailLine = await waitFor(() => /^\[email → owner@shop\.local\] .*WhatsApp.*\((\/\S+\.html)\)$/m.exec(output) ?? undefined, 20_000, 'the printed e-mail line');
		// The e-mail itself, saved where the banner said, is the alert's HTML page, readable by its owner only.
		const mailFile = mailLine[1];
		expect(path.dirname(mailFile)).toBe(path.join(dir, 'mail'));
		expect(fs.statSync(mailFile).mode & 0o777).toBe(0o600);
		const page = fs.readFileSync(mailFile, 'utf8');
		expect(page).toMatch(/^<!DOCTYPE html>/);
		expect(page).toMatch(/WhatsApp/);
	});

	test('the other faults break what they say against the real servers, and heal undoes all of them', async () => {
		const groq = await runChaos('groq-down');
		expect(groq.code).toBe(0);
		expect(await getJson(`${state.emulators.groq}/__emulator/faults`)).toEqual({ '*': { status: 500 } });

		const payment = await runChaos('payment-token-revoked');
		expect(payment.code).toBe(0);
		expect((await getJson<{ revokedTokens: string[] }>(`${state.emulators.mercadopago}/__emulator/state`)).revokedTokens).toHaveLength(1);

		const images = await runChaos('images-lost');
		expect(images.code).toBe(0);
		expect(images.stdout).toContain('done: set image_url to NULL on 30 products (every 10th)');
		// Checked at once: the Monitor needs a tick and a confirmation before it repairs anything.
		expect(await query('SELECT count(*) AS n FROM products WHERE image_url IS NULL')).toBe(30);

		const empty = await runChaos('catalog-empty');
		expect(empty.code).toBe(0);
		expect(empty.stdout).toContain('done: deleted all 300 products');
		expect(await query('SELECT count(*) AS n FROM products')).toBe(0);

		const disconnect = await runChaos('whatsapp-disconnect');
		expect(disconnect.code).toBe(0);

		const heal = await runChaos('heal');
		expect(heal.code).toBe(0);
		expect(heal.stdout).toContain('done: put back 300 products removed by catalog-empty');
		expect(heal.stdout).toContain('done: restored 30 product images from product_images_backup');
		expect(await query('SELECT count(*) AS n FROM products')).toBe(300);
		expect(await query('SELECT count(*) AS n FROM products WHERE image_url IS NULL')).toBe(0);
		expect((await getJson<{ instances: { ventas: { state: string } } }>(`${state.emulators.evolution}/__emulator/state`)).instances.ventas.state).toBe('open');
		expect((await getJson<{ revokedTokens: string[] }>(`${state.emulators.mercadopago}/__emulator/state`)).revokedTokens).toEqual([]);
		for (const url of Object.values(state.emulators)) expect(await getJson(`${url}/__emulator/faults`)).toEqual({});
	});

	test('no secret appears in anything the demo or chaos printed', () => {
		const password = decodeURIComponent(new URL(state.postgresUrl).password);
		const secrets = [password, state.n8n.apiKey, slackDefaults.webhookPath, evolutionDefaults.apiKey, mercadoPagoDefaults.productionToken, payPalDefaults.clientSecret, ...Object.values(emulatorKeys())];
		expect(password.length).toBeGreaterThan(8);
		const printed = `${output}\n${chaosOutput.join('\n')}`;
		expect(printed.length).toBeGreaterThan(1000);
		for (const secret of secrets) expect({ secret, leaked: printed.includes(secret) }).toEqual({ secret, leaked: false });
	});

	test('Ctrl+C stops everything: n8n, the emulators, Postgres, and the state file goes', async () => {
		const port = (url: string) => Number(new URL(url).port);
		const ports = [port(state.n8n.url), port(state.emulators.slack), port(state.emulators.evolution), new URL(state.postgresUrl).port, state.smtp.port].map(Number);
		for (const p of ports) expect(await isPortOpen(p)).toBe(true);
		process.kill(-(demo.pid as number), 'SIGINT');
		const outcome = await Promise.race([exited.then(() => 'exited'), after(45_000, 'still running after 45 s')]);
		expect(outcome).toBe('exited');
		expect(output).toMatch(/\[demo\] stopped\s*$/);
		for (const p of ports) expect({ port: p, open: await isPortOpen(p) }).toEqual({ port: p, open: false });
		expect(fs.existsSync(path.join(dir, 'state.json'))).toBe(false);
	});
});
