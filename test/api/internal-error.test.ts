/**
 * A bug in podlab is never the student's mistake (issue 14, section 4): a failure injected
 * inside the simulator (graders' image-resolver seam, test/graders/broken-image.ts) answers
 * HTTP 500 with a request id, logs one structured line with the input's digest, stores
 * nothing and uses no attempt, whether grading runs in process or in the grader function
 * behind its JSON protocol. Once the fault is gone the same submission is attempt 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { graderHandler } from '../../functions/grader/lambda.ts';
import { remoteGrader } from '../../functions/grader/remote.ts';
import { type Grader, localGrader } from '../../functions/service/grader.ts';
import { inputDigest } from '../../graders/index.ts';
import { brokenSpawn, INJECTED_FAULT } from '../graders/broken-image.ts';
import { fixture, type Harness, quickScenario, startHarness } from './harness.ts';

const SOLUTION = fixture('quick.solution.yaml');

/** How grading is reached: the Grader built over a (possibly broken) in-process one. */
const paths: { name: string; wrap: (inner: Grader) => Grader }[] = [
  { name: 'in process (podlab serve)', wrap: (inner) => inner },
  {
    name: 'through the grader function (Lambda Invoke JSON)',
    wrap: (inner) => {
      const handler = graderHandler(inner);
      return remoteGrader(async (payload) => JSON.stringify(await handler(JSON.parse(payload))));
    },
  },
];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('an internal failure while grading a submission', () => {
  for (const path of paths) {
    it(`${path.name}: 500 with a request id, a log line with the digest, no attempt, no record`, async () => {
      let armed = true;
      const logs: Record<string, unknown>[] = [];
      const grader = path.wrap(localGrader({ resolveImage: brokenSpawn(() => armed) }));
      h = await startHarness(logs, { grader });
      const teacher = await h.token('instructor', 'tina', 'k8s');
      const alice = await h.token('student', 'alice', 'k8s');
      // One attempt only: a failure that used it would leave none for the good submission.
      const put = await h.json<{ version: string }>('PUT', '/v1/scenarios/quick', {
        token: teacher,
        type: 'text/yaml',
        body: quickScenario({ policy: '{maxAttempts: 1}' }),
      });
      expect(put.status).toBe(201);
      const submit = (requestId: string) =>
        h!.json<Record<string, unknown>>('POST', '/v1/scenarios/quick/submissions', {
          token: alice,
          type: 'text/yaml',
          body: SOLUTION,
          headers: { 'idempotency-key': 'try-1', 'x-request-id': requestId },
        });

      const failed = await submit('req-internal-1');
      expect(failed.status).toBe(500);
      expect(failed.res.headers.get('x-request-id')).toBe('req-internal-1');
      const error = (failed.body as { error: Record<string, unknown> }).error;
      expect(error).toMatchObject({ code: 'internal', requestId: 'req-internal-1' });
      expect(error.message).toMatch(/bug in podlab, not a mistake in your manifest/);
      expect(error.message).toContain('req-internal-1');
      // The body says nothing internal: no fault text, no stack.
      expect(JSON.stringify(failed.body)).not.toContain(INJECTED_FAULT);
      expect(JSON.stringify(failed.body)).not.toMatch(/\.ts:\d+/);

      const line = logs.find((l) => l.msg === 'internal error');
      expect(line).toMatchObject({
        level: 'error',
        request_id: 'req-internal-1',
        input_digest: inputDigest(put.body.version, SOLUTION),
        scenario: 'quick',
        scenario_version: put.body.version,
        stage: 'simulator',
        error_name: 'TypeError',
        user: 'alice',
        course: 'k8s',
      });
      expect(String(line?.error)).toContain(INJECTED_FAULT);

      const mine = await h.json<{ attempts_used: number; items: unknown[] }>(
        'GET',
        '/v1/me/submissions?scenario=quick',
        { token: alice },
      );
      expect(mine.body).toMatchObject({ attempts_used: 0, items: [] });
      const all = await h.json<{ items: unknown[] }>('GET', '/v1/scenarios/quick/submissions', {
        token: teacher,
      });
      expect(all.body.items).toEqual([]);

      // Fixed: the same request (same Idempotency-Key) is graded as the student's first attempt.
      armed = false;
      const graded = await submit('req-internal-2');
      expect(graded.status).toBe(201);
      expect(graded.res.headers.get('idempotent-replayed')).toBeNull();
      expect(graded.body).toMatchObject({ status: 'graded', attempt: 1 });
      expect(graded.body.score).toBe(graded.body.max_score);
    });
  }

  it('a student mistake stays a 201 rejected result that uses no attempt', async () => {
    h = await startHarness([], { grader: localGrader({ resolveImage: brokenSpawn(() => false) }) });
    const teacher = await h.token('instructor', 'tina', 'k8s');
    const alice = await h.token('student', 'alice', 'k8s');
    await h.json('PUT', '/v1/scenarios/quick', { token: teacher, type: 'text/yaml', body: quickScenario() });
    const r = await h.json<Record<string, unknown>>('POST', '/v1/scenarios/quick/submissions', {
      token: alice,
      type: 'text/yaml',
      body: 'apiVersion: v1\nkind: Pod\n  metadata: x\n',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'rejected', attempt: null });
  });
});
