/**
 * Hidden checks are hidden (issue 14, section 2): a scenario whose hidden and after-due-date
 * checks carry unique marker strings in their ids, titles, hints, expected values and exec
 * output, graded through the real app (real graders, dynalite, LMS routes and events, the web
 * page's static files) with a real local LMS on loopback. Every answer a student token can
 * get, every webhook body, every LTI score sent, and the CLI's output hold none of the
 * markers; the instructor still reads them all, and the points still count.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { repositoryGrades } from '../../functions/lms/grades.ts';
import { StoreJobQueue } from '../../functions/lms/queues.ts';
import { lmsRoutes } from '../../functions/lms/routes.ts';
import { yamlScorePolicy } from '../../functions/lms/score-policy.ts';
import { LmsService } from '../../functions/lms/service.ts';
import { LmsStore } from '../../functions/lms/store.ts';
import { signedHeaders } from '../../functions/lms/webhooks.ts';
import { lmsEvents } from '../../functions/lms/wiring.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { staticFiles } from '../../functions/local/static.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import type { Repository } from '../../functions/storage/types.ts';
import { type Peer, startPeer } from '../lms/peer.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** Every string of the hidden checks; none may reach a student. */
const SECRET = [
  'zzsecretid7731',
  'zzsecrettitle7732',
  'zzsecrethint7733',
  'zzsecretvalue7734',
  'zzsecretexec7735',
  'zzsecretexectitle7736',
  'zzsecretexechint7737',
  'zzsecretecho7738',
];
/** Every string of the after_due_date check; none may reach a student before the due date. */
const LATER = ['zzlaterid7741', 'zzlatertitle7742', 'zzlaterhint7743'];

/** The app's clock: near the real time (the test LMS signs its launches with it), moved by the test. */
let clock = Date.now();
const DUE = new Date(clock + 86_400_000).toISOString();

function scenarioYaml(name: string, policy: string): string {
  return `apiVersion: podlab/v1
kind: Scenario
metadata: {name: ${name}, title: Marked lab}
spec:
  instructions: Run a busybox Pod named quick-pod that sleeps.
  submission:
    allowedKinds: [Pod]
    required: [{kind: Pod, name: quick-pod}]
  duration: 20s
  policy: {dueDate: "${DUE}", maxAttempts: 6${policy}}
  checks:
    - id: runs
      title: The Pod runs
      hint: Use a command that keeps running.
      at: 2s
      pod: quick-pod
      expect: {phase: Running}
    - id: zzsecretid7731
      title: zzsecrettitle7732
      visibility: hidden
      points: 2
      hint: zzsecrethint7733
      manifest: {kind: Pod, name: quick-pod, path: "spec.containers[0].image", oneOf: ["busybox:1.32.0", zzsecretvalue7734]}
    - id: zzsecretexec7735
      title: zzsecretexectitle7736
      visibility: hidden
      points: 2
      hint: zzsecretexechint7737
      at: 3s
      exec: {pod: quick-pod, command: [sh, -c, "echo zzsecretecho7738"], stdout: zzsecretecho7738}
    - id: zzlaterid7741
      title: zzlatertitle7742
      visibility: after_due_date
      hint: zzlaterhint7743
      at: 4s
      pod: quick-pod
      expect: {phase: Running}
`;
}

