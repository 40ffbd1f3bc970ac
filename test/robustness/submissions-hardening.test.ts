/**
 * Issue 20 §3, through the real app, graders and dynalite, with the injected clock:
 * - a submission whose process dies between reserving its attempt and storing its record
 *   leaves an orphan reservation; 60 s later it no longer counts and the next submission takes
 *   its number back, whether or not the student is at the attempt limit;
 * - another user's submission answers exactly like an unknown id (404), so ids cannot be
 *   probed for existence; the owner and the course's instructor still read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import type { Repository } from '../../functions/storage/types.ts';
import { fixture, quickScenario } from '../api/harness.ts';

const COURSE = 'hard';
const SOLUTION = fixture('quick.solution.yaml');
let db: LocalDynamo;
let repo: Repository;
let app: ReturnType<typeof createApp>;
let clock = Date.parse('2026-03-01T10:00:00.000Z');
/** Calls of the repository to fail once each, as a process dying at that point would. */
const dieAt = new Set<'createSubmission' | 'confirmAttempt'>();

const token = async (role: 'student' | 'instructor', user: string) =>
  (await createToken(repo, { role, user, course: COURSE, now: new Date(clock) })).token;

async function call(method: string, path: string, tok: string, body?: string) {
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${tok}`,
      ...(body !== undefined ? { 'content-type': 'text/yaml' } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : undefined };
}

const submit = (tok: string) => call('POST', '/v1/scenarios/quick/submissions', tok, SOLUTION);
const used = async (tok: string) =>
  (await call('GET', '/v1/me/submissions?scenario=quick', tok)).body.attempts_used as number;
const attempts = async (tok: string) =>
  ((await call('GET', '/v1/me/submissions?scenario=quick', tok)).body.items as { attempt: number }[])
    .map((i) => i.attempt)
    .sort((a, b) => a - b);

beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, 'podlab');
  const real = createDynamoRepository({ client: db.client, tableName: 'podlab', now: () => clock });
  repo = new Proxy(real, {
    get(target, prop, receiver) {
      const name = prop as 'createSubmission' | 'confirmAttempt';
      if (name === 'createSubmission' || name === 'confirmAttempt') {
        return async (...args: unknown[]) => {
          if (dieAt.delete(name)) throw new Error(`process died in ${name}`);
          return (target[name] as (...a: unknown[]) => Promise<void>)(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  app = createApp({ repo, grader: realGrader, clock: () => new Date(clock) });
  const teacher = await token('instructor', 'tess');
  const put = await call(
    'PUT',
    '/v1/scenarios/quick',
    teacher,
    quickScenario({ policy: '{maxAttempts: 3}' }),
  );
  expect(put.status).toBe(201);
});
afterAll(async () => {
  await db?.close();
});

describe('an orphan attempt reservation (the process died before storing the record)', () => {
  it('below the limit: counts while its writer may still be storing, is reclaimed 60 s later', async () => {
    const ann = await token('student', 'ann');
    dieAt.add('createSubmission');
    expect((await submit(ann)).status).toBe(500);
    expect(await used(ann)).toBe(1);
    clock += 30_000;
    expect(await used(ann)).toBe(1);
    clock += 31_000;
    expect(await used(ann)).toBe(0);
    const next = await submit(ann);
    expect(next.status).toBe(201);
    expect(next.body.attempt).toBe(1);
    expect(await used(ann)).toBe(1);
    expect(await attempts(ann)).toEqual([1]);
  });

  it('a later submission within the 60 s gets the next number; the orphan is reclaimed afterwards, not at the limit', async () => {
    const ben = await token('student', 'ben');
    dieAt.add('createSubmission');
    expect((await submit(ben)).status).toBe(500); // reserved 1
    expect((await submit(ben)).body.attempt).toBe(2);
    clock += 61_000;
    expect(await used(ben)).toBe(1);
    expect((await submit(ben)).body.attempt).toBe(1); // 1 of 3 left unused until now
    expect((await submit(ben)).body.attempt).toBe(3);
    expect(await attempts(ben)).toEqual([1, 2, 3]);
    const over = await submit(ben);
    expect(over.status).toBe(429);
    expect(over.body.error.message).toBe('attempt limit reached: 3 of 3 attempts used');
  });

  it('at the limit it is reclaimed too', async () => {
    const cal = await token('student', 'cal');
    expect((await submit(cal)).body.attempt).toBe(1);
    expect((await submit(cal)).body.attempt).toBe(2);
    dieAt.add('createSubmission');
    expect((await submit(cal)).status).toBe(500);
    expect((await submit(cal)).status).toBe(429);
    clock += 61_000;
    expect((await submit(cal)).body.attempt).toBe(3);
    expect(await used(cal)).toBe(3);
  });

  it('a stored record whose confirmation was lost is never reclaimed', async () => {
    const dee = await token('student', 'dee');
    dieAt.add('confirmAttempt');
    expect((await submit(dee)).body.attempt).toBe(1); // stored; the confirmation is best effort
    clock += 61_000;
    expect(await used(dee)).toBe(1);
    expect((await submit(dee)).body.attempt).toBe(2);
    expect(await attempts(dee)).toEqual([1, 2]);
  });
});

describe("another user's submission answers like an unknown id", () => {
  let eveId = '';
  let eve = '';
  beforeAll(async () => {
    eve = await token('student', 'eve');
    const r = await submit(eve);
    expect(r.status).toBe(201);
    eveId = r.body.id;
  });

  it.each(['', '/timeline.svg'])(
    'GET /v1/submissions/{id}%s: same status and body as for an unknown id',
    async (tail) => {
      const fred = await token('student', 'fred');
      const otherCourse = (
        await createToken(repo, {
          role: 'instructor',
          user: 'gil',
          course: 'elsewhere',
          now: new Date(clock),
        })
      ).token;
      const unknownId = `${eveId.slice(0, -4)}${eveId.endsWith('0000') ? '1111' : '0000'}`;
      const unknown = await call('GET', `/v1/submissions/${unknownId}${tail}`, fred);
      expect(unknown.status).toBe(404);
      for (const tok of [fred, otherCourse]) {
        const other = await call('GET', `/v1/submissions/${eveId}${tail}`, tok);
        expect([other.status, other.text]).toEqual([unknown.status, unknown.text]);
      }
      // Access is kept for the owner and the course's instructor.
      expect((await call('GET', `/v1/submissions/${eveId}${tail}`, eve)).status).toBe(200);
      expect(
        (await call('GET', `/v1/submissions/${eveId}${tail}`, await token('instructor', 'tess'))).status,
      ).toBe(200);
    },
  );
});
