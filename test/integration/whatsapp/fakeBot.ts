/**
 * A tiny sales bot for the conversation tests: an HTTP receiver for the gateways' message
 * webhooks (Evolution `messages.upsert`, WAHA `message`, Meta `messages`) that answers each
 * incoming text through the same gateway, like a bot workflow would. Its behaviour is switched
 * per test: answer, stay silent, answer late, or answer something else.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { call } from '../emulators/selfTest';

export interface FakeBotGateways {
	evolution?: { url: string; apiKey: string };
	waha?: { url: string; apiKey: string };
	cloud?: { url: string; token: string; phoneNumberId: string };
}

export interface FakeBot {
	url: string;
	/** `answer` (default), `silent`, or a different text. */
	mode: 'answer' | 'silent';
	/** Delay before answering, ms. */
	delayMs: number;
	/** The reply text; default a greeting. */
	replyText: string;
	/** Incoming texts the bot saw. */
	seen: string[];
	close(): Promise<void>;
}

const DEFAULT_REPLY = '¡Hola! Soy el bot de la tienda, ¿qué buscás? Mirá el catálogo.';

export async function startFakeBot(gateways: FakeBotGateways): Promise<FakeBot> {
	const pending = new Set<Promise<unknown>>();
	const bot: FakeBot = {
		url: '',
		mode: 'answer',
		delayMs: 0,
		replyText: DEFAULT_REPLY,
		seen: [],
		close: async () => undefined,
	};

	const answer = (send: () => Promise<unknown>) => {
		if (bot.mode === 'silent') return;
		const job = new Promise((resolve) => setTimeout(resolve, bot.delayMs)).then(send).catch(() => undefined);
		pending.add(job);
		void job.finally(() => pending.delete(job));
	};

	const handle = (path: string, body: Record<string, unknown>) => {
		if (path.startsWith('/evo') && body.event === 'messages.upsert' && gateways.evolution) {
			const data = body.data as { key: { fromMe: boolean; remoteJid: string }; message?: { conversation?: string } };
			if (data.key.fromMe) return;
			bot.seen.push(data.message?.conversation ?? '');
			const { url, apiKey } = gateways.evolution;
			answer(() =>
				call(`${url}/message/sendText/${String(body.instance)}`, {
					method: 'POST',
					headers: { apikey: apiKey, 'content-type': 'application/json' },
					body: JSON.stringify({ number: data.key.remoteJid.split('@')[0], text: bot.replyText }),
				}),
			);
		} else if (path.startsWith('/waha') && body.event === 'message' && gateways.waha) {
			const payload = body.payload as { from: string; fromMe: boolean; body: string };
			if (payload.fromMe) return;
			bot.seen.push(payload.body);
			const { url, apiKey } = gateways.waha;
			answer(() =>
				call(`${url}/api/sendText`, {
					method: 'POST',
					headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
					body: JSON.stringify({ session: body.session, chatId: payload.from, text: bot.replyText }),
				}),
			);
		} else if (path.startsWith('/meta') && gateways.cloud) {
			const entries = (body.entry ?? []) as Array<{ changes: Array<{ value: { messages?: Array<{ from: string; text?: { body: string } }> } }> }>;
			for (const message of entries.flatMap((e) => e.changes.flatMap((c) => c.value.messages ?? []))) {
				bot.seen.push(message.text?.body ?? '');
				const { url, token, phoneNumberId } = gateways.cloud;
				answer(() =>
					call(`${url}/v23.0/${phoneNumberId}/messages`, {
						method: 'POST',
						headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
						body: JSON.stringify({ messaging_product: 'whatsapp', to: message.from, type: 'text', text: { body: bot.replyText } }),
					}),
				);
			}
		}
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			res.writeHead(200).end('ok');
			try {
				handle(req.url ?? '/', JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
			} catch {
				// Not JSON: not a message webhook.
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	bot.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	bot.close = async () => {
		await Promise.allSettled([...pending]);
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	return bot;
}
