/**
 * Operator actions (scenario-format.md 1.2; semantics sections 2.3 and 9) and Services
 * (section 10): kubectl's output lines, exit codes and effects, run with scripted images.
 */
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/model/k8s.ts';
import type { ServiceSnapshot } from '../../src/model/status.ts';
import type { Action } from '../../src/model/trace.ts';
import { stateAt } from '../../src/sim/query.ts';
import { defaultSimOptions, simulateWith } from '../../src/sim/simulation.ts';
import { fakeResolver } from './fake-image.ts';
import { ctr, pod, probe, run } from './helpers.ts';

const exec = (
  at: number,
  command: string[],
  extra: Partial<Extract<Action, { kind: 'exec' }>> = {},
): Action => ({
  at: at * 1000,
  kind: 'exec',
  pod: 'p',
  namespace: 'default',
  command,
  ...extra,
});

describe('exec (like kubectl exec)', () => {
  it('runs in the current filesystem; output, exit code, "command terminated with exit code"', () => {
    const t = run([pod('p', [ctr('c', ['script', 'touch:/ready', 'idle'])])], 20, [
      exec(1, ['cat', '/ready']),
      exec(2, ['cat', '/nope']),
      exec(3, ['script', 'out:hi', 'err:oops', 'exit:4']),
    ]);
    expect(t.actions.map((a) => [a.exitCode, a.stdout, a.stderr])).toEqual([
      [0, '', ''],
      [1, "cat: can't open '/nope': No such file or directory\n", 'command terminated with exit code 1\n'],
      [4, 'hi\n', 'oops\ncommand terminated with exit code 4\n'],
    ]);
  });

  it('errors: unknown pod, unknown container, container not running, completed pod, missing binary', () => {
    const t = run(
      [
        pod('p', [ctr('c', ['idle'], { image: 'fake:1' }), ctr('d', ['script', 'idle'])], {}),
        pod('done', [ctr('c', ['true'])], { restartPolicy: 'Never' }),
      ],
      20,
      [
        exec(1, ['true'], { pod: 'missing' }),
        exec(1, ['true'], { container: 'nope' }),
        exec(1, ['true'], { container: 'c' }),
        exec(1, ['true'], { pod: 'done' }),
        exec(1, ['curl', 'x'], { container: 'd' }),
      ],
    );
    expect(t.actions.map((a) => [a.exitCode, a.stderr])).toEqual([
      [1, 'Error from server (NotFound): pods "missing" not found\n'],
      [1, 'Error from server (BadRequest): container nope is not valid for pod p\n'],
      [1, 'error: unable to upgrade connection: container not found ("c")\n'],
      [1, 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n'],
      [
        126,
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown\ncommand terminated with exit code 126\n',
      ],
    ]);
  });

  it("defaults to the first container with kubectl's notice; a command still running at the end has no result", () => {
    const t = run([pod('p', [ctr('a', ['script', 'idle']), ctr('b', ['script', 'idle'])])], 10, [
      exec(1, ['sleep', '100']),
    ]);
    expect(t.actions).toEqual([]);
    expect(t.notes[0]?.message).toContain('still running when the simulation ended');
    const t2 = run([pod('p', [ctr('a', ['script', 'idle']), ctr('b', ['script', 'idle'])])], 10, [
      exec(1, ['true']),
    ]);
    expect(t2.actions[0]?.stderr).toBe('Defaulted container "a" out of: a, b\n');
  });
});

describe('apply and delete', () => {
  const apply = (at: number, ...objects: ReturnType<typeof pod>[]): Action => ({
    at: at * 1000,
    kind: 'apply',
    objects,
  });

  it('created / unchanged / configured (image) / Forbidden (other spec change), section 2.3', () => {
    const base = pod('p', [ctr('c', ['script', 'idle'])]);
    const newImage = pod('p', [ctr('c', ['script', 'idle'], { image: 'fake:2' })]);
    const otherChange = pod('p', [ctr('c', ['script', 'idle'], { image: 'fake:2', args: ['x'] })]);
    const t = run([], 30, [apply(0, base), apply(1, base), apply(2, newImage), apply(3, otherChange)]);
    expect(t.actions.map((a) => [a.exitCode, a.stdout || a.stderr])).toEqual([
      [0, 'pod/p created\n'],
      [0, 'pod/p unchanged\n'],
      [0, 'pod/p configured\n'],
      [
        1,
        'The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
      ],
    ]);
    expect(t.events.filter((e) => e.reason === 'Killing').map((e) => [e.at, e.message])).toEqual([
      [2000, 'Container c definition changed, will be restarted'],
    ]);
  });

  it('an image update restarts the container regardless of restartPolicy Never', () => {
    const t = run(
      [pod('p', [ctr('c', ['script', 'idle'], { image: 'fake-term:1' })], { restartPolicy: 'Never' })],
      10,
      [
        apply(
          2,
          pod('p', [ctr('c', ['script', 'idle'], { image: 'fake-term:2' })], { restartPolicy: 'Never' }),
        ),
      ],
    );
    const s = stateAt(t, 'Pod/default/p', 10_000);
    expect(s?.kind === 'Pod' && s.status.containerStatuses[0]).toMatchObject({
      restartCount: 1,
      image: 'fake-term:2',
      state: { kind: 'running' },
    });
  });

  it('delete of an unknown Pod: NotFound, exit 1', () => {
    const t = run([], 5, [{ at: 0, kind: 'delete', objectKind: 'Pod', name: 'x', namespace: 'default' }]);
    expect(t.actions[0]).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (NotFound): pods "x" not found\n',
    });
  });
});

