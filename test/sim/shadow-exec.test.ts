/**
 * Shadow execs (`Action.shadow`, for graders' exec checks): the result `kubectl exec` would give
 * at that instant, and no trace of it in the run. The overlay filesystem behind them answers
 * like the container's own filesystem and never changes it.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Action, Trace } from '../../src/model/trace.ts';
import { OverlayFileSystem } from '../../src/sim/kubelet/overlay-fs.ts';
import { MemFileSystem } from '../../src/sim/runtime/index.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox:1.32.0
      command: [sh, -c, "echo start; touch /tmp/a; sleep 20; echo two > /tmp/b; sleep 10; exit 3"]
      livenessProbe: {exec: {command: [cat, /tmp/a]}, periodSeconds: 5}
    - name: web
      image: nginx:1.17.10-alpine
`;

const objects = loadManifests(POD, { file: 'p.yaml' }).objects.map((o) => o.object);

function exec(at: number, command: string[], shadow: boolean, container = 'c'): Action {
  return {
    at,
    kind: 'exec',
    pod: 'p',
    namespace: 'default',
    container,
    command,
    ...(shadow ? { shadow } : {}),
  };
}

function sim(actions: Action[], horizonMs = 120_000): Trace {
  const o = defaultSimOptions();
  o.budgets.horizonMs = horizonMs;
  return simulate(objects, actions, o);
}

const COMMANDS: [number, string[], string?][] = [
  [1000, ['cat', '/tmp/a']],
  [1000, ['sh', '-c', 'echo x > /tmp/a; rm -rf /etc; ls /; cat /tmp/a']],
  [5000, ['sh', '-c', 'sleep 18; cat /tmp/b; ls /tmp']],
  [5000, ['wget', '-qO-', 'http://localhost/'], 'web'],
  [5000, ['no-such-binary']],
  [25_000, ['sh', '-c', 'sleep 30; echo late']],
  [45_000, ['cat', '/tmp/b']],
];

describe('shadow exec', () => {
  it('gives the result of a kubectl exec at that instant and leaves the run unchanged', () => {
    const plain = sim([]);
    const shadows = COMMANDS.map(([at, cmd, ctr]) => exec(at, cmd, true, ctr));
    const withShadows = sim(shadows);
    expect(JSON.stringify({ ...withShadows, actions: [] })).toBe(JSON.stringify(plain));
    COMMANDS.forEach(([at, cmd, ctr], i) => {
      // The same command as the only (real) action of a run cut 60 s later.
      const o = defaultSimOptions();
      o.budgets.horizonMs = Math.min(120_000, at + 60_000);
      const real = simulate(objects, [exec(at, cmd, false, ctr)], o).actions[0];
      const shadow = withShadows.actions[i]!;
      expect(shadow.index).toBe(i);
      expect([shadow.exitCode, shadow.stdout, shadow.stderr]).toEqual([
        real?.exitCode,
        real?.stdout,
        real?.stderr,
      ]);
    });
  });

  it('sees its own writes, never reaches the container', () => {
    const t = sim([
      exec(
        2000,
        ['sh', '-c', 'echo mine > /tmp/s; mkdir -p /d/e; rm /tmp/a; cat /tmp/s; ls /d; ls /tmp'],
        true,
      ),
      exec(3000, ['sh', '-c', 'ls /tmp; cat /tmp/s'], false),
    ]);
    expect(t.actions.map((a) => [a.exitCode, a.stdout])).toEqual([
      [0, 'mine\ne\ns\n'],
      [1, 'a\n'],
    ]);
    expect(t.probes.every((p) => p.result === 'success')).toBe(true);
  });

  it('a command still running 60 s later, or at the end of the run, is unfinished', () => {
    const t = sim([exec(1000, ['sleep', '100'], true, 'web'), exec(100_000, ['sleep', '100'], true, 'web')]);
    expect(t.actions.map((a) => [a.exitCode, a.unfinishedAt, a.stderr])).toEqual([
      [124, 61_000, 'error: the command had not finished by 61000 ms\n'],
      [124, 120_000, 'error: the command had not finished by 120000 ms\n'],
    ]);
    // Past the horizon: never ran, unfinished at the end.
    expect(sim([exec(130_000, ['true'], true)]).actions[0]?.unfinishedAt).toBe(120_000);
  });

  it('ends with 137 when the container instance ends while it runs; errors like kubectl exec', () => {
    const t = sim([
      exec(25_000, ['sleep', '20'], true),
      exec(1000, ['true'], true, 'nope'),
      { at: 1000, kind: 'exec', pod: 'q', namespace: 'default', command: ['true'], shadow: true },
    ]);
    expect(t.actions.map((a) => [a.exitCode, a.stderr])).toEqual([
      [137, 'command terminated with exit code 137\n'],
      [1, 'Error from server (BadRequest): container nope is not valid for pod p\n'],
      [1, 'Error from server (NotFound): pods "q" not found\n'],
    ]);
    expect(t.notes).toEqual([]);
  });
});

type Op = ['write', string, string, boolean] | ['mkdir', string, boolean] | ['rm', string, boolean];

const OPS: Op[] = [
  ['write', '/etc/hosts', 'x', true],
  ['write', '/nope/f', 'x', false],
  ['write', '/', 'x', false],
  ['write', '/etc', 'x', false],
  ['mkdir', '/etc', false],
  ['mkdir', '/a/b/c', false],
  ['mkdir', '/a/b/c', true],
  ['mkdir', '/etc/hosts/x', true],
  ['write', '/a/b/c/f', 'hello', false],
  ['rm', '/etc', false],
  ['rm', '/etc', true],
  ['mkdir', '/etc', false],
  ['write', '/etc/new', 'n', false],
  ['rm', '/', false],
  ['rm', '/', true],
  ['rm', '/missing', true],
  ['write', '/tmp/../tmp/./f', '1', true],
  ['rm', '/tmp/f', false],
  ['write', '/tmp/big', 'y'.repeat(40), false],
];

describe('OverlayFileSystem', () => {
  const content = { dirs: ['/tmp', '/etc/ssl'], files: { '/etc/hosts': 'h\n', '/etc/ssl/c': 'cert' } };

  it.each([false, true])(
    'answers every operation like the filesystem it overlays, which stays unchanged (frozen: %s)',
    (frozen) => {
      const live = new MemFileSystem(64, content);
      const reference = new MemFileSystem(64, content);
      const overlay = new OverlayFileSystem(live, 64, frozen);
      const paths = [
        '/',
        '/etc',
        '/etc/hosts',
        '/etc/ssl',
        '/etc/ssl/c',
        '/etc/new',
        '/a',
        '/a/b/c',
        '/a/b/c/f',
        '/tmp',
      ];
      for (const op of OPS) {
        const apply = (fs: MemFileSystem | OverlayFileSystem) =>
          op[0] === 'write'
            ? fs.writeFile(op[1], op[2], op[3])
            : op[0] === 'mkdir'
              ? fs.mkdir(op[1], op[2])
              : fs.remove(op[1], op[2]);
        expect([op, apply(overlay)]).toEqual([op, apply(reference)]);
        for (const p of paths) {
          expect([
            p,
            overlay.readFile(p),
            overlay.exists(p),
            overlay.isDirectory(p),
            overlay.list(p),
          ]).toEqual([
            p,
            reference.readFile(p),
            reference.exists(p),
            reference.isDirectory(p),
            reference.list(p),
          ]);
        }
        expect(overlay.size()).toBe(reference.size());
      }
      expect(live.list('/')).toEqual(['etc', 'tmp']);
      expect(live.readFile('/etc/hosts')).toBe('h\n');
    },
  );
});
