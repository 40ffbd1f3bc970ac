/**
 * The AWS regrade fan-out: the route queues the first page, and the regrade worker's handler
 * walks every page, each message sending the next. The queue here is an in-process list that
 * the test drains into the real worker handler (SQS itself cannot run on this machine).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { createRegrader, type RegradePageMessage } from '../../functions/regrade/worker.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import type { Repository } from '../../functions/storage/types.ts';
import { fixture, quickScenario } from './harness.ts';

let db: LocalDynamo;
let repo: Repository;
beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, 'podlab');
  repo = createDynamoRepository({ client: db.client, tableName: 'podlab' });
});
afterAll(() => db.close());

it('GIVEN 7 submissions WHEN an instructor regrades with a queue THEN 202, and the worker chain regrades every page', async () => {
  const queue: RegradePageMessage[] = [];
  const regraded: string[] = [];
  const app = createApp({
    repo,
    grader: realGrader,
    clock: () => new Date(),
    regradeQueue: async (first) => {
      queue.push(first);
    },
    events: { regraded: async (rec) => void regraded.push(rec.id) },
  });
  const now = new Date();
  const teacher = (await createToken(repo, { role: 'instructor', user: 't', course: 'c1', now })).token;
  const put = (yaml: string) =>
    app.request('/v1/scenarios/quick', {
      method: 'PUT',
      headers: { authorization: `Bearer ${teacher}`, 'content-type': 'text/yaml' },
      body: yaml,
    });
  expect((await put(quickScenario())).status).toBeLessThan(300);
  for (let i = 0; i < 7; i++) {
    const student = (await createToken(repo, { role: 'student', user: `s${i}`, course: 'c1', now })).token;
    const r = await app.request('/v1/scenarios/quick/submissions', {
      method: 'POST',
      headers: { authorization: `Bearer ${student}`, 'content-type': 'text/yaml' },
      body: fixture('quick.solution.yaml'),
    });
    expect(r.status).toBe(201);
  }
  expect((await put(quickScenario({ title: 'Quick pod, fixed' }))).status).toBeLessThan(300);

  const res = await app.request('/v1/scenarios/quick/regrade?limit=3', {
    method: 'POST',
    headers: { authorization: `Bearer ${teacher}` },
  });
  expect(res.status).toBe(202);
  expect(queue).toEqual([{ course: 'c1', scenario: 'quick', limit: 3 }]);

  const worker = createRegrader(
    repo,
    () => new Date(),
    async (next) => void queue.push(next),
    {
      regraded: async (rec) => void regraded.push(rec.id),
    },
  );
  let messages = 0;
  while (queue.length > 0 && messages < 20) {
    const body = JSON.stringify(queue.shift());
    const out = await worker.handle({ Records: [{ messageId: `m${messages++}`, body }] });
    expect(out.batchItemFailures).toEqual([]);
  }
  expect(messages).toBe(3); // pages of 3, 3 and 1
  expect(new Set(regraded).size).toBe(7);

  const student = (await createToken(repo, { role: 'student', user: 's9', course: 'c1', now })).token;
  const refused = await app.request('/v1/scenarios/quick/regrade', {
    method: 'POST',
    headers: { authorization: `Bearer ${student}` },
  });
  expect(refused.status).toBe(403);
});
