/** Every generated shipped workflow, by file name in workflows/. */
import { alertWorkflow } from './alert';
import { backupWorkflow } from './backup';
import { resetCounters, type WorkflowJson } from './builder';
import { dailyReportWorkflow } from './dailyReport';
import { demoSalesBotWorkflow } from './demoSalesBot';
import { errorHandlerWorkflow } from './errorHandler';
import { logArchiveWorkflow } from './logArchive';
import { monitorWorkflow } from './monitor';
import { recoverWorkflow } from './recover';
import { triggersWorkflow } from './triggers';

export function generatedWorkflows(): Record<string, WorkflowJson> {
	resetCounters();
	return {
		'monitor.json': monitorWorkflow(),
		'triggers.json': triggersWorkflow(),
		'recover.json': recoverWorkflow(),
		'alert.json': alertWorkflow(),
		'error-handler.json': errorHandlerWorkflow(),
		'maintenance-backup.json': backupWorkflow(),
		'maintenance-log-archive.json': logArchiveWorkflow(),
		'daily-report.json': dailyReportWorkflow(),
		'demo-sales-bot.json': demoSalesBotWorkflow(),
	};
}

export function workflowText(workflow: WorkflowJson): string {
	return `${JSON.stringify(workflow, null, '\t')}\n`;
}
