import { UndiagnosableResultError } from '../../../nodes/LlmDiagnose/diagnosis/fingerprint';
import {
	DIAGNOSIS_LANGUAGES,
	RULE_CODES,
	RULE_CONFIDENCE,
	RULE_FAMILIES,
	ruleDiagnosis,
	type DiagnosisLanguage,
	type RuleDiagnosis,
} from '../../../nodes/LlmDiagnose/diagnosis/rules';
import { COMPONENTS, SEVERITIES, type Component } from '../../../nodes/shared/contract';
import { validateDiagnosis } from '../../../nodes/shared/validate';
import { causeCodesInSources } from '../causeCodesInSources';
import { failingResult, healthyResult, type FailingOptions } from './results';

function diagnose(options: FailingOptions, language: DiagnosisLanguage = 'en'): RuleDiagnosis {
	return ruleDiagnosis(failingResult(options), language);
}

function asDiagnosis(rule: RuleDiagnosis) {
	return { ...rule, source: 'rules', latencyMs: 0, fingerprint: '0123456789abcdef' };
}

const atLeastHigh = (severity: string) => SEVERITIES.indexOf(severity as never) >= SEVERITIES.indexOf('high');


describe('ruleDiagnosis covers every code, component, status and language', () => {
	const cases = RULE_CODES.flatMap((code) =>
		COMPONENTS.flatMap((component) =>
			(['down', 'degraded'] as const).flatMap((status) => [true, false].map((needsHuman) => ({ code, component, status, needsHuman }))),
		),
	);

	test(`${cases.length} combinations × ${DIAGNOSIS_LANGUAGES.length} languages pass validateDiagnosis for their component`, () => {
		const failures: string[] = [];
		for (const { code, component, status, needsHuman } of cases) {
			for (const language of DIAGNOSIS_LANGUAGES) {
				const rule = diagnose({ code, component, status, needsHuman }, language);
				const problems = validateDiagnosis(asDiagnosis(rule), component);
				if (rule.rootCause.trim() === '' || rule.summary.trim() === '') problems.push('empty text');
				if (rule.recommendedActions.length === 0) problems.push('no action');
				if (new Set(rule.recommendedActions).size !== rule.recommendedActions.length) problems.push('repeated action');
				if (status === 'down' && !atLeastHigh(rule.severity)) problems.push(`down but severity ${rule.severity}`);
				if (needsHuman && rule.recommendedActions[0] !== 'notify.escalate') problems.push('needsHuman but escalation is not first');
				if (rule.confidence !== RULE_CONFIDENCE.exact) problems.push(`confidence ${rule.confidence}`);
				if (problems.length > 0) failures.push(`${code} on ${component} (${status}, needsHuman ${needsHuman}, ${language}): ${problems.join('; ')}`);
			}
		}
		expect(failures).toEqual([]);
	});

	test('every code the package produces has a rule of its own', () => {
		const codes = causeCodesInSources();
		expect(codes.length).toBeGreaterThan(50);
		expect(codes.filter((code) => !RULE_CODES.includes(code))).toEqual([]);
	});

	test('Spanish and English texts differ for every rule', () => {
		const same = RULE_CODES.filter((code) => {
			const es = diagnose({ code }, 'es');
			const en = diagnose({ code }, 'en');
			return es.rootCause === en.rootCause || es.summary === en.summary;
		});
		expect(same).toEqual([]);
	});
});

describe('ruleDiagnosis actions', () => {
	test.each<[string, Component, Partial<FailingOptions>, string[]]>([
		['whatsapp.disconnected', 'whatsapp', {}, ['whatsapp.reconnect', 'whatsapp.relink', 'notify.escalate']],
		['whatsapp.qr_required', 'whatsapp', { needsHuman: true }, ['notify.escalate', 'whatsapp.relink']],
		['whatsapp.number_not_registered', 'whatsapp', {}, ['whatsapp.register', 'notify.escalate']],
		['database.products_without_images', 'database', { status: 'degraded' }, ['database.restore_images']],
		['database.catalog_empty', 'database', {}, ['database.import_catalog', 'notify.escalate']],
		['database.duplicate_skus', 'database', { needsHuman: true }, ['notify.escalate']],
		['net.timeout', 'database', {}, ['database.reconnect', 'notify.escalate']],
		['net.unreachable', 'whatsapp', {}, ['whatsapp.reconnect', 'notify.escalate']],
		['net.timeout', 'payments', {}, ['payments.use_fallback', 'notify.escalate']],
		['provider.server_error', 'payments', {}, ['payments.use_fallback', 'notify.escalate']],
		['net.timeout', 'llm', {}, ['llm.use_fallback']],
		['provider.rate_limited', 'llm', { status: 'degraded' }, ['llm.use_fallback']],
		['auth.invalid_credentials', 'payments', { needsHuman: true }, ['notify.escalate', 'payments.use_fallback']],
		['auth.invalid_credentials', 'database', { needsHuman: true }, ['notify.escalate']],
		['host.disk_space_low', 'host', {}, ['logs.archive', 'backup.prune', 'notify.escalate']],
		['host.memory_low', 'host', { needsHuman: true }, ['notify.escalate']],
		['logs.archive_incomplete', 'logs', { status: 'degraded' }, ['logs.archive']],
		['llm.quota_exhausted', 'llm', { needsHuman: true }, ['notify.escalate', 'llm.use_fallback']],
	])('%s on %s %j → %j', (code, component, extra, expected) => {
		expect(diagnose({ code, component, ...extra }).recommendedActions).toEqual(expected);
	});

	test("a rule's actions of another component are dropped, never recommended", () => {
		// host.disk_space_low suggests backup.prune, which the logs component may not do.
		const rule = diagnose({ code: 'host.disk_space_low', component: 'logs' });
		expect(rule.recommendedActions).toEqual(['logs.archive', 'notify.escalate']);
	});

	test('when nothing of the rule fits the component, escalation is recommended', () => {
		const rule = diagnose({ code: 'database.catalog_empty', component: 'whatsapp' });
		expect(rule.recommendedActions).toEqual(['notify.escalate']);
	});
});

