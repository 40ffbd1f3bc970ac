/** `podlab simulate`: the actions file parser and the command's output. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseActionsFile, run } from '../../cli/commands/simulate.ts';

describe('actions file', () => {
  it('parses apply, exec and delete actions with durations', () => {
    const r = parseActionsFile(
      `- at: 1m30s
  exec: {pod: p, command: [ls, /]}
- at: 90
  delete: {kind: Pod, name: p, gracePeriodSeconds: 0, force: true}
- at: 500ms
  apply: |
    apiVersion: v1
    kind: Service
    metadata: {name: s}
    spec:
      ports: [{port: 80}]
`,
      'a.yaml',
    );
    expect(r.errors).toEqual([]);
    expect(r.actions.map((a) => [a.at, a.kind])).toEqual([
      [90_000, 'exec'],
      [90_000, 'delete'],
      [500, 'apply'],
    ]);
    expect(r.actions[1]).toMatchObject({
      objectKind: 'Pod',
      name: 'p',
      gracePeriodSeconds: 0,
      force: true,
      namespace: 'default',
    });
  });

  it('parses scale and rollback actions', () => {
    const r = parseActionsFile(
      '- at: 5s\n  scale: {deployment: web, replicas: 5}\n- at: 9s\n  rollback: {deployment: web, toRevision: 1}\n- at: 10s\n  scale: {replicaset: web-abc, replicas: 0}\n- at: 11s\n  setImage: {deployment: web, container: c, image: "nginx:1.28"}\n',
      'a.yaml',
    );
    expect(r.errors).toEqual([]);
    expect(r.actions).toEqual([
      { at: 5000, kind: 'scale', objectKind: 'Deployment', name: 'web', namespace: 'default', replicas: 5 },
      { at: 9000, kind: 'rollback', name: 'web', namespace: 'default', toRevision: 1 },
      {
        at: 10000,
        kind: 'scale',
        objectKind: 'ReplicaSet',
        name: 'web-abc',
        namespace: 'default',
        replicas: 0,
      },
      {
        at: 11_000,
        kind: 'setImage',
        name: 'web',
        namespace: 'default',
        container: 'c',
        image: 'nginx:1.28',
      },
    ]);
  });

  it('reports mistakes with their place, never throws', () => {
    expect(parseActionsFile('{', 'a.yaml').errors[0]).toMatch(/^a\.yaml: /);
    expect(parseActionsFile('- at: 1s\n  exec: {pod: p}\n', 'a.yaml').errors).toEqual([
      'a.yaml: actions[0].exec: needs pod (string) and command (list of strings)',
    ]);
    expect(parseActionsFile('- at: 1s\n  bogus: 1\n', 'a.yaml').errors).toEqual([
      'a.yaml: actions[0]: unknown field "bogus"',
      'a.yaml: actions[0]: an action is exactly one of apply, exec, delete, scale, setImage, rollback',
    ]);
    expect(parseActionsFile('- at: 1s\n  scale: {deployment: web}\n', 'a.yaml').errors).toEqual([
      'a.yaml: actions[0].scale: needs deployment or replicaset (a name) and replicas (a whole number >= 0)',
    ]);
    expect(parseActionsFile('- at: 1s\n  rollback: {deployment: web, to: 1}\n', 'a.yaml').errors).toEqual([
      'a.yaml: actions[0].rollback: unknown field "to"',
    ]);
    expect(parseActionsFile('- at: soon\n  delete: {kind: Pod, name: p}\n', 'a.yaml').errors[0]).toMatch(
      /^a\.yaml: actions\[0\]\.at: /,
    );
  });
});

describe('podlab simulate', () => {
  it('prints the watch transcript of a manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-sim-'));
    const file = join(dir, 'pod.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Never\n  containers:\n    - {name: c, image: busybox:1.32.0, command: [sh, -c, "sleep 3"]}\n',
    );
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run([file, '--until', '10s'])).toBe(0);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    expect(out.join('')).toBe(
      'TIME   NAME   READY   STATUS              RESTARTS\n0s     p      0/1     Pending             0\n0s     p      0/1     ContainerCreating   0\n0s     p      1/1     Running             0\n3s     p      0/1     Completed           0\n',
    );
  });

  it('a 3-replica nginx Deployment: its <rs>-<5 chars> Pods go Running, then get deploy and get rs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-sim-'));
    const file = join(dir, 'web.yaml');
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: "nginx:1.27"}]\n',
    );
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run([file, '--until', '10s'])).toBe(0);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    const text = out.join('');
    const running = text.split('\n').filter((l) => / 1\/1 +Running /.test(l));
    expect(running).toHaveLength(3);
    for (const l of running)
      expect(l).toMatch(/^0s +web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5} /);
    expect(text).toContain(
      '\nNAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           10s\n',
    );
    expect(text).toMatch(/\nNAME +DESIRED +CURRENT +READY +AGE\nweb-\w+ +3 +3 +3 +10s\n$/);
  });
});
