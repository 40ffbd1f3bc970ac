/**
 * The HTTP API through app.request(): real app, real graders, real dynalite. Behaviour a
 * student, an instructor or an attacker would notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, quickScenario, startHarness } from './harness.ts';

let h: Harness;
let alice: string;
let bob: string;
let teacher: string;
let otherTeacher: string;
let otherStudent: string;
const SOLUTION = fixture('quick.solution.yaml');
const WRONG = fixture('quick.wrong.yaml');
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  h = await startHarness(logs);
  alice = await h.token('student', 'alice', 'k8s');
  bob = await h.token('student', 'bob', 'k8s');
  teacher = await h.token('instructor', 'tina', 'k8s');
  otherTeacher = await h.token('instructor', 'otto', 'other');
  otherStudent = await h.token('student', 'olga', 'other');
  const put = await h.json('PUT', '/v1/scenarios/quick', {
    token: teacher,
    type: 'text/yaml',
    body: quickScenario(),
  });
  expect(put.status).toBe(201);
  const limited = quickScenario({ name: 'limited', policy: '{maxAttempts: 2}' });
  expect(
    (await h.json('PUT', '/v1/scenarios/limited', { token: teacher, type: 'text/yaml', body: limited }))
      .status,
  ).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

const submit = (token: string, body: string, extra: { name?: string; key?: string; type?: string } = {}) =>
  h.json('POST', `/v1/scenarios/${extra.name ?? 'quick'}/submissions`, {
    token,
    type: extra.type ?? 'text/yaml',
    body,
    ...(extra.key ? { headers: { 'idempotency-key': extra.key } } : {}),
  });

describe('health, docs and errors', () => {
  it('answers /healthz without a token', async () => {
    expect(await h.json('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document built from the schemas', async () => {
    const { status, body } = await h.json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { type?: string }> };
    }>('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/scenarios',
      '/v1/scenarios/{name}',
      '/v1/scenarios/{name}/submissions',
      '/v1/submissions/{id}',
      '/v1/scenarios/{name}/regrade',
      '/v1/scenarios/{name}/stats',
      '/healthz',
    ]) {
      expect(body.paths[p], p).toBeDefined();
    }
    expect(body.components.schemas.Submission?.type).toBe('object');
    expect(JSON.stringify(body)).toContain('#/components/schemas/SubmissionRow');
  });

  it('answers unknown routes with a JSON 404', async () => {
    expect(await h.json('GET', '/v1/nope')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });

  it('logs one structured line per request', () => {
    const line = logs.find((l) => l.path === '/healthz');
    expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    expect(typeof line?.latency_ms).toBe('number');
    expect(typeof line?.request_id).toBe('string');
  });
});

describe('authentication and authorization', () => {
  it.each([
    ['no header', undefined, 'missing bearer token'],
    ['not bearer', 'Basic abc', 'malformed Authorization header'],
    ['not a podlab token', 'Bearer abc', 'invalid token'],
    ['unknown token', 'Bearer plb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'invalid token'],
  ])('401 for %s', async (_name, header, message) => {
    const { status, body } = await h.json<{ error: { code: string; message: string } }>('GET', '/v1/me', {
      ...(header ? { headers: { authorization: header } } : {}),
    });
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toContain(message);
  });

  it('tells a token who it is', async () => {
    expect((await h.json('GET', '/v1/me', { token: alice })).body).toEqual({
      user: 'alice',
      role: 'student',
      course: 'k8s',
    });
  });

  it('lets only instructors publish scenarios', async () => {
    const r = await h.json('PUT', '/v1/scenarios/quick', {
      token: alice,
      type: 'text/yaml',
      body: quickScenario(),
    });
    expect(r.status).toBe(403);
  });

  it('keeps scenarios per course', async () => {
    expect((await h.json('GET', '/v1/scenarios/quick', { token: otherStudent })).status).toBe(404);
    expect((await h.json('GET', '/v1/scenarios/quick', { token: otherTeacher })).status).toBe(404);
    expect((await submit(otherStudent, SOLUTION)).status).toBe(404);
  });

  it('lets only students submit', async () => {
    expect((await submit(teacher, SOLUTION)).status).toBe(403);
  });
});

describe('scenarios', () => {
  it('rejects an invalid scenario with 422 and the path and line of each problem', async () => {
    const bad = quickScenario().replace('duration: 5s', 'duration: 5s\n  bogus: 1');
    const { status, body } = await h.json<{
      error: { code: string; details: { path: string; line: number }[] };
    }>('PUT', '/v1/scenarios/quick', { token: teacher, type: 'text/yaml', body: bad });
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_scenario');
    expect(body.error.details).toContainEqual(expect.objectContaining({ path: 'spec.bogus', line: 13 }));
  });

  it.each([
    [
      'an alias bomb',
      'text/yaml',
      `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
      422,
    ],
    ['deep nesting', 'text/yaml', `${'['.repeat(3000)}${']'.repeat(3000)}`, 422],
    ['JSON', 'application/json', '{"apiVersion": "podlab/v1"}', 415],
    ['over 256 KiB', 'text/yaml', `# ${'x'.repeat(262_144)}`, 413],
  ])('answers a scenario PUT of %s with %s', async (_n, type, body, code) => {
    const r = await h.json('PUT', '/v1/scenarios/quick', { token: teacher, type, body });
    expect(r.status).toBe(code);
  });

  it('rejects a scenario whose metadata.name is not the URL name', async () => {
    const r = await h.json('PUT', '/v1/scenarios/another', {
      token: teacher,
      type: 'text/yaml',
      body: quickScenario(),
    });
    expect(r.status).toBe(422);
  });

  it('stores identical content once (200) and keeps every version', async () => {
    const again = await h.json('PUT', '/v1/scenarios/quick', {
      token: teacher,
      type: 'text/yaml',
      body: quickScenario(),
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, changed: false });
    const versions = await h.json<{ items: { current: boolean }[] }>('GET', '/v1/scenarios/quick/versions', {
      token: teacher,
    });
    expect(versions.body.items).toHaveLength(1);
    expect(versions.body.items[0]?.current).toBe(true);
    expect((await h.json('GET', '/v1/scenarios/quick/versions', { token: alice })).status).toBe(403);
  });

  it('shows students the public scenario without hidden checks', async () => {
    const { status, body } = await h.json('GET', '/v1/scenarios/quick', { token: alice });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'quick', title: 'Quick pod', published: true, attempts_used: 0 });
    expect(JSON.stringify(body)).not.toContain('secret-check');
    expect(JSON.stringify(body)).not.toContain('Secret check name');
    const full = await h.json('GET', '/v1/scenarios/quick', { token: teacher });
    expect(JSON.stringify(full.body)).toContain('secret-check');
  });

  it('hides unpublished scenarios from students but not from instructors', async () => {
    const draft = quickScenario({ name: 'draft', policy: '{published: false}' });
    expect(
      (await h.json('PUT', '/v1/scenarios/draft', { token: teacher, type: 'text/yaml', body: draft })).status,
    ).toBe(201);
    const forStudent = await h.json<{ items: { name: string }[] }>('GET', '/v1/scenarios', { token: alice });
    expect(forStudent.body.items.map((i) => i.name)).not.toContain('draft');
    const forTeacher = await h.json<{ items: { name: string }[] }>('GET', '/v1/scenarios', {
      token: teacher,
    });
    expect(forTeacher.body.items.map((i) => i.name)).toContain('draft');
    expect((await h.json('GET', '/v1/scenarios/draft', { token: alice })).status).toBe(404);
    expect((await submit(alice, SOLUTION, { name: 'draft' })).status).toBe(404);
  });
});

describe('submissions', () => {
  let firstId = '';

  it('grades, stores and answers 201 with the student view', async () => {
    const { status, body, res } = await submit(alice, SOLUTION);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'graded',
      score: 4,
      max_score: 4,
      attempt: 1,
      student: 'alice',
      scenario: 'quick',
    });
    expect(JSON.stringify(body)).not.toContain('Secret check name');
    // No entry of the hidden check at all (issue 14): not its id, not its hint.
    expect(JSON.stringify(body)).not.toContain('secret-check');
    expect(JSON.stringify(body)).not.toContain('Keep the default restart policy');
    firstId = String(body.id);
    expect(res.headers.get('location')).toBe(`/v1/submissions/${firstId}`);
    expect(body.submitted_at).toBe('2026-03-01T10:00:00.000Z');
  });

  it('gives the owner the exact bytes and the result back', async () => {
    const { status, body } = await h.json('GET', `/v1/submissions/${firstId}`, { token: alice });
    expect(status).toBe(200);
    expect(body.manifest).toBe(SOLUTION);
    expect(body.score).toBe(4);
    expect(body.history).toBeUndefined();
  });

  it.each([
    // 404, like an unknown id: ids cannot be probed for existence (issue 20).
    ['another student of the course', () => bob, 404],
    ['an instructor of another course', () => otherTeacher, 404],
    ['a student of another course', () => otherStudent, 404],
    ['the instructor of the course', () => teacher, 200],
  ])('answers %s with %i', async (_n, tok, expected) => {
    expect((await h.json('GET', `/v1/submissions/${firstId}`, { token: tok() })).status).toBe(expected);
  });

  it('shows the instructor the full result with hidden checks and history', async () => {
    const { body } = await h.json('GET', `/v1/submissions/${firstId}`, { token: teacher });
    expect(JSON.stringify(body)).toContain('Secret check name');
    expect(body.history).toHaveLength(1);
  });

  it('draws the timeline of a graded submission for its owner and the instructor only', async () => {
    const res = await h.request('GET', `/v1/submissions/${firstId}/timeline.svg`, { token: alice });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await res.text();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('quick-pod');
    expect((await h.request('GET', `/v1/submissions/${firstId}/timeline.svg`, { token: bob })).status).toBe(
      404,
    );
    expect(
      (await h.request('GET', `/v1/submissions/${firstId}/timeline.svg`, { token: teacher })).status,
    ).toBe(200);
    const rejected = await submit(bob, 'kind: [');
    const none = await h.json('GET', `/v1/submissions/${rejected.body.id}/timeline.svg`, { token: bob });
    expect(none.status).toBe(404);
    expect(JSON.stringify(none.body)).toContain('rejected');
  });

  it('answers unknown and malformed ids with 404', async () => {
    expect((await h.json('GET', '/v1/submissions/s_0000000000000000', { token: alice })).status).toBe(404);
    expect((await h.json('GET', '/v1/submissions/..%2F..%2Fetc', { token: alice })).status).toBe(404);
  });

  it('accepts JSON {manifest} and the other YAML media types', async () => {
    const j = await submit(bob, JSON.stringify({ manifest: WRONG }), { type: 'application/json' });
    expect(j.status).toBe(201);
    expect(j.body).toMatchObject({ score: 1, attempt: 1 });
    for (const type of ['application/yaml', 'text/plain; charset=utf-8']) {
      expect((await submit(bob, SOLUTION, { type })).status).toBe(201);
    }
  });

  it('turns an invalid manifest into a rejected result (201) that uses no attempt', async () => {
    const before = await h.json<{ attempts_used: number }>('GET', '/v1/me/submissions?scenario=quick', {
      token: bob,
    });
    const { status, body } = await submit(
      bob,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: quick-pod}\nspec: {containers: 3}\n',
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'rejected', score: 0, attempt: null });
    expect((body.errors as unknown[]).length).toBeGreaterThan(0);
    const after = await h.json<{ attempts_used: number; items: unknown[] }>(
      'GET',
      '/v1/me/submissions?scenario=quick',
      {
        token: bob,
      },
    );
    expect(after.body.attempts_used).toBe(before.body.attempts_used);
    expect(after.body.items).toHaveLength(5);
  });

  it.each([
    ['no content type', undefined, 415],
    ['form data', 'application/x-www-form-urlencoded', 415],
    ['XML', 'application/xml', 415],
    ['YAML in latin-1', 'text/yaml; charset=iso-8859-1', 415],
  ])('answers %s with %s', async (_n, type, code) => {
    const r = await h.json('POST', '/v1/scenarios/quick/submissions', {
      token: alice,
      body: new TextEncoder().encode(SOLUTION),
      ...(type ? { type } : {}),
    });
    expect(r.status).toBe(code);
    expect((r.body as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it.each([
    ['invalid JSON', '{"manifest": ', 'bad_request'],
    ['JSON without manifest', '{"yaml": "x"}', 'bad_request'],
    ['JSON with extra fields', '{"manifest": "x", "admin": true}', 'bad_request'],
    ['JSON of the wrong type', '{"manifest": 3}', 'bad_request'],
  ])('answers %s with 400', async (_n, body, code) => {
    const r = await submit(alice, body, { type: 'application/json' });
    expect(r.status).toBe(400);
    expect((r.body as { error: { code: string } }).error.code).toBe(code);
  });

  it('answers invalid UTF-8 with 400', async () => {
    const r = await h.json('POST', '/v1/scenarios/quick/submissions', {
      token: alice,
      type: 'text/yaml',
      body: new Uint8Array([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]),
    });
    expect(r.status).toBe(400);
    expect((r.body as { error: { code: string } }).error.code).toBe('invalid_encoding');
  });

  it('answers a body over the limit with 413 before reading it, also when chunked', async () => {
    const big = `# ${'x'.repeat(262_144)}\n`;
    const r = await submit(alice, big);
    expect(r.status).toBe(413);
    expect((r.body as { error: { code: string } }).error.code).toBe('payload_too_large');
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulled++;
        if (pulled > 100) return ctrl.close();
        ctrl.enqueue(new Uint8Array(64 * 1024).fill(0x23));
      },
    });
    const res = await h.app.request('/v1/scenarios/quick/submissions', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice}`,
        'content-type': 'text/yaml',
        'transfer-encoding': 'chunked',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(10);
    const json = await submit(alice, JSON.stringify({ manifest: big }), { type: 'application/json' });
    expect(json.status).toBe(413);
  });

  it.each([
    [
      'an alias bomb',
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`,
    ],
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    [
      'a huge document just under the limit',
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: quick-pod\n  labels:\n${Array.from({ length: 9000 }, (_, i) => `    l${i}: v${i}`).join('\n')}\n`,
    ],
    ['binary-looking text', '\u0000\u0001\u0002: \u0003\n'],
    ['many documents', '---\n'.repeat(20_000)],
  ])('answers %s with a result, never a crash', async (_n, body) => {
    const r = await submit(alice, body);
    expect(r.status).toBe(201);
    expect(['graded', 'rejected']).toContain(r.body.status);
  });
});

describe('idempotency', () => {
  it('replays the stored answer for the same key and body, and refuses another body', async () => {
    const first = await submit(alice, SOLUTION, { key: 'retry-1' });
    expect(first.status).toBe(201);
    expect(first.res.headers.get('idempotent-replayed')).toBeNull();
    const again = await submit(alice, SOLUTION, { key: 'retry-1' });
    expect(again.status).toBe(201);
    expect(again.res.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await submit(alice, WRONG, { key: 'retry-1' });
    expect(other.status).toBe(409);
    expect((other.body as { error: { code: string } }).error.code).toBe('conflict');
    const mine = await h.json<{ items: { id: string }[] }>(
      'GET',
      '/v1/me/submissions?scenario=quick&limit=500',
      {
        token: alice,
      },
    );
    expect(mine.body.items.filter((i) => i.id === first.body.id)).toHaveLength(1);
  });

  it('uses no attempt for a 409: a rejected answer stored under a key, then a graded body with that key', async () => {
    const dana = await h.token('student', 'dana', 'k8s');
    const first = await submit(dana, 'kind: [', { key: 'flip' });
    expect(first.body.status).toBe('rejected');
    const second = await submit(dana, SOLUTION, { key: 'flip' });
    expect(second.status).toBe(409);
    const mine = await h.json<{ attempts_used: number }>('GET', '/v1/me/submissions?scenario=quick', {
      token: dana,
    });
    expect(mine.body.attempts_used).toBe(0);
    const onOtherLab = await submit(dana, SOLUTION, { key: 'flip', name: 'limited' });
    expect(onOtherLab.status).toBe(201);
    expect(onOtherLab.res.headers.get('idempotent-replayed')).toBeNull();
  });

  it('scopes keys per user: another student may use the same key', async () => {
    const r = await submit(bob, SOLUTION, { key: 'retry-1' });
    expect(r.status).toBe(201);
    expect(r.res.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses a key that is not printable ASCII', async () => {
    expect((await submit(alice, SOLUTION, { key: 'x'.repeat(300) })).status).toBe(400);
  });
});

describe('attempt limits', () => {
  it('counts graded attempts and answers 429 in words at the limit; rejected ones still get a result', async () => {
    const carol = await h.token('student', 'carol', 'k8s');
    expect((await submit(carol, SOLUTION, { name: 'limited' })).body.attempt).toBe(1);
    expect((await submit(carol, WRONG, { name: 'limited' })).body.attempt).toBe(2);
    const third = await submit(carol, SOLUTION, { name: 'limited' });
    expect(third.status).toBe(429);
    expect(third.body).toEqual({
      error: {
        code: 'attempt_limit',
        message: 'attempt limit reached: 2 of 2 attempts used',
        details: { used: 2, max: 2 },
      },
    });
    const rejected = await submit(carol, 'kind: [', { name: 'limited' });
    expect(rejected.status).toBe(201);
    expect(rejected.body.status).toBe('rejected');
    const detail = await h.json('GET', '/v1/scenarios/limited', { token: carol });
    expect(detail.body).toMatchObject({ attempts_used: 2, policy: { max_attempts: 2 } });
  });
});

describe('listing, regrade and stats', () => {
  it('pages all submissions for the instructor, oldest first, and refuses students', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const q = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const r = await h.json<{ items: { id: string }[]; cursor?: string }>(
        'GET',
        `/v1/scenarios/quick/submissions${q}`,
        {
          token: teacher,
        },
      );
      expect(r.status).toBe(200);
      ids.push(...r.body.items.map((i) => i.id));
      cursor = r.body.cursor;
      pages++;
    } while (cursor && pages < 50);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(8);
    expect((await h.json('GET', '/v1/scenarios/quick/submissions', { token: alice })).status).toBe(403);
    expect(
      (await h.json('GET', '/v1/scenarios/quick/submissions?cursor=garbage', { token: teacher })).status,
    ).toBe(400);
    expect((await h.json('GET', '/v1/scenarios/quick/submissions?limit=0', { token: teacher })).status).toBe(
      400,
    );
  });

  it('exports CSV with Accept: text/csv', async () => {
    const res = await h.request('GET', '/v1/scenarios/quick/submissions', {
      token: teacher,
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,student,attempt,status,score,max_score,scenario_version,submitted_at');
    expect(
      lines.some((l) => /,alice,1,graded,4,4,sha256:[0-9a-f]{64},2026-03-01T10:00:00.000Z$/.test(l)),
    ).toBe(true);
  });

  it('exports CSV with ?format=csv (for a plain link)', async () => {
    const res = await h.request('GET', '/v1/scenarios/quick/submissions?format=csv', { token: teacher });
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect((await res.text()).split('\r\n')[0]).toBe(
      'id,student,attempt,status,score,max_score,scenario_version,submitted_at',
    );
  });

  it('computes stats from stored results', async () => {
    const { status, body } = await h.json<{
      students: number;
      attempts: number;
      rejected: number;
      score_histogram: { score: number; count: number }[];
      checks: { id: string; passed: number; failed: number; pass_rate: number }[];
    }>('GET', '/v1/scenarios/quick/stats', { token: teacher });
    expect(status).toBe(200);
    expect(body.students).toBeGreaterThanOrEqual(2);
    expect(body.rejected).toBeGreaterThanOrEqual(1);
    const total = body.score_histogram.reduce((n, b) => n + b.count, 0);
    const full = body.score_histogram.find((b) => b.score === 4)?.count ?? 0;
    expect((body as unknown as { pass_rate: number }).pass_rate).toBeCloseTo(full / body.attempts);
    expect(total).toBe(body.attempts);
    const image = body.checks.find((c) => c.id === 'image');
    expect(image?.failed).toBeGreaterThanOrEqual(1);
    expect(image?.pass_rate).toBeCloseTo(image!.passed / (image!.passed + image!.failed));
    expect(body.checks.map((c) => c.id)).toEqual(['running', 'image', 'secret-check']);
    expect((await h.json('GET', '/v1/scenarios/quick/stats', { token: alice })).status).toBe(403);
  });

  it('regrades every submission against a new version, keeping the old results', async () => {
    h.setNow('2026-03-02T10:00:00.000Z');
    const v2 = quickScenario().replace('points: 2', 'points: 5');
    const put = await h.json('PUT', '/v1/scenarios/quick', { token: teacher, type: 'text/yaml', body: v2 });
    expect(put.status).toBe(201);
    let regraded = 0;
    let unchanged = 0;
    let cursor: string | undefined;
    do {
      const r = await h.json<{ regraded: number; unchanged: number; failed: unknown[]; cursor?: string }>(
        'POST',
        `/v1/scenarios/quick/regrade?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        { token: teacher },
      );
      expect(r.status).toBe(200);
      expect(r.body.failed).toEqual([]);
      regraded += r.body.regraded;
      unchanged += r.body.unchanged;
      cursor = r.body.cursor;
    } while (cursor);
    expect(regraded).toBeGreaterThan(8);
    expect(unchanged).toBe(0);
    const list = await h.json<{
      items: { id: string; student: string; score: number; max_score: number; status: string }[];
    }>('GET', '/v1/scenarios/quick/submissions?limit=500', { token: teacher });
    const aliceFirst = list.body.items.find((i) => i.student === 'alice' && i.status === 'graded')!;
    expect(aliceFirst).toMatchObject({ score: 7, max_score: 7 });
    const detail = await h.json<{ history: { score: number; max_score: number }[]; score: number }>(
      'GET',
      `/v1/submissions/${aliceFirst.id}`,
      { token: teacher },
    );
    expect(detail.body.history.map((x) => [x.score, x.max_score])).toEqual([
      [4, 4],
      [7, 7],
    ]);
    const again = await h.json<{ regraded: number; unchanged: number }>(
      'POST',
      '/v1/scenarios/quick/regrade?limit=500',
      {
        token: teacher,
      },
    );
    expect(again.body.regraded).toBe(0);
    expect(again.body.unchanged).toBe(list.body.items.length);
    expect((await h.json('POST', '/v1/scenarios/quick/regrade', { token: alice })).status).toBe(403);
  });
});
