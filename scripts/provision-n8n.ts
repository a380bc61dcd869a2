/** `npm run n8n:provision`: installs the pinned n8n now (CI and first-time users). */
import { n8nVersion } from './lib/paths';
import { provisionN8n } from './lib/provision';

provisionN8n(n8nVersion(), (line) => console.log(`[autorecovery] ${line}`))
	.then((runtime) => console.log(`[autorecovery] n8n ${runtime.version} is at ${runtime.dir}`))
	.catch((error: unknown) => {
		console.error(`[autorecovery] ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
