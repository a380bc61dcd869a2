// Plain JavaScript on purpose: it must run (and explain itself) on a Node too old for the rest.
// This checks the Node that runs the project's own tools. n8n itself runs on the Node its
// release requires (current n8n needs 24): when this machine's is older, the provisioning
// step installs that Node from the npm registry for the n8n process only.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
	console.error(
		`n8n-nodes-autorecovery needs Node.js 20.19 or newer to run its tools; this is Node ${process.versions.node}.\n` +
			'Install a newer Node (e.g. with nvm: `nvm install 24`) and run the command again. ' +
			'(n8n gets the Node its release needs on its own.)',
	);
	process.exit(1);
}
