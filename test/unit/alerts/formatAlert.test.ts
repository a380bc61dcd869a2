import { AlertFormatError, formatAlert, type AlertInput, type AlertResult, type FormattedAlert } from '../../../nodes/shared/alerts/formatAlert';
import type { Diagnosis } from '../../../nodes/shared/contract';
import { validateCheckResult, validateDiagnosis, validateRecoveryResult } from '../../../nodes/shared/validate';
import { evolutionClosed, failing, healthy, HOUR, MIN, netDown, qrRequired, recovery, SEC, T0, tokenRevoked } from '../incident/results';
import { runScenario, ticks, type Step } from '../incident/scenario';

const EXECUTION = 'https://n8n.example.test/workflow/7/executions/1234';

/** The last alert of a tracker run, joined with the result it is about (as the node does). */
function alertOf(steps: Step[], result: AlertResult, options: Parameters<typeof runScenario>[1] = {}): AlertInput {
	const run = runScenario(steps, options);
	const item = run.alerts.at(-1);
	if (!item) throw new Error('the scenario produced no alert');
	expect(validateCheckResult(result)).toEqual([]);
	return { ...item, result };
}

const all = (alert: FormattedAlert): string => Object.values(alert).join('\n');

function diagnosis(overrides: Partial<Diagnosis> & { cachedFrom?: string } = {}): Diagnosis {
	const value = {
		rootCause: 'The Evolution instance lost its WhatsApp session.',
		summary: 'The session closed; a restart usually brings it back.',
		severity: 'high' as const,
		confidence: 0.8,
		recommendedActions: ['whatsapp.reconnect' as const],
		rejected: [],
		source: 'openai' as const,
		model: 'gpt-4o-mini',
		latencyMs: 700,
		fingerprint: 'abc123',
		...overrides,
	};
	expect(validateDiagnosis(value, 'whatsapp')).toEqual([]);
	return value;
}

/** Scenario 2: closed, restarted, healthy 40 s after the first failure. */
function resolvedAfterRestart(): AlertInput {
	const fixed = recovery(healthy(), { action: 'whatsapp.reconnect' });
	expect(validateRecoveryResult(fixed)).toEqual([]);
	return alertOf(
		[
			{ at: T0, tick: [evolutionClosed()] },
			{ at: T0 + 20 * SEC, tick: [evolutionClosed()] },
			{ at: T0 + 40 * SEC, recovery: [fixed] },
		],
		{ ...fixed, diagnosis: diagnosis() } as AlertResult,
	);
}

/** A failed restart: opened, with the diagnosis and the recovery that did not fix it. */
function openedAfterFailedRestart(diagnosisValue: unknown = diagnosis()): AlertInput {
	const failed = recovery(evolutionClosed(), { action: 'whatsapp.reconnect' });
	return alertOf(
		[
			{ at: T0, tick: [evolutionClosed()] },
			{ at: T0 + 20 * SEC, tick: [evolutionClosed()] },
			{ at: T0 + 3 * MIN, recovery: [failed] },
		],
		{ ...failed, diagnosis: diagnosisValue },
	);
}

