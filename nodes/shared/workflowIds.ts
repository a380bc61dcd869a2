/**
 * The fixed ids of shipped workflows that nodes need to know, in one place:
 * scripts/workflows/ids.ts builds the shipped workflows with these same constants.
 */

/** The shipped Recover sub-workflow: each of its executions is one recovery. */
export const RECOVER_WORKFLOW_ID = 'arRecover0000001';