describe('10 Services', () => {
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      sessionAffinity: 'None',
    },
  };
  const snap = (t: ReturnType<typeof run>, s: number) =>
    stateAt(t, 'Service/default/web', s * 1000) as ServiceSnapshot;

  it('endpoints follow readiness; a terminating Pod is dropped at once; a ClusterIP is assigned', () => {
    const web = pod(
      'web',
      [
        ctr('c', ['script', 'sleep:5000', 'serve:80', 'idle'], {
          readinessProbe: probe({ tcpSocket: { port: 80 }, periodSeconds: 1 }),
        }),
      ],
      {},
      { app: 'web' },
    );
    const o = defaultSimOptions();
    o.budgets.horizonMs = 60_000;
    const t = simulateWith(
      [svc, web],
      [{ at: 20_000, kind: 'delete', objectKind: 'Pod', name: 'web', namespace: 'default' }],
      o,
      fakeResolver,
    );
    expect(snap(t, 0)).toMatchObject({
      clusterIP: '10.96.0.11',
      readyAddresses: [],
      notReadyAddresses: ['10.244.0.10'],
    });
    expect(snap(t, 6).readyAddresses).toEqual(['10.244.0.10']);
    expect(snap(t, 20).readyAddresses).toEqual([]);
    expect(snap(t, 20).notReadyAddresses).toEqual(['10.244.0.10']);
    expect(snap(t, 59).notReadyAddresses).toEqual([]);
  });

  it('service apply/delete output lines', () => {
    const t = run([], 5, [
      { at: 0, kind: 'apply', objects: [svc] },
      { at: 1000, kind: 'apply', objects: [svc] },
      { at: 2000, kind: 'delete', objectKind: 'Service', name: 'web', namespace: 'default' },
    ]);
    expect(t.actions.map((a) => a.stdout)).toEqual([
      'service/web created\n',
      'service/web unchanged\n',
      'service "web" deleted\n',
    ]);
    expect(stateAt(t, 'Service/default/web', 2000)).toBeUndefined();
  });

  it('a Service asking for a node port or cluster IP a live Service holds is refused (alloc.go)', () => {
    const nodePort = (name: string, clusterIP?: string): Service => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: {
        type: 'NodePort',
        sessionAffinity: 'None',
        clusterIP,
        selector: { app: 'web' },
        ports: [{ port: 80, nodePort: 30080, protocol: 'TCP', targetPort: 80 }],
      },
    });
    const t = run([], 5, [
      { at: 0, kind: 'apply', objects: [nodePort('a', '10.96.3.3')] },
      { at: 1000, kind: 'apply', objects: [nodePort('b')] },
      {
        at: 2000,
        kind: 'apply',
        objects: [
          {
            ...svc,
            metadata: { name: 'c', namespace: 'default' },
            spec: { ...svc.spec, clusterIP: '10.96.3.3' },
          },
        ],
      },
    ]);
    expect(t.actions.map((a) => a.stdout || a.stderr)).toEqual([
      'service/a created\n',
      'The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n',
      'The Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.3.3"}: failed to allocate IP 10.96.3.3: provided IP is already allocated\n',
    ]);
  });
});

