/**
 * The printers over real simulator traces: invariants that must hold whatever the exact timing
 * (the exact texts are pinned by the table-driven tests on hand-built traces).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Pod } from '../../src/model/k8s.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';
import {
  describePod,
  eventsTable,
  podColumns,
  podLogs,
  timelineSvg,
  watchRows,
  watchTranscript,
} from '../../src/sim/printers/index.ts';
import { assertWellFormed } from './helpers.ts';

function run(file: string, seconds: number) {
  const loaded = loadManifests(readFileSync(file, 'utf8'), { file });
  const objects = loaded.objects.map((o) => o.object);
  const pods = objects.filter((o): o is Pod => o.kind === 'Pod');
  const options = defaultSimOptions();
  options.budgets.horizonMs = seconds * 1000;
  return { pods, trace: simulate(objects, [], options) };
}

describe('printers over simulated runs', () => {
  it('describe shows env sources as kubectl does (describeContainerEnvVars)', () => {
    const { pods, trace } = run('test/golden/env-services-downward-api.yaml', 5);
    const envdemo = describePod(pods.find((p) => p.metadata.name === 'envdemo')!, trace, 5000);
    expect(envdemo).toContain(
      [
        '    Environment:',
        '      GREETING:      hello',
        '      MESSAGE:       $(GREETING) world from $(MY_POD_NAME)',
        '      MY_POD_NAME:   envdemo (v1:metadata.name)',
        '      MY_POD_IP:      (v1:status.podIP)',
        '      MEM_LIMIT_MI:  64 (limits.memory)',
        '      CPU_LIMIT:     1 (limits.cpu)',
      ].join('\n'),
    );
    const secret = describePod(pods.find((p) => p.metadata.name === 'needs-secret')!, trace, 5000);
    expect(secret).toContain(
      "      PASSWORD:  <set to the key 'password' in secret 'db-pass'>  Optional: false\n",
    );
    expect(secret).toContain('      Reason:       CreateContainerConfigError\n');
  });

  it('restart-backoff: restart counts never decrease, the last row matches podColumns, logs per run', () => {
    const { pods, trace } = run('scenarios/restart-backoff/solution.yaml', 200);
    const pod = pods[0]!;
    const rows = watchRows(trace, pods);
    expect(rows[0]).toMatchObject({ at: 0, status: 'Pending', restarts: '0' });
    for (let i = 1; i < rows.length; i++)
      expect(rows[i]!.restartCount).toBeGreaterThanOrEqual(rows[i - 1]!.restartCount);
    expect(rows.some((r) => r.status === 'CrashLoopBackOff')).toBe(true);
    const lastRecord = [...trace.records].reverse().find((r) => r.key === 'Pod/default/crashloop-pod');
    expect(lastRecord?.exists).toBe(true);
    if (lastRecord?.exists && lastRecord.snapshot.kind === 'Pod') {
      const c = podColumns(pod, lastRecord.snapshot, lastRecord.at);
      expect(rows[rows.length - 1]).toMatchObject({ ready: c.ready, status: c.status, restarts: c.restarts });
    }
    expect(watchTranscript(trace, pods).split('\n')[0]).toMatch(
      /^TIME {3,}NAME {3,}READY {3}STATUS {3,}RESTARTS$/,
    );
    expect(podLogs(trace, 'crashloop-pod', { spec: pod })).toBe('started\n');
    expect(podLogs(trace, 'crashloop-pod', { spec: pod, previous: true })).toBe('started\n');
    const svg = timelineSvg(trace, pods);
    assertWellFormed(svg);
    expect(svg.match(/class="restart"/g)?.length).toBe(rows[rows.length - 1]!.restartCount);
  });

  it('liveness-exec: describe shows the probe line, the restart and aggregated Unhealthy events', () => {
    const { pods, trace } = run('scenarios/liveness-exec/solution.yaml', 150);
    const text = describePod(pods[0]!, trace, trace.endAt);
    expect(text).toContain(
      '    Liveness:       exec [test -e /tmp/livenesspod] delay=1s timeout=1s period=3s #success=1 #failure=3\n',
    );
    expect(text).toMatch(/\n {4}Last State: {5}Terminated\n {6}Reason: {7}Error\n {6}Exit Code: {4}137\n/);
    expect(text).toMatch(
      /\n {2}Warning {2}Unhealthy {2}[\dms]+ \(x\d+ over [\dms]+\) +kubelet +Liveness probe failed:/,
    );
    expect(eventsTable(trace, { object: 'Pod/livenessprobe-pod' })).toContain('Killing');
  });
});
