/**
 * Updates of mounted configMap/secret volumes (src/sim/kubelet/config-sync.ts): an `apply`
 * reaches a mounted volume at the Pod's next periodic sync (every 60 s after the volumes were
 * set up, --sync-frequency), never a subPath mount or an env var. Real busybox, real manifests.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Action, Trace } from '../../src/model/trace.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';

/** A Pod printing the mounted file, the subPath file and the env var once a second. */
function manifests(cmData: string, extraVolume = ''): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data: ${cmData}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox:1.32.0
      command: [sh, -c, 'while true; do echo "$(cat /etc/app/color 2>&1)|$(cat /etc/color.conf 2>&1)|$COLOR"; sleep 1; done']
      env: [{name: COLOR, valueFrom: {configMapKeyRef: {name: app, key: color, optional: true}}}]
      volumeMounts:
        - {name: app, mountPath: /etc/app}
        - {name: app, mountPath: /etc/color.conf, subPath: color}
  volumes:
    - name: app
      configMap: {name: app${extraVolume}}
`;
}

function applyAt(at: number, yaml: string): Action {
  const loaded = loadManifests(yaml, { file: 'action.yaml' });
  return { at: at * 1000, kind: 'apply', objects: loaded.objects.map((o) => o.object) } as Action;
}

function runCase(yaml: string, actions: Action[], seconds: number): Trace {
  const loaded = loadManifests(yaml, { file: 'case.yaml' });
  expect(loaded.rejected).toEqual([]);
  const o = defaultSimOptions();
  o.budgets.horizonMs = seconds * 1000;
  return simulate(
    loaded.objects.map((x) => x.object),
    actions,
    o,
  );
}

/** The line the container printed at `s` seconds. */
function lineAt(t: Trace, s: number): string | undefined {
  return t.logs.find((l) => l.at === s * 1000 && l.stream === 'stdout')?.text;
}

const blue = `apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data: {color: blue}`;

describe('configMap volume updates', () => {
  const rows: { name: string; actions: Action[]; want: [number, string][] }[] = [
    {
      name: 'an update at 30s reaches the mounted file at the next periodic sync (60s), not the subPath or env',
      actions: [applyAt(30, blue)],
      want: [
        [30, 'red|red|red'],
        [59, 'red|red|red'],
        [60, 'red|red|red'], // the container's process runs before the pod sync of the instant
        [61, 'blue|red|red'],
        [100, 'blue|red|red'],
      ],
    },
    {
      name: 'an update at exactly 60s waits for the sync at 120s',
      actions: [applyAt(60, blue)],
      want: [
        [119, 'red|red|red'],
        [121, 'blue|red|red'],
      ],
    },
    {
      name: 'two updates before one sync: the sync writes the last',
      actions: [applyAt(10, blue), applyAt(20, blue.replace('blue', 'green'))],
      want: [
        [59, 'red|red|red'],
        [61, 'green|red|red'],
      ],
    },
    {
      name: 'an unchanged apply changes nothing',
      actions: [applyAt(30, blue.replace('blue', 'red'))],
      want: [[100, 'red|red|red']],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const t = runCase(manifests('{color: red}'), r.actions, 130);
      for (const [s, line] of r.want) expect(lineAt(t, s), `at ${s}s`).toBe(line);
    });
  }

  it('notes the rewrite once, at the sync', () => {
    const t = runCase(manifests('{color: red}'), [applyAt(30, blue)], 130);
    const notes = t.notes.filter((n) => n.message.includes('rewrote configMap volume "app"'));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(/^at 60s /);
  });

  it('a deleted ConfigMap leaves the files and gives a FailedMount event at the sync', () => {
    const del = { at: 30_000, kind: 'delete', objectKind: 'ConfigMap', name: 'app' } as Action;
    const t = runCase(manifests('{color: red}'), [del], 70);
    expect(lineAt(t, 65)).toBe('red|red|red');
    const failed = t.events.filter((e) => e.reason === 'FailedMount');
    expect(failed.map((e) => [e.at, e.message])).toEqual([
      [60_000, 'MountVolume.SetUp failed for volume "app" : configmap "app" not found'],
    ]);
  });

  it('a restarted container sees the new data in its subPath mount and env', () => {
    const yaml = manifests('{color: red}').replace(
      "command: [sh, -c, '",
      'command: [sh, -c, \'trap "exit 1" TERM; ',
    );
    // Kill the container at 70s (after the sync): the next instance resolves the subPath again.
    const kill = { at: 70_000, kind: 'exec', pod: 'p', command: ['kill', '1'] } as Action;
    const t = runCase(yaml, [applyAt(30, blue), kill], 100);
    expect(lineAt(t, 69)).toBe('blue|red|red');
    expect(lineAt(t, 90)).toBe('blue|blue|blue');
  });
});
