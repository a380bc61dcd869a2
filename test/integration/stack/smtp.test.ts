/**
 * The SMTP harness is a real SMTP server: nodemailer (present as mailparser's
 * dependency; used in tests only) talks to it over TCP, and a raw socket checks
 * what the server advertises.
 */
import net from 'node:net';

import nodemailer from 'nodemailer';

import { startSmtp, type SmtpHarness } from '../../../dev/stack/smtp';

const USER = 'alerts@shop.local';
const PASSWORD = 'smtp-test-password';

function transport(smtp: SmtpHarness, auth: { user: string; pass: string } | null = { user: USER, pass: PASSWORD }) {
	return nodemailer.createTransport({
		host: smtp.host,
		port: smtp.port,
		secure: false,
		ignoreTLS: true,
		...(auth === null ? {} : { auth }),
	});
}

/** nodemailer rejects with an Error carrying the SMTP reply code. */
function failure(error: unknown): { code?: unknown; responseCode?: unknown } {
	return typeof error === 'object' && error !== null ? (error as { code?: unknown; responseCode?: unknown }) : {};
}

/** EHLO over a raw socket: the lines of the server's reply. */
function ehlo(port: number): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let greeted = false;
		let reply = '';
		socket.on('data', (chunk) => {
			if (!greeted) {
				greeted = true; // the 220 banner
				socket.write('EHLO tester.local\r\n');
				return;
			}
			reply += chunk.toString('utf8');
			const lines = reply.split(/\r?\n/);
			if (lines.some((line) => line.startsWith('250 '))) {
				socket.end('QUIT\r\n');
				resolve(lines.filter((line) => /^250[- ]/.test(line)));
			}
		});
		socket.on('error', reject);
	});
}

describe('SMTP harness', () => {
	let smtp: SmtpHarness;

	beforeAll(async () => {
		smtp = await startSmtp({ user: USER, password: PASSWORD });
	});

	afterEach(() => smtp.clear());

	afterAll(async () => {
		await smtp?.stop();
	});

	test('advertises AUTH PLAIN LOGIN and no STARTTLS', async () => {
		const capabilities = await ehlo(smtp.port);
		expect(capabilities.join('\n')).toMatch(/AUTH PLAIN LOGIN/);
		expect(capabilities.join('\n')).not.toMatch(/STARTTLS/);
	});

	test('receives and parses a message with text, html and an attachment', async () => {
		const info = await transport(smtp).sendMail({
			from: '"Autorecovery" <bot@shop.local>',
			to: 'owner@shop.local, ops@shop.local',
			cc: 'cc@shop.local',
			subject: 'Catálogo: 12 productos sin imagen',
			text: 'Se restauraron 12 imágenes.',
			html: '<p>Se restauraron <b>12</b> imágenes.</p>',
			attachments: [{ filename: 'report.csv', content: 'sku,restored\nSKU-1,yes\n', contentType: 'text/csv' }],
		});
		expect(info.accepted).toEqual(['owner@shop.local', 'ops@shop.local', 'cc@shop.local']);

		const [mail] = await smtp.waitForMessages(1, 5_000);
		expect(mail?.subject).toBe('Catálogo: 12 productos sin imagen');
		expect(mail?.from).toBe('bot@shop.local');
		expect(mail?.to).toEqual(['owner@shop.local', 'ops@shop.local']);
		expect(mail?.cc).toEqual(['cc@shop.local']);
		expect(mail?.envelope).toEqual({ mailFrom: 'bot@shop.local', rcptTo: ['owner@shop.local', 'ops@shop.local', 'cc@shop.local'] });
		expect(mail?.authUser).toBe(USER);
		expect(mail?.text?.trim()).toBe('Se restauraron 12 imágenes.');
		expect(mail?.html).toContain('<b>12</b>');
		expect(mail?.attachments).toHaveLength(1);
		expect(mail?.attachments[0]).toMatchObject({ filename: 'report.csv', contentType: 'text/csv' });
		expect(mail?.attachments[0]?.content.toString('utf8')).toBe('sku,restored\nSKU-1,yes\n');
	});

	test('a wrong password gets 535; no credentials at all gets 530', async () => {
		const wrong = await transport(smtp, { user: USER, pass: 'nope' })
			.sendMail({ from: 'bot@shop.local', to: 'owner@shop.local', subject: 'x', text: 'x' })
			.catch((error: unknown) => error);
		expect(failure(wrong)).toMatchObject({ code: 'EAUTH', responseCode: 535 });

		const anonymous = await transport(smtp, null)
			.sendMail({ from: 'bot@shop.local', to: 'owner@shop.local', subject: 'x', text: 'x' })
			.catch((error: unknown) => error);
		expect(failure(anonymous).responseCode).toBe(530);
		expect(smtp.messages()).toHaveLength(0);
	});

	test('rejectNext: a temporary 451 after DATA, then delivery works again', async () => {
		smtp.rejectNext(1, { code: 451 });
		const mailer = transport(smtp);
		const message = { from: 'bot@shop.local', to: 'owner@shop.local', subject: 'retry me', text: 'x' };
		const first = await mailer.sendMail(message).catch((error: unknown) => error);
		expect(failure(first)).toMatchObject({ code: 'EMESSAGE', responseCode: 451 });
		expect(smtp.messages()).toHaveLength(0);

		await mailer.sendMail(message);
		expect(smtp.messages().map((mail) => mail.subject)).toEqual(['retry me']);
		expect(smtp.rejectedCount()).toBe(1);
	});

	test('rejectNext: a permanent 550 at MAIL FROM for the next two messages', async () => {
		smtp.rejectNext(2, { code: 550, stage: 'mail', message: 'Sender blocked' });
		const mailer = transport(smtp);
		const send = (subject: string) =>
			mailer.sendMail({ from: 'bot@shop.local', to: 'owner@shop.local', subject, text: 'x' }).catch((error: unknown) => error);
		const first = failure(await send('one'));
		const second = failure(await send('two'));
		expect([first.responseCode, second.responseCode]).toEqual([550, 550]);
		expect(first.code).toBe('EENVELOPE');
		await send('three');
		expect(smtp.messages().map((mail) => mail.subject)).toEqual(['three']);
	});

	test('waitForMessages rejects when the mail never comes', async () => {
		await expect(smtp.waitForMessages(1, 200)).rejects.toThrow(/expected 1 e-mail\(s\) within 200 ms, got 0/);
	});

	test('without a user the server accepts mail without AUTH', async () => {
		const open = await startSmtp();
		try {
			expect(open.user).toBeNull();
			await transport(open, null).sendMail({ from: 'bot@shop.local', to: 'owner@shop.local', subject: 'open relay', text: 'x' });
			const [mail] = await open.waitForMessages(1);
			expect(mail?.subject).toBe('open relay');
			expect(mail?.authUser).toBeNull();
		} finally {
			await open.stop();
		}
	});
});
