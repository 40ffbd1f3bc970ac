/**
 * A client that drops its connection while sending a submission: nothing is stored from the
 * partial body, and its retry with the same Idempotency-Key and the whole body is graded and
 * stored (201), not refused as "a different request body" (409). Over a real HTTP server
 * (serveApp: @hono/node-server as `podlab serve` runs the app) with raw sockets for the dropped
 * sends.
 *
 * The served app's token lookups take 200 ms, as on a loaded server: the connection is gone
 * before the app reads the body. (@hono/node-server used to drain what was left of the request,
 * and the app's body stream then ended as if complete: an empty manifest was stored.)
 */
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { serveApp } from '../../functions/local/node-server.ts';
import { realGrader } from '../../functions/service/grader.ts';
import type { Repository } from '../../functions/storage/types.ts';
import { fixture, type Harness, quickScenario, startHarness } from './harness.ts';

const SOLUTION = fixture('quick.solution.yaml');
let h: Harness;
let server: Server;
let port: number;
let teacher: string;
/** The served app's log: a dropped connection is the client's doing, never an internal error. */
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  h = await startHarness();
  teacher = await h.token('instructor', 'teacher', 'k8s');
  const put = await h.json('PUT', '/v1/scenarios/quick', {
    token: teacher,
    type: 'text/yaml',
    body: quickScenario(),
  });
  expect(put.status).toBe(201);
  const slowTokens: Repository = {
    ...h.repo,
    getToken: async (hash) => {
      await new Promise((r) => setTimeout(r, 200));
      return h.repo.getToken(hash);
    },
  };
  const app = createApp({
    repo: slowTokens,
    grader: realGrader,
    clock: () => new Date('2026-03-01T10:00:00Z'),
    log: (e) => logs.push(e),
  });
  server = await serveApp(app.fetch, 0, '127.0.0.1');
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
});

/**
 * Sends the request head and `sent` of the body bytes on a raw socket, then drops the
 * connection after `waitMs` (0: before the server has read the body, which it does only after
 * looking up the token).
 */
async function dropWhileSending(head: string, sent: Buffer, waitMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(Buffer.concat([Buffer.from(head), sent]), () => {
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, waitMs);
      });
    });
    socket.on('error', reject);
  });
  // Time for the server to finish whatever it would do with the partial body.
  await new Promise((r) => setTimeout(r, 500));
}

function headOf(token: string, key: string, framing: string): string {
  return [
    'POST /v1/scenarios/quick/submissions HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `Authorization: Bearer ${token}`,
    'Content-Type: text/yaml',
    `Idempotency-Key: ${key}`,
    framing,
    '',
    '',
  ].join('\r\n');
}

async function retry(token: string, key: string) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/scenarios/quick/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/yaml', 'idempotency-key': key },
    body: SOLUTION,
  });
  return { status: res.status, body: (await res.json()) as { id: string; score: number; max_score: number } };
}

describe('a connection dropped while the submission is sent', () => {
  const body = Buffer.from(SOLUTION, 'utf8');
  const half = body.subarray(0, Math.floor(body.length / 2));

  const chunk = (b: Buffer) => Buffer.from(`${b.length.toString(16)}\r\n${b}\r\n`);
  it.each([
    ['Content-Length, half the body', `Content-Length: ${body.length}`, half, 100],
    ['chunked, half the body', 'Transfer-Encoding: chunked', chunk(half), 100],
    ['Content-Length, no body yet', `Content-Length: ${body.length}`, Buffer.alloc(0), 0],
    ['chunked, no body yet', 'Transfer-Encoding: chunked', Buffer.alloc(0), 0],
    ['chunked, one chunk of two', 'Transfer-Encoding: chunked', chunk(half), 0],
    // The whole request arrived, and the client left before the app read the body.
    ['Content-Length, whole body', `Content-Length: ${body.length}`, body, 0],
    [
      'chunked, whole body',
      'Transfer-Encoding: chunked',
      Buffer.concat([chunk(body), Buffer.from('0\r\n\r\n')]),
      0,
    ],
  ])(
    'stores nothing of a partial body (%s), and the retry with the same key is stored',
    async (framing, header, sent, waitMs) => {
      // A student of their own: the token lookup is not cached, so the body is read late.
      const slug = framing.replace(/\W+/g, '-');
      const token = await h.token('student', `s-${slug}`, 'k8s');
      const key = `dropped-${slug}`;
      await dropWhileSending(headOf(token, key, header), sent, waitMs);

      const r = await retry(token, key);
      expect(r.status).toBe(201);
      expect(r.body.score).toBe(r.body.max_score);
      const stored = await h.repo.getSubmission(r.body.id);
      expect(stored?.manifest).toBe(SOLUTION);
      // One submission for the key, one attempt used by it: nothing stored for the dropped send.
      const again = await retry(token, key);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(r.body.id);
      const mine = await h.json<{ attempts_used: number; items: { id: string }[] }>(
        'GET',
        '/v1/me/submissions?scenario=quick',
        { token },
      );
      expect(mine.body.items.map((i) => i.id)).toEqual([r.body.id]);
      expect(mine.body.attempts_used).toBe(1);
      expect(logs.filter((e) => e.level === 'error')).toEqual([]);
    },
  );
});
