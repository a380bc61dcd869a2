/**
 * Maintenance: Backup (daily at 03:00, or Run Now): back up the n8n data folder (its live
 * database.sqlite is snapshotted consistently) and the bot's Postgres, verify both, prune
 * by the retention rules, and when any step is not healthy send one alert through the
 * shipped Alert sub-workflow. Every step keeps going when another fails (onError:
 * continue), so a broken database backup still leaves a verified folder backup and
 * still alerts. Everything a user edits is in the Settings node; the database is the
 * "Autorecovery Postgres" credential `npm start` creates.
 */
import { setting, type Json, type WorkflowJson, type WorkflowNode } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';
import { addMaintenanceAlert, startMaintenance } from './maintenance';

const BACKUP_SETTINGS: Array<[string, Json, 'string' | 'number' | 'boolean']> = [
	// n8n's data folder (the Docker volume /home/node/.n8n); its database.sqlite is snapshotted, not copied.
	['dataFolder', '/home/node/.n8n', 'string'],
	// Where backups are kept; best on another disk or mount than the data.
	['backupFolder', '/backups', 'string'],
	['exclude', 'binaryData/**, *.log', 'string'],
	// Retention: a backup is kept while it is among the newest keepLast or younger than keepDays (0 = rule off).
	['keepLast', 7, 'number'],
	['keepDays', 14, 'number'],
	['sqliteBinary', 'sqlite3', 'string'],
	['pgDumpBinary', '/usr/bin/pg_dump', 'string'],
	['pgRestoreBinary', '/usr/bin/pg_restore', 'string'],
	// The longest a step may go without progress (a hung mount), ms.
	['timeoutMs', 600000, 'number'],
];

/** The steps whose results decide the alert, in order: [node name, the earlier step it needs ('' = none)]. */
export const BACKUP_STEPS: Array<[string, string]> = [
	['Back Up n8n Data', ''],
	// A Verify whose backup failed only repeats that failure: the alert leaves it out.
	['Verify n8n Data Backup', 'Back Up n8n Data'],
	['Back Up Database', ''],
	['Verify Database Backup', 'Back Up Database'],
	['Prune Old Backups', ''],
];

const VOLUME_BACKUP = 'n8n-nodes-autorecovery.volumeBackup';
const timeoutOption = { timeoutMs: setting('timeoutMs') };

function step(name: string, parameters: Record<string, Json>, withDatabase = false): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: VOLUME_BACKUP,
		typeVersion: 1,
		// A failing step outputs {error} and the run goes on to the next steps and the alert.
		onError: 'continueRegularOutput',
		parameters: { ...parameters, options: timeoutOption },
		...(withDatabase ? { credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres } } : {}),
	};
}

/** The backup file of a step's result (none when it failed: its Verify then fails too, and is left out of the alert). */
const fileOf = (node: string) => `={{ $('${node}').first().json.details.file }}`;

export function backupWorkflow(): WorkflowJson {
	const { wf, settings } = startMaintenance({
		id: WORKFLOW_IDS.backup,
		name: 'Maintenance: Backup',
		schedule: ['Every Day 03:00', '0 3 * * *'],
		settings: BACKUP_SETTINGS,
		notes: 'Edit the backup settings here: this is the only place. The database is the "Autorecovery Postgres" credential.',
		lane: { title: 'Back up, prove the backup restores, prune; tell a person only when something failed', text: 'Every day at 03:00, or **Run Now**. n8n\'s folder and the Postgres database are backed up, each backup is verified by reading it back, old ones are pruned (`keepLast`, `keepDays`).', color: 5 },
	});

	const [backupData, verifyData, backupDatabase, verifyDatabase, prune] = BACKUP_STEPS.map(([name]) => name) as [string, string, string, string, string];
	const chain = [
		wf.add(step(backupData, { operation: 'backupDirectory', sourceDir: setting('dataFolder'), backupDir: setting('backupFolder'), include: '', exclude: setting('exclude'), sqliteBinary: setting('sqliteBinary') }), 2, 0),
		wf.add(step(verifyData, { operation: 'verify', file: fileOf(backupData), pgRestoreBinary: setting('pgRestoreBinary') }), 3, 0),
		wf.add(step(backupDatabase, { operation: 'backupPostgres', backupDir: setting('backupFolder'), pgDumpBinary: setting('pgDumpBinary') }, true), 4, 0),
		wf.add(step(verifyDatabase, { operation: 'verify', file: fileOf(backupDatabase), pgRestoreBinary: setting('pgRestoreBinary') }), 5, 0),
		wf.add(step(prune, { operation: 'prune', backupDir: setting('backupFolder'), keepLast: setting('keepLast'), keepDays: setting('keepDays'), dryRun: false }), 6, 0),
	];
	wf.connect(settings, chain[0] as string);
	for (let i = 1; i < chain.length; i++) wf.connect(chain[i - 1] as string, chain[i] as string);

	addMaintenanceAlert(wf, prune, { task: 'backup', target: setting('backupFolder'), steps: BACKUP_STEPS }, 7);
	return wf.build(true);
}