describe('engine and budgets (section 13)', () => {
  it('maxEvents ends the run with a budget reason, never a hang', () => {
    const t = run([pod('p', [ctr('c', ['false'])])], 86_400, [], (o) => {
      o.budgets.maxEvents = 50;
    });
    expect(t.endReason).toMatchObject({ kind: 'budget', budget: 'events' });
    expect(t.endAt).toBeLessThan(86_400_000);
  });

  it('maxLogBytes ends the run with a logBytes budget', () => {
    const t = run([pod('p', [ctr('c', ['script', 'out:0123456789', 'exit:1'])])], 3600, [], (o) => {
      o.budgets.maxLogBytes = 100;
    });
    expect(t.endReason).toMatchObject({ kind: 'budget', budget: 'logBytes' });
  });

  it('the horizon is capped at 24 h', () => {
    const t = run([], 100_000);
    expect(t.endAt).toBe(86_400_000);
    expect(t.notes[0]?.message).toContain('capped at 24h');
  });

  it("operator actions run after the simulator's own events of the same instant (scenario-format 1.2)", () => {
    // The container writes /f at 5 s; an exec at 5 s sees it.
    const t = run([pod('p', [ctr('c', ['script', 'sleep:5000', 'touch:/f', 'idle'])])], 10, [
      exec(5, ['cat', '/f']),
    ]);
    expect(t.actions[0]?.exitCode).toBe(0);
  });
});

describe('engine ordering (section 13)', () => {
  it('orders events by time, then priority, then insertion; never goes back in time', async () => {
    const { Engine } = await import('../../src/sim/engine.ts');
    const e = new Engine(100, 1000);
    const seen: string[] = [];
    e.schedule(5, 50, () => seen.push('5/50/a'));
    e.schedule(5, 10, () => seen.push('5/10'));
    e.schedule(5, 50, () => seen.push('5/50/b'));
    e.schedule(1, 90, () => {
      seen.push('1/90');
      e.schedule(0, 10, () => seen.push(`clamped@${e.now}`));
    });
    e.schedule(Number.NaN, 10, () => seen.push('never'));
    e.schedule(101, 10, () => seen.push('after horizon'));
    expect(e.run(() => undefined)).toEqual({ kind: 'horizon' });
    expect(seen).toEqual(['1/90', 'clamped@1', '5/10', '5/50/a', '5/50/b']);
  });
});

describe('pull errors (section 8)', () => {
  it('unknown registry: DNS failure; unknown tag of a catalogue image: not found; other repositories: access denied', async () => {
    const { pullError } = await import('../../src/sim/kubelet/kubelet.ts');
    expect(pullError('invalid.registry.k8s.io/invalid/alpine:v1')).toBe(
      'failed to pull and unpack image "invalid.registry.k8s.io/invalid/alpine:v1": failed to resolve reference "invalid.registry.k8s.io/invalid/alpine:v1": failed to do request: Head "https://invalid.registry.k8s.io/v2/invalid/alpine/manifests/v1": dial tcp: lookup invalid.registry.k8s.io: no such host',
    );
    expect(pullError('busybox:nosuch')).toBe(
      'failed to pull and unpack image "docker.io/library/busybox:nosuch": failed to resolve reference "docker.io/library/busybox:nosuch": docker.io/library/busybox:nosuch: not found',
    );
    expect(pullError('nginxx')).toBe(
      'failed to pull and unpack image "docker.io/library/nginxx:latest": failed to resolve reference "docker.io/library/nginxx:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });
});