const pod = (image: string, command: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: quick-pod
spec:${extra}
  containers:
    - name: main
      image: ${image}
      command: [sh, -c, "${command}"]
`;

/** The answers: every check passed, the hidden manifest check failed, every Pod check failed, rejected. */
const ANSWERS = {
  pass: pod('busybox:1.32.0', 'sleep 3600'),
  wrongImage: pod('busybox:1.31', 'sleep 3600'),
  crashes: pod('busybox:1.32.0', 'exit 1', '\n  restartPolicy: Never'),
  rejected: pod('busybox:1.32.0', 'sleep 3600').replace('  containers:', '  bogusField: 1\n  containers:'),
};

let db: LocalDynamo;
let repo: Repository;
let peer: Peer;
let lms: LmsService;
let queue: StoreJobQueue;
let app: ReturnType<typeof createApp>;
let server: Server;
let base: string;
let teacher: string;
let ada: string;
/** The session token of a student launched from the LMS. */
let ltiStudent: string;

/** Everything a student could read, one text per response (status, headers and body). */
const studentReads: { what: string; text: string }[] = [];
/** Submissions made, by answer and scenario. */
const made: { id: string; answer: keyof typeof ANSWERS; scenario: string; token: string }[] = [];

async function call(method: string, path: string, token?: string, body?: string, type?: string, extra = {}) {
  const headers: Record<string, string> = { ...extra };
  if (token) headers.authorization = `Bearer ${token}`;
  if (type) headers['content-type'] = type;
  const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return {
    status: res.status,
    text,
    headers: [...res.headers.entries()].map((h) => h.join(': ')).join('\n'),
  };
}

/** A request as a student: its whole answer is kept for the marker assertions. */
async function asStudent(
  method: string,
  path: string,
  token: string,
  body?: string,
  type?: string,
  extra = {},
) {
  const r = await call(method, path, token, body, type, extra);
  studentReads.push({
    what: `${method} ${path} -> ${r.status}`,
    text: `${r.status}\n${r.headers}\n${r.text}`,
  });
  return r;
}

function leaks(text: string, markers: string[]): string[] {
  return markers.filter((m) => text.includes(m));
}

beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, 'podlab');
  repo = createDynamoRepository({ client: db.client, tableName: 'podlab', now: () => clock });
  const store = new LmsStore(db.client, 'podlab');
  queue = new StoreJobQueue(store, () => clock);
  lms = new LmsService({
    store,
    queue,
    grades: repositoryGrades(repo, yamlScorePolicy),
    now: () => clock,
    random: () => 0.5,
    allowPrivate: true,
  });
  queue.handler = (kind, ref) => (kind === 'webhook' ? lms.deliver(ref) : lms.sync(ref));
  const key = await lms.toolKey();
  peer = await startPeer(() => ({ keys: [key.publicJwk] }));
  peer.nowSeconds = () => Math.floor(clock / 1000);
  app = createApp({
    repo,
    grader: realGrader,
    clock: () => new Date(clock),
    routes: [lmsRoutes(lms), staticFiles(join(ROOT, 'web'))],
    events: lmsEvents(lms, { publicUrl: 'http://podlab.test' }),
  });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = new Date(clock);
  teacher = (await createToken(repo, { role: 'instructor', user: 'teacher', course: 'k8s', now })).token;
  ada = (await createToken(repo, { role: 'student', user: 'ada', course: 'k8s', now })).token;
  for (const [name, policy] of [
    ['marked', ''],
    ['marked-hide', ', hiddenScore: hide'],
  ] as const) {
    const put = await call('PUT', `/v1/scenarios/${name}`, teacher, scenarioYaml(name, policy), 'text/yaml');
    expect(put.status, put.text).toBe(201);
  }

  // The instructor's webhook endpoint and LMS; a student launches the hide lab from the LMS.
  const endpoint = await call(
    'POST',
    '/v1/webhooks/endpoints',
    teacher,
    JSON.stringify({ url: `${peer.url}/webhooks` }),
    'application/json',
  );
  expect(endpoint.status).toBe(201);
  peer.webhookSecrets.push(JSON.parse(endpoint.text).secret);
  const reg = await call(
    'PUT',
    '/v1/lti/registrations',
    teacher,
    JSON.stringify(peer.registration('k8s')),
    'application/json',
  );
  expect(reg.status, reg.text).toBe(200);
  const login = await app.request(
    `/v1/lti/login?iss=${encodeURIComponent(peer.issuer)}&login_hint=stu-1&client_id=${peer.clientId}`,
  );
  const location = new URL(login.headers.get('location')!);
  const idToken = await peer.idToken({
    sub: 'stu-1',
    nonce: location.searchParams.get('nonce')!,
    custom: { scenario: 'marked-hide' },
  });
  const launch = await app.request('/v1/lti/launch', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id_token: idToken, state: location.searchParams.get('state')! }).toString(),
  });
  expect(launch.status).toBe(302);
  ltiStudent = new URLSearchParams(new URL(launch.headers.get('location')!, base).hash.split('?')[1]).get(
    'token',
  )!;
  peer.students.add('stu-1');

  // Every answer, by both students, to both labs: as YAML, as JSON, and once replayed.
  for (const token of [ada, ltiStudent]) {
    for (const scenario of ['marked', 'marked-hide']) {
      for (const answer of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
        clock += 1000;
        const json = answer === 'crashes';
        const r = await asStudent(
          'POST',
          `/v1/scenarios/${scenario}/submissions`,
          token,
          json ? JSON.stringify({ manifest: ANSWERS[answer] }) : ANSWERS[answer],
          json ? 'application/json' : 'text/yaml',
          { 'idempotency-key': `${scenario}-${answer}` },
        );
        expect(r.status, r.text).toBe(201);
        made.push({ id: JSON.parse(r.text).id, answer, scenario, token });
      }
      const again = await asStudent(
        'POST',
        `/v1/scenarios/${scenario}/submissions`,
        token,
        ANSWERS.pass,
        'text/yaml',
        {
          'idempotency-key': `${scenario}-pass`,
        },
      );
      expect(again.status).toBe(201);
      expect(again.headers).toContain('idempotent-replayed: true');
    }
  }
  // A submission made in the LMS (signed inbound webhook): its answer goes back to the LMS.
  const secret = JSON.parse((await call('POST', '/v1/lms/inbound-secret', teacher)).text).secret;
  const inbound = JSON.stringify({
    type: 'submission.created',
    timestamp: new Date(clock).toISOString(),
    data: { student: 'grace', scenario: 'marked', manifest: ANSWERS.wrongImage },
  });
  const signed = signedHeaders([secret], 'evt_1', Math.floor(clock / 1000), inbound);
  const viaLms = await asStudent(
    'POST',
    '/v1/lms/webhooks?course=k8s',
    '',
    inbound,
    'application/json',
    signed,
  );
  expect(viaLms.status, viaLms.text).toBe(201);
  await queue.run();
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await peer?.close();
  await db?.close();
});

describe('hidden checks never reach a student (issue 14)', () => {
  it('every route a student token reaches, before the due date, holds no hidden or after-due-date marker', async () => {
    for (const token of [ada, ltiStudent]) {
      await asStudent('GET', '/v1/me', token);
      await asStudent('GET', '/v1/scenarios', token);
      for (const scenario of ['marked', 'marked-hide']) {
        expect((await asStudent('GET', `/v1/scenarios/${scenario}`, token)).status).toBe(200);
        expect((await asStudent('GET', `/v1/me/submissions?scenario=${scenario}`, token)).status).toBe(200);
        // Instructor routes and refusals: their error texts too.
        for (const [method, path] of [
          ['GET', `/v1/scenarios/${scenario}/submissions`],
          ['GET', `/v1/scenarios/${scenario}/submissions?format=csv`],
          ['GET', `/v1/scenarios/${scenario}/stats`],
          ['GET', `/v1/scenarios/${scenario}/versions`],
          ['POST', `/v1/scenarios/${scenario}/regrade`],
          ['GET', `/v1/lti/sync?scenario=${scenario}`],
        ] as const)
          expect((await asStudent(method, path, token)).status).toBe(403);
        await asStudent('PUT', `/v1/scenarios/${scenario}`, token, scenarioYaml(scenario, ''), 'text/yaml');
        await asStudent('POST', `/v1/scenarios/${scenario}/submissions`, token, '{', 'application/json');
        await asStudent(
          'POST',
          `/v1/scenarios/${scenario}/submissions`,
          token,
          '{"manifest": 1}',
          'application/json',
        );
      }
      await asStudent('GET', '/v1/webhooks/deliveries', token);
      await asStudent('GET', '/v1/webhooks/endpoints', token);
      await asStudent('GET', '/v1/scenarios/no-such-lab', token);
      await asStudent('GET', '/v1/submissions/s_0000000000nosuchone', token);
      await asStudent('GET', '/v1/me/submissions', token);
    }
    for (const m of made) {
      const own = await asStudent('GET', `/v1/submissions/${m.id}`, m.token);
      expect(own.status).toBe(200);
      const svg = await asStudent('GET', `/v1/submissions/${m.id}/timeline.svg`, m.token);
      expect(svg.status).toBe(m.answer === 'rejected' ? 404 : 200);
      // Someone else's submission: unknown (404, as for an id that does not exist), and the refusal says nothing of it either.
      const other = m.token === ada ? ltiStudent : ada;
      expect((await asStudent('GET', `/v1/submissions/${m.id}`, other)).status).toBe(404);
      await asStudent('GET', `/v1/submissions/${m.id}/timeline.svg`, other);
    }
    // The web page and its scripts, and the API document.
    for (const path of [
      '/',
      '/index.html',
      '/app.js',
      '/html.js',
      '/markdown.js',
      '/style.css',
      '/openapi.json',
    ])
      await asStudent('GET', path, ada);

    expect(studentReads.length).toBeGreaterThan(100);
    for (const r of studentReads) expect(leaks(r.text, [...SECRET, ...LATER]), r.what).toEqual([]);
  });

  it('webhook bodies and LTI score comments hold no marker; the LMS gets every point', async () => {
    expect(peer.log.webhooks.length).toBeGreaterThanOrEqual(made.length);
    for (const w of peer.log.webhooks) expect(leaks(w.body, [...SECRET, ...LATER]), w.type).toEqual([]);
    expect(peer.log.scores.length).toBeGreaterThan(0);
    for (const s of peer.log.scores)
      expect(leaks(JSON.stringify(s.body), [...SECRET, ...LATER]), 'score').toEqual([]);
    // The LMS column counts the hidden points (best of the hide lab's attempts: full marks).
    expect(peer.log.scores.at(-1)!.body).toMatchObject({ userId: 'stu-1', scoreGiven: 6, scoreMaximum: 6 });
  });

  it('the points still count: one summary line, or none of its score when the lab hides it', async () => {
    const view = async (scenario: string, answer: keyof typeof ANSWERS) => {
      const m = made.find((x) => x.token === ada && x.scenario === scenario && x.answer === answer)!;
      return JSON.parse((await call('GET', `/v1/submissions/${m.id}`, ada)).text);
    };
    const shown = await view('marked', 'wrongImage');
    expect(shown).toMatchObject({ score: 4, max_score: 6 });
    expect(shown.tests.at(-1)).toEqual({
      name: '3 hidden checks',
      score: 3,
      max_score: 5,
      status: 'failed',
      visibility: 'visible',
      output: '3 hidden checks: 3/5 points (their checks are not shown).',
    });
    const hidden = await view('marked-hide', 'wrongImage');
    // Only the visible check counts for the student: 1/1; the hidden points cannot be deduced.
    expect(hidden).toMatchObject({ score: 1, max_score: 1 });
    expect(hidden.tests.at(-1)).not.toHaveProperty('score');
    expect(hidden.tests.at(-1)).not.toHaveProperty('status');
    expect(hidden.extra_data.hidden_checks).toEqual({ count: 3, max_score: 5, in_total: false });
    const rows = JSON.parse((await call('GET', '/v1/me/submissions?scenario=marked-hide', ada)).text).items;
    expect(rows.map((r: { score: number; max_score: number }) => `${r.score}/${r.max_score}`)).toEqual([
      '1/1',
      '1/1',
      '0/1',
      '0/1',
    ]);
    // The instructor sees every point.
    const m = made.find((x) => x.token === ada && x.scenario === 'marked-hide' && x.answer === 'wrongImage')!;
    expect(JSON.parse((await call('GET', `/v1/submissions/${m.id}`, teacher)).text)).toMatchObject({
      score: 4,
      max_score: 6,
    });
  });

  it('the instructor reads every marker: results, timeline and stats', async () => {
    const texts: string[] = [];
    for (const m of made) {
      texts.push((await call('GET', `/v1/submissions/${m.id}`, teacher)).text);
      texts.push((await call('GET', `/v1/submissions/${m.id}/timeline.svg`, teacher)).text);
    }
    texts.push((await call('GET', '/v1/scenarios/marked/stats', teacher)).text);
    texts.push((await call('GET', '/v1/scenarios/marked', teacher)).text);
    const all = texts.join('\n');
    expect([...SECRET, ...LATER].filter((m) => !all.includes(m))).toEqual([]);
    const svg = (await call('GET', `/v1/submissions/${made[0]!.id}/timeline.svg`, teacher)).text;
    expect(svg).toContain('zzsecretexec7735');
  });

  it('the CLI without --instructor, and podlab submit, print no marker; --instructor prints them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-hidden-'));
    const scenarioFile = join(dir, 'marked.yaml');
    writeFileSync(scenarioFile, scenarioYaml('marked', ''));
    const outputs: string[] = [];
    for (const answer of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
      const file = join(dir, `${answer}.yaml`);
      writeFileSync(file, ANSWERS[answer]);
      for (const extra of [[], ['--json']]) {
        const r = await run(process.execPath, [
          join(ROOT, 'bin/podlab.mjs'),
          'grade',
          scenarioFile,
          file,
          ...extra,
        ]);
        outputs.push(r.stdout + r.stderr);
      }
      const sub = await run(
        process.execPath,
        [
          join(ROOT, 'bin/podlab.mjs'),
          'submit',
          '--scenario',
          'marked',
          file,
          '--server',
          base,
          '--token',
          ada,
        ],
        { env: { ...process.env, PODLAB_TOKEN: '' } },
      ).catch((e: { stdout: string; stderr: string }) => e);
      outputs.push(sub.stdout + sub.stderr);
    }
    for (const o of outputs) expect(leaks(o, [...SECRET, ...LATER]), o.slice(0, 200)).toEqual([]);
    expect(outputs.join('\n')).toContain('3 hidden checks');
    const instructor = await run(process.execPath, [
      join(ROOT, 'bin/podlab.mjs'),
      'grade',
      scenarioFile,
      join(dir, 'wrongImage.yaml'),
      '--instructor',
    ]);
    expect(instructor.stdout).toContain('zzsecrettitle7732');
    expect(instructor.stdout).toContain('zzsecrethint7733');
  }, 120_000);

  it('after the due date a student sees the after_due_date check, never a hidden one', async () => {
    const saved = clock;
    try {
      clock = Date.parse(DUE) + 60_000;
      const m = made.find((x) => x.token === ada && x.scenario === 'marked' && x.answer === 'crashes')!;
      const texts = [
        (await call('GET', `/v1/submissions/${m.id}`, ada)).text,
        (await call('GET', `/v1/submissions/${m.id}/timeline.svg`, ada)).text,
        (await call('GET', '/v1/me/submissions?scenario=marked', ada)).text,
        (await call('GET', '/v1/scenarios/marked', ada)).text,
      ];
      for (const t of texts) expect(leaks(t, SECRET)).toEqual([]);
      expect(leaks(texts.slice(0, 2).join('\n'), LATER)).toEqual(LATER);
      const view = JSON.parse(texts[0]!);
      expect(view.tests.at(-1)).toMatchObject({ name: '2 hidden checks', max_score: 4 });
    } finally {
      clock = saved;
    }
  });
});