describe('ruleDiagnosis severity and confidence', () => {
	test.each([
		['whatsapp.disconnected', 'whatsapp', 'down', 'critical'],
		['database.catalog_empty', 'database', 'down', 'critical'],
		['net.timeout', 'database', 'down', 'high'],
		['net.timeout', 'database', 'degraded', 'medium'],
		['whatsapp.quality_red', 'whatsapp', 'degraded', 'high'],
		['logs.archive_slow_batch', 'logs', 'degraded', 'low'],
		// A table entry that lowers a degraded severity never lowers a down one below high.
		['logs.archive_slow_batch', 'logs', 'down', 'high'],
	] as const)('%s on %s (%s) → %s', (code, component, status, severity) => {
		expect(diagnose({ code, component, status }).severity).toBe(severity);
	});

	test('an unknown code of a known family gets the family rule (confidence 0.4) and quotes the cause message', () => {
		const rule = diagnose({ code: 'net.tls_handshake_failed', component: 'database', message: 'TLS handshake failed with the server.' });
		expect(rule.confidence).toBe(RULE_CONFIDENCE.family);
		expect(rule.rootCause).toBe('A network problem between n8n and the service.');
		expect(rule.summary).toContain('Detail: TLS handshake failed with the server.');
		expect(rule.recommendedActions).toEqual(['database.reconnect', 'notify.escalate']);
		expect(validateDiagnosis(asDiagnosis(rule), 'database')).toEqual([]);
	});

	test.each(RULE_FAMILIES.map((family) => [family]))('family %s has a rule that validates on every component', (family) => {
		for (const component of COMPONENTS) {
			const rule = diagnose({ code: `${family}.something_new`, component }, 'es');
			expect(rule.confidence).toBe(RULE_CONFIDENCE.family);
			expect(rule.summary).toContain('Detalle:');
			expect(validateDiagnosis(asDiagnosis(rule), component)).toEqual([]);
		}
	});

	test('an unknown family gets the generic rule (confidence 0.2): escalate', () => {
		const rule = diagnose({ code: 'mystery.thing', component: 'backup', message: 'Something odd happened.' }, 'es');
		expect(rule).toMatchObject({ confidence: RULE_CONFIDENCE.generic, recommendedActions: ['notify.escalate'], severity: 'high' });
		expect(rule.summary).toContain('Something odd happened.');
		expect(validateDiagnosis(asDiagnosis(rule), 'backup')).toEqual([]);
	});

	test('a quoted cause message is masked by shape and clipped', () => {
		const rule = diagnose({ code: 'mystery.thing', message: `Failed with Authorization: Bearer abcdef1234567890 ${'x'.repeat(500)}` });
		expect(rule.summary).not.toContain('abcdef1234567890');
		expect(rule.summary.length).toBeLessThan(400);
	});

	test('Spanish is the language asked for', () => {
		expect(diagnose({ code: 'database.catalog_empty' }, 'es').rootCause).toBe('La tabla de productos está vacía.');
		expect(diagnose({ code: 'database.catalog_empty' }, 'en').rootCause).toBe('The products table is empty.');
	});
});

describe('ruleDiagnosis misuse', () => {
	test('a healthy result throws', () => {
		expect(() => ruleDiagnosis(healthyResult(), 'es')).toThrow(UndiagnosableResultError);
	});

	test('an unknown language throws naming the parameter', () => {
		expect(() => ruleDiagnosis(failingResult(), 'fr' as DiagnosisLanguage)).toThrow(/language/);
	});
});
