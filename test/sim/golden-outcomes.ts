/**
 * The outcome each golden case must show, as the course or the upstream e2e test states it
 * (kubernetes-semantics.md, "Upstream e2e cases"). Keys are golden case names.
 */
import { expect } from 'vitest';
import type { ContainerStatus, PodSnapshot, ServiceSnapshot } from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';
import { changeInstants, podAt, stateAt } from '../../src/sim/query.ts';

function pod(t: Trace, name: string, s: number): PodSnapshot {
  const p = podAt(t, name, s * 1000);
  if (!p) throw new Error(`no pod ${name} at ${s}s`);
  return p;
}
function ctr(t: Trace, name: string, c: string, s: number): ContainerStatus {
  const p = pod(t, name, s);
  const x = [...p.status.initContainerStatuses, ...p.status.containerStatuses].find((y) => y.name === c);
  if (!x) throw new Error(`no container ${c}`);
  return x;
}
function ready(t: Trace, name: string, s: number): boolean {
  return pod(t, name, s).status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
}
function restarts(t: Trace, name: string, s: number): number {
  return pod(t, name, s).status.containerStatuses.reduce((a, c) => a + c.restartCount, 0);
}
function starts(t: Trace, container: string): number[] {
  return t.events.filter((e) => e.reason === 'Started' && e.container === container).map((e) => e.at / 1000);
}
function firstReady(t: Trace, name: string): number | undefined {
  const at = changeInstants(t, `Pod/default/${name}`).find((ms) => ready(t, name, ms / 1000));
  return at === undefined ? undefined : at / 1000;
}
function status(t: Trace, name: string, s: number) {
  return pod(t, name, s).status;
}

function jobConditions(t: Trace, name: string, s: number): string[] {
  const j = stateAt(t, `Job/default/${name}`, s * 1000);
  if (j?.kind !== 'Job') throw new Error(`no job ${name} at ${s}s`);
  return j.status.conditions.map((c) => `${c.type}/${c.reason}@${c.lastTransitionTime / 1000}`);
}

