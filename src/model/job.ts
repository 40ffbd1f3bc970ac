/**
 * The batch/v1 Job types, declared with the other API objects in k8s.ts (so that `ApiObject`
 * needs no import cycle) and re-exported here for the Job's own modules.
 */
export type { Job, JobSpec, PodFailurePolicyRule } from './k8s.ts';