describe('formatAlert: each kind in Spanish and English', () => {
	test('resolved reads "WhatsApp works again after 40 s, restarted automatically. Nothing to do." and keeps the facts in the footer', () => {
		const item = resolvedAfterRestart();
		const en = formatAlert(item, { language: 'en', now: T0 + 40 * SEC, executionUrl: EXECUTION });
		expect(en.title).toBe('Resolved: WhatsApp (evolution:ventas) works again after 40 s, restarted automatically. Nothing to do.');
		expect(en.text.split('\n')[0]).toBe(en.title);
		expect(en.text).toContain('-- Technical details --');
		expect(en.text).toContain('Status: working');
		expect(en.text).toContain('Last cause: Evolution instance "ventas" is disconnected from WhatsApp (state close). (whatsapp.disconnected)');
		expect(en.text).toContain('Diagnosis: by OpenAI (gpt-4o-mini): The session closed; a restart usually brings it back. (recommended: whatsapp.reconnect)');
		expect(en.text).toContain('Action: whatsapp.reconnect: succeeded (2 step(s))');
		expect(en.text).toContain('Incident: whatsapp:evolution:ventas@2026-01-15T10:00:00.000Z: lasted 40 s; 1 automatic action(s)');
		expect(en.text).toContain(`Execution: ${EXECUTION}`);
		expect(en.emailSubject).toBe(en.title);

		const es = formatAlert(item, { language: 'es', now: T0 + 40 * SEC, executionUrl: EXECUTION });
		expect(es.title).toBe('Resuelto: WhatsApp (evolution:ventas) funciona de nuevo tras 40 s, se reinició automáticamente. No hace falta hacer nada.');
		expect(es.text).toContain('-- Detalles técnicos --');
		// The English check message is left out of a Spanish alert; its code stays.
		expect(es.text).toContain('Última causa: (whatsapp.disconnected)');
		// OpenAI answered in English: the Spanish alert shows the rule diagnosis instead.
		expect(es.text).toContain('Diagnóstico: de reglas:');
		expect(es.text).toContain('Acción: whatsapp.reconnect: funcionó (2 paso(s))');
		expect(es.text).toContain('Incidente: whatsapp:evolution:ventas@2026-01-15T10:00:00.000Z: duró 40 s; 1 acción(es) automática(s)');
		expect(es.text).toContain(`Ejecución: ${EXECUTION}`);
	});

	test('Spanish is the default language', () => {
		const item = resolvedAfterRestart();
		expect(formatAlert(item, { now: T0 + 40 * SEC })).toEqual(formatAlert(item, { language: 'es', now: T0 + 40 * SEC }));
	});

	test('resolved by itself (no action credited) and after several minutes', () => {
		const item = alertOf(
			[
				{ at: T0, tick: [qrRequired()] },
				{ at: T0 + 20 * SEC, tick: [qrRequired()] },
				{ at: T0 + 3 * MIN + 20 * SEC, tick: [healthy()] },
			],
			healthy(),
		);
		expect(formatAlert(item, { language: 'en', now: T0 + 3 * MIN + 20 * SEC }).title).toBe(
			'Resolved: WhatsApp (evolution:ventas) works again after 3 min 20 s, recovered by itself. Nothing to do.',
		);
		const es = formatAlert(item, { language: 'es', now: T0 + 3 * MIN + 20 * SEC });
		expect(es.title).toBe('Resuelto: WhatsApp (evolution:ventas) funciona de nuevo tras 3 min 20 s, se recuperó solo. No hace falta hacer nada.');
		expect(es.text).toContain('Acción: ninguna todavía');
	});

	test('opened after a failed action: cause, diagnosis, action result, age and budget', () => {
		const item = openedAfterFailedRestart();
		const en = formatAlert(item, { language: 'en', now: T0 + 3 * MIN });
		expect(en.title).toBe(
			'Problem: The shop’s WhatsApp is disconnected, so customers get no answers: automatic recovery restarts it; if that fails, scan the new QR code with the shop’s phone.',
		);
		expect(en.text).toContain('Done so far: restarted (did not fix it).');
		expect(en.text).toContain('First failed check 3 min ago.');
		expect(en.text).toContain('Cause: Evolution instance "ventas" is disconnected from WhatsApp (state close). (whatsapp.disconnected)');
		expect(en.text).toContain('Action: whatsapp.reconnect: did not fix it (2 step(s))');
		expect(en.text).toContain('first failure 3 min ago; 1 automatic action(s); budget 1/3');
		const es = formatAlert(item, { language: 'es', now: T0 + 3 * MIN });
		expect(es.title).toMatch(/^Problema: El WhatsApp de la tienda está desconectado/);
		expect(es.text).toContain('Hecho hasta ahora: se reinició (no lo arregló).');
		expect(es.text).toContain('Causa: (whatsapp.disconnected)');
		expect(es.text).not.toContain('Evolution instance');
		expect(es.text).toContain('Acción: whatsapp.reconnect: no lo arregló');
		expect(es.text).toContain('primera falla hace 3 min; 1 acción(es) automática(s); presupuesto 1/3');
	});

	test('escalated because a person is needed, with the QR produced by a relink attached', () => {
		const relink = recovery(qrRequired(), { action: 'whatsapp.relink', artifacts: ['qr'] });
		const item = alertOf(
			[
				{ at: T0, tick: [qrRequired()] },
				{ at: T0 + 20 * SEC, tick: [qrRequired()] },
				{ at: T0 + 40 * SEC, recovery: [relink] },
			],
			relink,
			{ allowOneActionWhenNeedsHuman: true },
		);
		const en = formatAlert(item, { language: 'en', now: T0 + 40 * SEC });
		expect(en.title).toBe('Needs you: The shop’s WhatsApp was logged out: scan the QR code with the shop’s phone (WhatsApp → Linked devices → Link a device).');
		expect(en.text).toContain('No automatic action can fix this: a person must act.');
		expect(en.text).toContain('Attached: qr');
		expect(en.slackText).toContain('_No automatic action can fix this: a person must act._');
		const es = formatAlert(item, { language: 'es', now: T0 + 40 * SEC });
		expect(es.title).toBe('Requiere su acción: El WhatsApp de la tienda se cerró: escanee el código QR con el teléfono de la tienda (WhatsApp → Dispositivos vinculados → Vincular un dispositivo).');
		expect(es.text).toContain('Ninguna acción automática puede arreglarlo: debe actuar una persona.');
		expect(es.text).toContain('Adjunto: qr');
	});

	test('a QR alert links the relink page first, with its signed token as is, says until when it works and when the e-mailed QR expires', () => {
		const relink = recovery(qrRequired(), { action: 'whatsapp.relink', artifacts: ['qr'] });
		const item = alertOf(
			[
				{ at: T0, tick: [qrRequired()] },
				{ at: T0 + 20 * SEC, tick: [qrRequired()] },
				{ at: T0 + 40 * SEC, recovery: [relink] },
			],
			relink,
			{ allowOneActionWhenNeedsHuman: true },
		);
		// A token the shape rules would take for a secret: it must reach the owner unmasked.
		const url = 'https://n8n.example.test/webhook/relink?t=eyJpIjoiaW5jLTEifQ.Qx7vT2pLm9ZkR4wN8bYc3HdJ6fGs1AeU0oKiVnMtXyW';
		const expiresAt = T0 + 40 * SEC + 2 * HOUR;
		const en = formatAlert(item, { language: 'en', now: T0 + 40 * SEC, hasQr: true, qrIssuedAt: T0 + 40 * SEC, relink: { url, expiresAt }, statusPageUrl: 'https://n8n.example.test/webhook/status' });
		expect(en.text).toContain(`Open the relink page: ${url}`);
		expect(en.text.indexOf('Open the relink page')).toBeLessThan(en.text.indexOf('Status page'));
		expect(en.text).toContain(`its link works until ${new Date(expiresAt).toISOString().slice(11, 16)} UTC`);
		expect(en.text).toContain(`The QR code is attached to this message; it expires at about ${new Date(T0 + 100 * SEC).toISOString().slice(11, 16)} UTC.`);
		expect(en.emailHtml).toContain(`href="${url}"`);
		expect(en.slackText).toContain(`<${url}|Open the relink page>`);
		const es = formatAlert(item, { language: 'es', now: T0 + 40 * SEC, hasQr: true, relink: { url, expiresAt } });
		expect(es.text).toContain(`Abrir la página de vinculación: ${url}`);
		expect(es.text).toContain('El código QR va adjunto a este mensaje.');
	});

	test('a resolved alert carries no relink link', () => {
		const item = alertOf(
			[
				{ at: T0, tick: [qrRequired()] },
				{ at: T0 + 20 * SEC, tick: [qrRequired()] },
				{ at: T0 + 3 * MIN, tick: [healthy()] },
			],
			healthy(),
		);
		const alert = formatAlert(item, { language: 'en', now: T0 + 3 * MIN, relink: { url: 'https://n8n.example.test/webhook/relink?t=a.b', expiresAt: T0 + HOUR } });
		expect(all(alert)).not.toContain('relink');
	});

	test('escalated because the recovery budget is spent; payment token revoked', () => {
		const down = () => [evolutionClosed()];
		const spent = alertOf(
			[
				{ at: T0, tick: down() },
				{ at: T0 + 20 * SEC, tick: down() },
				{ at: T0 + 40 * SEC, recovery: [recovery(evolutionClosed())] },
				{ at: T0 + 10 * MIN, tick: down() },
				{ at: T0 + 10 * MIN + 20 * SEC, recovery: [recovery(evolutionClosed())] },
				{ at: T0 + 20 * MIN, tick: down() },
				{ at: T0 + 20 * MIN + 20 * SEC, recovery: [recovery(evolutionClosed())] },
			],
			recovery(evolutionClosed()),
		);
		expect(spent.alertKind).toBe('escalated');
		expect(formatAlert(spent, { language: 'en', now: T0 + 20 * MIN + 20 * SEC }).text).toContain('Automatic recovery gave up after 3 action(s): a person must act.');
		expect(formatAlert(spent, { language: 'es', now: T0 + 20 * MIN + 20 * SEC }).text).toContain('La recuperación automática se detuvo tras 3 acción(es)');

		const revoked = alertOf([{ at: T0, tick: [tokenRevoked()] }, { at: T0 + 20 * SEC, tick: [tokenRevoked()] }], tokenRevoked());
		const en = formatAlert(revoked, { language: 'en', now: T0 + 20 * SEC });
		expect(en.title).toBe('Needs you: Payments rejected its key or password (revoked or expired): put a new one in the credential “Autorecovery MercadoPago” (n8n → Credentials).');
		expect(en.text).toContain('First failed check 20 s ago.');
		expect(formatAlert(revoked, { language: 'es', now: T0 + 20 * SEC }).title).toBe(
			'Requiere su acción: Pagos rechazó su clave o contraseña (revocada o vencida): ponga una nueva en la credencial “Autorecovery MercadoPago” (n8n → Credentials).',
		);
	});

	test('escalated with the budget already spent by an earlier incident: it says nothing was tried, never "gave up after 0"', () => {
		const down = () => [evolutionClosed()];
		const steps = [
			{ at: T0, tick: down() },
			{ at: T0 + 20 * SEC, tick: down() },
			{ at: T0 + 40 * SEC, recovery: [recovery(evolutionClosed())] },
			{ at: T0 + 10 * MIN, tick: down() },
			{ at: T0 + 10 * MIN + 20 * SEC, recovery: [recovery(evolutionClosed())] },
			{ at: T0 + 20 * MIN, tick: down() },
			{ at: T0 + 20 * MIN + 20 * SEC, recovery: [recovery(evolutionClosed())] },
			{ at: T0 + 21 * MIN, tick: [healthy()] },
			{ at: T0 + 22 * MIN, tick: down() },
			{ at: T0 + 22 * MIN + 20 * SEC, tick: down() },
		];
		const fresh = alertOf(steps, evolutionClosed());
		expect(fresh.alertKind).toBe('escalated');
		expect(fresh.incident).toMatchObject({ escalationReason: 'budget_spent', attempts: 0 });
		const en = formatAlert(fresh, { language: 'en', now: T0 + 22 * MIN + 20 * SEC }).text;
		expect(en).toContain('The recovery budget was already spent, so no automatic action was tried: a person must act.');
		expect(en).not.toMatch(/after 0 action/);
		const es = formatAlert(fresh, { language: 'es', now: T0 + 22 * MIN + 20 * SEC }).text;
		expect(es).toContain('El presupuesto de recuperación ya estaba agotado, así que no se intentó ninguna acción automática');
		expect(es).not.toMatch(/tras 0 acci/);
	});

	test('escalated by notify.escalate: the cause code\'s owner sentence, and a plain fallback for a code the catalogue does not know', () => {
		const stuck = () => failing({ component: 'backup', target: 'volume:data', code: 'backup.disk_full', message: 'The backup volume is full.' });
		const answer = recovery(stuck(), { action: 'notify.escalate' });
		const item = alertOf([{ at: T0, tick: [stuck()] }, { at: T0 + 20 * SEC, tick: [stuck()] }, { at: T0 + 40 * SEC, recovery: [answer] }], answer);
		const en = formatAlert(item, { language: 'en', now: T0 + 40 * SEC });
		expect(en.title).toBe('Needs you: The backup disk is full, so no new backup was made: free space there or lower how many backups are kept.');
		expect(en.text).toContain('First failed check 40 s ago.');
		expect(en.text).toContain('There is no automatic action for this: a person must act.');
		expect(en.text).toContain('Action: notify.escalate: not attempted');
		expect(formatAlert(item, { language: 'es', now: T0 + 40 * SEC }).title).toMatch(/^Requiere su acción: El disco de copias está lleno/);
		const unknown = { ...item, result: { ...item.result, cause: { ...item.result.cause!, code: 'backup.from_the_future' } } };
		expect(formatAlert(unknown, { language: 'en', now: T0 + 40 * SEC }).title).toMatch(/^Needs you: Backup is not working as it should/);
		expect(formatAlert(unknown, { language: 'es', now: T0 + 40 * SEC }).title).toMatch(/^Requiere su acción: Copias de seguridad no funciona como debería/);
	});

	test('reminder says how long the incident has been open', () => {
		const item = alertOf(
			[
				{ at: T0, tick: [tokenRevoked()] },
				{ at: T0 + 20 * SEC, tick: [tokenRevoked()] },
				...ticks(T0 + 5 * MIN, T0 + 4 * HOUR + 20 * SEC + 1, 5 * MIN, () => [tokenRevoked()]),
				{ at: T0 + 4 * HOUR + 20 * SEC, tick: [tokenRevoked()] },
			],
			tokenRevoked(),
		);
		expect(item.alertKind).toBe('reminder');
		const now = T0 + 4 * HOUR + 20 * SEC;
		expect(formatAlert(item, { language: 'en', now }).title).toMatch(/^Still open after 4 h: Payments rejected its key/);
		expect(formatAlert(item, { language: 'es', now }).title).toMatch(/^Sigue abierto tras 4 h: Pagos rechazó su clave/);
	});
});

