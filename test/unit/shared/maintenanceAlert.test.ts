/**
 * The maintenance alert (Maintenance: Backup / Log Archive): which steps failed and
 * why, in Spanish and English, escaped for Slack and HTML, redacted, with a Verify left
 * out when the backup it needs already failed.
 */
import { maintenanceAlert, type MaintenanceStep } from '../../../nodes/shared/alerts/maintenanceAlert';
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { Cause } from '../../../nodes/shared/contract';
import { OptionError } from '../../../nodes/shared/optionError';
import { validateCheckResult } from '../../../nodes/shared/validate';

const URL = 'https://n8n.example.test/workflow/arBackup00000001/executions/77';

function healthy(target: string) {
	const result = new CheckRecorder('backup', target).pass('backup', 'written').result();
	expect(validateCheckResult(result)).toEqual([]);
	return result;
}

function failed(target: string, cause: Partial<Cause> & { message: string }, status: 'down' | 'degraded' = 'down') {
	const full: Cause = { code: 'auth.invalid_credentials', retryable: false, needsHuman: true, ...cause };
	const recorder = new CheckRecorder('backup', target);
	const result = (status === 'down' ? recorder.fail('backup', full) : recorder.degrade('backup', full)).result();
	expect(validateCheckResult(result)).toEqual([]);
	return result;
}

/** The five backup steps as the shipped workflow lists them, the database backup failing. */
function backupSteps(database: unknown = failed('postgres:shop', { message: 'password authentication failed for user "shop"' })): MaintenanceStep[] {
	return [
		{ name: 'Back Up n8n Data', result: healthy('directory:/home/node/.n8n') },
		{ name: 'Verify n8n Data Backup', result: healthy('file:n8n.tar.gz'), needs: 'Back Up n8n Data' },
		{ name: 'Back Up Database', result: database },
		{ name: 'Verify Database Backup', result: failed('file:', { code: 'config.missing', message: 'no file to verify' }), needs: 'Back Up Database' },
		{ name: 'Prune Old Backups', result: healthy('/backups') },
	];
}

describe('maintenanceAlert: what the run did', () => {
	test('all healthy: nothing to tell anyone, every step listed as worked', () => {
		const steps = backupSteps(healthy('postgres:shop')).map((step) => (step.name === 'Verify Database Backup' ? { ...step, result: healthy('file:shop.dump') } : step));
		expect(maintenanceAlert('backup', steps)).toEqual({
			component: 'backup',
			status: 'healthy',
			failures: [],
			leftOut: [],
			succeeded: steps.map((step) => step.name),
			alert: false,
		});
	});

	test('a failed backup is reported once: its Verify is left out, the other steps worked', () => {
		const outcome = maintenanceAlert('backup', backupSteps());
		expect(outcome).toMatchObject({
			component: 'backup',
			status: 'down',
			failures: [{ step: 'Back Up Database', status: 'down', message: 'password authentication failed for user "shop"', code: 'auth.invalid_credentials' }],
			leftOut: ['Verify Database Backup'],
			succeeded: ['Back Up n8n Data', 'Verify n8n Data Backup', 'Prune Old Backups'],
			alert: true,
		});
	});

	test('a Verify that fails after a healthy backup is reported; a degraded step makes the run degraded', () => {
		const steps = backupSteps(healthy('postgres:shop'));
		steps[4] = { ...steps[4], result: failed('/backups', { code: 'provider.server_error', message: 'could not delete one file' }, 'degraded') };
		const outcome = maintenanceAlert('backup', steps);
		expect(outcome.failures.map((failure) => [failure.step, failure.status])).toEqual([
			['Verify Database Backup', 'down'],
			['Prune Old Backups', 'degraded'],
		]);
		expect(outcome.status).toBe('down');
		expect(maintenanceAlert('backup', [steps[4]]).status).toBe('degraded');
	});

	test("a step n8n could not run ({error} item) or that gave nothing counts as down, with n8n's message", () => {
		const outcome = maintenanceAlert('logArchive', [{ name: 'Log Archive', result: { error: 'Credentials not found' } }], { language: 'en' });
		expect(outcome).toMatchObject({ component: 'logs', status: 'down', failures: [{ step: 'Log Archive', status: 'down', message: 'Credentials not found' }] });
		expect(maintenanceAlert('logArchive', [{ name: 'Log Archive', result: undefined }], { language: 'en' }).failures[0]?.message).toBe('the step gave no result');
		expect(maintenanceAlert('logArchive', [{ name: 'Log Archive', result: 'nonsense' }], { language: 'es' }).failures[0]?.message).toBe('el paso no dio resultado');
	});
});

