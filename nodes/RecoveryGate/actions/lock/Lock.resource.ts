/** Recovery Gate's lock resource: the per-component locks the Monitor's automatic recoveries take. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as claim from './claim.operation';
import * as release from './release.operation';

export const operations = { claim, release } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'lock',
	[
		{ name: 'Claim', value: 'claim', description: 'Take each item\'s component lock before an automatic recovery; items whose component is being recovered are left out', action: 'Claim recovery locks' },
		{ name: 'Release', value: 'release', description: 'Release the locks Claim took in this execution', action: 'Release recovery locks' },
	],
	operations,
);