describe('formatAlert: diagnosis sources and missing parts', () => {
	test('a cached diagnosis names who made it; rules and Groq are named too', () => {
		const cached = formatAlert(openedAfterFailedRestart({ ...diagnosis({ source: 'cache' }), cachedFrom: 'groq' }), { language: 'en', now: T0 + 3 * MIN });
		expect(cached.text).toContain('Diagnosis: from cache (made by Groq): ');
		const cachedEs = formatAlert(openedAfterFailedRestart({ ...diagnosis({ source: 'cache', summary: 'La sesión se cerró; un reinicio suele traerla de vuelta.' }), cachedFrom: 'groq' }), { language: 'es', now: T0 + 3 * MIN });
		expect(cachedEs.text).toContain('Diagnóstico: en caché (hecho por Groq): ');
		const cachedUnknown = formatAlert(openedAfterFailedRestart(diagnosis({ source: 'cache' })), { language: 'en', now: T0 + 3 * MIN });
		expect(cachedUnknown.text).toContain('Diagnosis: from cache: ');
		const rules = formatAlert(openedAfterFailedRestart(diagnosis({ source: 'rules', model: undefined, recommendedActions: [] })), { language: 'en', now: T0 + 3 * MIN });
		expect(rules.text).toContain('Diagnosis: by rules: The session closed; a restart usually brings it back.\n');
	});

	test('an LLM summary in the other language is replaced by the rule diagnosis in the configured one, and says so', () => {
		const es = formatAlert(openedAfterFailedRestart(diagnosis()), { language: 'es', now: T0 + 3 * MIN }).text;
		expect(es).not.toContain('The session closed');
		expect(es).toContain('Diagnóstico: de reglas: El bot no puede enviar ni recibir mensajes; reconectar primero y, si falla, vincular de nuevo con un QR nuevo. (el modelo respondió en otro idioma, se muestra el texto de las reglas)');
		const spanishSummary = diagnosis({ summary: 'La sesión se cerró y el bot no puede responder a los clientes.' });
		const en = formatAlert(openedAfterFailedRestart(spanishSummary), { language: 'en', now: T0 + 3 * MIN }).text;
		expect(en).not.toContain('La sesión se cerró');
		expect(en).toContain('(the model answered in another language, so the rule text is shown)');
		// A summary in the configured language is kept as the model wrote it.
		expect(formatAlert(openedAfterFailedRestart(spanishSummary), { language: 'es', now: T0 + 3 * MIN }).text).toContain('La sesión se cerró y el bot');
	});

	test('no diagnosis, no recovery: those lines are left out or say "none yet"', () => {
		const item = alertOf([{ at: T0, tick: [tokenRevoked()] }, { at: T0 + 20 * SEC, tick: [tokenRevoked()] }], tokenRevoked());
		const en = formatAlert(item, { language: 'en', now: T0 + 20 * SEC });
		expect(en.text).not.toContain('Diagnosis');
		expect(en.text).toContain('Action: none yet');
		expect(en.text).not.toContain('Execution');
		expect(en.slackText).not.toContain('<http');
		expect(en.emailHtml).not.toContain('<a ');
		// No link to act or to the status page without the URLs to build them.
		expect(en.text).not.toContain('http');
	});

	test('malformed diagnosis and recovery from workflow data are ignored, not thrown on', () => {
		for (const junk of ['junk', { summary: 5 }, { summary: '   ' }, null]) {
			const item = openedAfterFailedRestart(junk);
			const text = formatAlert({ ...item, result: { ...item.result, recovery: { action: 'rm -rf' } } }, { language: 'en', now: T0 + 3 * MIN }).text;
			expect(text).not.toContain('Diagnosis');
			expect(text).toContain('Action: whatsapp.reconnect: did not fix it');
		}
	});

	test('dry run and changed counts are shown', () => {
		const item = openedAfterFailedRestart();
		const dry = { ...item, result: { ...item.result, recovery: { ...recovery(evolutionClosed(), { dryRun: true }).recovery, changed: 0 } } };
		expect(formatAlert(dry, { language: 'en', now: T0 + 3 * MIN }).text).toContain('Action: whatsapp.reconnect: dry run, nothing changed (2 step(s), 0 changed)');
		expect(formatAlert(dry, { language: 'es', now: T0 + 3 * MIN }).text).toContain('simulación, sin cambios (2 paso(s), 0 cambiado(s))');
	});
});

