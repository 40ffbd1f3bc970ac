/**
 * The Job controller in virtual time, for NonIndexed Jobs (k/k:pkg/controller/job/
 * job_controller.go, release-1.33, syncJob/manageJob): it creates Pods named `<job>-<5 chars>`
 * from the template up to `parallelism` and the remaining `completions`, counts finished Pods,
 * re-creates failed ones after the Pod-failure back-off (10 s doubling per failure since the
 * last success, capped at 10 min: DefaultJobPodFailureBackOff/MaxJobPodFailureBackOff), and
 * ends the Job: the interim `SuccessCriteriaMet`/`FailureTarget` condition first, then
 * `Complete`/`Failed` once no Pod of the Job is left running. `ttlSecondsAfterFinished` is the
 * TTL-after-finished controller: it deletes the Job and, by cascade, its Pods.
 */
import type { Job, PodFailurePolicyRule } from '../../model/job.ts';
import type { Pod } from '../../model/k8s.ts';
import type { JobCondition, JobSnapshot, PodSnapshot } from '../../model/status.ts';

export type { JobCondition, JobSnapshot } from '../../model/status.ts';

import type { SimEvent } from '../../model/trace.ts';
import { fnv1a } from '../util.ts';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (job_controller.go, 1.33). */
export const JOB_BACKOFF_MS = { initial: 10_000, max: 600_000 } as const;

/** utilrand.String's alphabet (no vowels, no confusable digits), for generated names. */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** What the controller needs from the simulated cluster. */
export interface JobHost {
  now(): number;
  /** Runs `fn` at `at` (virtual ms), after the pod workers of that instant. */
  schedule(at: number, fn: () => void): void;
  createPod(pod: Pod): void;
  /** A graceful delete with the Pod's own grace period. */
  deletePod(namespace: string, name: string): void;
  event(e: SimEvent): void;
  record(key: string, snapshot: JobSnapshot | undefined): void;
}

interface PodState {
  name: string;
  phase: PodSnapshot['status']['phase'];
  restarts: number;
  deleting: boolean;
  /** Counted as succeeded or failed already. */
  counted: boolean;
}

interface JobRt {
  job: Job;
  key: string;
  uid: string;
  creationTimestamp: number;
  pods: PodState[];
  serial: number;
  succeeded: number;
  failed: number;
  /** Failures since the last success: the back-off exponent. */
  failuresSinceSuccess: number;
  lastFailureAt?: number;
  startTime?: number;
  completionTime?: number;
  conditions: JobCondition[];
  /** The interim condition's reason and message, once the Job is bound to end. */
  ending?: { success: boolean; reason: string; message: string };
  deleted: boolean;
  syncQueued: boolean;
  lastRecord: string;
}

/** `<job>-` + five characters derived from the Job's uid and a serial (the names upstream draws at random). */
export function jobPodName(jobName: string, uid: string, serial: number): string {
  let h = fnv1a(`${uid}#${serial}`);
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += NAME_ALPHABET[h % NAME_ALPHABET.length];
    h = (Math.floor(h / NAME_ALPHABET.length) ^ Math.imul(h, 31)) >>> 0;
  }
  const base = `${jobName}-`;
  return `${base.length > 58 ? base.slice(0, 58) : base}${suffix}`;
}

/** The back-off before the next Pod after `failures` consecutive failures (getRemainingTime). */
export function jobBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  const ms = JOB_BACKOFF_MS.initial * 2 ** Math.min(failures - 1, 30);
  return Math.min(ms, JOB_BACKOFF_MS.max);
}

/** The first podFailurePolicy rule an exit code of a failed Pod matches (matchPodFailurePolicy). */
export function matchPodFailurePolicy(
  rules: PodFailurePolicyRule[],
  snap: PodSnapshot,
): { rule: PodFailurePolicyRule; index: number; container: string; exitCode: number } | undefined {
  const statuses = [...snap.status.initContainerStatuses, ...snap.status.containerStatuses];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    const req = rule.onExitCodes;
    if (!req) continue;
    for (const s of statuses) {
      if (s.state.kind !== 'terminated' || s.state.exitCode === 0) continue;
      if (req.containerName !== undefined && req.containerName !== s.name) continue;
      const inValues = req.values.includes(s.state.exitCode);
      if (req.operator === 'In' ? inValues : !inValues)
        return { rule, index, container: s.name, exitCode: s.state.exitCode };
    }
  }
  return undefined;
}

/** The Job controller and the TTL-after-finished controller of one simulated cluster. */
export class JobController {
  private readonly jobs = new Map<string, JobRt>();
  /** Pod key -> its Job. */
  private readonly owners = new Map<string, JobRt>();

  constructor(private readonly host: JobHost) {}

