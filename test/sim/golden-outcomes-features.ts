/**
 * The outcomes of the golden cases for Services, sidecars, actions, volumes, config, env, signals and Jobs, by case name.
 */
import { expect } from 'vitest';
import type { ServiceSnapshot } from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';
import { stateAt } from '../../src/sim/query.ts';
import { ctr, firstReady, goneAt, jobConditions, ready, restarts, starts } from './golden-queries.ts';

export const FEATURE_OUTCOMES: Record<string, (t: Trace) => void> = {
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
};
