/**
 * `npm run n8n:provision`: installs the n8n `npm start` and the tests use (and the Node it
 * needs) now, instead of on first use. `-- --matrix` also installs the oldest supported n8n,
 * for `npm run test:compat`; CI runs it in the background while the unit tests run.
 */
import { n8nVersion, OLDEST_N8N_VERSION } from './lib/paths';
import { provisionN8n } from './lib/provision';

async function main(): Promise<void> {
	const versions = [n8nVersion()];
	if (process.argv.includes('--matrix') && !versions.includes(OLDEST_N8N_VERSION)) versions.push(OLDEST_N8N_VERSION);
	for (const version of versions) {
		const runtime = await provisionN8n(version, (line) => console.log(`[autorecovery] ${line}`));
		console.log(`[autorecovery] n8n ${runtime.version} is at ${runtime.dir}, run by Node ${runtime.node.version}`);
	}
}

main().catch((error: unknown) => {
	console.error(`[autorecovery] ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
