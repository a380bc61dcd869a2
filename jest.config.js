/**
 * Three groups, run in this order by `npm test`:
 *  - unit: plain modules, no servers (fast loop: `npm run test:unit`);
 *  - integration: real Postgres, PostgREST, SMTP and the SaaS emulators;
 *  - e2e: the real n8n CLI/server running workflows (provisions n8n on first use).
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }];

/**
 * End-to-end files that run only in the compatibility run (`npm run test:compat`, on the
 * oldest supported n8n), with the reason. Queue mode: from 2.4x n8n no longer reloads a
 * workflow's static data when a scheduled run is handed to a worker (workflow-runner:
 * `shouldReloadStaticData = existingExecution && loadStaticData`), and the Incident
 * Tracker keeps its state there, so on 2.4x queue mode repeats alerts until the state
 * moves out of static data (issue 20). README "Supported versions" says so.
 */
const COMPAT_ONLY_E2E_FILES = ['queueMode.test.ts'];
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
