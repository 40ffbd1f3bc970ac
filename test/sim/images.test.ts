/** The catalogue images in whole-Pod runs: logs, probes and start-up times as the kubelet sees them. */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Trace } from '../../src/model/trace.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';

function runPod(yaml: string, untilMs: number): Trace {
  const loaded = loadManifests(yaml, { file: 'pod.yaml' });
  expect(loaded.rejected).toEqual([]);
  const options = defaultSimOptions();
  options.budgets.horizonMs = untilMs;
  return simulate(
    loaded.objects.map((o) => o.object),
    [],
    options,
  );
}

const pod = (image: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: ${image}\n${extra}`;

/** First instant the Pod is recorded Ready. */
function readyAt(t: Trace): number | undefined {
  return t.records.find(
    (r) =>
      r.exists &&
      r.snapshot.kind === 'Pod' &&
      r.snapshot.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
  )?.at;
}

describe('catalogue images in a Pod', () => {
  it('postgres without a password: its error is the container log, exit 1', () => {
    const t = runPod(pod('postgres:17'), 15_000);
    const log = t.logs
      .filter((l) => l.container === 'c' && l.at === 0)
      .map((l) => l.text)
      .join('');
    expect(log).toContain('Error: Database is uninitialized and superuser password is not specified.');
    expect(JSON.stringify(t.records.at(-1))).toContain('"exitCode":1');
  });

  it('postgres with a password: pg_isready readiness passes once the server is up (3 s)', () => {
    const t = runPod(
      pod(
        'postgres:17',
        '    env:\n    - name: POSTGRES_PASSWORD\n      value: secret\n    readinessProbe:\n      exec:\n        command: [pg_isready, -U, postgres]\n      periodSeconds: 2\n',
      ),
      20_000,
    );
    const at = readyAt(t);
    expect(at).toBeDefined();
    expect(at!).toBeGreaterThanOrEqual(3000);
    expect(at!).toBeLessThanOrEqual(6000);
  });

  it('redis (Alpine): busybox nc PING gets +PONG through an exec probe', () => {
    const t = runPod(
      pod(
        'redis:7.4-alpine',
        '    readinessProbe:\n      exec:\n        command: [sh, -c, "echo PING | nc localhost 6379 | grep -q PONG"]\n',
      ),
      20_000,
    );
    expect(readyAt(t)).toBeDefined();
  });

  it('the image PATH reaches the container: httpd-foreground finds httpd in /usr/local/apache2/bin', () => {
    const t = runPod(pod('httpd:2.4'), 5_000);
    expect(t.logs.map((l) => l.text).join('')).toContain("AH00094: Command line: 'httpd -D FOREGROUND'");
  });

  it('exec into pause fails: no shell', () => {
    const t = runPod(
      pod('registry.k8s.io/pause:3.10', '    livenessProbe:\n      exec:\n        command: [cat, /tmp/x]\n'),
      20_000,
    );
    expect(t.events.map((e) => e.message).join('\n')).toContain('executable file not found in $PATH');
  });
});
