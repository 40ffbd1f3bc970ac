/**
 * Issue 20 §1, the attacks as they were reported: against a published 24 h scenario on
 * `podlab serve`, a Pod of 40 nginx containers with httpGet and tcpSocket probes every second,
 * 50 busybox containers with exec probes every second, and 50 containers crash-looping for a
 * day. Each must answer with a result (graded, or rejected naming the limit it hit), never a
 * 500, while the server keeps answering others: grading runs in its worker pool. Time and memory
 * figures are measured in `npm run bench -- budgets` (docs/performance.md), not here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Server, startServer, stop } from '../api/serve-process.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/budgets');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const dataDir = mkdtempSync(join(tmpdir(), 'podlab-budgets-'));
let server: Server;

beforeAll(async () => {
  server = await startServer(dataDir);
  const res = await fetch(`${server.url}/v1/scenarios/day-long`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.instructor}`, 'content-type': 'text/yaml' },
    body: fixture('day-long.scenario.yaml'),
  });
  expect(res.status).toBeLessThan(300);
}, 90_000);
afterAll(async () => {
  if (server && server.child.exitCode === null) await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
});

function submit(manifest: string): Promise<Response> {
  return fetch(`${server.url}/v1/scenarios/day-long/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.student}`, 'content-type': 'text/yaml' },
    body: manifest,
  });
}

// Rejected, naming the limit hit first: the size budgets, or on a busy machine the grade time
// limit (wall clock).
const TIME_LIMIT = 'more than 10 s of grading time';
const TOO_LARGE = new RegExp(
  `its run grew too large to grade.*(more than [\\d,]+ (MB of recorded history|probe executions)|${TIME_LIMIT})`,
  's',
);

const ATTACKS: { name: string; file: string; outcome: RegExp }[] = [
  {
    name: '40 nginx containers, httpGet and tcpSocket probes every 1s',
    file: 'nginx-40-probed.yaml',
    outcome: TOO_LARGE,
  },
  {
    name: '50 busybox containers, exec probes every 1s',
    file: 'busybox-50-exec-probed.yaml',
    outcome: TOO_LARGE,
  },
  {
    name: '50 containers crash-looping for 24h',
    file: 'busybox-50-crash-looping.yaml',
    outcome: new RegExp(`^Score |${TIME_LIMIT}`),
  },
];

describe('hostile manifests against a 24h scenario on podlab serve', () => {
  for (const a of ATTACKS) {
    it(`${a.name}: a result, never a 500; health answers meanwhile`, async () => {
      let graded = false;
      const grading = submit(fixture(a.file)).finally(() => {
        graded = true;
      });
      // The server answers a bystander while the grade runs in its worker.
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const healthBeforeGrade = !graded;
      const res = await grading;
      expect(res.status).toBe(201);
      const body = (await res.json()) as { status: string; output: string };
      expect(body.output).toMatch(a.outcome);
      expect(['graded', 'rejected']).toContain(body.status);
      expect(healthBeforeGrade).toBe(true);
    }, 120_000);
  }
});
