/**
 * The outcome each golden case must show, as the course or the upstream e2e test states it
 * (kubernetes-semantics.md, "Upstream e2e cases"). Keys are golden case names.
 */
import { expect } from 'vitest';
import type { PodSnapshot } from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';
import { podAt, stateAt } from '../../src/sim/query.ts';
import { E2E_OUTCOMES } from './golden-outcomes-e2e.ts';
import { FEATURE_OUTCOMES } from './golden-outcomes-features.ts';
import { ctr, jobConditions, ready, restarts, starts, status } from './golden-queries.ts';

const DOCS_AND_COURSE: Record<string, (t: Trace) => void> = {
  // kubernetes.io "Configure Liveness, Readiness and Startup Probes": no failure in the first 30 s;
  // after 35 s the events show the failing `cat` and the container is killed and re-created.
  'docs-exec-liveness': (t) => {
    expect(restarts(t, 'liveness-exec', 30)).toBe(0);
    expect(
      t.events.some((e) =>
        e.message.startsWith(
          "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        ),
      ),
    ).toBe(true);
    expect(restarts(t, 'liveness-exec', 80)).toBe(1);
  },
  // Same page: "After 10 seconds … the liveness probes have failed, and the container has been restarted".
  'docs-http-liveness': (t) => {
    expect(restarts(t, 'liveness-http', 10)).toBe(0);
    expect(
      t.events.some((e) => e.message === 'Liveness probe failed: HTTP probe failed with statuscode: 500'),
    ).toBe(true);
    expect(restarts(t, 'liveness-http', 20)).toBe(1);
    // agnhost is a Go program as PID 1: the kubelet's SIGTERM ends it with exit 2.
    expect(ctr(t, 'liveness-http', 'liveness', 20).lastState).toMatchObject({
      kind: 'terminated',
      exitCode: 2,
    });
  },
  // Same page: the readiness probe (after 15 s) marks the Pod ready; the liveness probe never fails.
  'docs-tcp-liveness-readiness': (t) => {
    expect(ready(t, 'goproxy', 14)).toBe(false);
    expect(ready(t, 'goproxy', 30)).toBe(true);
    expect(restarts(t, 'goproxy', 60)).toBe(0);
  },
  'image-httpd': (t) => {
    expect(ready(t, 'web', 5)).toBe(true);
    expect(restarts(t, 'web', 40)).toBe(0);
  },
  'image-redis': (t) => {
    expect(ready(t, 'cache', 5)).toBe(true);
    expect(restarts(t, 'cache', 40)).toBe(0);
    expect(t.logs.some((l) => l.text.includes('* Ready to accept connections tcp'))).toBe(true);
  },
  // docker-library/postgres docker_verify_minimum_env: the error, exit 1, then back-off.
  'image-postgres-no-password': (t) => {
    expect(ctr(t, 'db', 'postgres', 60).state).toMatchObject({ kind: 'waiting', reason: 'CrashLoopBackOff' });
    expect(ctr(t, 'db', 'postgres', 60).lastState).toMatchObject({ kind: 'terminated', exitCode: 1 });
    expect(
      t.logs.some((l) =>
        l.text.startsWith('Error: Database is uninitialized and superuser password is not specified.'),
      ),
    ).toBe(true);
  },
  'course-initcpod': (t) => {
    expect(status(t, 'myapp-pod', 19).initContainerStatuses.map((c) => c.state.kind)).toEqual([
      'running',
      'waiting',
    ]);
    expect(t.logs.some((l) => l.container === 'init-myservice' && l.text === 'waiting for myservice')).toBe(
      true,
    );
    expect(ctr(t, 'myapp-pod', 'init-myservice', 30).state).toMatchObject({
      kind: 'terminated',
      exitCode: 0,
    });
    expect(status(t, 'myapp-pod', 30).phase).toBe('Pending');
    expect(status(t, 'myapp-pod', 60).phase).toBe('Running');
    expect(ready(t, 'myapp-pod', 60)).toBe(true);
  },
  // kubernetes.io init-containers page: the init containers read the namespace from the
  // service-account volume, wait (Init:0/2) until myservice exists, then mydb, then the app runs.
  'docs-init-containers': (t) => {
    expect(status(t, 'myapp-pod', 19).initContainerStatuses.map((c) => c.state.kind)).toEqual([
      'running',
      'waiting',
    ]);
    expect(t.logs.some((l) => l.container === 'init-myservice' && l.text === 'waiting for myservice')).toBe(
      true,
    );
    expect(t.logs.some((l) => l.text.includes("can't find myservice.default.svc.cluster.local"))).toBe(true);
    expect(ctr(t, 'myapp-pod', 'init-myservice', 30).state).toMatchObject({
      kind: 'terminated',
      exitCode: 0,
    });
    expect(status(t, 'myapp-pod', 30).phase).toBe('Pending');
    expect(status(t, 'myapp-pod', 60).phase).toBe('Running');
    expect(t.logs.some((l) => l.container === 'myapp-container' && l.text === 'The app is running!')).toBe(
      true,
    );
  },
  // "Define a gRPC liveness probe": etcd answers SERVING from 10 s on, the Pod is never restarted.
  'docs-grpc-liveness': (t) => {
    expect(ready(t, 'etcd-with-grpc', 60)).toBe(true);
    expect(restarts(t, 'etcd-with-grpc', 60)).toBe(0);
    expect(t.events.some((e) => e.reason === 'Unhealthy')).toBe(false);
  },
  // "Attach Handlers to Container Lifecycle Events": `cat /usr/share/message` prints the
  // postStart text; on delete the preStop hook quits nginx (killall is absent from the Debian
  // nginx image, so the loop ends at once) and the container exits 0.
  'docs-lifecycle-events': (t) => {
    expect(t.actions[0]).toMatchObject({ exitCode: 0, stdout: 'Hello from the postStart handler\n' });
    expect(t.events.some((e) => e.reason === 'FailedPreStopHook')).toBe(false);
    const last = t.records.filter((r) => r.key === 'Pod/default/lifecycle-demo' && r.exists).at(-1);
    const final = last?.exists ? (last.snapshot as PodSnapshot) : undefined;
    expect(final?.status.containerStatuses[0]?.state).toMatchObject({ kind: 'terminated', exitCode: 0 });
    expect(podAt(t, 'lifecycle-demo', 31_000)).toBeUndefined();
  },
  // "Determine the Reason for Pod Failure": the message file's text is in the terminated state.
  'docs-termination-message': (t) => {
    expect(ctr(t, 'termination-demo', 'termination-demo-container', 15).lastState).toMatchObject({
      kind: 'terminated',
      exitCode: 0,
      reason: 'Completed',
      message: 'Sleep expired\n',
    });
  },
  // "Define a Command and Arguments for a Container": printenv prints the two variables.
  'docs-commands': (t) => {
    expect(t.logs.map((l) => l.text)).toEqual(['command-demo', 'tcp://10.96.0.1:443']);
    expect(status(t, 'command-demo', 5).phase).toBe('Succeeded');
  },
  // "Configure Pod Initialization", with podlab's no-Internet deviation: the wget init container
  // fails on the name and nginx never starts.
  'docs-init-demo': (t) => {
    expect(
      t.logs.some((l) => l.container === 'install' && l.text === "wget: bad address 'info.cern.ch'"),
    ).toBe(true);
    expect(ctr(t, 'init-demo', 'install', 40).state).toMatchObject({
      kind: 'waiting',
      reason: 'CrashLoopBackOff',
    });
    expect(ctr(t, 'init-demo', 'nginx', 60).state.kind).toBe('waiting');
  },
  // pods/probe/pod-with-http-healthcheck.yaml: nginx answers 404 for /_status/healthz; three
  // failures from 30 s (period 10 s) restart the container at 50 s.
  'docs-pod-with-http-healthcheck': (t) => {
    expect(restarts(t, 'pod-with-http-healthcheck', 49)).toBe(0);
    expect(
      t.events.some((e) => e.message === 'Liveness probe failed: HTTP probe failed with statuscode: 404'),
    ).toBe(true);
    expect(restarts(t, 'pod-with-http-healthcheck', 50)).toBe(1);
  },
  // pods/probe/pod-with-tcp-socket-healthcheck.yaml: redis accepts on 6379, no restart.
  'docs-pod-with-tcp-socket-healthcheck': (t) => {
    expect(restarts(t, 'pod-with-tcp-socket-healthcheck', 120)).toBe(0);
    expect(t.events.some((e) => e.reason === 'Unhealthy')).toBe(false);
  },
  // Sidecar containers page, job-sidecar.yaml's Pod: the sidecar starts first and ships the line;
  // once the main container has exited 0 the kubelet stops the sidecar (busybox tail as PID 1
  // ignores SIGTERM: SIGKILL after the 30 s grace period) and the Pod is Succeeded.
  'docs-job-sidecar-pod': (t) => {
    expect(starts(t, 'logshipper')).toEqual([0]);
    expect(t.logs.some((l) => l.container === 'logshipper' && l.text === 'logging')).toBe(true);
    expect(status(t, 'myjob', 10).phase).toBe('Running');
    expect(status(t, 'myjob', 30).phase).toBe('Succeeded');
    expect(ctr(t, 'myjob', 'logshipper', 30).state).toMatchObject({ kind: 'terminated', exitCode: 137 });
  },
  // job-sidecar.yaml as a Job: its Pod completes as the bare Pod does, and the Job is Complete
  // (job_controller.go: SuccessCriteriaMet, then Complete, reason CompletionsReached) at 30 s.
  'docs-job-sidecar': (t) => {
    const pod = t.createdPods?.[0]?.metadata.name ?? '';
    expect(pod).toMatch(/^myjob-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(status(t, pod, 30).phase).toBe('Succeeded');
    expect(jobConditions(t, 'myjob', 60)).toEqual([
      'SuccessCriteriaMet/CompletionsReached@30',
      'Complete/CompletionsReached@30',
    ]);
  },
  // deployment-sidecar.yaml's Pod: both containers run; the sidecar follows the appended lines.
  'docs-deployment-sidecar-pod': (t) => {
    expect(ready(t, 'myapp', 1)).toBe(true);
    expect(t.logs.filter((l) => l.container === 'logshipper' && l.text === 'logging').length).toBeGreaterThan(
      20,
    );
    expect(restarts(t, 'myapp', 30)).toBe(0);
  },
  // deployment-sidecar.yaml as a Deployment: one ReplicaSet <name>-<pod-template-hash>, one Pod
  // <rs>-<5 chars> whose sidecar follows the appended lines; the Deployment is Available at once.
  'docs-deployment-sidecar': (t) => {
    const pod = t.createdPods?.[0]?.metadata.name ?? '';
    expect(pod).toMatch(/^myapp-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(t.createdPods).toHaveLength(1);
    expect(ready(t, pod, 1)).toBe(true);
    expect(restarts(t, pod, 30)).toBe(0);
    expect(t.logs.filter((l) => l.container === 'logshipper' && l.text === 'logging').length).toBeGreaterThan(
      20,
    );
    const d = stateAt(t, 'Deployment/default/myapp', 1000);
    if (d?.kind !== 'Deployment') throw new Error('no Deployment myapp');
    expect(d.status.conditions.map((c) => `${c.type}=${c.status}(${c.reason})`)).toEqual([
      'Available=True(MinimumReplicasAvailable)',
      'Progressing=True(NewReplicaSetAvailable)',
    ]);
  },
  // getTerminationMessage: the file at a custom path; FallbackToLogsOnError uses the log tail only
  // when the file is empty and the exit code is not 0.
  'termination-message-policies': (t) => {
    const msg = (c: string) => {
      const st = ctr(t, 'termination-policies', c, 5).state;
      return st.kind === 'terminated' ? (st.message ?? '') : `not terminated: ${st.kind}`;
    };
    expect(msg('custom-path')).toBe('custom\n');
    expect(msg('fallback-failed')).toBe('line1\noops\n');
    expect(msg('fallback-ok')).toBe('');
  },
  'course-readinessprobepod': (t) => {
    expect(status(t, 'readinessprobe-pod', 20).phase).toBe('Running');
    expect(ready(t, 'readinessprobe-pod', 29)).toBe(false);
    expect(
      t.events.some((e) => e.message === 'Readiness probe failed: HTTP probe failed with statuscode: 404'),
    ).toBe(true);
    expect(ready(t, 'readinessprobe-pod', 60)).toBe(true);
    expect(t.actions[0]?.exitCode).toBe(0);
  },
  'course-livenessprobepod': (t) => {
    expect(restarts(t, 'livenessprobe-pod', 30)).toBe(0);
    expect(restarts(t, 'livenessprobe-pod', 240)).toBeGreaterThanOrEqual(2);
    expect(
      t.events.some(
        (e) => e.message === 'Container livenessprobe-pod failed liveness probe, will be restarted',
      ),
    ).toBe(true);
  },
  'course-livenessprobenginxpod': (t) => {
    expect(restarts(t, 'livenessprobenginx-pod', 19)).toBe(0);
    expect(restarts(t, 'livenessprobenginx-pod', 40)).toBe(1);
    // The restarted container has index.html again (fresh from the image).
    expect(t.actions[1]?.stdout).toContain('index.html');
    expect(restarts(t, 'livenessprobenginx-pod', 120)).toBe(2);
  },
  'course-livenessprobenginxpod2': (t) => {
    expect(restarts(t, 'livenessprobenginx-pod2', 10)).toBe(0);
    expect(restarts(t, 'livenessprobenginx-pod2', 120)).toBeGreaterThanOrEqual(1);
    expect(
      t.events.some((e) =>
        /^Liveness probe failed: dial tcp [\d.]+:8080: connect: connection refused/.test(e.message),
      ),
    ).toBe(true);
  },
  'course-lifecyclepod': (t) => {
    expect(t.actions[0]?.exitCode).toBe(0);
    expect(status(t, 'lifecycle-pod1', 30).phase).toBe('Running');
  },
};

/** Outcome assertions by case. */
export const OUTCOMES: Record<string, (t: Trace) => void> = {
  ...DOCS_AND_COURSE,
  ...E2E_OUTCOMES,
  ...FEATURE_OUTCOMES,
};
