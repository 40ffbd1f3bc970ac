/**
 * `kubectl get jobs` at an instant (k/k:pkg/printers/internalversion/printers.go printJob,
 * release-1.33): NAME STATUS COMPLETIONS DURATION AGE, in the printer's tabwriter layout
 * (minwidth 0, padding 3).
 */
import type { Trace } from '../../model/trace.ts';
import type { JobSnapshot } from '../controllers/job.ts';
import { humanDuration } from './duration.ts';
import { tabwrite } from './tabwriter.ts';

/** printJob's STATUS: the first of Complete, Failed, FailureTarget, SuccessCriteriaMet, else Running. */
export function jobStatus(job: JobSnapshot): string {
  const has = (type: string) => job.status.conditions.some((c) => c.type === type);
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** printJob's COMPLETIONS for a NonIndexed Job: `s/c`, or `s/1 of p` for a work queue. */
export function jobCompletions(job: JobSnapshot): string {
  if (job.completions !== undefined) return `${job.status.succeeded}/${job.completions}`;
  if (job.parallelism > 1) return `${job.status.succeeded}/1 of ${job.parallelism}`;
  return `${job.status.succeeded}/1`;
}

/** The Jobs that exist at `t` (the last record of each at or before `t`), by namespace and name. */
export function jobsAt(trace: Trace, t: number): JobSnapshot[] {
  const last = new Map<string, JobSnapshot | undefined>();
  for (const r of trace.records) {
    if (r.at > t || !r.key.startsWith('Job/')) continue;
    last.set(r.key, r.exists && r.snapshot.kind === 'Job' ? r.snapshot : undefined);
  }
  return [...last.values()]
    .filter((j): j is JobSnapshot => j !== undefined)
    .sort((a, b) =>
      a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1,
    );
}

/** `kubectl get jobs` in `namespace` at `t`, or kubectl's empty-list message. */
export function jobsTable(trace: Trace, t: number, namespace = 'default'): string {
  const jobs = jobsAt(trace, t).filter((j) => j.namespace === namespace);
  if (jobs.length === 0) return `No resources found in ${namespace} namespace.\n`;
  const rows = ['NAME\tSTATUS\tCOMPLETIONS\tDURATION\tAGE'];
  for (const j of jobs) {
    const start = j.status.startTime;
    const duration = start === undefined ? '' : humanDuration((j.status.completionTime ?? t) - start);
    rows.push(
      `${j.name}\t${jobStatus(j)}\t${jobCompletions(j)}\t${duration}\t${humanDuration(t - j.creationTimestamp)}`,
    );
  }
  return tabwrite(`${rows.join('\n')}\n`, { minwidth: 0, padding: 3 });
}
