/**
 * For every chaos fault of the demo (scripts/lib/demo/faults.ts), the first alert the
 * owner gets, replayed through the tracker with the demo's timing (30 s ticks, 5 s
 * confirmation, fast recoveries): its first line says what happened and what to do (or
 * that nothing is left to do), in the configured language. These texts are the contract.
 */
import { formatAlert, type AlertResult } from '../../../nodes/shared/alerts/formatAlert';
import type { CheckResult, Component } from '../../../nodes/shared/contract';
import { FAULTS } from '../../../scripts/lib/demo/faults';
import { failing, healthy, recovery, SEC, T0, type RecoveryOptions } from '../incident/results';
import { runScenario } from '../incident/scenario';

const TICK = 30 * SEC;
const CONFIRM = 5 * SEC;

interface Replay {
	before: CheckResult;
	broken: CheckResult;
	/** The action Recover runs and what its re-check finds; absent: the tracker escalates at once. */
	fix?: { after: CheckResult; options: RecoveryOptions };
}

const at = (component: Component, target: string) => ({ component, target });
const whatsapp = at('whatsapp', 'evolution:ventas');
const catalog = at('database', 'postgres:demo_shop');

/** A result of one of WhatsApp's customer-path probes on the bot's target (its own incident). */
const onProbe = (probe: string, result: CheckResult): CheckResult => ({ ...result, probe });

const REPLAYS: Record<string, Replay> = {
	'whatsapp-zombie': {
		before: onProbe('conversation', healthy(whatsapp.component, whatsapp.target)),
		broken: onProbe('conversation', failing({ ...whatsapp, code: 'whatsapp.inbound_not_delivered', message: 'The bot\'s gateway never received the canary\'s message.' })),
		fix: { after: onProbe('conversation', healthy(whatsapp.component, whatsapp.target)), options: { action: 'whatsapp.reconnect' } },
	},
	'webhook-lost': {
		before: onProbe('webhook', healthy(whatsapp.component, whatsapp.target)),
		broken: onProbe('webhook', failing({ ...whatsapp, code: 'whatsapp.webhook_missing', message: 'No webhook sends messages to the bot.' })),
		fix: { after: onProbe('webhook', healthy(whatsapp.component, whatsapp.target)), options: { action: 'whatsapp.restore_webhook' } },
	},
	'bot-silent': {
		before: onProbe('conversation', healthy(whatsapp.component, whatsapp.target)),
		broken: onProbe('conversation', failing({ ...whatsapp, code: 'whatsapp.bot_silent', needsHuman: true, message: 'The bot\'s gateway has the message; the bot did not answer.' })),
	},
	'whatsapp-disconnect': {
		before: healthy(whatsapp.component, whatsapp.target),
		broken: failing({ ...whatsapp, code: 'whatsapp.disconnected', message: 'Evolution instance "ventas" is disconnected from WhatsApp (state close).' }),
		fix: { after: healthy(whatsapp.component, whatsapp.target), options: { action: 'whatsapp.reconnect' } },
	},
	'images-lost': {
		before: healthy(catalog.component, catalog.target),
		broken: failing({ ...catalog, code: 'database.products_without_images', status: 'degraded', message: '30 products have no image.' }),
		fix: { after: healthy(catalog.component, catalog.target), options: { action: 'database.restore_images' } },
	},
	'groq-down': {
		before: healthy('llm', 'groq'),
		broken: failing({ component: 'llm', target: 'groq', code: 'provider.server_error', message: 'Groq answered HTTP 500.' }),
		fix: { after: healthy('llm', 'groq'), options: { action: 'llm.use_fallback' } },
	},
	'payment-token-revoked': {
		before: healthy('payments', 'mercadopago'),
		broken: failing({ component: 'payments', target: 'mercadopago', code: 'auth.invalid_credentials', needsHuman: true, message: 'MercadoPago rejected the access token (401).' }),
	},
	'catalog-empty': {
		before: healthy(catalog.component, catalog.target),
		broken: failing({ ...catalog, code: 'database.catalog_empty', message: 'The products table has no rows.' }),
		fix: { after: failing({ ...catalog, code: 'database.catalog_empty', message: 'The products table has no rows.' }), options: { action: 'database.import_catalog' } },
	},
};

