/**
 * A real SMTP server (npm `smtp-server`) for alert e-mails: plain TCP (no TLS),
 * optional AUTH PLAIN/LOGIN, every message parsed with mailparser and kept, and a
 * switch to reject the next N messages with a chosen SMTP code.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface StartSmtpOptions {
	/** With user+password, clients must AUTH (PLAIN or LOGIN); without, AUTH is not offered. */
	user?: string;
	password?: string;
	port?: number;
	host?: string;
}

export interface ReceivedAttachment {
	filename: string | undefined;
	contentType: string;
	size: number;
	content: Buffer;
}

export interface ReceivedMail {
	/** SMTP envelope as the client sent it. */
	envelope: { mailFrom: string | null; rcptTo: string[] };
	/** The user the client authenticated as, if any. */
	authUser: string | null;
	/** Header addresses (just the addresses, e.g. 'owner@shop.local'). */
	from: string | null;
	to: string[];
	cc: string[];
	subject: string | undefined;
	text: string | undefined;
	html: string | undefined;
	attachments: ReceivedAttachment[];
	raw: Buffer;
	/** mailparser's full result, for anything not surfaced above. */
	parsed: ParsedMail;
	receivedAt: Date;
}

export interface RejectOptions {
	/** SMTP reply code, e.g. 451 (temporary) or 550 (permanent). */
	code?: number;
	message?: string;
	/** When to refuse: at MAIL FROM, or after the message body (DATA), like a content filter. */
	stage?: 'mail' | 'data';
}

export interface SmtpHarness {
	host: string;
	port: number;
	/** null when the server runs without AUTH. */
	user: string | null;
	password: string | null;
	/** Always false: plain SMTP without TLS or STARTTLS. */
	secure: false;
	messages(): ReceivedMail[];
	/** Resolves with all messages once at least `count` arrived; rejects after `timeoutMs`. */
	waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
	clear(): void;
	/** Refuse the next `count` messages with `code` (default 451). */
	rejectNext(count: number, options?: RejectOptions): void;
	/** Messages refused so far by rejectNext. */
	rejectedCount(): number;
	stop(): Promise<void>;
}

const DEFAULT_REJECT_MESSAGES: Record<number, string> = {
	421: 'Service not available, closing transmission channel',
	450: 'Requested mail action not taken: mailbox unavailable',
	451: 'Requested action aborted: local error in processing',
	452: 'Requested action not taken: insufficient system storage',
	550: 'Requested action not taken: mailbox unavailable',
	552: 'Requested mail action aborted: exceeded storage allocation',
	554: 'Transaction failed',
};

interface PendingRejection {
	remaining: number;
	code: number;
	message: string;
	stage: 'mail' | 'data';
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
	return Object.assign(new Error(message), { responseCode: code });
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
	const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
	return objects.flatMap((object) => object.value.flatMap((entry) => (entry.group ?? [entry]).map((member) => member.address ?? '')));
}

function envelopeAddress(address: SMTPServerAddress | false): string | null {
	return address === false ? null : address.address;
}

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

async function toReceivedMail(raw: Buffer, session: SMTPServerSession): Promise<ReceivedMail> {
	const parsed = await simpleParser(raw);
	const authUser: unknown = session.user;
	return {
		envelope: {
			mailFrom: envelopeAddress(session.envelope.mailFrom),
			rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
		},
		authUser: typeof authUser === 'string' ? authUser : null,
		from: addresses(parsed.from)[0] ?? null,
		to: addresses(parsed.to),
		cc: addresses(parsed.cc),
		subject: parsed.subject,
		text: parsed.text,
		html: parsed.html === false ? undefined : parsed.html,
		attachments: parsed.attachments.map((attachment) => ({
			filename: attachment.filename,
			contentType: attachment.contentType,
			size: attachment.size,
			content: attachment.content,
		})),
		raw,
		parsed,
		receivedAt: new Date(),
	};
}

export async function startSmtp(options: StartSmtpOptions = {}): Promise<SmtpHarness> {
	const host = options.host ?? '127.0.0.1';
	const requiresAuth = options.user !== undefined;
	if (requiresAuth && options.password === undefined) throw new Error('startSmtp: a user needs a password');
	const received: ReceivedMail[] = [];
	const waiters = new Set<() => void>();
	let rejection: PendingRejection | null = null;
	let rejected = 0;

	/** Consumes one pending rejection for this stage, if any. */
	const takeRejection = (stage: PendingRejection['stage']): Error | null => {
		if (rejection === null || rejection.stage !== stage) return null;
		const error = smtpError(rejection.code, rejection.message);
		rejection.remaining -= 1;
		if (rejection.remaining <= 0) rejection = null;
		rejected += 1;
		return error;
	};

	const server = new SMTPServer({
		name: 'smtp.autorecovery.test',
		banner: 'autorecovery test SMTP',
		secure: false,
		// Plain TCP only: no STARTTLS offered, so clients never try to upgrade.
		disabledCommands: requiresAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
		authOptional: !requiresAuth,
		allowInsecureAuth: true,
		authMethods: ['PLAIN', 'LOGIN'],
		logger: false,
		closeTimeout: 500,
		onAuth(auth, _session, callback) {
			if (auth.username === options.user && auth.password === options.password) {
				callback(null, { user: auth.username });
				return;
			}
			callback(smtpError(535, 'Authentication credentials invalid'));
		},
		onMailFrom(_address, _session, callback) {
			callback(takeRejection('mail'));
		},
		onData(stream, session, callback) {
			readStream(stream)
				.then(async (raw) => {
					const refusal = takeRejection('data');
					if (refusal !== null) {
						callback(refusal);
						return;
					}
					// Parse before answering 250, so the mail is visible once the client's send resolves.
					received.push(await toReceivedMail(raw, session));
					for (const wake of waiters) wake();
					callback(null, 'OK: message received');
				})
				.catch((error: unknown) => callback(smtpError(451, `could not read the message: ${String(error)}`)));
		},
	});

	const port = await new Promise<number>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			const address = server.server.address();
			if (address === null || typeof address === 'string') reject(new Error('SMTP server has no TCP address'));
			else resolve(address.port);
		});
	});
	// Client errors (resets, bad commands) are part of the tests, not failures of the server.
	server.on('error', () => undefined);

	let stopping: Promise<void> | null = null;
	return {
		host,
		port,
		user: options.user ?? null,
		password: options.password ?? null,
		secure: false,
		messages: () => [...received],
		waitForMessages: (count, timeoutMs = 5_000) =>
			new Promise<ReceivedMail[]>((resolve, reject) => {
				const check = (): boolean => {
					if (received.length < count) return false;
					waiters.delete(wake);
					clearTimeout(timer);
					resolve([...received]);
					return true;
				};
				const wake = (): void => void check();
				const timer = setTimeout(() => {
					waiters.delete(wake);
					reject(new Error(`expected ${count} e-mail(s) within ${timeoutMs} ms, got ${received.length}`));
				}, timeoutMs);
				waiters.add(wake);
				check();
			}),
		clear: () => {
			received.length = 0;
		},
		rejectNext: (count, rejectOptions = {}) => {
			const code = rejectOptions.code ?? 451;
			rejection =
				count > 0
					? {
							remaining: count,
							code,
							message: rejectOptions.message ?? DEFAULT_REJECT_MESSAGES[code] ?? `Injected failure ${code}`,
							stage: rejectOptions.stage ?? 'data',
						}
					: null;
		},
		rejectedCount: () => rejected,
		stop: () => {
			stopping ??= new Promise<void>((resolve) => server.close(() => resolve()));
			return stopping;
		},
	};
}
