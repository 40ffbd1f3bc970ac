/**
 * The `job` check (graders/checks/job.ts) on traces of the real simulator: a Job with retries
 * that exhausts backoffLimit 2 (Pods at 0 s, 10 s, 30 s; Failed at 30 s) and one that succeeds.
 */
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../graders/evaluate.ts';
import type { Check, CheckSubject, When } from '../../graders/types.ts';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Trace } from '../../src/model/trace.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';
import { context, trace as emptyTrace } from './fixtures.ts';

function jobTrace(command: string): Trace {
  const yaml = `apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.36, command: [sh, -c, ${JSON.stringify(command)}]}]
`;
  const o = defaultSimOptions();
  o.budgets.horizonMs = 120_000;
  const t = simulate(
    loadManifests(yaml, { file: 'j.yaml' }).objects.map((x) => x.object),
    [],
    o,
  );
  return { ...emptyTrace(t.records, t.events), endAt: t.endAt };
}

const failing = context(jobTrace('exit 1'), []);
const passing = context(jobTrace('exit 0'), []);
const s = (n: number) => n * 1000;
const job = (
  j: Omit<Extract<CheckSubject, { kind: 'job' }>, 'kind' | 'name' | 'namespace'>,
  when: When,
): Check => ({
  id: 'c',
  points: 1,
  visibility: 'visible',
  subject: { kind: 'job', name: 'pi', namespace: 'default', ...j },
  when,
});

describe('job checks', () => {
  const table: { name: string; ctx: typeof failing; c: Check; passed: boolean; output?: RegExp }[] = [
    {
      name: 'Failed with BackoffLimitExceeded within 0-60 s',
      ctx: failing,
      c: job({ condition: 'Failed', reason: 'BackoffLimitExceeded' }, { kind: 'within', from: 0, to: s(60) }),
      passed: true,
      output: /at 30s$/,
    },
    {
      name: 'not yet Failed within 0-20 s (the third Pod starts at 30 s)',
      ctx: failing,
      c: job({ condition: 'Failed' }, { kind: 'within', from: 0, to: s(20) }),
      passed: false,
      output:
        /^expected condition Failed for Job pi at some instant between 0s and 20s; observed no conditions at 10s$/,
    },
    {
      name: 'the wrong reason fails',
      ctx: failing,
      c: job({ condition: 'Failed', reason: 'DeadlineExceeded' }, { kind: 'within', from: 0, to: s(60) }),
      passed: false,
    },
    {
      name: 'failed count 2 at 15 s',
      ctx: failing,
      c: job({ failed: 2 }, { kind: 'at', at: s(15) }),
      passed: true,
    },
    {
      name: 'failed 3 at 60 s, succeeded 0',
      ctx: failing,
      c: job({ failed: 3, succeeded: 0 }, { kind: 'at', at: s(60) }),
      passed: true,
    },
    {
      name: 'a succeeding Job is Complete with CompletionsReached',
      ctx: passing,
      c: job({ condition: 'Complete', reason: 'CompletionsReached', succeeded: 1 }, { kind: 'at', at: s(5) }),
      passed: true,
    },
    {
      name: 'a Job that does not exist',
      ctx: context(emptyTrace([]), []),
      c: job({ condition: 'Complete' }, { kind: 'at', at: s(5) }),
      passed: false,
      output: /observed Job pi does not exist$/,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const v = evaluateCheck(row.c, row.ctx);
      expect(v.passed, v.output).toBe(row.passed);
      if (row.output) expect(v.output).toMatch(row.output);
    });
  }
});
