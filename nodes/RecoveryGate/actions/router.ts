import { createRouter } from '../../shared/n8n/router';
import * as lock from './lock/Lock.resource';
import * as manualRecovery from './manualRecovery/ManualRecovery.resource';
import * as outcome from './outcome/Outcome.resource';

export const router = createRouter({ resources: { manualRecovery: manualRecovery.operations, lock: lock.operations, outcome: outcome.operations } });
