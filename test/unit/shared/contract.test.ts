import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import { commonCause } from '../../../nodes/shared/causes';
import { ACTIONS_BY_COMPONENT, COMPONENTS, isActionId, worstStatus } from '../../../nodes/shared/contract';
import {
	validateCheckResult,
	validateDiagnosedResult,
	validateDiagnosis,
	validateRecoveryResult,
} from '../../../nodes/shared/validate';

const fixedClock = () => {
	let t = Date.parse('2026-11-21T10:00:00.000Z');
	return () => (t += 5);
};

describe('worstStatus', () => {
	test.each([
		[[], 'healthy'],
		[['healthy', 'healthy'], 'healthy'],
		[['healthy', 'degraded'], 'degraded'],
		[['degraded', 'down', 'healthy'], 'down'],
	] as const)('%j → %s', (statuses, expected) => {
		expect(worstStatus(statuses)).toBe(expected);
	});
});

describe('CheckRecorder', () => {
	test('a result with only passing checks is healthy and has no cause', () => {
		const result = new CheckRecorder('whatsapp', 'evolution:ventas', fixedClock())
			.pass('liveness', 'GET / answered', { durationMs: 3 })
			.pass('connectionState', 'open', { value: 'open' })
			.result({ state: 'open' });
		expect(result.status).toBe('healthy');
		expect(result.cause).toBeUndefined();
		expect(result.checkedAt).toBe('2026-11-21T10:00:00.010Z');
		expect(result.latencyMs).toBe(5);
		expect(validateCheckResult(result)).toEqual([]);
	});

	test('the cause is the first check with the worst status', () => {
		const recorder = new CheckRecorder('payments', 'mercadopago', fixedClock())
			.degrade('latency', commonCause('provider.rate_limited', 'MercadoPago is rate limiting us.'))
			.fail('auth', commonCause('auth.invalid_credentials', 'MercadoPago rejected the token.'))
			.fail('link', commonCause('net.timeout', 'MercadoPago did not answer.'));
		const result = recorder.result();
		expect(result.status).toBe('down');
		expect(result.cause?.code).toBe('auth.invalid_credentials');
		expect(result.cause?.needsHuman).toBe(true);
		expect(result.checks.map((c) => c.code)).toEqual(['provider.rate_limited', 'auth.invalid_credentials', 'net.timeout']);
		expect(validateCheckResult(result)).toEqual([]);
	});

	test('refuses an unhealthy check without a cause', () => {
		expect(() =>
			new CheckRecorder('host', 'local').add({ name: 'disk', status: 'down', message: 'full' }),
		).toThrow(/no cause/);
	});
});

describe('validateCheckResult', () => {
	const valid = () =>
		new CheckRecorder('database', 'postgres:shop', fixedClock())
			.fail('catalog', { code: 'database.catalog_empty', message: 'The products table is empty.', retryable: false, needsHuman: false })
			.result();

	test.each([
		['not an object', () => 'x', /must be an object/],
		['unknown component', () => ({ ...valid(), component: 'mail' }), /component must be one of/],
		['status not worst-of', () => ({ ...valid(), status: 'degraded' }), /worst check is down/],
		['missing cause', () => ({ ...valid(), cause: undefined }), /must carry a cause/],
		['cause on healthy', () => ({ ...valid(), status: 'healthy', checks: [] }), /must not carry a cause/],
		['bad cause code', () => ({ ...valid(), cause: { ...valid().cause, code: 'Empty Catalog' } }), /dotted id/],
		['non-UTC timestamp', () => ({ ...valid(), checkedAt: '2026-11-21 10:00' }), /ISO-8601/],
		['negative latency', () => ({ ...valid(), latencyMs: -1 }), /latencyMs/],
		['checks not array', () => ({ ...valid(), checks: {} }), /checks must be an array/],
	])('rejects %s', (_name, make, problem) => {
		const problems = validateCheckResult(make());
		expect(problems.join('\n')).toMatch(problem);
	});
});

describe('validateRecoveryResult', () => {
	const base = () => ({
		...new CheckRecorder('whatsapp', 'evolution:ventas', fixedClock()).pass('state', 'open').result(),
		recovery: {
			action: 'whatsapp.reconnect',
			attempted: true,
			success: true,
			before: 'down',
			after: 'healthy',
			steps: [{ action: 'whatsapp.reconnect', ok: true, message: 'restarted', durationMs: 40 }],
		},
	});

	test('accepts a successful recovery', () => {
		expect(validateRecoveryResult(base())).toEqual([]);
	});

	test.each([
		['unknown action', (r: ReturnType<typeof base>) => ({ ...r, recovery: { ...r.recovery, action: 'drop.table' } }), /action must be an action id/],
		['success without healthy re-check', (r: ReturnType<typeof base>) => ({ ...r, recovery: { ...r.recovery, after: 'down' } }), /after must equal|requires a healthy/],
		['dry run that succeeded', (r: ReturnType<typeof base>) => ({ ...r, recovery: { ...r.recovery, dryRun: true } }), /dry run cannot succeed/],
		['step without duration', (r: ReturnType<typeof base>) => ({ ...r, recovery: { ...r.recovery, steps: [{ action: 'x', ok: true, message: '' }] } }), /durationMs/],
	])('rejects %s', (_name, mutate, problem) => {
		expect(validateRecoveryResult(mutate(base())).join('\n')).toMatch(problem);
	});
});

describe('validateDiagnosis', () => {
	const diagnosis = {
		rootCause: 'The WhatsApp session was closed by the phone.',
		summary: 'WhatsApp disconnected; restart the instance.',
		severity: 'high',
		confidence: 0.8,
		recommendedActions: ['whatsapp.reconnect'],
		rejected: ['DROP TABLE products'],
		source: 'rules',
		latencyMs: 1,
		fingerprint: 'abc',
	};

	test('accepts a diagnosis whose actions fit the component', () => {
		expect(validateDiagnosis(diagnosis, 'whatsapp')).toEqual([]);
	});

	test('rejects actions of another component, bad confidence and unknown sources', () => {
		const problems = validateDiagnosis({ ...diagnosis, confidence: 2, source: 'gpt', recommendedActions: ['database.restore_images'] }, 'whatsapp');
		expect(problems.join('\n')).toMatch(/not allowed here/);
		expect(problems.join('\n')).toMatch(/confidence/);
		expect(problems.join('\n')).toMatch(/source/);
	});

	test('validateDiagnosedResult checks both parts', () => {
		const result = { ...new CheckRecorder('whatsapp', 'waha:default', fixedClock()).pass('s', 'ok').result(), diagnosis: { ...diagnosis, severity: 'meh' } };
		expect(validateDiagnosedResult(result).join('\n')).toMatch(/severity/);
	});
});

test('every component can escalate and every listed action is a known action id', () => {
	for (const component of COMPONENTS) {
		expect(ACTIONS_BY_COMPONENT[component]).toContain('notify.escalate');
		for (const action of ACTIONS_BY_COMPONENT[component]) expect(isActionId(action)).toBe(true);
	}
	expect(isActionId('rm -rf /')).toBe(false);
});
