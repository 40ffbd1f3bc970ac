/** The API under test: the real app, the real graders and a real dynalite, in process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../functions/api/app.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { type Grader, realGrader } from '../../functions/service/grader.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import type { Repository, Role } from '../../functions/storage/types.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A fixture file's text. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The quick scenario with a changed policy block or title (for limits and regrades). */
export function quickScenario(extra: { policy?: string; title?: string; name?: string } = {}): string {
  let s = fixture('quick.scenario.yaml');
  if (extra.title) s = s.replace('title: Quick pod', `title: ${extra.title}`);
  if (extra.name) s = s.replace('name: quick\n', `name: ${extra.name}\n`);
  if (extra.policy) s = s.replace('spec:\n', `spec:\n  policy: ${extra.policy}\n`);
  return s;
}

/** Options of one request. */
export interface Req {
  token?: string;
  body?: BodyInit;
  type?: string;
  headers?: Record<string, string>;
}

/** A running harness. */
export interface Harness {
  repo: Repository;
  store: LocalDynamo;
  app: ReturnType<typeof createApp>;
  setNow(iso: string): void;
  token(role: Role, user: string, course: string): Promise<string>;
  request(method: string, path: string, r?: Req): Promise<Response>;
  json<T = Record<string, unknown>>(
    method: string,
    path: string,
    r?: Req,
  ): Promise<{ status: number; body: T; res: Response }>;
  close(): Promise<void>;
}

/** Starts a harness with an empty table (grading with `options.grader`, default the real one). */
export async function startHarness(
  logs?: Record<string, unknown>[],
  options: { grader?: Grader } = {},
): Promise<Harness> {
  const store = await startDynalite();
  await ensureTable(store.client, 'podlab');
  const repo = createDynamoRepository({ client: store.client, tableName: 'podlab' });
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  const clock = () => new Date(now);
  const app = createApp({
    repo,
    grader: options.grader ?? realGrader,
    clock,
    ...(logs ? { log: (e) => logs.push(e) } : {}),
  });
  const request = (method: string, path: string, r: Req = {}) => {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (r.token) headers.authorization = `Bearer ${r.token}`;
    if (r.type) headers['content-type'] = r.type;
    return Promise.resolve(
      app.request(path, { method, headers, ...(r.body !== undefined ? { body: r.body } : {}) }),
    );
  };
  return {
    repo,
    store,
    app,
    setNow: (iso) => {
      now = Date.parse(iso);
    },
    token: async (role, user, course) =>
      (await createToken(repo, { role, user, course, now: clock() })).token,
    request,
    async json(method, path, r) {
      const res = await request(method, path, r);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
    },
    close: () => store.close(),
  };
}
