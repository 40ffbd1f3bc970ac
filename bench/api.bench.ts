/**
 * POST /v1/scenarios/{name}/submissions against a local server (the app on @hono/node-server
 * and an embedded dynalite, as `podlab serve` runs them) on loopback: requests/s and p50/p99
 * latency with 10 and 50 concurrent clients, DynamoDB calls per submission (counted in the
 * adapter), and the grading time alone, for a trivial scenario (API overhead) and a real lab.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../functions/api/app.ts';
import { startDynalite } from '../functions/local/dynalite.ts';
import { realGrader } from '../functions/service/grader.ts';
import { createToken } from '../functions/service/tokens.ts';
import { createDynamoRepository } from '../functions/storage/dynamo.ts';
import { ensureTable } from '../functions/storage/table.ts';
import { gradeSubmission, parseScenario } from '../graders/index.ts';
import { ms, quantile, table } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const REQUESTS = 300;

/** Runs the benchmark. */
export async function bench(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const store = await startDynalite();
  await ensureTable(store.client, 'podlab');
  const repo = createDynamoRepository({ client: store.client, tableName: 'podlab' });
  const app = createApp({ repo, grader: realGrader, clock: () => new Date() });
  const server = await new Promise<Server>((r) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => r(s as Server));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const now = new Date();
  const teacher = (await createToken(repo, { role: 'instructor', user: 't', course: 'bench', now })).token;
  const students = await Promise.all(
    Array.from(
      { length: 50 },
      async (_, i) =>
        (await createToken(repo, { role: 'student', user: `s${i}`, course: 'bench', now })).token,
    ),
  );
  const labs = [
    {
      name: 'quick',
      scenario: readFileSync(join(ROOT, 'test/api/fixtures/quick.scenario.yaml'), 'utf8'),
      solution: readFileSync(join(ROOT, 'test/api/fixtures/quick.solution.yaml'), 'utf8'),
    },
    {
      name: 'pod-phases',
      scenario: readFileSync(join(ROOT, 'scenarios/pod-phases/scenario.yaml'), 'utf8'),
      solution: readFileSync(join(ROOT, 'scenarios/pod-phases/solution.yaml'), 'utf8'),
    },
  ];
  const rows: (string | number)[][] = [];
  let seq = 0;
  try {
    for (const lab of labs) {
      const put = await fetch(`${url}/v1/scenarios/${lab.name}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${teacher}`, 'content-type': 'text/yaml' },
        body: lab.scenario,
      });
      if (put.status >= 300) throw new Error(`PUT ${lab.name}: ${put.status} ${await put.text()}`);
      const parsed = parseScenario(lab.scenario, 'x');
      if (!parsed.ok) throw new Error('scenario does not parse');
      for (let i = 0; i < 5; i++) gradeSubmission(parsed.scenario, parsed.version, lab.solution);
      const g0 = performance.now();
      for (let i = 0; i < 20; i++) gradeSubmission(parsed.scenario, parsed.version, lab.solution);
      const gradeMs = (performance.now() - g0) / 20;
      for (const clients of [10, 50]) {
        // Warm-up (scenario cache, token cache, connections).
        await Promise.all(
          students.slice(0, clients).map((t) => submit(url, lab.name, t, lab.solution, `w${seq++}`)),
        );
        const calls0 = repo.counter.total;
        const latencies: number[] = [];
        let next = 0;
        let failures = 0;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            while (next < REQUESTS) {
              next++;
              const s = performance.now();
              const status = await submit(url, lab.name, students[c]!, lab.solution, `b${seq++}`);
              latencies.push(performance.now() - s);
              if (status !== 201) failures++;
            }
          }),
        );
        const wall = (performance.now() - t0) / 1000;
        latencies.sort((a, b) => a - b);
        rows.push([
          lab.name,
          ms(gradeMs),
          clients,
          latencies.length,
          (latencies.length / wall).toFixed(1),
          ms(quantile(latencies, 0.5)),
          ms(quantile(latencies, 0.99)),
          ((repo.counter.total - calls0) / latencies.length).toFixed(2),
          failures,
        ]);
      }
    }
  } finally {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    await store.close();
  }
  table(
    [
      'scenario',
      'grading alone',
      'clients',
      'requests',
      'req/s',
      'p50',
      'p99',
      'DynamoDB calls/submission',
      'non-201',
    ],
    rows,
  );
  console.log(
    '\nOne process serves HTTP, grades and runs dynalite, on a machine shared with other work; with an Idempotency-Key per request.',
  );
}

async function submit(url: string, name: string, token: string, body: string, key: string): Promise<number> {
  const res = await fetch(`${url}/v1/scenarios/${name}/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/yaml', 'idempotency-key': key },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
