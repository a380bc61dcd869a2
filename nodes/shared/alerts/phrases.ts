/** The words of an alert in each language (Spanish is the shipped default). */
import type { ActionId, Component, DiagnosisSource, Status } from '../contract';
import type { AlertKind, EscalationReason } from '../incident/types';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Phrases {
	component: Record<Component, string>;
	status: Record<Status, string>;
	/** Subject of a grouped alert. */
	groupSubject: (size: number) => string;
	/** What an action did, for the resolved headline ("restarted"). */
	actionDone: Record<ActionId, string>;
	healedByItself: string;
	/** Why a person must act; `attempts` are this incident's automatic actions (0: none was tried, never "gave up after 0"). */
	escalationWhy: Record<EscalationReason, (attempts: number) => string>;
	labels: {
		component: string;
		target: string;
		status: string;
		cause: string;
		lastCause: string;
		diagnosis: string;
		action: string;
		incident: string;
		group: string;
		execution: string;
		attached: string;
	};
	diagnosisBy: (source: string, model?: string) => string;
	diagnosisFromCache: (madeBy?: string) => string;
	recommended: string;
	source: Record<Exclude<DiagnosisSource, 'cache'>, string>;
	actionOutcome: { succeeded: string; failed: string; dryRun: string; notAttempted: string; none: string };
	steps: (count: number) => string;
	changed: (count: number) => string;
	incidentOpen: (age: string, attempts: number, used: number, max: number) => string;
	incidentResolved: (duration: string, attempts: number) => string;
	groupLine: (size: number, members: string) => string;
	openExecution: string;
	/** The first line's lead-in for an open incident (the owner sentence follows). */
	heading: Record<Exclude<AlertKind, 'resolved'>, (age: string) => string>;
	/** The first line of a resolved alert; `upTo`: time since the last good check, when longer than `duration`. */
	resolvedLine: (component: string, duration: string, upTo: string | undefined, how: string) => string;
	/** How it was fixed, from `actionDone` ("restarted") or `healedByItself`. */
	fixedBy: (done: string) => string;
	/** When it started: the first failed check, and the last good one before it when known. */
	firstFailure: (age: string, lastOkAgo: string | undefined) => string;
	doneSoFar: string;
	technical: string;
	/** Names the credential a person must change ("the credential “Autorecovery MercadoPago” in n8n → Credentials"). */
	credentialPhrase: (name: string | undefined) => string;
	statusPage: string;
	act: { credentials: string; restore: string; settings: string };
	/** Said after a diagnosis that replaced a model answer written in the other language. */
	diagnosisReplaced: string;
	/** The QR image goes along; `until`: when it expires (HH:MM UTC), when known. */
	qrAttached: (until?: string) => string;
	/** The relink page's button, and the line saying until when its link works. */
	relinkPage: string;
	relinkLine: (until: string) => string;
}

