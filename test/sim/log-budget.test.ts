import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';
import { LOG_LINE_OVERHEAD_BYTES } from '../../src/sim/kubelet/kubelet.ts';

const pod = (command: string) =>
  loadManifests(
    `apiVersion: v1
kind: Pod
metadata: {name: noisy}
spec:
  containers:
    - {name: c, image: busybox:1.32.0, command: [sh, -c, "${command}"]}
`,
    { file: 'noisy.yaml' },
  ).objects.map((o) => o.object);

describe('the log budget (semantics page section 13: every run is bounded)', () => {
  it('counts a trace record per line, so `yes` ends the run with a bounded number of log lines', () => {
    const options = defaultSimOptions();
    const trace = simulate(pod('yes'), [], options);
    expect(trace.endReason).toMatchObject({ kind: 'budget', budget: 'logBytes' });
    // "y\n" costs 2 bytes of text plus the record: the 1 MiB budget holds ~16k lines, not 512k.
    expect(trace.logs.length).toBeLessThanOrEqual(
      Math.ceil(options.budgets.maxLogBytes / (2 + LOG_LINE_OVERHEAD_BYTES)) + 1,
    );
  });

  it('ordinary output is untouched by the overhead', () => {
    const trace = simulate(pod('for i in 1 2 3; do echo line $i; done; sleep 3600'), [], defaultSimOptions());
    expect(trace.endReason).toEqual({ kind: 'horizon' });
    expect(trace.logs.map((l) => l.text)).toEqual(['line 1', 'line 2', 'line 3']);
  });
});
