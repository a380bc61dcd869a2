/**
 * Three groups, run in this order by `npm test`:
 *  - unit: plain modules, no servers (fast loop: `npm run test:unit`);
 *  - integration: real Postgres, PostgREST, SMTP and the SaaS emulators;
 *  - e2e: the real n8n CLI/server running workflows (provisions n8n on first use).
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }];

const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	...extra,
});

module.exports = {
	projects: [
		project('unit', { setupFilesAfterEnv: ['<rootDir>/test/unit/jestTimeout.ts'] }),
		project('integration', {
			setupFilesAfterEnv: ['<rootDir>/test/integration/jestTimeout.ts'],
			globalSetup: '<rootDir>/test/integration/globalSetup.ts',
		}),
		project('e2e', {
			setupFilesAfterEnv: ['<rootDir>/test/e2e/jestTimeout.ts'],
			globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
		}),
	],
};
