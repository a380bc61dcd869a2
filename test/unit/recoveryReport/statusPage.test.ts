/**
 * The rendered status page: one self-contained document (no script, no external
 * asset), every text escaped, no secret, a coloured badge per component that a
 * browser test can find, Spanish by default and English on request.
 */
import { openIncidents } from '../../../nodes/shared/incident/controls';
import { createTrackerState } from '../../../nodes/shared/incident/state';
import { STATUS_COLOURS } from '../../../nodes/RecoveryReport/status/pageStyle';
import { renderStatusPage } from '../../../nodes/RecoveryReport/status/renderStatusPage';
import { safeCauseMessage, safeLine } from '../../../nodes/RecoveryReport/status/safeText';
import { buildStatusModel, type StatusModelInput } from '../../../nodes/RecoveryReport/status/statusModel';
import { parseTargetNames } from '../../../nodes/RecoveryReport/status/targetNames';
import { DB_URL, EVIL_TARGET, FIXTURE_SECRETS, fixtureInput, NOW, SECRET_KEY } from '../../integration/statusPage/statusFixture';

const page = (input: StatusModelInput = fixtureInput()): string => renderStatusPage(buildStatusModel(input));

function badges(html: string): Array<[string, string]> {
	return [...html.matchAll(/<span class="badge s-([a-z]+)" data-component="([a-z]+)" data-status="([a-z]+)">/g)].map((m) => {
		expect(m[1]).toBe(m[3]); // the colour class is the status
		return [m[2], m[3]];
	});
}

