/**
 * A client that drops its connection while sending a submission: nothing is stored from the
 * partial body, and its retry with the same Idempotency-Key and the whole body is graded and
 * stored (201), not refused as "a different request body" (409). Over a real HTTP server
 * (@hono/node-server, as `podlab serve` runs the app) with raw sockets for the dropped sends.
 */
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, quickScenario, startHarness } from './harness.ts';

const SOLUTION = fixture('quick.solution.yaml');
let h: Harness;
let server: Server;
let port: number;
let student: string;
let teacher: string;

beforeAll(async () => {
  h = await startHarness();
  teacher = await h.token('instructor', 'teacher', 'k8s');
  student = await h.token('student', 'ada', 'k8s');
  const put = await h.json('PUT', '/v1/scenarios/quick', {
    token: teacher,
    type: 'text/yaml',
    body: quickScenario(),
  });
  expect(put.status).toBe(201);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
});

/** Sends the request head and `sent` of the body bytes on a raw socket, then drops the connection. */
async function dropWhileSending(head: string, sent: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      socket.write(sent, () => {
        // Let the server read the head and the partial body, then vanish mid-body.
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
    });
    socket.on('error', reject);
  });
  // Time for the server to finish whatever it would do with the partial body.
  await new Promise((r) => setTimeout(r, 500));
}

function headOf(key: string, framing: string): string {
  return [
    'POST /v1/scenarios/quick/submissions HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `Authorization: Bearer ${student}`,
    'Content-Type: text/yaml',
    `Idempotency-Key: ${key}`,
    framing,
    '',
    '',
  ].join('\r\n');
}

async function retry(key: string) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/scenarios/quick/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${student}`, 'content-type': 'text/yaml', 'idempotency-key': key },
    body: SOLUTION,
  });
  return { status: res.status, body: (await res.json()) as { id: string; score: number; max_score: number } };
}

describe('a connection dropped while the submission is sent', () => {
  const body = Buffer.from(SOLUTION, 'utf8');
  const half = body.subarray(0, Math.floor(body.length / 2));

  it.each([
    ['Content-Length', `Content-Length: ${body.length}`, half],
    ['chunked', 'Transfer-Encoding: chunked', Buffer.from(`${half.length.toString(16)}\r\n${half}\r\n`)],
  ])(
    'stores nothing of a partial body (%s), and the retry with the same key is stored',
    async (framing, header, sent) => {
      const key = `dropped-${framing}`;
      await dropWhileSending(headOf(key, header), sent);

      const r = await retry(key);
      expect(r.status).toBe(201);
      expect(r.body.score).toBe(r.body.max_score);
      const stored = await h.repo.getSubmission(r.body.id);
      expect(stored?.manifest).toBe(SOLUTION);
      // One submission for the key, and one attempt used by it.
      const again = await retry(key);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(r.body.id);
    },
  );

  it('counts no attempt for a dropped submission', async () => {
    const mine = await h.json<{ attempts_used: number; items: { id: string }[] }>(
      'GET',
      '/v1/me/submissions?scenario=quick',
      { token: student },
    );
    // The two retried submissions above, nothing for the two dropped sends.
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.attempts_used).toBe(2);
  });
});