  /** `kubectl apply` of a Job: created once; an identical re-apply is unchanged. */
  apply(job: Job): { out?: string; err?: string } {
    const key = `Job/${job.metadata.namespace}/${job.metadata.name}`;
    const existing = this.jobs.get(key);
    if (existing && !existing.deleted) {
      if (JSON.stringify(existing.job.spec) === JSON.stringify(job.spec))
        return { out: `job.batch/${job.metadata.name} unchanged` };
      return {
        err: `The Job "${job.metadata.name}" is invalid: spec.template: Invalid value: field is immutable`,
      };
    }
    const rt: JobRt = {
      job,
      key,
      uid: job.metadata.uid ?? '',
      creationTimestamp: this.host.now(),
      pods: [],
      serial: 0,
      succeeded: 0,
      failed: 0,
      failuresSinceSuccess: 0,
      conditions: [],
      deleted: false,
      syncQueued: false,
      lastRecord: '',
    };
    this.jobs.set(key, rt);
    if (!job.spec.suspend) rt.startTime = rt.creationTimestamp;
    const deadline = job.spec.activeDeadlineSeconds;
    if (deadline !== undefined && rt.startTime !== undefined)
      this.host.schedule(rt.startTime + deadline * 1000, () => this.sync(rt));
    this.flush(rt);
    this.queue(rt);
    return { out: `job.batch/${job.metadata.name} created` };
  }

  /** A Pod's new state (called for every recorded Pod change). */
  podChanged(snap: PodSnapshot): void {
    const rt = this.owners.get(`${snap.namespace}/${snap.name}`);
    if (!rt || rt.deleted) return;
    const pod = rt.pods.find((p) => p.name === snap.name);
    if (!pod) return;
    pod.phase = snap.status.phase;
    pod.deleting = pod.deleting || snap.deletionTimestamp !== undefined;
    pod.restarts = [...snap.status.initContainerStatuses, ...snap.status.containerStatuses].reduce(
      (n, s) => n + s.restartCount,
      0,
    );
    if (!pod.counted && (pod.phase === 'Succeeded' || pod.phase === 'Failed')) {
      pod.counted = true;
      this.countFinished(rt, pod, snap);
    }
    this.queue(rt);
  }

  /** A Pod left the API server. */
  podRemoved(namespace: string, name: string): void {
    const rt = this.owners.get(`${namespace}/${name}`);
    if (!rt) return;
    const pod = rt.pods.find((p) => p.name === name);
    // A Pod deleted before it finished counts as failed (podReplacementPolicy TerminatingOrFailed).
    if (pod && !pod.counted) {
      pod.counted = true;
      rt.failed++;
      rt.failuresSinceSuccess++;
      rt.lastFailureAt = this.host.now();
    }
    rt.pods = rt.pods.filter((p) => p.name !== name);
    this.owners.delete(`${namespace}/${name}`);
    this.queue(rt);
  }

  private countFinished(rt: JobRt, pod: PodState, snap: PodSnapshot): void {
    if (pod.phase === 'Succeeded') {
      rt.succeeded++;
      rt.failuresSinceSuccess = 0;
      return;
    }
    const rules = rt.job.spec.podFailurePolicy?.rules ?? [];
    const match = matchPodFailurePolicy(rules, snap);
    if (match?.rule.action === 'Ignore') return;
    rt.failed++;
    rt.failuresSinceSuccess++;
    rt.lastFailureAt = this.host.now();
    if (match?.rule.action === 'FailJob' && !rt.ending) {
      rt.ending = {
        success: false,
        reason: 'PodFailurePolicy',
        message: `Container ${match.container} for pod ${snap.namespace}/${snap.name} failed with exit code ${match.exitCode} matching FailJob rule at index ${match.index}`,
      };
    }
  }

  private queue(rt: JobRt): void {
    if (rt.syncQueued || rt.deleted) return;
    rt.syncQueued = true;
    this.host.schedule(this.host.now(), () => {
      rt.syncQueued = false;
      this.sync(rt);
    });
  }

  private active(rt: JobRt): PodState[] {
    return rt.pods.filter((p) => !p.counted && !p.deleting);
  }

  /** syncJob: decide whether the Job ends, else create the Pods it lacks. */
  private sync(rt: JobRt): void {
    if (rt.deleted || rt.completionTime !== undefined || this.finished(rt)) return;
    const now = this.host.now();
    const spec = rt.job.spec;
    if (!rt.ending) rt.ending = this.endingOf(rt, now);
    if (rt.ending) {
      this.addCondition(rt, rt.ending.success ? 'SuccessCriteriaMet' : 'FailureTarget', now);
      for (const p of this.active(rt)) this.deleteActive(rt, p);
      if (rt.pods.every((p) => p.counted)) this.finish(rt, now);
      this.flush(rt);
      return;
    }
    const active = this.active(rt).length;
    const remaining =
      spec.completions === undefined
        ? rt.succeeded > 0
          ? 0
          : spec.parallelism
        : Math.min(spec.parallelism, spec.completions - rt.succeeded);
    const wanted = Math.max(0, remaining - active);
    if (wanted > 0) {
      const wait =
        rt.lastFailureAt === undefined ? 0 : rt.lastFailureAt + jobBackoffMs(rt.failuresSinceSuccess) - now;
      if (wait > 0) this.host.schedule(now + wait, () => this.queue(rt));
      else for (let i = 0; i < wanted; i++) this.createPod(rt, now);
    }
    this.flush(rt);
  }

