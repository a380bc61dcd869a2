/**
 * No logic in workflow expressions (issue 18): every expression in a shipped workflow is
 * a plain reference to a field — `={{ $json.x }}`, `={{ $json["x"] }}`,
 * `={{ $('Node').first().json.a.b }}`, `={{ $execution.id }}` — or a list of them
 * (`={{ [$json.a, $json.b] }}`, a query's bound values), and every computation
 * (escaping, formatting, defaults, links, which steps failed) lives in a node, where
 * it is typed and unit-tested. An expression that does more fails here, naming the
 * workflow, node and parameter.
 */
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', '..', 'workflows');

/** `$json`, `$binary`, `$execution`, `$workflow`, `$now`, or a node: `$('Name')`, `$('Name').first()`, `.last()`, `.item`. */
const ROOT = String.raw`(?:\$json|\$binary|\$execution|\$workflow|\$now|\$\('(?:[^'\\]|\\.)+'\)(?:\.first\(\)|\.last\(\)|\.item)?)`;
/** `.field`, `["field"]`, `['field']`, `[0]`. */
const SEGMENT = String.raw`(?:\.[A-Za-z_$][\w$]*|\["[^"\\]*"\]|\['[^'\\]*'\]|\[\d+\])`;
const FIELD = `${ROOT}${SEGMENT}*`;
/**
 * One field reference, or a list of them (`={{ [$json.a, $json.b] }}`): n8n's Postgres node
 * binds a list's values as they are, where it would split a text at its commas.
 */
const REFERENCE = new RegExp(String.raw`^=\{\{ ?(?:${FIELD}|\[${FIELD}(?:, ${FIELD})*\]) ?\}\}$`);

// n8n itself requires no expression beyond a reference: every shipped one is a field reference.

interface ShippedNode {
	name: string;
	parameters: Record<string, unknown>;
}

const FILES = fs.readdirSync(DIR).filter((name) => name.endsWith('.json')).sort();

/** Every string parameter that n8n evaluates (it starts with "="), by "file › node › path". */
function expressions(): Map<string, string> {
	const found = new Map<string, string>();
	const walk = (value: unknown, at: string): void => {
		if (typeof value === 'string') {
			if (value.startsWith('=')) found.set(at, value);
		} else if (value !== null && typeof value === 'object') {
			for (const [key, inner] of Object.entries(value)) walk(inner, at.endsWith('› ') ? `${at}${key}` : `${at}.${key}`);
		}
	};
	for (const file of FILES) {
		const workflow = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as { nodes: ShippedNode[] };
		for (const node of workflow.nodes) walk(node.parameters, `${file} › ${node.name} › `);
	}
	return found;
}

const found = expressions();

describe('shipped workflows: expressions are field references, no logic', () => {
	test('the reference pattern accepts references and nothing more', () => {
		for (const ok of ['={{ $json.x }}', '={{ $json["x"] }}', "={{ $('Node').first().json.a.b }}", "={{ $('Recovery Request').isExecuted }}", '={{ $execution.id }}', "={{ $('It\\'s').item.json.list[0] }}", "={{ [$json.a, $('Settings').item.json.b] }}", '={{ [$json.only] }}']) {
			expect(ok).toMatch(REFERENCE);
		}
		for (const bad of [
			'={{ $json.x ?? 0 }}',
			'={{ $json.a?.b }}',
			"={{ $json.x + 'y' }}",
			'={{ $json.x.replace(/a/, "") }}',
			'={{ (() => 1)() }}',
			'=Hello {{ $json.name }}',
			'={{ $json.x }} {{ $json.y }}',
			"={{ $('A').first().json.x === 'y' }}",
			'={{ $json[$json.key] }}',
			'={{ JSON.stringify($json) }}',
			"={{ [$json.a, 'text'] }}",
			'={{ [$json.a + 1, $json.b] }}',
			'={{ [] }}',
			'={{ [$json.a,$json.b] }}',
			'={{ [$json.a].join() }}',
		]) {
			expect(bad).not.toMatch(REFERENCE);
		}
	});

	test('the shipped workflows are read (the check is not vacuous)', () => {
		expect(FILES).toEqual(expect.arrayContaining(['alert.json', 'maintenance-backup.json', 'maintenance-log-archive.json', 'monitor.json', 'recover.json']));
		const files = new Set([...found.keys()].map((key) => key.split(' › ')[0]));
		// The Error Handler has no expression at all.
		expect([...files].sort()).toEqual(FILES.filter((file) => file !== 'error-handler.json'));
	});

	test.each([...found.entries()])('%s is a field reference', (_at, expression) => {
		expect(expression).toMatch(REFERENCE);
	});
});
