// Flat config with n8n's two community-node rule sets:
// - eslint-plugin-n8n-nodes-base ships legacy configs, so its rule sets are applied here to the
//   files n8n's own linter targets (package.json, credentials, nodes);
// - @n8n/eslint-plugin-community-nodes is what `n8n-node lint` (@n8n/node-cli) and n8n's scanner
//   (@n8n/scan-community-package) run. We use its non-Cloud set, as @n8n/node-cli/eslint's
//   `configWithoutCloudSupport` does: this package reads the filesystem, runs child processes and
//   ships `pg`, so it is self-hosted only. @n8n/node-cli itself is not a devDependency (about
//   600 packages and 700 MB, LangChain included); see docs/development.md.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const { community, credentials, nodes } = n8nNodesBase.configs;
const communityNodes = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;
/** What the published package is built from: the files `n8n-node lint` checks in a starter repository. */
const shippedSources = ['nodes/**/*.ts', 'credentials/**/*.ts'];
/** The code that talks to n8n (and can name the node in an error); the rest of nodes/ is plain modules. */
const n8nGlue = ['nodes/*/*.node.ts', 'nodes/*/actions/**/*.ts', 'nodes/*/transport/**/*.ts', 'nodes/*/methods/**/*.ts', 'nodes/shared/n8n/**/*.ts'];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.runtime/**', '.n8n-local/**', '.demo/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		extends: [...tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: shippedSources,
		ignores: ['**/*.test.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended, communityNodes],
		rules: {
			// As in @n8n/node-cli/eslint: nodes report through n8n, never the console.
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		// require-node-api-error asks every catch block to throw NodeApiError/NodeOperationError. Plain
		// modules (tested without n8n) have no node to name: they throw typed errors that the n8n glue
		// maps to NodeOperationErrors naming the parameter, and the one router turns anything left into
		// a redacted NodeOperationError (nodes/shared/n8n/errors.ts, test/unit/nodes/shared/n8n/errors.test.ts).
		// So the rule holds where n8n is in reach: node classes, operations, the shared n8n glue.
		files: ['nodes/**/*.ts'],
		ignores: n8nGlue,
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// Self-hosted by design: Volume Backup runs sqlite3 (a consistent snapshot of a live database),
		// pg_dump and pg_restore. Only these files may start a process.
		files: ['nodes/VolumeBackup/directory/sqliteSnapshot.ts', 'nodes/VolumeBackup/postgres/runTool.ts', 'nodes/VolumeBackup/postgres/toolVersion.ts'],
		rules: { '@n8n/community-nodes/no-dangerous-functions': 'off' },
	},
	{
		files: ['package.json'],
		extends: [communityNodes],
		// The plugins' package.json rules walk ESTree ObjectExpressions, which the TS parser yields for JSON.
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...community.rules,
			// Self-hosted by design (README): pg, tar, the provider SDKs. n8n Cloud's verified
			// packages may have none; a self-hosted install runs `npm install` for them.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...credentials.rules,
			// Community credentials link to the provider's docs (full URLs), as n8n-nodes-starter does.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...nodes.rules,
			// As in @n8n/node-cli/eslint: the old plugin wants ['main'] where the new one wants
			// NodeConnectionTypes.Main (and gives max values no reason to be absent).
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
