/**
 * The Job controller in virtual time (src/sim/controllers/job.ts), against
 * k/k:pkg/controller/job/job_controller.go (release-1.33): Pod names and labels, parallelism and
 * completions, the Pod-failure back-off between re-creations (job_controller_test.go
 * TestJobBackoff: 10 s doubling, capped at MaxJobPodFailureBackOff), backoffLimit
 * (BackoffLimitExceeded), activeDeadlineSeconds (DeadlineExceeded), the interim
 * SuccessCriteriaMet/FailureTarget conditions, podFailurePolicy FailJob, ttlSecondsAfterFinished.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Trace } from '../../src/model/trace.ts';
import { type JobSnapshot, jobBackoffMs, jobPodName } from '../../src/sim/controllers/job.ts';
import { watchTranscript } from '../../src/sim/printers/index.ts';
import { jobsTable } from '../../src/sim/printers/jobs.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';

function job(spec: string, command: string, restartPolicy = 'Never'): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
${spec}
  template:
    spec:
      restartPolicy: ${restartPolicy}
      containers:
        - name: c
          image: busybox:1.36
          command: ["sh", "-c", ${JSON.stringify(command)}]
`;
}

function run(yaml: string, horizonMs = 600_000): Trace {
  const loaded = loadManifests(yaml, { file: 'job.yaml' });
  expect(loaded.rejected).toEqual([]);
  const o = defaultSimOptions();
  o.budgets.horizonMs = horizonMs;
  return simulate(
    loaded.objects.map((x) => x.object),
    [],
    o,
  );
}

function lastJob(t: Trace): JobSnapshot | undefined {
  const recs = t.records.filter((r) => r.key === 'Job/default/pi');
  const last = recs[recs.length - 1];
  return last?.exists && last.snapshot.kind === 'Job' ? last.snapshot : undefined;
}

function jobEvents(t: Trace): string[] {
  return t.events.filter((e) => e.object === 'Job/pi').map((e) => `${e.at} ${e.reason} ${e.message}`);
}

describe('Job controller helpers', () => {
  it.each([
    ['first failure waits 10s', 1, 10_000],
    ['second failure waits 20s', 2, 20_000],
    ['sixth failure waits 320s', 6, 320_000],
    ['capped at 10 min (MaxJobPodFailureBackOff)', 8, 600_000],
  ])('%s', (_name, failures, ms) => {
    expect(jobBackoffMs(failures)).toBe(ms);
  });
  it('pod names are <job>-<5 chars of the utilrand alphabet>, stable per serial', () => {
    const a = jobPodName('pi', 'uid-1', 0);
    expect(a).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(jobPodName('pi', 'uid-1', 0)).toBe(a);
    expect(jobPodName('pi', 'uid-1', 1)).not.toBe(a);
  });
});

describe('Job controller in the simulation', () => {
  it('a Job whose Pod succeeds: SuccessCriteriaMet then Complete, event Completed', () => {
    const t = run(job('  completions: 2', 'exit 0'));
    const s = lastJob(t)!;
    expect(s.status.succeeded).toBe(2);
    expect(s.status.conditions.map((c) => `${c.type}/${c.reason}`)).toEqual([
      'SuccessCriteriaMet/CompletionsReached',
      'Complete/CompletionsReached',
    ]);
    const ev = jobEvents(t);
    expect(ev.filter((e) => e.includes('SuccessfulCreate'))).toHaveLength(2);
    expect(ev[ev.length - 1]).toMatch(/Completed Job completed$/);
    const pods = t.records.filter((r) => r.key.startsWith('Pod/default/pi-'));
    expect(pods.length).toBeGreaterThan(0);
  });

  it('backoffLimit 2 with a failing Pod: 3 Pods, back-off 10 s then 20 s, BackoffLimitExceeded', () => {
    const t = run(job('  backoffLimit: 2', 'exit 1'));
    const s = lastJob(t)!;
    expect(s.status.failed).toBe(3);
    expect(s.status.conditions.map((c) => `${c.type}/${c.reason}`)).toEqual([
      'FailureTarget/BackoffLimitExceeded',
      'Failed/BackoffLimitExceeded',
    ]);
    const creates = t.events
      .filter((e) => e.object === 'Job/pi' && e.reason === 'SuccessfulCreate')
      .map((e) => e.at);
    expect(creates).toHaveLength(3);
    const fails = jobEvents(t).filter((e) => e.includes('BackoffLimitExceeded'));
    expect(fails[0]).toMatch(/Job has reached the specified backoff limit$/);
    // Each re-creation waits at least the back-off after the previous creation.
    expect(creates[1]! - creates[0]!).toBeGreaterThanOrEqual(10_000);
    expect(creates[2]! - creates[1]!).toBeGreaterThanOrEqual(20_000);
  });

  it('activeDeadlineSeconds: the running Pod is deleted, DeadlineExceeded', () => {
    const t = run(job('  activeDeadlineSeconds: 5', 'sleep 3600'));
    const s = lastJob(t)!;
    expect(s.status.conditions.map((c) => `${c.type}/${c.reason}`)).toEqual([
      'FailureTarget/DeadlineExceeded',
      'Failed/DeadlineExceeded',
    ]);
    expect(s.status.conditions[0]!.lastTransitionTime).toBe(5000);
    const ev = jobEvents(t);
    expect(ev.some((e) => e.includes('SuccessfulDelete Deleted pod: pi-'))).toBe(true);
    expect(ev[ev.length - 1]).toMatch(/DeadlineExceeded Job was active longer than specified deadline$/);
  });

  it('podFailurePolicy FailJob on exit code 42 ends the Job at the first failure', () => {
    const t = run(
      job(
        '  podFailurePolicy:\n    rules:\n      - action: FailJob\n        onExitCodes: {operator: In, values: [42]}',
        'exit 42',
      ),
    );
    const s = lastJob(t)!;
    expect(s.status.failed).toBe(1);
    expect(s.status.conditions[1]!.reason).toBe('PodFailurePolicy');
    expect(s.status.conditions[1]!.message).toMatch(
      /^Container c for pod default\/pi-\w{5} failed with exit code 42 matching FailJob rule at index 0$/,
    );
  });

  it('ttlSecondsAfterFinished deletes the Job and its Pods', () => {
    const t = run(job('  ttlSecondsAfterFinished: 30', 'exit 0'));
    const recs = t.records.filter((r) => r.key === 'Job/default/pi');
    const last = recs[recs.length - 1]!;
    expect(last.exists).toBe(false);
    const complete = recs.find(
      (r) => r.exists && r.snapshot.kind === 'Job' && r.snapshot.status.completionTime !== undefined,
    )!;
    expect(last.at - complete.at).toBe(30_000);
  });

  it('is deterministic: the same Job gives the same trace', () => {
    const yaml = job('  backoffLimit: 1', 'exit 1');
    expect(JSON.stringify(run(yaml))).toBe(JSON.stringify(run(yaml)));
  });
});

describe('kubectl get jobs (printJob, 1.33)', () => {
  it('Running then Complete, COMPLETIONS s/c, DURATION from startTime', () => {
    const t = run(job('  completions: 1', 'sleep 20'));
    expect(jobsTable(t, 10_000)).toBe(
      'NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           10s        10s\n',
    );
    expect(jobsTable(t, 60_000)).toBe(
      'NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           20s        60s\n',
    );
  });
  it('a failed Job prints Failed; an empty namespace prints kubectl`s message', () => {
    const t = run(job('  backoffLimit: 0', 'exit 1'));
    expect(jobsTable(t, 5_000)).toContain('pi     Failed   0/1');
    expect(jobsTable(t, 5_000, 'other')).toBe('No resources found in other namespace.\n');
  });
});

describe("a Job's Pods keep their specs for the printers (trace.createdPods)", () => {
  // kubernetes.io "Sidecar Containers", application/job/job-sidecar.yaml: READY counts the
  // restartable init container (printers.go printPod, KEP-753), as for a bare Pod.
  const sidecarJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: myjob
spec:
  template:
    spec:
      containers:
        - name: myjob
          image: alpine:latest
          command: ['sh', '-c', 'echo "logging" > /opt/logs.txt']
          volumeMounts: [{name: data, mountPath: /opt}]
      initContainers:
        - name: logshipper
          image: alpine:latest
          restartPolicy: Always
          command: ['sh', '-c', 'tail -F /opt/logs.txt']
          volumeMounts: [{name: data, mountPath: /opt}]
      restartPolicy: Never
      volumes: [{name: data, emptyDir: {}}]
`;

  it('the created Pod is in the trace with its template spec', () => {
    const trace = run(sidecarJob, 60_000);
    expect(trace.createdPods?.map((p) => p.spec.initContainers?.[0]?.name)).toEqual(['logshipper']);
  });

  it('its watch rows count the sidecar: 0/2 Pending … 1/2 Completed … 0/2 Completed', () => {
    const trace = run(sidecarJob, 60_000);
    const rows = watchTranscript(trace, trace.createdPods ?? [])
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/).slice(2, 4).join(' '))
      .filter((l) => l !== '');
    expect(rows).toEqual([
      '0/2 Pending',
      '0/2 Init:0/1',
      '1/2 PodInitializing',
      '1/2 Completed',
      '0/2 Completed',
    ]);
  });

  it('a run without controllers has no createdPods member (results and digests unchanged)', () => {
    const loaded = loadManifests(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox:1.36}]\n',
      { file: 'p.yaml' },
    );
    const trace = simulate(
      loaded.objects.map((x) => x.object),
      [],
      defaultSimOptions(),
    );
    expect('createdPods' in trace).toBe(false);
  });
});
