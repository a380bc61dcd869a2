/**
 * Three groups, run in this order by `npm test`:
 *  - unit: plain modules, no servers (fast loop: `npm run test:unit`);
 *  - integration: real Postgres, PostgREST, SMTP and the SaaS emulators;
 *  - e2e: the real n8n CLI/server running workflows (provisions n8n on first use).
 */
const fs = require('node:fs');
const path = require('node:path');

const tsJest = ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }];

/**
 * End-to-end files that run only in the compatibility run (`npm run test:compat`, on the
 * oldest supported n8n), each with the reason. None today.
 */
const COMPAT_ONLY_E2E_FILES = [];
const compatRun = process.env.AUTORECOVERY_COMPAT_RUN === '1';

/**
 * End-to-end files that bound a wall time or a rate measured under their own load, each
 * with the bound. `scripts/test-e2e.ts` runs every other e2e file two at a time (they spend
 * most of their time waiting on n8n, timeouts and confirmations, not on the CPU), then
 * these one at a time, alone on the machine.
 */
const SERIAL_E2E_FILES = {
	'gatewayEvents.test.ts': 'a gateway event starts a recovery in under 10 s',
	'gatewayEventsLoad.test.ts': "n8n's health answers during a 1,000-event burst; a flapping session settles within a minute",
	'tickDeadline.test.ts': 'a tick with a hung gateway ends within its deadline + 1 s',
	'whatsAppProbe.test.ts': 'a check against a slow gateway ends in under 2.5 s',
	'demo.test.ts': 'the demo is ready and heals within its stated times',
};
for (const file of Object.keys(SERIAL_E2E_FILES)) {
	if (!fs.existsSync(path.join(__dirname, 'test', 'e2e', file))) throw new Error(`jest.config.js: SERIAL_E2E_FILES lists test/e2e/${file}, which does not exist`);
}
/** `serial`: only SERIAL_E2E_FILES; `parallel`: all but those; unset: every e2e file. */
const e2ePhase = process.env.AUTORECOVERY_E2E_PHASE ?? '';
if (!['', 'serial', 'parallel'].includes(e2ePhase)) throw new Error(`AUTORECOVERY_E2E_PHASE must be serial or parallel, not ${e2ePhase}`);
const e2eFilePattern = (file) => `/test/e2e/${file.replace(/\./g, '\\.')}$`;
const e2eIgnored = [
	...(compatRun ? [] : COMPAT_ONLY_E2E_FILES),
	...(e2ePhase === 'parallel' ? Object.keys(SERIAL_E2E_FILES) : []),
].map(e2eFilePattern);
const e2eMatch = e2ePhase === 'serial' ? Object.keys(SERIAL_E2E_FILES).map((file) => `<rootDir>/test/e2e/${file}`) : ['<rootDir>/test/e2e/**/*.test.ts'];

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
			testMatch: e2eMatch,
			testPathIgnorePatterns: ['/node_modules/', ...e2eIgnored],
			setupFilesAfterEnv: ['<rootDir>/test/e2e/jestTimeout.ts'],
			globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
		}),
	],
};
