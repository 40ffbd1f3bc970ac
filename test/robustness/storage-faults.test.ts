/**
 * Fault injection on storage: the real app, the real grader and a real dynalite, with chosen
 * DynamoDB calls of one submission failing as AWS fails them (throttling, a timeout after the
 * write was applied, a conditional-check race). Property: a submission is either stored with
 * its result or answered with an error the client can retry with the same Idempotency-Key;
 * never half-stored, lost or duplicated, and the attempt counter counts it exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, quickScenario, startHarness } from '../api/harness.ts';
import { FaultInjector, type FaultKind } from './faults.ts';

const COURSE = 'faults';
const SOLUTION = fixture('quick.solution.yaml');
let h: Harness;
const injector = new FaultInjector();
let callsPerSubmit = 0;

beforeAll(async () => {
  h = await startHarness();
  injector.install(h.store.client);
  const teacher = await h.token('instructor', 'tina', COURSE);
  const put = await h.json('PUT', '/v1/scenarios/quick', {
    token: teacher,
    type: 'text/yaml',
    body: quickScenario(),
  });
  expect(put.status).toBe(201);
  // Count the DynamoDB calls of one clean submission: every one of them gets a fault below.
  const probe = await h.token('student', 'probe', COURSE);
  injector.arm([]);
  const r = await submit(probe, 'probe-key');
  expect(r.status).toBe(201);
  callsPerSubmit = injector.log.length;
  expect(callsPerSubmit).toBeGreaterThan(2);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

function submit(token: string, key: string) {
  return h.json<Record<string, unknown>>('POST', '/v1/scenarios/quick/submissions', {
    token,
    type: 'text/yaml',
    body: SOLUTION,
    headers: { 'idempotency-key': key },
  });
}

/** Every submission record of a student, read straight from the store (all pages). */
async function records(student: string) {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await h.repo.listStudentSubmissions(COURSE, 'quick', student, {
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

const KINDS: FaultKind[] = ['throttle', 'timeout-after-apply', 'conditional'];

describe('a fault on any DynamoDB call of a submission', () => {
  for (const kind of KINDS) {
    it(`${kind}: stored once with its result, or a retryable error; the retry with the same key completes it`, async () => {
      const outcomes: string[] = [];
      // Call n of a submission by a new student (token not yet cached), for every n the submission makes.
      for (let call = 0; call < 30; call++) {
        const user = `st-${kind}-${call}`;
        const token = await h.token('student', user, COURSE);
        const key = `k-${kind}-${call}`;
        injector.arm([{ call, kind }]);
        const first = await submit(token, key);
        const hit = injector.log[call];
        injector.arm([]);
        if (!hit) break;
        const where = `${kind} on call ${call} (${hit.command}): HTTP ${first.status} ${JSON.stringify(first.body).slice(0, 200)}`;
        outcomes.push(`${call}:${hit.command}:${first.status}`);
        const before = await records(user);
        if (first.status >= 200 && first.status < 300) {
          expect(
            before.map((r) => r.id),
            where,
          ).toEqual([first.body.id]);
        } else {
          // An error the client can retry: 503 (with Retry-After) or 500, never a 4xx that blames the request.
          expect(first.status, where).toBeGreaterThanOrEqual(500);
          expect((first.body as { error?: { code?: string } }).error?.code, where).toBeTypeOf('string');
          expect(before.length, where).toBeLessThanOrEqual(1);
        }
        // The client retries with the same key until it gets an answer.
        let final = first;
        for (let tries = 0; final.status >= 500 && tries < 3; tries++) final = await submit(token, key);
        expect(
          final.status,
          `retry after ${where}: HTTP ${final.status} ${JSON.stringify(final.body).slice(0, 200)}`,
        ).toBe(201);
        const id = final.body.id as string;
        // Never half-stored: the record reads back through the API with its result.
        const read = await h.json<Record<string, unknown>>('GET', `/v1/submissions/${id}`, { token });
        expect(read.status, where).toBe(200);
        expect(read.body.status, where).toBe('graded');
        expect(read.body.score, where).toBe(4);
        // Never duplicated, never lost: exactly one record for the key, attempt 1, counted once.
        const all = await records(user);
        expect(
          all.map((r) => [r.id, r.attempt]),
          `records after ${where}`,
        ).toEqual([[id, 1]]);
        expect(await h.repo.attemptsUsed(COURSE, 'quick', user), `attempt counter after ${where}`).toBe(1);
        // A second student retry later replays the same record.
        const again = await submit(token, key);
        expect([again.status, again.body.id, again.res.headers.get('idempotent-replayed')], where).toEqual([
          201,
          id,
          'true',
        ]);
      }
      // Every call of a fresh submission was hit, and some first answers were errors.
      expect(outcomes.length, outcomes.join(' ')).toBeGreaterThanOrEqual(3);
      expect(outcomes.filter((o) => !o.endsWith(':201')).length, outcomes.join(' ')).toBeGreaterThan(0);
      if (process.env.PODLAB_ROBUSTNESS_VERBOSE) console.log(kind, outcomes.join(' '));
    }, 120_000);
  }

  it('faults on two calls of the first try and on the first retry still end with exactly one record', async () => {
    for (let call = 0; call + 1 < callsPerSubmit; call++) {
      const user = `st-double-${call}`;
      const token = await h.token('student', user, COURSE);
      const key = `k-double-${call}`;
      injector.arm([
        { call, kind: 'timeout-after-apply' },
        { call: call + 1, kind: 'throttle' },
      ]);
      let r = await submit(token, key);
      injector.arm([{ call: 0, kind: 'throttle' }]);
      for (let tries = 0; r.status >= 500 && tries < 4; tries++) r = await submit(token, key);
      injector.arm([]);
      for (let tries = 0; r.status >= 500 && tries < 2; tries++) r = await submit(token, key);
      expect(r.status, `call ${call}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(201);
      expect((await records(user)).map((x) => x.attempt)).toEqual([1]);
      expect(await h.repo.attemptsUsed(COURSE, 'quick', user)).toBe(1);
    }
  }, 120_000);
});
