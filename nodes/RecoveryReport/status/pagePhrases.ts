/**
 * The status page's wording in each language (Spanish is the shipped default).
 * Component and status names come from the alerts' phrases, so the page and the
 * alerts call things the same.
 */
import type { Component } from '../../shared/contract';
import { PHRASES, type Language } from '../../shared/alerts/phrases';
import type { EscalationReason } from '../../shared/incident/types';
import type { PageStatus, RecoveryOutcome } from './types';

export interface PagePhrases {
	component: Record<Component, string>;
	status: Record<PageStatus, string>;
	defaultTitle: string;
	overall: Record<PageStatus, string>;
	noDataYet: string;
	withoutData: (names: string) => string;
	updated: (time: string, timezone: string) => string;
	autoRefresh: string;
	pausedUntil: (until: string, remaining: string) => string;
	pauseReason: (reason: string, by?: string) => string;
	lastCheck: (ago: string) => string;
	staleSince: (ago: string) => string;
	checkedAgo: (ago: string) => string;
	openIncidents: string;
	noOpenIncidents: string;
	incidentHead: (status: string, age: string) => string;
	since: (time: string) => string;
	escalated: string;
	escalationWhy: Record<EscalationReason, string>;
	attempts: (count: number) => string;
	cause: string;
	availability: string;
	lastDay: string;
	lastWeek: string;
	/** The availability label while monitoring has run for less than the window. */
	sinceStart: (duration: string) => string;
	noAvailability: string;
	downFor: (duration: string) => string;
	degradedFor: (duration: string) => string;
	recoveries: string;
	noRecoveries: string;
	historyUnavailable: string;
	outcome: Record<RecoveryOutcome, string>;
	noAction: string;
	unknownComponent: string;
	manual: string;
	took: (duration: string) => string;
	openExecution: string;
}

const en: PagePhrases = {
	component: PHRASES.en.component,
	status: { ...PHRASES.en.status, unknown: 'unknown' },
	defaultTitle: 'Sales bot status',
	overall: {
		healthy: 'All systems working',
		degraded: 'Some components are degraded',
		down: 'Some components are down',
		unknown: 'Some components were not checked recently',
	},
	noDataYet: 'No checks recorded yet.',
	withoutData: (names) => `No data: ${names}. The Monitor has recorded no check of these: not configured here, or checked by their own workflows (backups, log archive).`,
	updated: (time, timezone) => `Updated ${time} (${timezone})`,
	autoRefresh: 'This page refreshes every minute.',
	pausedUntil: (until, remaining) => `Automation paused until ${until} (${remaining} left): no alerts, no automatic actions.`,
	pauseReason: (reason, by) => `Reason: ${reason}${by ? ` (by ${by})` : ''}`,
	lastCheck: (ago) => `Last check ${ago} ago`,
	staleSince: (ago) => `Not checked recently: last check ${ago} ago`,
	checkedAgo: (ago) => `${ago} ago`,
	openIncidents: 'Open incidents',
	noOpenIncidents: 'No open incidents',
	incidentHead: (status, age) => `${status} for ${age}`,
	since: (time) => `since ${time}`,
	escalated: 'Needs a person',
	escalationWhy: {
		needs_human: 'no automatic action can fix it',
		budget_spent: 'automatic recovery gave up',
		no_automatic_action: 'there is no automatic action for it',
	},
	attempts: (count) => `${count} automatic action(s)`,
	cause: 'Cause',
	availability: 'Availability',
	lastDay: 'last 24 h',
	lastWeek: 'last 7 d',
	sinceStart: (duration) => `since monitoring started (${duration})`,
	noAvailability: 'no data',
	downFor: (duration) => `down ${duration}`,
	degradedFor: (duration) => `degraded ${duration}`,
	recoveries: 'Last recoveries',
	noRecoveries: 'No recoveries yet.',
	historyUnavailable: 'The recovery history is not available right now.',
	outcome: { success: 'fixed', failed: 'failed', escalated: 'a person was told', dry_run: 'dry run', not_needed: 'already healthy, nothing needed' },
	noAction: 'no action',
	unknownComponent: 'Unknown component',
	manual: 'manual',
	took: (duration) => `took ${duration}`,
	openExecution: 'Execution',
};

const es: PagePhrases = {
	component: PHRASES.es.component,
	status: { ...PHRASES.es.status, unknown: 'sin datos' },
	defaultTitle: 'Estado del bot de ventas',
	overall: {
		healthy: 'Todo funciona',
		degraded: 'Hay componentes degradados',
		down: 'Hay componentes caídos',
		unknown: 'Hay componentes sin comprobar recientemente',
	},
	noDataYet: 'Todavía no hay comprobaciones registradas.',
	withoutData: (names) => `Sin datos: ${names}. El Monitor no registró ninguna revisión de estos: no están configurados aquí, o los revisan sus propios flujos (copias de seguridad, archivo de logs).`,
	updated: (time, timezone) => `Actualizado ${time} (${timezone})`,
	autoRefresh: 'Esta página se actualiza cada minuto.',
	pausedUntil: (until, remaining) => `Automatización en pausa hasta ${until} (quedan ${remaining}): sin alertas ni acciones automáticas.`,
	pauseReason: (reason, by) => `Motivo: ${reason}${by ? ` (por ${by})` : ''}`,
	lastCheck: (ago) => `Última comprobación hace ${ago}`,
	staleSince: (ago) => `Sin comprobar recientemente: última comprobación hace ${ago}`,
	checkedAgo: (ago) => `hace ${ago}`,
	openIncidents: 'Incidentes abiertos',
	noOpenIncidents: 'Sin incidentes abiertos',
	incidentHead: (status, age) => `${status} desde hace ${age}`,
	since: (time) => `desde ${time}`,
	escalated: 'Requiere una persona',
	escalationWhy: {
		needs_human: 'ninguna acción automática puede arreglarlo',
		budget_spent: 'la recuperación automática se detuvo',
		no_automatic_action: 'no hay una acción automática para esto',
	},
	attempts: (count) => `${count} acción(es) automática(s)`,
	cause: 'Causa',
	availability: 'Disponibilidad',
	lastDay: 'últimas 24 h',
	lastWeek: 'últimos 7 d',
	sinceStart: (duration) => `desde que empezó el monitoreo (${duration})`,
	noAvailability: 'sin datos',
	downFor: (duration) => `caído ${duration}`,
	degradedFor: (duration) => `degradado ${duration}`,
	recoveries: 'Últimas recuperaciones',
	noRecoveries: 'Todavía no hay recuperaciones.',
	historyUnavailable: 'El historial de recuperaciones no está disponible ahora.',
	outcome: { success: 'arreglado', failed: 'falló', escalated: 'se avisó a una persona', dry_run: 'simulación', not_needed: 'ya estaba sano, no hizo falta nada' },
	noAction: 'sin acción',
	unknownComponent: 'Componente desconocido',
	manual: 'manual',
	took: (duration) => `duró ${duration}`,
	openExecution: 'Ejecución',
};

export const PAGE_PHRASES: Record<Language, PagePhrases> = { es, en };