const en: Phrases = {
	component: { whatsapp: 'WhatsApp', database: 'Database', payments: 'Payments', llm: 'LLM', backup: 'Backup', logs: 'Logs', host: 'Host' },
	status: { healthy: 'working', degraded: 'degraded', down: 'down' },
	groupSubject: (size) => `${size} targets (network failure)`,
	actionDone: {
		'whatsapp.reconnect': 'restarted',
		'whatsapp.relink': 'relinked',
		'whatsapp.register': 're-registered',
		'whatsapp.restore_webhook': 'webhook restored',
		'database.reconnect': 'reconnected',
		'database.restore_images': 'images restored',
		'database.import_catalog': 'catalog imported',
		'payments.use_fallback': 'switched to the fallback payment provider',
		'llm.use_fallback': 'switched to the fallback LLM',
		'backup.run': 'backup run',
		'backup.prune': 'old backups pruned',
		'logs.archive': 'logs archived',
		'notify.escalate': 'a person was told',
	},
	healedByItself: 'recovered by itself',
	escalationWhy: {
		needs_human: () => 'No automatic action can fix this: a person must act.',
		// No action on this incident: the budget was spent before it (by other incidents), so nothing was tried.
		budget_spent: (attempts) =>
			attempts > 0
				? `Automatic recovery gave up after ${attempts} action(s): a person must act.`
				: 'The recovery budget was already spent, so no automatic action was tried: a person must act.',
		no_automatic_action: () => 'There is no automatic action for this: a person must act.',
	},
	labels: {
		component: 'Component',
		target: 'Target',
		status: 'Status',
		cause: 'Cause',
		lastCause: 'Last cause',
		diagnosis: 'Diagnosis',
		action: 'Action',
		incident: 'Incident',
		group: 'Affected together',
		execution: 'Execution',
		attached: 'Attached',
	},
	diagnosisBy: (source, model) => `by ${source}${model ? ` (${model})` : ''}`,
	diagnosisFromCache: (madeBy) => (madeBy ? `from cache (made by ${madeBy})` : 'from cache'),
	recommended: 'recommended',
	source: { groq: 'Groq', openai: 'OpenAI', anthropic: 'Anthropic', rules: 'rules' },
	actionOutcome: { succeeded: 'succeeded', failed: 'did not fix it', dryRun: 'dry run, nothing changed', notAttempted: 'not attempted', none: 'none yet' },
	steps: (count) => `${count} step(s)`,
	changed: (count) => `${count} changed`,
	incidentOpen: (age, attempts, used, max) => `first failure ${age} ago; ${attempts} automatic action(s); budget ${used}/${max}`,
	incidentResolved: (duration, attempts) => `lasted ${duration}; ${attempts} automatic action(s)`,
	groupLine: (size, members) => `${size}: ${members}`,
	openExecution: 'Open the execution',
	heading: {
		opened: () => 'Problem',
		escalated: () => 'Needs you',
		reminder: (age) => `Still open after ${age}`,
	},
	resolvedLine: (component, duration, upTo, how) =>
		`Resolved: ${component} works again after ${duration}${upTo ? ` (at most ${upTo}, counted from the last good check)` : ''}, ${how}. Nothing to do.`,
	fixedBy: (done) => `${done} automatically`,
	firstFailure: (age, lastOkAgo) => `First failed check ${age} ago${lastOkAgo ? ` (the last good check was ${lastOkAgo} ago)` : ''}.`,
	doneSoFar: 'Done so far',
	technical: 'Technical details',
	credentialPhrase: (name) => (name ? `the credential “${name}” (n8n → Credentials)` : 'its credential (n8n → Credentials)'),
	statusPage: 'Status page',
	act: { credentials: 'Change the credential in n8n', restore: 'Open the backups in n8n', settings: 'Open the Monitor’s Settings in n8n' },
	diagnosisReplaced: 'the model answered in another language, so the rule text is shown',
	qrAttached: (until) => (until ? `The QR code is attached to this message; it expires at about ${until} UTC.` : 'The QR code is attached to this message.'),
	relinkPage: 'Open the relink page',
	relinkLine: (until) => `The relink page always shows the current QR code (and a pairing code if you prefer); its link works until ${until} UTC.`,
};

