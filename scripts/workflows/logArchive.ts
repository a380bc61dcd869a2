/**
 * Maintenance: Log Archive (Sundays at 03:00, or Run Now): moves the bot's log rows older
 * than olderThanDays out of system_logs (into a table or gzip files), and when the
 * archive does not work sends one alert through the shipped Alert sub-workflow (whose
 * Channels say where alerts go). Everything a user edits is in the Settings node; the
 * database is the "Autorecovery Postgres" credential `npm start` creates.
 */
import { setting, type Json, type WorkflowJson } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';
import { addMaintenanceAlert, startMaintenance } from './maintenance';

export const LOG_ARCHIVE_SETTINGS: Array<[string, Json, 'string' | 'number' | 'boolean']> = [
	['olderThanDays', 30, 'number'],
	// table: into archiveTable (same database); file: gzip files in archiveDirectory.
	['destination', 'table', 'string'],
	['archiveTable', 'system_logs_archive', 'string'],
	['archiveDirectory', '/backups/logs', 'string'],
];

export function logArchiveWorkflow(): WorkflowJson {
	const { wf, settings } = startMaintenance({
		id: WORKFLOW_IDS.logArchive,
		name: 'Maintenance: Log Archive',
		schedule: ['Every Sunday 03:00', '0 3 * * 0'],
		settings: LOG_ARCHIVE_SETTINGS,
		notes: "Edit the archive settings here: this is the only place. Alerts go where the Alert workflow's Channels say.",
		lane: { title: 'Archive old system_logs rows, then tell a person only when it failed', text: 'Every Sunday at 03:00, or **Run Now**. Rows older than `olderThanDays` are moved (to a table or a compressed file) in resumable batches: nothing is deleted before it is stored.', color: 5 },
	});
	const archive = wf.add(
		{
			name: 'Log Archive',
			type: 'n8n-nodes-autorecovery.logArchive',
			typeVersion: 1,
			// A failing archive outputs {error} and still alerts.
			onError: 'continueRegularOutput',
			parameters: {
				operation: 'archive',
				table: 'system_logs',
				timestampColumn: 'created_at',
				keyColumn: 'id',
				olderThanDays: setting('olderThanDays'),
				destination: setting('destination'),
				archiveTable: setting('archiveTable'),
				directory: setting('archiveDirectory'),
				options: {},
			},
			credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres },
		},
		2,
		0,
	);
	wf.connect(settings, archive);
	addMaintenanceAlert(wf, archive, { task: 'logArchive', target: '', steps: [[archive, '']] }, 3);
	return wf.build(true);
}
