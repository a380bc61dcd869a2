/** The daily report's wording in each language (Spanish is the shipped default). */
import { PHRASES, type Language } from '../../shared/alerts/phrases';
import type { ComponentKey } from '../history/stats';

export interface ReportPhrases {
	component: Record<ComponentKey, string>;
	title: (day: string, timezone: string) => string;
	quietHeadline: string;
	headline: (total: number, succeeded: number, rate: string) => string;
	labels: {
		recoveries: string;
		successRate: string;
		byComponent: string;
		meanTimeToDetect: string;
		meanTimeToRecover: string;
		mostCommonError: string;
		mostProblematic: string;
		automaticEscalated: string;
		dryRuns: string;
	};
	noData: string;
	none: string;
	/** The error was only a provider's raw reply, which a report does not quote. */
	rawReply: string;
	ofTotal: (part: number, whole: number) => string;
	times: (count: number) => string;
	failures: (failures: number, total: number) => string;
	shares: (automatic: string, escalated: string) => string;
	dryRunsNotCounted: (count: number) => string;
}

const en: ReportPhrases = {
	component: { ...PHRASES.en.component, unknown: 'Unknown component' },
	title: (day, timezone) => `Daily report for ${day} (${timezone})`,
	quietHeadline: 'A quiet day: no recoveries were needed.',
	headline: (total, succeeded, rate) => `${total} recover${total === 1 ? 'y' : 'ies'}, ${succeeded} succeeded (${rate}).`,
	labels: {
		recoveries: 'Recoveries',
		successRate: 'Success rate',
		byComponent: 'By component',
		meanTimeToDetect: 'Mean time to detect',
		meanTimeToRecover: 'Mean time to recover',
		mostCommonError: 'Most common error',
		mostProblematic: 'Most problematic component',
		automaticEscalated: 'Automatic / escalated',
		dryRuns: 'Dry runs',
	},
	noData: 'no data',
	none: 'none',
	rawReply: 'a raw provider reply (not quoted)',
	ofTotal: (part, whole) => `${part} of ${whole}`,
	times: (count) => `${count} time${count === 1 ? '' : 's'}`,
	failures: (failures, total) => `${failures} of ${total} failed`,
	shares: (automatic, escalated) => `${automatic} automatic, ${escalated} escalated to a person`,
	dryRunsNotCounted: (count) => `${count} (not counted above)`,
};

const es: ReportPhrases = {
	component: { ...PHRASES.es.component, unknown: 'Componente desconocido' },
	title: (day, timezone) => `Informe diario del ${day} (${timezone})`,
	quietHeadline: 'Un día tranquilo: no hizo falta ninguna recuperación.',
	headline: (total, succeeded, rate) => `${total} recuperaci${total === 1 ? 'ón' : 'ones'}, ${succeeded} funcion${succeeded === 1 ? 'ó' : 'aron'} (${rate}).`,
	labels: {
		recoveries: 'Recuperaciones',
		successRate: 'Tasa de éxito',
		byComponent: 'Por componente',
		meanTimeToDetect: 'Tiempo medio de detección',
		meanTimeToRecover: 'Tiempo medio de recuperación',
		mostCommonError: 'Error más frecuente',
		mostProblematic: 'Componente más problemático',
		automaticEscalated: 'Automáticas / escaladas',
		dryRuns: 'Simulaciones',
	},
	noData: 'sin datos',
	none: 'ninguno',
	rawReply: 'una respuesta en bruto del proveedor (no se cita)',
	ofTotal: (part, whole) => `${part} de ${whole}`,
	times: (count) => `${count} ${count === 1 ? 'vez' : 'veces'}`,
	failures: (failures, total) => `${failures} de ${total} fallaron`,
	shares: (automatic, escalated) => `${automatic} automáticas, ${escalated} escaladas a una persona`,
	dryRunsNotCounted: (count) => `${count} (no se cuentan arriba)`,
};

export const REPORT_PHRASES: Record<Language, ReportPhrases> = { es, en };