describe('renderStatusPage', () => {
	const html = page();

	it('is an HTML5 document for a phone that refreshes itself', () => {
		expect(html.startsWith('<!DOCTYPE html>\n<html lang="es">')).toBe(true);
		expect(html).toContain('<meta charset="utf-8">');
		expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
		expect(html).toContain('<meta http-equiv="refresh" content="60">');
		expect(html.trimEnd().endsWith('</html>')).toBe(true);
	});

	it('loads nothing: no script, no external stylesheet, image, font or import', () => {
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/<link|<img|<iframe|<object|<embed|\bsrc=|url\(|@import|@font-face/i);
		// The only web addresses are execution links a person may follow.
		const addresses = [...html.matchAll(/https?:\/\/[^\s"<]+/g)].map((m) => m.index ?? -1);
		expect(addresses.length).toBe(2);
		for (const at of addresses) expect(html.slice(at - 6, at)).toBe('href="');
		expect(html).not.toContain('javascript:');
	});

	it('escapes every text: a target named like a script tag is shown, never run', () => {
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).not.toContain(EVIL_TARGET);
		const evilTitle = page({ ...fixtureInput(), title: '"><img src=x onerror=alert(1)>' });
		expect(evilTitle).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
		expect(evilTitle).not.toMatch(/<img/);
	});

	it('shows no secret and no raw error body', () => {
		for (const secret of FIXTURE_SECRETS) expect(html).not.toContain(secret);
		expect(html).not.toContain(DB_URL);
		expect(html).toContain('postgres://u:[REDACTED]@h/db');
		expect(html).not.toContain('Unauthorized');
		// Without the known secrets, shape rules and dropping the body still keep the key out.
		const noSecretsGiven = page({ ...fixtureInput(), secrets: [] });
		expect(noSecretsGiven).not.toContain(SECRET_KEY);
	});

	it('has one badge per shown component with its status and colour', () => {
		expect(badges(html)).toEqual([
			['whatsapp', 'down'],
			['database', 'healthy'],
			['payments', 'degraded'],
			['llm', 'unknown'],
		]);
		for (const [status, colour] of Object.entries(STATUS_COLOURS)) expect(html).toContain(`.s-${status}{--c:${colour}}`);
		expect(STATUS_COLOURS).toEqual({ healthy: '#1a7f37', degraded: '#bf8700', down: '#cf222e', unknown: '#6e7781' });
	});

	it('says the overall state, the pause, incidents with age and escalation, availability and recoveries (es)', () => {
		expect(html).toContain('<section class="banner s-down" data-overall="down">Hay componentes caídos</section>');
		expect(html).toContain('Automatización en pausa hasta 2026-02-20 13:45 (quedan 45 min): sin alertas ni acciones automáticas.');
		expect(html).toContain('Motivo: Mudanza del servidor (por ana)');
		expect(html).toContain('caído desde hace 40 min');
		expect(html).toContain('<span class="flag">Requiere una persona</span> ninguna acción automática puede arreglarlo');
		expect(html).toContain('Causa: <span class="code">auth.invalid_credentials</span>');
		expect(html).toContain('Evolution rejected apikey=[REDACTED] (401)');
		expect(html).toContain('Sin comprobar recientemente: última comprobación hace 25 min');
		expect(html).toContain('<span class="value">88,89 %</span><span class="muted">caído 2 h 40 min</span>');
		expect(html).toContain('Sin datos: Copias de seguridad, Logs, Servidor');
		expect(html).toContain('<span class="o-success">arreglado</span>');
		expect(html).toContain('<span class="o-escalated">se avisó a una persona</span>');
		expect(html).toContain('<span class="o-dry_run">simulación</span> · duró 30 s · manual');
		expect(html).toContain('<a href="https://n8n.example.test/workflow/arRecover0000001/executions/1002" rel="noreferrer">Ejecución</a>');
		expect(html).toContain('Actualizado 2026-02-20 13:00 (Europe/Madrid)');
	});

	it('speaks English on request', () => {
		const en = page(fixtureInput('en'));
		expect(en.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
		expect(en).toContain('Some components are down');
		expect(en).toContain('down for 40 min');
		expect(en).toContain('Needs a person');
		expect(en).toContain('<span class="value">88.89 %</span>');
		expect(en).toContain('Last recoveries');
		expect(en).not.toContain('caído');
	});

	it('reads well with no data yet and with the history unavailable', () => {
		const empty = page({ now: NOW, language: 'en', observed: [], status: openIncidents(createTrackerState(), NOW), closed: [], recoveries: null });
		expect(empty).toContain('data-overall="unknown">No checks recorded yet.</section>');
		expect(empty).toContain('The recovery history is not available right now.');
		expect(empty).not.toContain('data-status=');
		expect(empty).not.toContain('No data:');
		expect(empty).not.toContain('Automation paused');
		const noRecoveries = page({ now: NOW, language: 'es', observed: [{ component: 'host', target: 'vps', status: 'healthy', at: NOW }], status: openIncidents(createTrackerState(), NOW), closed: [], recoveries: [] });
		expect(noRecoveries).toContain('data-overall="healthy">Todo funciona</section>');
		expect(noRecoveries).toContain('Todavía no hay recuperaciones.');
		expect(noRecoveries).toContain('Sin incidentes abiertos');
		expect(noRecoveries).toContain('<span class="value">sin datos</span>'); // no trackingSince
	});
});

describe('safe texts', () => {
	it('keeps the first line, drops a raw JSON or HTML body, redacts first and truncates', () => {
		expect(safeCauseMessage('Timed out after 10000 ms.', [])).toBe('Timed out after 10000 ms.');
		expect(safeCauseMessage('Gateway said: <!DOCTYPE html><html>502</html>', [])).toBe('Gateway said');
		expect(safeCauseMessage('Bad reply [{"id":1}]', [])).toBe('Bad reply');
		expect(safeCauseMessage('first line\nsecond password=hunter22', [])).toBe('first line');
		expect(safeCauseMessage('{"error":"x"}', [])).toBe('');
		expect(safeCauseMessage(42, [])).toBe('');
		// Redaction happens before truncation, so no prefix of a secret survives a cut.
		const long = `${'a'.repeat(130)} ${SECRET_KEY}`;
		expect(safeCauseMessage(long, [SECRET_KEY])).toBe(`${'a'.repeat(130)} [REDACTE…`);
		expect(safeCauseMessage(long, [SECRET_KEY])).not.toContain('test-');
		expect(safeLine(`  spaced \n\t out ${SECRET_KEY} `, [SECRET_KEY])).toBe('spaced out [REDACTED]');
	});
});

describe('what the owner reads: names, availability since monitoring started, why no data', () => {
	const HOUR = 3_600_000;
	const healthyAt = (target: string) => ({ component: 'whatsapp' as const, target, status: 'healthy' as const, at: NOW });
	const minimal = (extra: Partial<StatusModelInput>): StatusModelInput => ({
		now: NOW,
		language: 'en',
		observed: [healthyAt('evolution:ventas')],
		status: openIncidents(createTrackerState(), NOW),
		closed: [],
		recoveries: [],
		...extra,
	});

	test("targets show the owner's name, the id kept in the tooltip; unnamed targets show their id", () => {
		const html = page(minimal({ observed: [healthyAt('evolution:ventas'), healthyAt('evolution:soporte')], targetNames: parseTargetNames('evolution:ventas = WhatsApp de ventas') }));
		expect(html).toContain('<span class="name"><span title="evolution:ventas">WhatsApp de ventas</span></span>');
		expect(html).toContain('<span class="name">evolution:soporte</span>');
		// Names are escaped like everything else.
		const evil = page(minimal({ targetNames: parseTargetNames('evolution:ventas = <b>x</b>') }));
		expect(evil).toContain('&lt;b&gt;x&lt;/b&gt;');
		expect(evil).not.toContain('<b>x</b>');
	});

	test('availability is labelled by what it covers: since monitoring started, until a window has passed', () => {
		const twoHours = page(minimal({ trackingSince: NOW - 2 * HOUR }));
		expect(twoHours).toContain('Availability since monitoring started (2 h)');
		expect(twoHours).not.toContain('last 24 h');
		expect(twoHours).not.toContain('last 7 d');
		const threeDays = page(minimal({ trackingSince: NOW - 72 * HOUR }));
		expect(threeDays).toContain('Availability last 24 h');
		expect(threeDays).toContain('Availability since monitoring started (3 d)');
		const longAgo = page(minimal({ trackingSince: NOW - 30 * 24 * HOUR }));
		expect(longAgo).toContain('Availability last 24 h');
		expect(longAgo).toContain('Availability last 7 d');
		expect(longAgo).not.toContain('since monitoring started');
	});

	test('"No data" says why', () => {
		expect(page(minimal({}))).toContain('No data: Database, Payments, LLM, Backup, Logs, Host. The Monitor has recorded no check of these');
	});

	test('bad Target Names lines are refused with the line and the expected form', () => {
		expect(() => parseTargetNames('evolution:ventas WhatsApp')).toThrow(/line 1 must read "target = name"/);
		expect(() => parseTargetNames('# comment\n\nevolution:ventas = A\nevolution:ventas = B')).toThrow(/line 4: "evolution:ventas" is named twice/);
		expect(() => parseTargetNames(`a = ${'x'.repeat(81)}`)).toThrow(/longer than 80/);
		expect(parseTargetNames(' # only comments \n\n')).toEqual({});
		expect(parseTargetNames('postgres:shop = Catálogo = principal')).toEqual({ 'postgres:shop': 'Catálogo = principal' });
	});
});