const FIRST_LINES: Record<string, { en: string; es: string }> = {
	'whatsapp-zombie': {
		en: 'Resolved: WhatsApp (evolution:ventas) works again after 6 s (at most 36 s, counted from the last good check), restarted automatically. Nothing to do.',
		es: 'Resuelto: WhatsApp (evolution:ventas) funciona de nuevo tras 6 s (36 s como mucho, contando desde la última revisión correcta), se reinició automáticamente. No hace falta hacer nada.',
	},
	'webhook-lost': {
		en: 'Resolved: WhatsApp (evolution:ventas) works again after 6 s (at most 36 s, counted from the last good check), webhook restored automatically. Nothing to do.',
		es: 'Resuelto: WhatsApp (evolution:ventas) funciona de nuevo tras 6 s (36 s como mucho, contando desde la última revisión correcta), se restauró el webhook automáticamente. No hace falta hacer nada.',
	},
	'bot-silent': {
		en: 'Needs you: Customers’ messages reach the bot but it does not answer: WhatsApp is fine, so open the bot’s workflow in n8n and check its last executions and its AI credential.',
		es: 'Requiere su acción: Los mensajes de los clientes llegan al bot pero no responde: WhatsApp funciona, así que abra el workflow del bot en n8n y revise sus últimas ejecuciones y la credencial de su IA.',
	},
	'whatsapp-disconnect': {
		en: 'Resolved: WhatsApp (evolution:ventas) works again after 6 s (at most 36 s, counted from the last good check), restarted automatically. Nothing to do.',
		es: 'Resuelto: WhatsApp (evolution:ventas) funciona de nuevo tras 6 s (36 s como mucho, contando desde la última revisión correcta), se reinició automáticamente. No hace falta hacer nada.',
	},
	'images-lost': {
		en: 'Resolved: Database (postgres:demo_shop) works again after 6 s (at most 36 s, counted from the last good check), images restored automatically. Nothing to do.',
		es: 'Resuelto: Base de datos (postgres:demo_shop) funciona de nuevo tras 6 s (36 s como mucho, contando desde la última revisión correcta), se restauraron las imágenes automáticamente. No hace falta hacer nada.',
	},
	'groq-down': {
		en: 'Resolved: LLM (groq) works again after 6 s (at most 36 s, counted from the last good check), switched to the fallback LLM automatically. Nothing to do.',
		es: 'Resuelto: LLM (groq) funciona de nuevo tras 6 s (36 s como mucho, contando desde la última revisión correcta), se cambió al LLM alternativo automáticamente. No hace falta hacer nada.',
	},
	'payment-token-revoked': {
		en: 'Needs you: Payments rejected its key or password (revoked or expired): put a new one in the credential “Autorecovery MercadoPago” (n8n → Credentials).',
		es: 'Requiere su acción: Pagos rechazó su clave o contraseña (revocada o vencida): ponga una nueva en la credencial “Autorecovery MercadoPago” (n8n → Credentials).',
	},
	'catalog-empty': {
		en: 'Problem: The product catalog is empty, so the bot has nothing to sell: import the products again or restore the last database backup (Volume Backup → Restore Postgres).',
		es: 'Problema: El catálogo de productos está vacío y el bot no tiene nada que vender: importe los productos de nuevo o restaure la última copia de la base de datos (Volume Backup → Restore Postgres).',
	},
};

function firstAlert(replay: Replay) {
	const firstFailure = T0;
	const run = runScenario([
		{ at: firstFailure - TICK, tick: [replay.before] },
		{ at: firstFailure, tick: [replay.broken] },
		{ at: firstFailure + CONFIRM, tick: [replay.broken] },
		...(replay.fix ? [{ at: firstFailure + CONFIRM + SEC, recovery: [recovery(replay.fix.after, replay.fix.options)] }] : []),
	]);
	const item = run.alerts[0];
	if (!item) throw new Error('no alert');
	const result: AlertResult = replay.fix ? recovery(replay.fix.after, replay.fix.options) : replay.broken;
	return { item: { ...item, result }, now: firstFailure + CONFIRM + (replay.fix ? SEC : 0) };
}

describe('the first alert of every chaos fault', () => {
	test('every fault but heal has a replay here', () => {
		expect(FAULTS.map((fault) => fault.name).filter((name) => name !== 'heal').sort()).toEqual(Object.keys(REPLAYS).sort());
	});

	test.each(Object.keys(REPLAYS))('%s: the first line in English and in Spanish', (name) => {
		const { item, now } = firstAlert(REPLAYS[name]);
		for (const language of ['en', 'es'] as const) {
			const alert = formatAlert(item, { language, now, editorUrl: 'https://n8n.example.test', statusPageUrl: 'https://n8n.example.test/webhook/status' });
			expect(alert.text.split('\n')[0]).toBe(FIRST_LINES[name][language]);
			expect(alert.emailSubject).toBe(FIRST_LINES[name][language]);
			expect(alert.text).toContain('https://n8n.example.test/webhook/status');
		}
	});

	test('a fault that needs a person links to where the person acts', () => {
		const { item, now } = firstAlert(REPLAYS['payment-token-revoked']);
		const alert = formatAlert(item, { language: 'en', now, editorUrl: 'https://n8n.example.test/' });
		expect(alert.text).toContain('Change the credential in n8n: https://n8n.example.test/home/credentials');
		const catalogAlert = formatAlert(firstAlert(REPLAYS['catalog-empty']).item, { language: 'es', now, editorUrl: 'https://n8n.example.test' });
		expect(catalogAlert.text).toContain('Abrir las copias de seguridad en n8n: https://n8n.example.test/workflow/arBackup00000001');
	});
});