/** Outcome assertions by case. */
export const OUTCOMES: Record<string, (t: Trace) => void> = {
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

function noRestartsThroughout(t: Trace, name: string, until: number): void {
  for (let s = 0; s <= until; s += 5) expect(restarts(t, name, s)).toBe(0);
}
function neverReady(t: Trace, name: string, until: number): void {
  for (let s = 0; s <= until; s++) expect(ready(t, name, s)).toBe(false);
}
function goneAt(t: Trace, key: string): number | undefined {
  const r = t.records.find((x) => x.key === key && !x.exists);
  return r === undefined ? undefined : r.at / 1000;
}
function restartDelays(t: Trace, name: string, c: string): number[] {
  const out: number[] = [];
  let lastFinished: number | undefined;
  let lastId: string | undefined;
  for (const r of t.records) {
    if (!r.exists || r.snapshot.kind !== 'Pod' || r.snapshot.name !== name) continue;
    const s = r.snapshot.status.containerStatuses.find((x) => x.name === c);
    if (!s) continue;
    if (s.state.kind === 'terminated') lastFinished = s.state.finishedAt;
    if (s.containerID && s.containerID !== lastId) {
      if (lastId !== undefined && lastFinished !== undefined) out.push((r.at - lastFinished) / 1000);
      lastId = s.containerID;
    }
  }
  return out;
}

Object.assign(OUTCOMES, {
  'e2e-probe-readiness-initial-delay': (t: Trace) => {
    const startedAt = ctr(t, 'probe-pod', 'c', 1).state;
    expect(startedAt.kind === 'running' && startedAt.startedAt).toBe(0);
    expect(firstReady(t, 'probe-pod')).toBeGreaterThanOrEqual(15);
    noRestartsThroughout(t, 'probe-pod', 90);
  },
  'e2e-probe-readiness-fails': (t: Trace) => {
    neverReady(t, 'probe-pod', 60);
    noRestartsThroughout(t, 'probe-pod', 70);
  },
  'e2e-probe-liveness-exec-restarted': (t: Trace) =>
    expect(restarts(t, 'liveness-exec', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-liveness-exec-not-restarted': (t: Trace) => noRestartsThroughout(t, 'liveness-exec', 240),
  'e2e-probe-liveness-http-restarted': (t: Trace) =>
    expect(restarts(t, 'liveness-http', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-liveness-tcp-not-restarted': (t: Trace) => noRestartsThroughout(t, 'liveness-tcp', 240),
  'e2e-probe-monotonic-restarts': (t: Trace) => {
    expect(restarts(t, 'liveness-http', 840)).toBeGreaterThanOrEqual(5);
    let last = 0;
    for (let s = 0; s <= 840; s += 1) {
      const n = restarts(t, 'liveness-http', s);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
    }
  },
  'e2e-probe-liveness-http-not-restarted': (t: Trace) => noRestartsThroughout(t, 'liveness-http', 240),
  'e2e-probe-liveness-exec-timeout': (t: Trace) => {
    expect(restarts(t, 'liveness-timeout', 240)).toBeGreaterThanOrEqual(1);
    expect(
      t.events.some(
        (e) =>
          e.message === 'Liveness probe failed: command timed out: "/bin/sh -c sleep 10" timed out after 1s',
      ),
    ).toBe(true);
  },
  'e2e-probe-readiness-exec-timeout': (t: Trace) => {
    neverReady(t, 'readiness-timeout', 60);
    noRestartsThroughout(t, 'readiness-timeout', 70);
  },
  'e2e-probe-liveness-exec-longer-than-timeout': (t: Trace) =>
    expect(restarts(t, 'liveness-timeout', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-startup-fails': (t: Trace) => expect(restarts(t, 'startup', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-startup-delays-liveness': (t: Trace) => {
    noRestartsThroughout(t, 'startup', 240);
    expect(t.events.some((e) => e.message.startsWith('Liveness'))).toBe(false);
  },
  'e2e-probe-startup-enables-liveness': (t: Trace) =>
    expect(restarts(t, 'startup', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-ready-after-startup': (t: Trace) => {
    const startedAt = changeInstants(t, 'Pod/default/startup').find(
      (ms) => ctr(t, 'startup', 'busybox', ms / 1000).started,
    );
    expect(startedAt).toBeDefined();
    const r = firstReady(t, 'startup')!;
    expect(r - startedAt! / 1000).toBeLessThanOrEqual(25);
  },
  'e2e-probe-liveness-grace-override': (t: Trace) => {
    expect(restarts(t, 'liveness-override', 280)).toBeGreaterThanOrEqual(1);
    const kill = t.events.find((e) => e.reason === 'Killing')!;
    expect(ctr(t, 'liveness-override', 'busybox', 280).restartCount).toBeGreaterThanOrEqual(1);
    const first = t.records.find(
      (r) =>
        r.exists && r.snapshot.kind === 'Pod' && r.snapshot.status.containerStatuses[0]?.restartCount === 1,
    )!;
    expect((first.at - kill.at) / 1000).toBe(5);
  },
  'e2e-probe-startup-grace-override': (t: Trace) => {
    expect(restarts(t, 'startup-override', 280)).toBeGreaterThanOrEqual(1);
    expect(t.events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container busybox failed startup probe, will be restarted',
    );
  },
  'e2e-probe-grpc-not-restarted': (t: Trace) => noRestartsThroughout(t, 'grpc', 240),
  'e2e-probe-grpc-restarted': (t: Trace) => expect(restarts(t, 'grpc', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-readiness-false-while-terminating': (t: Trace) => {
    const gone = goneAt(t, 'Pod/default/terminating')!;
    expect(gone).toBeGreaterThan(15);
    expect(ready(t, 'terminating', gone - 1)).toBe(false);
    expect(pod(t, 'terminating', gone - 1).deletionTimestamp).toBeDefined();
    expect(t.events.some((e) => e.message.includes('failed liveness probe'))).toBe(false);
  },
  'e2e-init-restart-never': (t: Trace) => {
    const s = status(t, 'pod-init', 30);
    expect(s.phase).toBe('Succeeded');
    expect(s.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(
      s.initContainerStatuses.every(
        (c) => c.ready && c.state.kind === 'terminated' && c.state.exitCode === 0,
      ),
    ).toBe(true);
  },
  'e2e-init-restart-always': (t: Trace) => {
    const s = status(t, 'pod-init', 30);
    expect(s.phase).toBe('Running');
    expect(s.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(
      s.initContainerStatuses.every(
        (c) => c.ready && c.state.kind === 'terminated' && c.state.exitCode === 0,
      ),
    ).toBe(true);
  },
  'e2e-init-fails-restart-always': (t: Trace) => {
    const at =
      changeInstants(t, 'Pod/default/pod-init').find(
        (ms) => ctr(t, 'pod-init', 'init1', ms / 1000).restartCount >= 3,
      )! / 1000;
    for (let s = 0; s <= at; s++) {
      expect(ctr(t, 'pod-init', 'run1', s).state).toMatchObject({
        kind: 'waiting',
        reason: 'PodInitializing',
      });
      expect(ctr(t, 'pod-init', 'init2', s).state).toMatchObject({
        kind: 'waiting',
        reason: 'PodInitializing',
      });
      expect(status(t, 'pod-init', s).phase).toBe('Pending');
    }
    expect(status(t, 'pod-init', at).conditions.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init1 init2]',
    });
  },
  'e2e-init-fails-restart-never': (t: Trace) => {
    const s = status(t, 'pod-init', 30);
    expect(s.phase).toBe('Failed');
    expect(s.conditions.find((c) => c.type === 'Initialized')?.message).toBe(
      'containers with incomplete status: [init2]',
    );
    expect(ctr(t, 'pod-init', 'run1', 30).state.kind).toBe('waiting');
  },
  'e2e-hook-prestop-sleep-valid': (t: Trace) => {
    const took = goneAt(t, 'Pod/default/pod-with-prestop-sleep-hook')! - 5;
    expect(took).toBeGreaterThanOrEqual(5);
    expect(took).toBeLessThanOrEqual(30);
  },
  'e2e-hook-prestop-sleep-reduce-grace': (t: Trace) => {
    const took = goneAt(t, 'Pod/default/pod-with-prestop-sleep-hook')! - 5;
    expect(took).toBeGreaterThanOrEqual(2);
    expect(took).toBeLessThanOrEqual(15);
  },
  'e2e-hook-prestop-sleep-ignore-terminated': (t: Trace) => {
    expect(goneAt(t, 'Pod/default/pod-with-prestop-sleep-hook')! - 5).toBeLessThan(15);
  },
  'e2e-hook-prestop-exec': (t: Trace) => {
    expect(t.logs.some((l) => l.text === 'GET /echo?msg=prestop')).toBe(true);
    expect(goneAt(t, 'Pod/default/pod-with-prestop-exec-hook')! - 5).toBeLessThanOrEqual(30);
  },
  'e2e-hook-poststart-exec': (t: Trace) => {
    expect(t.actions[0]).toMatchObject({ stdout: 'GET /echo?msg=poststart\n', exitCode: 0 });
    expect(ctr(t, 'pod-with-poststart-exec-hook', 'pod-with-poststart-exec-hook', 1).state.kind).toBe(
      'waiting',
    );
  },
  'e2e-hook-poststart-fails': (t: Trace) => {
    expect(t.events.find((e) => e.reason === 'FailedPostStartHook')?.message).toBe('PostStartHook failed');
    expect(t.events.find((e) => e.reason === 'Killing')?.message).toBe('FailedPostStartHook');
    expect(ctr(t, 'poststart-fails', 'c', 10).state).toMatchObject({
      kind: 'waiting',
      reason: 'CrashLoopBackOff',
    });
  },
  'e2e-pods-submitted-removed': (t: Trace) => {
    expect(goneAt(t, 'Pod/default/pod-submit-remove')).toBe(40);
    expect(pod(t, 'pod-submit-remove', 39).deletionTimestamp).toBe(40_000);
    expect(podAt(t, 'pod-submit-remove', 40_000)).toBeUndefined();
  },
  'e2e-pods-active-deadline-updated': (t: Trace) => {
    expect(status(t, 'pod-update-activedeadlineseconds', 5)).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
    });
  },
  'e2e-pods-backoff-reset-image-update': (t: Trace) => {
    const d = restartDelays(t, 'pod-back-off-image', 'back-off');
    // Delays before the update grew to 160 s; after it (at 200 s) they start again at 0/10 s.
    const before = d.slice(0, 6);
    expect(before).toEqual([0, 10, 20, 40, 80, 20]);
    expect(Math.max(...before)).toBeGreaterThanOrEqual(80);
    expect(d[6]).toBeLessThanOrEqual(2 * 10);
  },
  'e2e-pods-backoff-cap': (t: Trace) => {
    const d = restartDelays(t, 'back-off-cap', 'back-off-cap');
    const capped = d.filter((x) => x >= 300);
    expect(capped.length).toBeGreaterThanOrEqual(2);
    expect(capped.every((x) => x >= 300 && x <= 390)).toBe(true);
  },
  'e2e-node-init-serial': (t: Trace) => {
    expect([
      ...starts(t, 'init-1'),
      ...starts(t, 'init-2'),
      ...starts(t, 'init-3'),
      ...starts(t, 'regular-1'),
    ]).toEqual([0, 1, 2, 3]);
  },
  'e2e-node-init-fails-never': (t: Trace) => {
    expect(status(t, 'init-fails', 30).phase).toBe('Failed');
    expect(starts(t, 'regular-1')).toEqual([]);
  },
  'e2e-node-init-before-poststart': (t: Trace) => {
    expect(ctr(t, 'init-poststart', 'init-1', 1).state.kind).toBe('terminated');
    expect(starts(t, 'regular-1')).toEqual([1]);
    expect(ctr(t, 'init-poststart', 'regular-1', 1).state.kind).toBe('waiting');
    expect(ctr(t, 'init-poststart', 'regular-1', 2).state.kind).toBe('running');
  },
  'e2e-node-regular-restarted': (t: Trace) => {
    const at = changeInstants(t, 'Pod/default/regular-restart').find(
      (ms) => ctr(t, 'regular-restart', 'regular-1', ms / 1000).restartCount >= 3,
    );
    expect(at).toBeDefined();
    expect(at!).toBeLessThanOrEqual(120_000);
  },
  'e2e-node-poststart-blocks': (t: Trace) => {
    expect(starts(t, 'regular-1')).toEqual([0]);
    expect(starts(t, 'regular-2')).toEqual([1]);
  },
  'e2e-node-no-init-rerun': (t: Trace) => {
    expect(ctr(t, 'no-init-rerun', 'regular-1', 200).restartCount).toBeGreaterThanOrEqual(3);
    expect([starts(t, 'init-1'), starts(t, 'init-2'), starts(t, 'init-3')]).toEqual([[0], [1], [2]]);
  },
  'e2e-node-bad-init-image': (t: Trace) => {
    expect(
      changeInstants(t, 'Pod/default/bad-init-image').some(
        (ms) =>
          ctr(t, 'bad-init-image', 'init-1', ms / 1000).state.kind === 'waiting' &&
          (ctr(t, 'bad-init-image', 'init-1', ms / 1000).state as { reason: string }).reason ===
            'ImagePullBackOff',
      ),
    ).toBe(true);
    expect(starts(t, 'init-1')).toEqual([]);
    expect(starts(t, 'regular-1')).toEqual([]);
  },
  'svc-endpoints-follow-readiness': (t: Trace) => {
    const svc = (s: number) => stateAt(t, 'Service/default/web', s * 1000) as ServiceSnapshot;
    expect(svc(5).readyAddresses).toEqual([]);
    expect(svc(5).notReadyAddresses).toEqual(['10.244.0.10']);
    expect(svc(20).readyAddresses).toEqual(['10.244.0.10']);
    expect(svc(30).readyAddresses).toEqual([]);
  },
  'sidecar-lifecycle': (t: Trace) => {
    expect(starts(t, 'logger')[0]).toBe(0);
    expect(starts(t, 'logger').length).toBeGreaterThanOrEqual(3);
    expect(starts(t, 'setup')).toEqual([0]);
    const kills = t.events.filter((e) => e.reason === 'Killing').map((e) => e.container);
    expect(kills).toEqual(['app', 'logger']);
    expect(goneAt(t, 'Pod/default/with-sidecar')).toBe(100);
  },
  'delete-force-and-actions': (t: Trace) => {
    expect(t.actions.map((a) => a.exitCode)).toEqual([0, 0, 1, 1, 126, 3, 1, 0, 1]);
    expect(t.actions[0]!.stdout).toBe('pod/web unchanged\n');
    expect(t.actions[1]!.stdout).toBe('pod/web configured\n');
    expect(t.events.some((e) => e.message === 'Container nginx definition changed, will be restarted')).toBe(
      true,
    );
    expect(t.actions[2]!.stderr).toMatch(
      /^The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/,
    );
    expect(t.actions[7]!.stdout).toBe('pod "web" force deleted\n');
    expect(goneAt(t, 'Pod/default/web')).toBe(20);
  },
  'emptydir-volumes': (t: Trace) => {
    // The init container's file is what nginx serves from the same emptyDir; the mount hides
    // the image's own /usr/share/nginx/html (its 50x.html is not listed).
    expect(t.actions.map((a) => a.stdout)).toEqual([
      'hello from the init container\n',
      'index.html\n',
      'line 1\nline 2\nline 3\nline 1\nline 2\nline 3\n',
    ]);
    expect(ready(t, 'init-demo', 0)).toBe(true);
    // The volume outlives the writer's restart: its second run appends to the same file.
    expect(restarts(t, 'shared-log', 20)).toBe(1);
    expect(t.logs.filter((l) => l.container === 'reader').map((l) => l.text)).toEqual([
      'line 1',
      'line 2',
      'line 3',
    ]);
  },
  'config-env-from-configmap': (t: Trace) => {
    // makeEnvironmentVariables at creation: keyRefs, envFrom with its prefix, stringData as data;
    // the ConfigMap update at 10s never reaches the running container's environment.
    const lines = t.logs.filter((l) => l.pod === 'envcfg').map((l) => l.text);
    expect(lines).toEqual(['mode=debug pw=s3cr3t cfg_greeting=hello', 'later mode=debug']);
    expect(t.actions.map((a) => a.stdout)).toEqual(['configmap/app-config configured\n']);
  },
  'config-missing-configmap': (t: Trace) => {
    // CreateContainerConfigError with the kubelet's texts until the object / key exists.
    expect(ctr(t, 'waits', 'c', 10).state).toEqual({
      kind: 'waiting',
      reason: 'CreateContainerConfigError',
      message: 'configmap "settings" not found',
    });
    expect(ctr(t, 'nokey', 'c', 10).state).toEqual({
      kind: 'waiting',
      reason: 'CreateContainerConfigError',
      message: "couldn't find key missing in ConfigMap default/other",
    });
    expect(firstReady(t, 'waits')).toBe(20);
    expect(firstReady(t, 'nokey')).toBe(30);
    expect(t.logs.filter((l) => l.pod === 'waits').map((l) => l.text)).toEqual(['level=3']);
    expect(t.actions[1]!.stderr).toContain(
      'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
    expect(t.actions[3]!.stderr).toBe('Error from server (NotFound): secrets "maybe" not found\n');
  },
  'config-volume-update': (t: Trace) => {
    // The update of 30s reaches the mounted file at the sync of 60s; subPath and env keep blue.
    expect(t.logs.filter((l) => l.pod === 'reader').map((l) => `${l.at / 1000} ${l.text}`)).toEqual([
      '0 volume=blue subPath=blue env=blue',
      '15 volume=blue subPath=blue env=blue',
      '30 volume=blue subPath=blue env=blue',
      '45 volume=blue subPath=blue env=blue',
      '60 volume=blue subPath=blue env=blue',
      '75 volume=green subPath=blue env=blue',
      '90 volume=green subPath=blue env=blue',
    ]);
    const out = (i: number) => t.actions.find((a) => a.index === i)!;
    expect(out(0).stdout).toContain(
      'lrwxrwxrwx    1 root     root            12 Jan  1 00:00 color -> ..data/color',
    );
    expect(out(0).stdout).toContain('-r--------    1 root     root             4 Jan  1 00:00 color');
    expect(out(0).stdout).toContain('-rwxr-xr-x    1 root     root            10 Jan  1 00:00 run.sh');
    expect(out(0).stdout).toContain('token -> ..data/token');
    expect(out(1).stderr.split('\n').slice(0, 4)).toEqual([
      "sh: can't create /etc/web/color: Read-only file system",
      "rm: can't remove '/etc/web/color': Read-only file system",
      'touch: /etc/web/new: Read-only file system',
      "mkdir: can't create directory '/etc/web/d': Read-only file system",
    ]);
    expect(out(3).stdout).toContain('..2025_01_01_00_01_00.');
    expect(out(4).stdout).toBe('greenblue blue\n');
  },
  'config-volume-secret': (t: Trace) => {
    // FailedMount until the ConfigMap exists; then the files of both volumes.
    const failed = t.events
      .filter((e) => e.reason === 'FailedMount')
      .map((e) => `${e.at / 1000} ${e.message}`);
    expect(failed[0]).toBe('0 MountVolume.SetUp failed for volume "app" : configmap "app" not found');
    expect(t.events.some((e) => e.reason === 'Pulling' && e.at < 15_000)).toBe(false);
    expect(ctr(t, 'mounts', 'c', 10).state).toEqual({ kind: 'waiting', reason: 'ContainerCreating' });
    expect(t.logs.filter((l) => l.pod === 'mounts').map((l) => l.text)).toEqual([
      'password',
      'username',
      's3cr3t',
      '3',
    ]);
  },
  'env-services-downward-api': (t: Trace) => {
    const lines = t.logs.filter((l) => l.pod === 'envdemo').map((l) => l.text);
    // $(MESSAGE) expands in args; MESSAGE's own $(MY_POD_NAME) stays literal (declared later),
    // and the shell then runs it as a command substitution.
    expect(lines.slice(0, 4)).toEqual([
      'sh: MY_POD_NAME: not found',
      'hello world from',
      'pod=envdemo ip=10.244.0.10 mem=64 cpu=1',
      '$(MESSAGE) $(UNDEFINED)',
    ]);
    // Service variables of the namespace's Services and of default/kubernetes (envvars.FromServices).
    expect(lines).toContain('WEB_SVC_SERVICE_HOST=10.96.0.11');
    expect(lines).toContain('WEB_SVC_SERVICE_PORT_HTTP=80');
    expect(lines).toContain('WEB_SVC_PORT_80_TCP=tcp://10.96.0.11:80');
    expect(lines).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    // A missing Secret: CreateContainerConfigError, retried, never started.
    expect(ctr(t, 'needs-secret', 'c', 30).state).toEqual({
      kind: 'waiting',
      reason: 'CreateContainerConfigError',
      message: 'secret "db-pass" not found',
    });
    expect(starts(t, 'c').length).toBe(1);
    expect(
      t.events.filter(
        (e) => e.object === 'Pod/needs-secret' && e.message === 'Error: secret "db-pass" not found',
      ).length,
    ).toBeGreaterThan(1);
  },
  'exec-signals-pid1': (t: Trace) => {
    // nginx ends gracefully (exit 0) on `kill 1` (SIGTERM) and on `nginx -s quit` (SIGQUIT);
    // restartPolicy Always restarts it: at once, then after the 10 s back-off.
    expect(ctr(t, 'web', 'nginx', 11)).toMatchObject({
      restartCount: 1,
      lastState: { kind: 'terminated', exitCode: 0, reason: 'Completed' },
    });
    expect(starts(t, 'nginx')).toEqual([0, 10, 40]);
    // The kernel delivers no default-action signal to a namespace's init: sh keeps running.
    expect(restarts(t, 'box', 60)).toBe(0);
    expect(t.logs.filter((l) => l.pod === 'box').map((l) => [l.at / 1000, l.text])).toEqual([
      [0, 'started'],
      [14, 'via-proc'],
    ]);
  },
  // job_controller.go 1.33: Pods at 0 s, then after the 10 s and 20 s Pod-failure back-off
  // (each Pod runs 1 s); the third failure exceeds backoffLimit 2.
  'job-backoff-limit': (t: Trace) => {
    const creates = t.events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.at / 1000);
    expect(creates).toEqual([0, 11, 32]);
    expect(jobConditions(t, 'pi', 120)).toEqual([
      'FailureTarget/BackoffLimitExceeded@33',
      'Failed/BackoffLimitExceeded@33',
    ]);
  },
  // pastActiveDeadline: FailureTarget at the deadline, Failed once the deleted Pod is gone.
  'job-deadline': (t: Trace) => {
    expect(jobConditions(t, 'slow', 60)).toEqual([
      'FailureTarget/DeadlineExceeded@20',
      'Failed/DeadlineExceeded@50',
    ]);
  },
});
