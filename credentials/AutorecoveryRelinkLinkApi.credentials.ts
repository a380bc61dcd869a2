import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The key relink links are signed with (HMAC-SHA256): the Monitor's alerts sign a link to
 * the relink page with it, and the page (WhatsApp Probe's Relink Page) checks it. Whoever
 * has the key can make links that open the page, so it lives here, encrypted, never in a
 * workflow. Nothing to test against: it is a key, not an account.
 */
export class AutorecoveryRelinkLinkApi implements ICredentialType {
	name = 'autorecoveryRelinkLinkApi';

	displayName = 'Autorecovery Relink Link API';

	icon: Icon = { light: 'file:icons/relinkLinkApi.svg', dark: 'file:icons/relinkLinkApi.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-autorecovery';

	properties: INodeProperties[] = [
		{
			displayName: 'Relink Link Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'at least 32 random characters, e.g. from: openssl rand -base64 32',
			description: 'Key that signs the relink page links in alerts (at least 32 characters); changing it voids every link already sent',
			required: true,
		},
	];
}
