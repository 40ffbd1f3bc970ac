/**
 * End to end against `podlab serve` started as a child process on a free port with a temp data
 * dir: demo tokens, submit over real HTTP (and with `podlab submit`), idempotent retry, authz,
 * 413 on a chunked body, the web page, and no acknowledged write lost across SIGTERM and restart,
 * including a request in flight when the signal arrives.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Server, startServer, stop } from './serve-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/podlab.mjs');
const SCENARIO = 'pod-phases';
const SOLUTION = readFileSync(join(ROOT, 'scenarios', SCENARIO, 'solution.yaml'), 'utf8');
const run = promisify(execFile);

const dataDir = mkdtempSync(join(tmpdir(), 'podlab-e2e-'));
let server: Server;
let firstId = '';

beforeAll(async () => {
  server = await startServer(dataDir);
});
afterAll(async () => {
  if (server && server.child.exitCode === null) await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(token: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/v1/scenarios/${SCENARIO}/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/yaml', ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('podlab serve', () => {
  it('prints the demo tokens and a curl line, and serves the labs and the web page', async () => {
    expect(server.stdout()).toContain(`curl -H 'Authorization: Bearer ${server.student}'`);
    const list = (await (
      await fetch(`${server.url}/v1/scenarios`, { headers: { authorization: `Bearer ${server.student}` } })
    ).json()) as {
      items: { name: string }[];
    };
    expect(list.items.map((i) => i.name)).toContain(SCENARIO);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${server.url}/../package.json`)).status).toBe(404);
  });

  it('grades a submission over HTTP, replays a retry, and reads it back', async () => {
    const first = await post(server.student, SOLUTION, { 'idempotency-key': 'e2e-1' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'graded', attempt: 1 });
    expect(first.body.score).toBe(first.body.max_score);
    firstId = String(first.body.id);
    const retry = await post(server.student, SOLUTION, { 'idempotency-key': 'e2e-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(firstId);
    const back = await fetch(`${server.url}/v1/submissions/${firstId}`, {
      headers: { authorization: `Bearer ${server.student}` },
    });
    expect(((await back.json()) as { manifest: string }).manifest).toBe(SOLUTION);
  });

  it('creates tokens through the running server and enforces ownership', async () => {
    const { stdout } = await run(
      process.execPath,
      [BIN, 'token', 'create', '--role', 'student', '--user', 'b', '--course', 'demo', '--data', dataDir],
      {
        cwd: ROOT,
      },
    );
    const other = stdout.trim();
    expect(other).toMatch(/^plb_/);
    const res = await fetch(`${server.url}/v1/submissions/${firstId}`, {
      headers: { authorization: `Bearer ${other}` },
    });
    expect(res.status).toBe(404);
    const teacher = await fetch(`${server.url}/v1/submissions/${firstId}`, {
      headers: { authorization: `Bearer ${server.instructor}` },
    });
    expect(teacher.status).toBe(200);
  });

  it('creates a token that expires with --expires-in, and refuses a malformed duration', async () => {
    const args = [
      BIN,
      'token',
      'create',
      '--role',
      'student',
      '--user',
      'c',
      '--course',
      'demo',
      '--data',
      dataDir,
    ];
    const { stdout, stderr } = await run(process.execPath, [...args, '--expires-in', '12h'], { cwd: ROOT });
    expect(stderr).toMatch(/token for student c in course demo, valid until \d{4}-\d\d-\d\dT/);
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${stdout.trim()}` } });
    expect(me.status).toBe(200);
    const bad = await run(process.execPath, [...args, '--expires-in', '5y'], { cwd: ROOT }).catch(
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain(
      '--expires-in takes a duration such as 90m, 12h or 30d, got "5y"',
    );
  });

  it('runs `podlab submit` with a readable report and exit code 0', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        'submit',
        '--scenario',
        SCENARIO,
        join(ROOT, 'scenarios', SCENARIO, 'solution.yaml'),
        '--server',
        server.url,
      ],
      { cwd: ROOT, env: { ...process.env, PODLAB_TOKEN: server.student } },
    );
    expect(stdout).toMatch(/Score: (\d+)\/\1/);
    expect(stdout).toContain('attempt 2');
  });

  it('answers a chunked body over the limit with 413', async () => {
    const status = await new Promise<number>((resolveStatus, reject) => {
      const u = new URL(`${server.url}/v1/scenarios/${SCENARIO}/submissions`);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: { authorization: `Bearer ${server.student}`, 'content-type': 'text/yaml' },
        },
        (res) => {
          res.resume();
          resolveStatus(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x23);
      let sent = 0;
      const pump = () => {
        while (sent < 20 && req.write(chunk)) sent++;
        if (sent < 20) req.once('drain', pump);
        else req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('finishes a request in flight at SIGTERM, exits 0, and keeps every acknowledged write', async () => {
    const u = new URL(`${server.url}/v1/scenarios/${SCENARIO}/submissions`);
    const inflight = new Promise<{ status: number; body: string }>((resolveRes, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${server.student}`,
            'content-type': 'text/yaml',
            'idempotency-key': 'inflight',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => {
            body += d.toString();
          });
          res.on('end', () => resolveRes({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const half = Math.floor(SOLUTION.length / 2);
      req.write(SOLUTION.slice(0, half));
      // The request has started (headers and half the body are on the wire) when the signal arrives.
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(SOLUTION.slice(half)), 200);
      }, 300);
    });
    const res = await inflight;
    expect(res.status).toBe(201);
    const inflightId = (JSON.parse(res.body) as { id: string }).id;
    expect(await server.exited).toBe(0);

    const tokens = { student: server.student, instructor: server.instructor };
    server = await startServer(dataDir);
    expect({ student: server.student, instructor: server.instructor }).toEqual(tokens);
    for (const id of [firstId, inflightId]) {
      const back = await fetch(`${server.url}/v1/submissions/${id}`, {
        headers: { authorization: `Bearer ${server.student}` },
      });
      expect(back.status, id).toBe(200);
    }
    const mine = (await (
      await fetch(`${server.url}/v1/me/submissions?scenario=${SCENARIO}`, {
        headers: { authorization: `Bearer ${server.student}` },
      })
    ).json()) as { attempts_used: number; items: unknown[] };
    expect(mine.attempts_used).toBe(3);
    expect(mine.items).toHaveLength(3);
  });
});
