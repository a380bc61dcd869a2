// Plain JavaScript on purpose: it must run (and explain itself) on a Node too old for the rest.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
	console.error(
		`n8n-nodes-autorecovery needs Node.js 20.19 or newer (n8n 2.x requires it); this is Node ${process.versions.node}.\n` +
			'Install a newer Node (e.g. with nvm: `nvm install 20`) and run the command again.',
	);
	process.exit(1);
}