const es: Phrases = {
	component: { whatsapp: 'WhatsApp', database: 'Base de datos', payments: 'Pagos', llm: 'LLM', backup: 'Copias de seguridad', logs: 'Logs', host: 'Servidor' },
	status: { healthy: 'funcionando', degraded: 'degradado', down: 'caído' },
	groupSubject: (size) => `${size} destinos (falla de red)`,
	actionDone: {
		'whatsapp.reconnect': 'se reinició',
		'whatsapp.relink': 'se vinculó de nuevo',
		'whatsapp.register': 'se registró de nuevo',
		'whatsapp.restore_webhook': 'se restauró el webhook',
		'database.reconnect': 'se reconectó',
		'database.restore_images': 'se restauraron las imágenes',
		'database.import_catalog': 'se importó el catálogo',
		'payments.use_fallback': 'se cambió al proveedor de pagos alternativo',
		'llm.use_fallback': 'se cambió al LLM alternativo',
		'backup.run': 'se hizo una copia de seguridad',
		'backup.prune': 'se borraron copias antiguas',
		'logs.archive': 'se archivaron los logs',
		'notify.escalate': 'se avisó a una persona',
	},
	healedByItself: 'se recuperó solo',
	escalationWhy: {
		needs_human: () => 'Ninguna acción automática puede arreglarlo: debe actuar una persona.',
		budget_spent: (attempts) =>
			attempts > 0
				? `La recuperación automática se detuvo tras ${attempts} acción(es): debe actuar una persona.`
				: 'El presupuesto de recuperación ya estaba agotado, así que no se intentó ninguna acción automática: debe actuar una persona.',
		no_automatic_action: () => 'No hay una acción automática para esto: debe actuar una persona.',
	},
	labels: {
		component: 'Componente',
		target: 'Destino',
		status: 'Estado',
		cause: 'Causa',
		lastCause: 'Última causa',
		diagnosis: 'Diagnóstico',
		action: 'Acción',
		incident: 'Incidente',
		group: 'Afectados a la vez',
		execution: 'Ejecución',
		attached: 'Adjunto',
	},
	diagnosisBy: (source, model) => `de ${source}${model ? ` (${model})` : ''}`,
	diagnosisFromCache: (madeBy) => (madeBy ? `en caché (hecho por ${madeBy})` : 'en caché'),
	recommended: 'recomendado',
	source: { groq: 'Groq', openai: 'OpenAI', anthropic: 'Anthropic', rules: 'reglas' },
	actionOutcome: { succeeded: 'funcionó', failed: 'no lo arregló', dryRun: 'simulación, sin cambios', notAttempted: 'no se intentó', none: 'ninguna todavía' },
	steps: (count) => `${count} paso(s)`,
	changed: (count) => `${count} cambiado(s)`,
	incidentOpen: (age, attempts, used, max) => `primera falla hace ${age}; ${attempts} acción(es) automática(s); presupuesto ${used}/${max}`,
	incidentResolved: (duration, attempts) => `duró ${duration}; ${attempts} acción(es) automática(s)`,
	groupLine: (size, members) => `${size}: ${members}`,
	openExecution: 'Abrir la ejecución',
	heading: {
		opened: () => 'Problema',
		escalated: () => 'Requiere su acción',
		reminder: (age) => `Sigue abierto tras ${age}`,
	},
	resolvedLine: (component, duration, upTo, how) =>
		`Resuelto: ${component} funciona de nuevo tras ${duration}${upTo ? ` (${upTo} como mucho, contando desde la última revisión correcta)` : ''}, ${how}. No hace falta hacer nada.`,
	fixedBy: (done) => `${done} automáticamente`,
	firstFailure: (age, lastOkAgo) => `Primera revisión fallida hace ${age}${lastOkAgo ? ` (la última correcta fue hace ${lastOkAgo})` : ''}.`,
	doneSoFar: 'Hecho hasta ahora',
	technical: 'Detalles técnicos',
	credentialPhrase: (name) => (name ? `la credencial “${name}” (n8n → Credentials)` : 'su credencial (n8n → Credentials)'),
	statusPage: 'Página de estado',
	act: { credentials: 'Cambiar la credencial en n8n', restore: 'Abrir las copias de seguridad en n8n', settings: 'Abrir los Settings del Monitor en n8n' },
	diagnosisReplaced: 'el modelo respondió en otro idioma, se muestra el texto de las reglas',
	qrAttached: (until) => (until ? `El código QR va adjunto a este mensaje; vence hacia las ${until} UTC.` : 'El código QR va adjunto a este mensaje.'),
	relinkPage: 'Abrir la página de vinculación',
	relinkLine: (until) => `La página de vinculación muestra siempre el código QR actual (y un código de vinculación si lo prefiere); su enlace funciona hasta las ${until} UTC.`,
};

export const PHRASES: Record<Language, Phrases> = { es, en };
