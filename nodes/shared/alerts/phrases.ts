/** The words of an alert in each language (Spanish is the shipped default). */
import type { ActionId, Component, DiagnosisSource, Status } from '../contract';
import type { AlertKind, EscalationReason } from '../incident/types';

/** A table's own entry only (a cause code like "constructor" must not reach the prototype). */
function ownValue(table: Record<string, string>, key: string): string | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Phrases {
	component: Record<Component, string>;
	status: Record<Status, string>;
	/** "is down" / "are down" (grouped alerts have several subjects). */
	isStatus: (status: Status, many: boolean) => string;
	/** Title; `subject` is e.g. "WhatsApp (evolution:ventas)", `isStatus` e.g. "is down". */
	title: Record<AlertKind, (subject: string, isStatus: string, age: string) => string>;
	/** Subject of a grouped alert. */
	groupSubject: (size: number) => string;
	/** A short name for the problem, by cause code; undefined: use `fallbackProblem`. */
	problem: (code: string, component: string) => string | undefined;
	fallbackProblem: (component: string, status: Exclude<Status, 'healthy'>) => string;
	/** What an action did, for the resolved headline ("restarted"). */
	actionDone: Record<ActionId, string>;
	healedByItself: string;
	resolvedHeadline: (problem: string, target: string, how: string, duration: string) => string;
	openHeadline: (problem: string, target: string, age: string) => string;
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
}

const en: Phrases = {
	component: { whatsapp: 'WhatsApp', database: 'Database', payments: 'Payments', llm: 'LLM', backup: 'Backup', logs: 'Logs', host: 'Host' },
	status: { healthy: 'working', degraded: 'degraded', down: 'down' },
	isStatus: (status, many) => `${many ? 'are' : 'is'} ${en.status[status]}`,
	title: {
		opened: (subject, isStatus) => `Incident: ${subject} ${isStatus}`,
		escalated: (subject, isStatus) => `Needs a person: ${subject} ${isStatus}`,
		reminder: (subject, isStatus, age) => `Still open after ${age}: ${subject} ${isStatus}`,
		resolved: (subject, _status, age) => `Resolved: ${subject} is back after ${age}`,
	},
	groupSubject: (size) => `${size} targets (network failure)`,
	problem: (code, component) =>
		ownValue({
			'whatsapp.disconnected': 'WhatsApp disconnected',
			'whatsapp.qr_required': 'WhatsApp needs a QR scan',
			'whatsapp.instance_not_loaded': 'WhatsApp instance not loaded',
			'whatsapp.inbound_not_delivered': 'Customers’ WhatsApp messages not arriving',
			'whatsapp.bot_silent': 'The bot does not answer customers',
			'whatsapp.canary_broken': 'The canary number cannot send',
			'whatsapp.inbound_silent': 'No WhatsApp messages received for unusually long',
			'database.catalog_empty': 'Catalog empty',
			'database.products_without_images': 'Products without images',
			'auth.invalid_credentials': `${component} credentials rejected`,
			'net.timeout': `${component} not answering`,
			'net.unreachable': `${component} unreachable`,
			'net.reset': `${component} connection dropped`,
			'provider.rate_limited': `${component} rate limited`,
			'provider.server_error': `${component} server error`,
		}, code),
	fallbackProblem: (component, status) => `${component} ${status === 'down' ? 'down' : 'degraded'}`,
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
	resolvedHeadline: (problem, target, how, duration) => `${problem} (${target}), ${how}, back in ${duration}.`,
	openHeadline: (problem, target, age) => `${problem} (${target}), ${age} since the first failure.`,
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
};

const es: Phrases = {
	component: { whatsapp: 'WhatsApp', database: 'Base de datos', payments: 'Pagos', llm: 'LLM', backup: 'Copias de seguridad', logs: 'Logs', host: 'Servidor' },
	status: { healthy: 'funcionando', degraded: 'degradado', down: 'caído' },
	isStatus: (status, many) =>
		many ? `están ${{ healthy: 'funcionando', degraded: 'degradados', down: 'caídos' }[status]}` : `está ${es.status[status]}`,
	title: {
		opened: (subject, isStatus) => `Incidente: ${subject} ${isStatus}`,
		escalated: (subject, isStatus) => `Requiere una persona: ${subject} ${isStatus}`,
		reminder: (subject, isStatus, age) => `Sigue abierto tras ${age}: ${subject} ${isStatus}`,
		resolved: (subject, _status, age) => `Resuelto: ${subject} volvió tras ${age}`,
	},
	groupSubject: (size) => `${size} destinos (falla de red)`,
	problem: (code, component) =>
		ownValue({
			'whatsapp.disconnected': 'WhatsApp desconectado',
			'whatsapp.qr_required': 'WhatsApp necesita escanear un QR',
			'whatsapp.instance_not_loaded': 'Instancia de WhatsApp no cargada',
			'whatsapp.inbound_not_delivered': 'No llegan los mensajes de WhatsApp de los clientes',
			'whatsapp.bot_silent': 'El bot no responde a los clientes',
			'whatsapp.canary_broken': 'El número canario no puede enviar',
			'whatsapp.inbound_silent': 'No se reciben mensajes de WhatsApp hace más de lo habitual',
			'database.catalog_empty': 'Catálogo vacío',
			'database.products_without_images': 'Productos sin imágenes',
			'auth.invalid_credentials': `Credenciales de ${component} rechazadas`,
			'net.timeout': `${component} no responde`,
			'net.unreachable': `${component} inalcanzable`,
			'net.reset': `Conexión con ${component} cortada`,
			'provider.rate_limited': `${component} limitado por cuota`,
			'provider.server_error': `Error del servidor de ${component}`,
		}, code),
	fallbackProblem: (component, status) => `${status === 'down' ? 'Falla' : 'Degradación'} en ${component}`,
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
	resolvedHeadline: (problem, target, how, duration) => `${problem} (${target}), ${how}, de vuelta en ${duration}.`,
	openHeadline: (problem, target, age) => `${problem} (${target}), ${age} desde la primera falla.`,
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
};

export const PHRASES: Record<Language, Phrases> = { es, en };