describe('formatAlert: grouped alert', () => {
	test('the leader lists every member; title says how many', () => {
		const members = () => [netDown('database', 'postgres:shop'), netDown('payments', 'mercadopago', 'net.unreachable'), netDown('llm', 'groq')];
		const run = runScenario(
			[
				{ at: T0, tick: members() },
				{ at: T0 + 20 * SEC, tick: members() },
			],
			{ budget: { maxActions: 0 } },
		);
		expect(run.alerts).toHaveLength(1);
		const item: AlertInput = { ...run.alerts[0], result: members()[0] };
		const en = formatAlert(item, { language: 'en', now: T0 + 20 * SEC });
		expect(en.title).toMatch(/^Needs you: 3 targets \(network failure\) do(es)? not answer in time/);
		expect(en.text).toContain('Affected together: 3: database:postgres:shop, payments:mercadopago, llm:groq');
		const es = formatAlert(item, { language: 'es', now: T0 + 20 * SEC });
		expect(es.title).toMatch(/^Requiere su acción: 3 destinos \(falla de red\) no responde/);
		expect(es.text).toContain('Afectados a la vez: 3: database:postgres:shop, payments:mercadopago, llm:groq');
	});
});

describe('formatAlert: escaping and redaction', () => {
	test('a cause message with <script> is escaped in HTML and Slack, kept readable in plain text', () => {
		const evil = failing({ code: 'provider.server_error', message: 'Gateway said <script>alert("x")</script> & left' });
		const item = alertOf([{ at: T0, tick: [evil] }, { at: T0 + 20 * SEC, tick: [evil] }], evil, { budget: { maxActions: 0 } });
		const alert = formatAlert(item, { language: 'en', now: T0 + 20 * SEC, executionUrl: `${EXECUTION}?a=1&b="2"` });
		expect(alert.emailHtml).not.toContain('<script>');
		expect(alert.emailHtml).toContain('Gateway said &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; left');
		expect(alert.emailHtml).toMatch(/<a href="https:\/\/n8n\.example\.test\/workflow\/7\/executions\/1234\?a=1&amp;b=&quot;2&quot;" style="[^"]*">Open the execution<\/a>/);
		expect(alert.slackText).not.toContain('<script>');
		expect(alert.slackText).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; left');
		expect(alert.slackText).toContain(`<${EXECUTION}?a=1&amp;b="2"|Open the execution>`);
		expect(alert.text).toContain('Gateway said <script>alert("x")</script> & left');
		// Only the plain-text parts are built from tags we wrote.
		expect(alert.emailHtml.match(/<(\w+)/g)?.every((tag) => ['<html', '<head', '<meta', '<body', '<div', '<h1', '<p', '<strong', '<a'].includes(tag))).toBe(true);
	});

	test('a non-web execution URL is shown as text, never as a link', () => {
		const item = resolvedAfterRestart();
		const alert = formatAlert(item, { language: 'en', now: T0 + 40 * SEC, executionUrl: 'javascript:alert(1)' });
		expect(alert.emailHtml).not.toContain('href');
		expect(alert.slackText).not.toContain('<javascript');
		expect(alert.text).toContain('Execution: javascript:alert(1)');
	});

	test('known secrets and secret-shaped tokens never appear in any output, in either language', () => {
		const secret = 'test-service-key-not-real';
		const htmlish = 'p&ss<word-not-real';
		const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoidGVzdCJ9.c2lnbmF0dXJlLW5vdC1yZWFs';
		const leaky = failing({ code: 'auth.invalid_credentials', needsHuman: true, message: `Rejected key ${secret} and password ${htmlish}` });
		const item = alertOf([{ at: T0, tick: [leaky] }, { at: T0 + 20 * SEC, tick: [leaky] }], {
			...leaky,
			diagnosis: diagnosis({ summary: `Rotate ${secret}; the gateway sent Bearer ${jwt}` }),
		} as AlertResult);
		for (const language of ['es', 'en'] as const) {
			const alert = formatAlert(item, { language, now: T0 + 20 * SEC, executionUrl: `${EXECUTION}?token=${secret}`, secrets: [secret, htmlish] });
			const out = all(alert);
			for (const value of [secret, htmlish, 'p&amp;ss&lt;word', jwt, encodeURIComponent(htmlish)]) expect(out).not.toContain(value);
			expect(alert.text).toContain('[REDACTED]');
		}
	});

	test('the email subject is one line even if a target carries a newline', () => {
		const item = resolvedAfterRestart();
		const subject = formatAlert({ ...item, target: 'evolution:ventas\r\nBcc: someone@example.test' }, { language: 'en', now: T0 + 40 * SEC }).emailSubject;
		expect(subject).not.toMatch(/[\r\n]/);
		expect(subject).toContain('evolution:ventas Bcc');
	});
});

describe('formatAlert: misuse', () => {
	test('an item that is not an alert, an unknown language or a bad time throws AlertFormatError', () => {
		const item = resolvedAfterRestart();
		const { alertKind: _omit, ...notAlert } = item;
		expect(() => formatAlert({ ...notAlert, decision: 'ongoing' }, { now: T0 })).toThrow(AlertFormatError);
		expect(() => formatAlert({ ...notAlert, decision: 'ongoing' }, { now: T0 })).toThrow(/decision "ongoing" is not an alert/);
		expect(() => formatAlert(item, { language: 'fr' as never, now: T0 })).toThrow(/language must be one of es\|en/);
		expect(() => formatAlert(item, { now: Number.NaN })).toThrow(/now must be a time/);
		expect(() => formatAlert({ ...item, result: undefined as never }, { now: T0 })).toThrow(/item.result/);
	});
});
