import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Supabase for DB Integrity, for projects reached only through their REST API
 * (PostgREST): the project URL and a key that may read and repair the catalog.
 */
export class AutorecoverySupabaseApi implements ICredentialType {
	name = 'autorecoverySupabaseApi';

	displayName = 'Autorecovery Supabase API';

	icon: Icon = { light: 'file:icons/supabaseApi.svg', dark: 'file:icons/supabaseApi.dark.svg' };

	documentationUrl = 'https://supabase.com/docs/guides/api/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Project URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://your-project-ref.supabase.co',
			description: 'Project Settings → API → Project URL',
			required: true,
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the service-role key bypasses row-level security: a secret
		{
			displayName: 'Service Role or Secret Key',
			name: 'serviceRoleKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The service_role key (legacy) or a secret key (sb_secret_…). The anon/publishable key can only read what the public may read, so repairs fail with it.',
			required: true,
		},
	];

	// Supabase's gateway wants the key as `apikey`; PostgREST takes the role from the Bearer token.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				apikey: '={{$credentials.serviceRoleKey}}',
				Authorization: '=Bearer {{$credentials.serviceRoleKey}}',
			},
		},
	};

	// The REST root (PostgREST's OpenAPI description): 200 with a valid key, 401 from the gateway otherwise.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}/rest/v1',
			url: '/',
			method: 'GET',
		},
	};
}
