/**
 * A bounded soak of the local server: `podlab serve` on loopback with its embedded store,
 * SOAK_REQUESTS mixed requests (submissions with and without Idempotency-Key, ~10 % retries of
 * an earlier key, reads, listings, bad requests) from 20 concurrent clients. Afterwards the
 * store holds exactly the acknowledged submissions, read back through the API.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFile, ROOT } from './corpus.ts';

const run = promisify(execFile);
const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 600);
const CONCURRENCY = 20;
const LABS = ['pod-phases', 'poststart-hook', 'termination-grace'];
const BODIES: Record<string, string[]> = Object.fromEntries(
  LABS.map((lab) => [
    lab,
    [labFile(lab, 'solution.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n'],
  ]),
);

let dir: string;
let server: ChildProcess | undefined;
let url: string;
let instructor: string;
const students: { user: string; token: string }[] = [];

/** Seeded pseudo-random numbers (LCG), so the request mix is the same on every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'podlab-soak-'));
  // Tokens first: the embedded store is single-process, so before the server starts.
  for (const user of ['soak1', 'soak2']) {
    const { stdout } = await run(
      process.execPath,
      [
        'bin/podlab.mjs',
        'token',
        'create',
        '--role',
        'student',
        '--user',
        user,
        '--course',
        'demo',
        '--data',
        dir,
      ],
      { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    students.push({ user, token: stdout.trim() });
  }
  const child = spawn(process.execPath, ['bin/podlab.mjs', 'serve', '--port', '0', '--data', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  server = child;
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      const inst = /demo instructor token:\s+(\S+)/.exec(out);
      const stu = /demo student token:\s+(\S+)/.exec(out);
      if (m && inst && stu) {
        clearTimeout(timer);
        url = m[1]!;
        instructor = inst[1]!;
        students.push({ user: 'student', token: stu[1]! });
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    await new Promise<void>((resolve) => {
      server!.once('exit', () => resolve());
      server!.kill('SIGTERM');
      setTimeout(() => server?.kill('SIGKILL'), 10_000).unref();
    });
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, token: string | undefined, body?: string, key?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'text/yaml';
  if (key) headers['idempotency-key'] = key;
  const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { raw: text.slice(0, 100) };
  }
  return { status: res.status, json, replayed: res.headers.get('idempotent-replayed') === 'true' };
}

describe('soak: podlab serve under mixed load', () => {
  it(`${REQUESTS} mixed requests, 20 concurrent: every acknowledged submission stored exactly once, nothing else`, async () => {
    const random = rng(20260301);
    /** Acknowledged submissions: id -> what was sent. */
    const acked = new Map<string, { lab: string; student: number; key?: string; body: string }>();
    /** Keys sent so far, for retries: key -> [lab, student, body, id once acknowledged]. */
    const keys: { key: string; lab: string; student: number; body: string; id?: string }[] = [];
    const statuses = new Map<string, number>();
    const problems: string[] = [];
    let next = 0;
    let keyCounter = 0;

    const one = async (): Promise<void> => {
      const r = random();
      const student = Math.floor(random() * students.length);
      const lab = LABS[Math.floor(random() * LABS.length)]!;
      const tok = students[student]!.token;
      let kind: string;
      let res: Awaited<ReturnType<typeof call>>;
      if (r < 0.4) {
        kind = 'submit-key';
        const body = BODIES[lab]![random() < 0.8 ? 0 : 1]!;
        const entry: (typeof keys)[number] = { key: `soak-${keyCounter++}`, lab, student, body };
        keys.push(entry);
        res = await call('POST', `/v1/scenarios/${lab}/submissions`, tok, body, entry.key);
        if (res.status === 201) {
          const id = res.json.id as string;
          if (entry.id && entry.id !== id) problems.push(`key ${entry.key} got two ids`);
          entry.id = id;
          acked.set(id, { lab, student, key: entry.key, body });
        }
      } else if (r < 0.5 && keys.length > 0) {
        kind = 'retry-key';
        const entry = keys[Math.floor(random() * keys.length)]!;
        res = await call(
          'POST',
          `/v1/scenarios/${entry.lab}/submissions`,
          students[entry.student]!.token,
          entry.body,
          entry.key,
        );
        if (res.status === 201) {
          const id = res.json.id as string;
          if (entry.id && entry.id !== id)
            problems.push(`retry of ${entry.key} got ${id}, first ${entry.id}`);
          entry.id ??= id;
          acked.set(id, { lab: entry.lab, student: entry.student, key: entry.key, body: entry.body });
        }
      } else if (r < 0.55) {
        kind = 'submit-nokey';
        const body = BODIES[lab]![0]!;
        res = await call('POST', `/v1/scenarios/${lab}/submissions`, tok, body);
        if (res.status === 201) acked.set(res.json.id as string, { lab, student, body });
      } else if (r < 0.75 && acked.size > 0) {
        kind = 'get-own';
        const ids = [...acked.keys()];
        const id = ids[Math.floor(random() * ids.length)]!;
        const owner = acked.get(id)!.student;
        res = await call('GET', `/v1/submissions/${id}`, students[owner]!.token);
        if (res.status !== 200 || res.json.id !== id) problems.push(`GET own ${id}: ${res.status}`);
      } else if (r < 0.8 && acked.size > 0) {
        kind = 'get-other';
        const ids = [...acked.keys()];
        const id = ids[Math.floor(random() * ids.length)]!;
        const other = (acked.get(id)!.student + 1) % students.length;
        res = await call('GET', `/v1/submissions/${id}`, students[other]!.token);
        if (res.status !== 404 && res.status !== 403)
          problems.push(`student read another's ${id}: ${res.status}`);
      } else if (r < 0.87) {
        kind = 'list-scenarios';
        res = await call('GET', '/v1/scenarios', tok);
      } else if (r < 0.92) {
        kind = 'my-submissions';
        res = await call('GET', `/v1/me/submissions?scenario=${lab}`, tok);
      } else if (r < 0.95) {
        kind = 'healthz';
        res = await call('GET', '/healthz', undefined);
      } else if (r < 0.975) {
        kind = 'bad-token';
        res = await call('POST', `/v1/scenarios/${lab}/submissions`, 'nope', BODIES[lab]![0]!);
        if (res.status !== 401) problems.push(`bad token: ${res.status}`);
      } else {
        kind = 'unknown-id';
        res = await call('GET', '/v1/submissions/s_doesnotexist', tok);
        if (res.status !== 404) problems.push(`unknown id: ${res.status}`);
      }
      const tag = `${kind} ${res.status}`;
      statuses.set(tag, (statuses.get(tag) ?? 0) + 1);
      if (res.status >= 500) problems.push(`${tag}: ${JSON.stringify(res.json).slice(0, 200)}`);
    };

    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          next++;
          await one();
        }
      }),
    );
    expect(problems, JSON.stringify([...statuses])).toEqual([]);
    expect(acked.size).toBeGreaterThan(REQUESTS / 4);

    // Read everything back through the API (instructor listing, all pages).
    for (const lab of LABS) {
      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await call(
          'GET',
          `/v1/scenarios/${lab}/submissions?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
          instructor,
        );
        expect(r.status).toBe(200);
        listed.push(...(r.json.items as { id: string }[]).map((i) => i.id));
        cursor = r.json.cursor as string | undefined;
      } while (cursor);
      const expected = [...acked].filter(([, a]) => a.lab === lab).map(([id]) => id);
      expect(new Set(listed).size, `${lab}: duplicated ids in the listing`).toBe(listed.length);
      expect([...listed].sort(), `${lab}: stored submissions differ from the acknowledged ones`).toEqual(
        [...expected].sort(),
      );
    }
    // Every key that was acknowledged maps to one id.
    const byKey = new Map<string, string>();
    for (const [id, a] of acked) {
      if (!a.key) continue;
      expect(byKey.get(a.key) ?? id, `key ${a.key}`).toBe(id);
      byKey.set(a.key, id);
    }
  }, 300_000);
});
