/**
 * Three groups, run in this order by `npm test`:
 *  - unit: plain modules, no servers (fast loop: `npm run test:unit`);
 *  - integration: real Postgres, PostgREST, SMTP and the SaaS emulators;
 *  - e2e: the real n8n CLI/server running workflows (provisions n8n on first use).
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }];

/**
 * End-to-end files that run only in the compatibility run (`npm run test:compat`, on the
 * oldest supported n8n), each with the reason. None today.
 */
const COMPAT_ONLY_E2E_FILES = [];
const compatRun = process.env.AUTORECOVERY_COMPAT_RUN === '1';

/**
 * Where `npm start` and the demo keep n8n and its data inside the clone (the README's
 * default): n8n's install alone is about 275,000 files, which jest would otherwise crawl
 * at every start, and whose __mocks__ folders it would register as manual mocks.
 */
const localState = ['<rootDir>/.runtime/', '<rootDir>/.n8n-local/', '<rootDir>/.demo/'];

const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	modulePathIgnorePatterns: localState,
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
			testPathIgnorePatterns: ['/node_modules/', ...(compatRun ? [] : COMPAT_ONLY_E2E_FILES.map((file) => `/test/e2e/${file.replace(/\./g, '\\.')}$`))],
			setupFilesAfterEnv: ['<rootDir>/test/e2e/jestTimeout.ts'],
			globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
		}),
	],
};