describe('maintenanceAlert: the alert text in Spanish and English', () => {
	test('English: title, headline, the failure with its cause, what was left out and what worked, the execution link', () => {
		const { alertMessage } = maintenanceAlert('backup', backupSteps(), { language: 'en', target: '/backups', executionId: '77', executionUrl: URL });
		expect(alertMessage?.title).toBe('Backup down on /backups');
		expect(alertMessage?.emailSubject).toBe('Backup down on /backups');
		expect(alertMessage?.text).toBe(
			[
				'Backup down on /backups',
				'1 of 5 step(s) did not work.',
				'',
				'Back Up Database: down - password authentication failed for user "shop" (auth.invalid_credentials)',
				'Left out (a step it needs did not work): Verify Database Backup',
				'Worked: Back Up n8n Data, Verify n8n Data Backup, Prune Old Backups',
				`Execution: ${URL}`,
			].join('\n'),
		);
		expect(alertMessage?.slackText).toContain('*Backup down on /backups*\n1 of 5 step(s) did not work.');
		expect(alertMessage?.slackText).toContain(`<${URL}|Open the execution>`);
		expect(alertMessage?.emailHtml).toMatch(new RegExp(`<a href="${URL}" style="[^"]*">Open the execution</a>`));
	});

	test('Spanish: the same facts in Spanish; without a link the execution is named by its id', () => {
		const { alertMessage } = maintenanceAlert('backup', backupSteps(), { target: '/backups', executionId: '77' });
		expect(alertMessage?.text).toBe(
			[
				'Copia de seguridad: falló en /backups',
				'No funcionaron 1 de 5 paso(s).',
				'',
				'Back Up Database: caído - password authentication failed for user "shop" (auth.invalid_credentials)',
				'Omitidos (no funcionó un paso que necesitan): Verify Database Backup',
				'Funcionaron: Back Up n8n Data, Verify n8n Data Backup, Prune Old Backups',
				'Ejecución: 77',
			].join('\n'),
		);
		expect(alertMessage?.emailHtml).not.toContain('href');
	});

	test('the log archive: degraded wording, the target taken from the result when none is given', () => {
		const result = { ...failed('postgres:shop/system_logs', { code: 'net.timeout', message: 'archive timed out', retryable: true, needsHuman: false }, 'degraded'), component: 'logs' };
		expect(maintenanceAlert('logArchive', [{ name: 'Log Archive', result }], { language: 'en' }).alertMessage?.title).toBe('Log archive degraded on postgres:shop/system_logs');
		expect(maintenanceAlert('logArchive', [{ name: 'Log Archive', result }], { language: 'es' }).alertMessage?.title).toBe('Archivado de logs: con problemas en postgres:shop/system_logs');
		expect(maintenanceAlert('logArchive', [{ name: 'Log Archive', result: { error: 'boom' } }], { language: 'en' }).alertMessage?.title).toBe('Log archive down');
	});
});

describe('maintenanceAlert: escaping and redaction', () => {
	test('markup in a cause or a step name is escaped in HTML and Slack, kept readable in plain text', () => {
		const evil = failed('postgres:shop', { code: 'provider.server_error', message: 'pg said <script>alert("x")</script> & quit' });
		const { alertMessage } = maintenanceAlert('backup', [{ name: 'Back <b>Up</b>', result: evil }], { language: 'en', target: '/backups' });
		expect(alertMessage?.emailHtml).not.toContain('<script>');
		expect(alertMessage?.emailHtml).not.toContain('<b>');
		expect(alertMessage?.emailHtml).toContain('<strong>Back &lt;b&gt;Up&lt;/b&gt;:</strong> down - pg said &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; quit (provider.server_error)</p>');
		expect(alertMessage?.slackText).toContain('pg said &lt;script&gt;alert("x")&lt;/script&gt; &amp; quit');
		expect(alertMessage?.text).toContain('pg said <script>alert("x")</script> & quit');
	});

	test('known secrets and secret-shaped values never appear, in the alert or in the failures, in either language', () => {
		const secret = 'backup-db-password-not-real';
		const leaky = failed('postgres:shop', { message: `pg_dump: connection to postgres://shop:${secret}@db:5432/shop failed; password=${secret}` });
		for (const language of ['es', 'en'] as const) {
			const outcome = maintenanceAlert('backup', [{ name: 'Back Up Database', result: leaky }, { name: 'Raw', result: { error: `Bearer ${secret}-token` } }], {
				language,
				target: `/mnt/${secret}`,
				secrets: [secret],
			});
			const everything = JSON.stringify(outcome);
			expect(everything).not.toContain(secret);
			expect(outcome.alertMessage?.text).toContain('[REDACTED]');
		}
	});

	test('the email subject stays one line', () => {
		const { alertMessage } = maintenanceAlert('backup', backupSteps(), { language: 'en', target: '/backups\r\nBcc: someone@example.test' });
		expect(alertMessage?.emailSubject).not.toMatch(/[\r\n]/);
	});
});

describe('maintenanceAlert: misuse', () => {
	test('no steps, a nameless or repeated step, a need that is not an earlier step, an unknown task or language throw an OptionError', () => {
		const one = { name: 'Log Archive', result: {} };
		expect(() => maintenanceAlert('backup', [])).toThrow(OptionError);
		expect(() => maintenanceAlert('backup', [{ name: ' ', result: {} }])).toThrow(/every step needs a name/);
		expect(() => maintenanceAlert('backup', [one, one])).toThrow(/listed twice/);
		expect(() => maintenanceAlert('backup', [{ ...one, needs: 'Later' }, { name: 'Later', result: {} }])).toThrow(/needs "Later", which is not an earlier step/);
		expect(() => maintenanceAlert('restore' as never, [one])).toThrow(/task must be one of backup\|logArchive/);
		expect(() => maintenanceAlert('backup', [one], { language: 'fr' as never })).toThrow(/language must be one of es\|en/);
	});
});
