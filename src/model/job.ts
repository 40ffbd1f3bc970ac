/**
 * The batch/v1 Job after API defaulting (k/k:pkg/apis/batch/v1/defaults.go SetDefaults_Job) and
 * the registry's selector generation (pkg/registry/batch/job/strategy.go generateSelector).
 * Only the fields the simulator reads are typed; the rest stay in `LoadedObject.raw`.
 */
import type { ObjectMeta, PodSpec } from './k8s.ts';

/** One podFailurePolicy rule (batch/v1 PodFailurePolicyRule). */
export interface PodFailurePolicyRule {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status: 'True' | 'False' | 'Unknown' }[];
}

/** batch/v1 JobSpec, defaulted. */
export interface JobSpec {
  parallelism: number;
  /** Absent: the Job succeeds with its first successful Pod (a work queue). */
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit: number;
  ttlSecondsAfterFinished?: number;
  completionMode: 'NonIndexed' | 'Indexed';
  suspend: boolean;
  podReplacementPolicy: 'TerminatingOrFailed' | 'Failed';
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  manualSelector?: boolean;
  selector: { matchLabels?: Record<string, string> };
  template: {
    metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: PodSpec;
  };
}

/** A batch/v1 Job as the simulated API server stores it. */
export interface Job {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: ObjectMeta;
  spec: JobSpec;
}