  /** Why the Job ends now, if it does: completions, deadline, backoff limit. */
  private endingOf(rt: JobRt, now: number): JobRt['ending'] {
    const spec = rt.job.spec;
    const done =
      spec.completions === undefined
        ? rt.succeeded > 0 && this.active(rt).length === 0
        : rt.succeeded >= spec.completions;
    if (done)
      return {
        success: true,
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      };
    const deadline = spec.activeDeadlineSeconds;
    if (deadline !== undefined && rt.startTime !== undefined && now - rt.startTime >= deadline * 1000)
      return {
        success: false,
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      };
    if (this.pastBackoffLimit(rt))
      return {
        success: false,
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      };
    return undefined;
  }

  /** exceedsBackoffLimit (failed Pods) or pastBackoffLimitOnFailure (restarts of running Pods). */
  private pastBackoffLimit(rt: JobRt): boolean {
    const limit = rt.job.spec.backoffLimit;
    if (rt.failed > limit) return true;
    if (rt.job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
    const restarts = rt.pods
      .filter((p) => p.phase === 'Running' || p.phase === 'Pending')
      .reduce((n, p) => n + p.restarts, 0);
    return limit === 0 ? restarts > 0 : restarts >= limit;
  }

  private finished(rt: JobRt): boolean {
    return rt.conditions.some((c) => c.type === 'Complete' || c.type === 'Failed');
  }

  private finish(rt: JobRt, now: number): void {
    const ending = rt.ending!;
    this.addCondition(rt, ending.success ? 'Complete' : 'Failed', now);
    const ns = rt.job.metadata.namespace;
    const name = rt.job.metadata.name;
    if (ending.success) {
      rt.completionTime = now;
      this.event(rt, 'Normal', 'Completed', 'Job completed');
    } else {
      this.event(rt, 'Warning', ending.reason, ending.message);
    }
    const ttl = rt.job.spec.ttlSecondsAfterFinished;
    if (ttl !== undefined) this.host.schedule(now + ttl * 1000, () => this.expire(rt, ns, name));
  }

  /** The TTL-after-finished controller: delete the Job, its Pods by background cascade. */
  private expire(rt: JobRt, namespace: string, _name: string): void {
    if (rt.deleted) return;
    rt.deleted = true;
    for (const p of rt.pods) this.host.deletePod(namespace, p.name);
    this.host.record(rt.key, undefined);
  }

  private addCondition(rt: JobRt, type: JobCondition['type'], now: number): void {
    if (rt.conditions.some((c) => c.type === type)) return;
    const { reason, message } = rt.ending!;
    rt.conditions.push({ type, status: 'True', reason, message, lastTransitionTime: now });
  }

  private createPod(rt: JobRt, now: number): void {
    const { job } = rt;
    const name = jobPodName(job.metadata.name, rt.uid, rt.serial++);
    const meta = job.spec.template.metadata;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: job.metadata.namespace, labels: { ...(meta.labels ?? {}) } },
      spec: structuredClone(job.spec.template.spec),
    };
    if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
    rt.pods.push({ name, phase: 'Pending', restarts: 0, deleting: false, counted: false });
    this.owners.set(`${job.metadata.namespace}/${name}`, rt);
    this.event(rt, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, now);
    this.host.createPod(pod);
  }

  private deleteActive(rt: JobRt, p: PodState): void {
    p.deleting = true;
    this.event(rt, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.name}`);
    this.host.deletePod(rt.job.metadata.namespace, p.name);
  }

  private event(
    rt: JobRt,
    type: SimEvent['type'],
    reason: string,
    message: string,
    at = this.host.now(),
  ): void {
    this.host.event({
      at,
      object: `Job/${rt.job.metadata.name}`,
      namespace: rt.job.metadata.namespace,
      type,
      reason,
      message,
      source: 'job-controller',
    });
  }

  /** Records the Job when its status changed. */
  private flush(rt: JobRt): void {
    if (rt.deleted) return;
    const snap: JobSnapshot = {
      kind: 'Job',
      namespace: rt.job.metadata.namespace,
      name: rt.job.metadata.name,
      uid: rt.uid,
      creationTimestamp: rt.creationTimestamp,
      parallelism: rt.job.spec.parallelism,
      status: {
        active: this.active(rt).length,
        succeeded: rt.succeeded,
        failed: rt.failed,
        conditions: rt.conditions.map((c) => ({ ...c })),
      },
    };
    if (rt.job.spec.completions !== undefined) snap.completions = rt.job.spec.completions;
    if (rt.startTime !== undefined) snap.status.startTime = rt.startTime;
    if (rt.completionTime !== undefined) snap.status.completionTime = rt.completionTime;
    const text = JSON.stringify(snap);
    if (text === rt.lastRecord) return;
    rt.lastRecord = text;
    this.host.record(rt.key, snap);
  }
}
