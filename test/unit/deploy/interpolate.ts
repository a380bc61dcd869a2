/**
 * Compose variable interpolation (the subset the spec defines): `$$`, `$VAR`, `${VAR}`,
 * `${VAR:-default}` / `${VAR-default}`, `${VAR:?message}` / `${VAR?message}`,
 * `${VAR:+alternative}` / `${VAR+alternative}`. Applied to every string value, as
 * `docker compose config` does before validating, so a test sees what Docker would run.
 */

export class MissingComposeVariableError extends Error {
	constructor(
		readonly variable: string,
		readonly reason: string,
	) {
		super(`required variable ${variable} is missing a value: ${reason}`);
	}
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function interpolateString(text: string, env: Record<string, string | undefined>): string {
	return text.replace(REFERENCE, (match: string, braced: string | undefined, operator: string | undefined, argument: string | undefined, bare: string | undefined) => {
		if (match === '$$') return '$';
		const name = (braced ?? bare) as string;
		const value = env[name];
		const unsetOrEmpty = value === undefined || value === '';
		switch (operator) {
			case undefined:
				return value ?? '';
			case ':-':
				return unsetOrEmpty ? (argument ?? '') : value;
			case '-':
				return value === undefined ? (argument ?? '') : value;
			case ':?':
				if (unsetOrEmpty) throw new MissingComposeVariableError(name, argument ?? '');
				return value;
			case '?':
				if (value === undefined) throw new MissingComposeVariableError(name, argument ?? '');
				return value;
			case ':+':
				return unsetOrEmpty ? '' : (argument ?? '');
			case '+':
				return value === undefined ? '' : (argument ?? '');
			default:
				throw new Error(`unsupported interpolation operator ${operator} in ${match}`);
		}
	});
}

/** A copy of `value` with every string interpolated; keys are left alone. */
export function interpolateCompose(value: unknown, env: Record<string, string | undefined>): unknown {
	if (typeof value === 'string') return interpolateString(value, env);
	if (Array.isArray(value)) return value.map((item) => interpolateCompose(item, env));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateCompose(item, env)]));
	}
	return value;
}
