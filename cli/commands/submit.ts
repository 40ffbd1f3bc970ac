/**
 * `podlab submit --scenario NAME FILE [--server URL] [--token T] [--json]`: a student's
 * submission to a podlab server; prints the readable report (the same as `podlab grade`), or
 * the result JSON. The token comes from --token or PODLAB_TOKEN. One Idempotency-Key per
 * invocation, so the automatic retry after a dropped connection or a 503 never counts twice.
 * Exit: 0 a result was produced (also `rejected`); 2 usage, or the server refused
 * (401/403/404/409/413/415/429, message printed); 1 network or server fault.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Scenario, StudentGradeResult } from '../../graders/index.ts';
import { parseArgs, UsageError } from '../args.ts';
import { renderReport } from './grade.ts';

const USAGE = 'usage: podlab submit --scenario NAME FILE [--server URL] [--token T] [--json]';

async function send(url: string, init: RequestInit): Promise<Response> {
  let last: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
      if (res.status !== 503 || i === 2) return res;
      await res.body?.cancel();
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 300 * (i + 1)));
  }
  throw last;
}

/** Runs `podlab submit`. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { valued: ['scenario', 'server', 'token'], boolean: ['json'] });
  const name = args.options.scenario;
  if (typeof name !== 'string' || args.positionals.length !== 1) throw new UsageError(USAGE);
  const file = args.positionals[0]!;
  const server = (
    typeof args.options.server === 'string' ? args.options.server : 'http://localhost:8787'
  ).replace(/\/+$/, '');
  const token = typeof args.options.token === 'string' ? args.options.token : process.env.PODLAB_TOKEN;
  if (!token)
    throw new UsageError(`a token is needed: --token T or the PODLAB_TOKEN environment variable\n${USAGE}`);
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const headers = { Authorization: `Bearer ${token}` };
  let res: Response;
  try {
    res = await send(`${server}/v1/scenarios/${encodeURIComponent(name)}/submissions`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/yaml', 'Idempotency-Key': randomUUID() },
      body: new Uint8Array(body),
    });
  } catch (err) {
    process.stderr.write(
      `podlab submit: cannot reach ${server}: ${(err as Error).cause ?? (err as Error).message}\n`,
    );
    return 1;
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    process.stderr.write(`podlab submit: ${res.status} from ${server}: ${text.slice(0, 300)}\n`);
    return 1;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } }).error;
    process.stderr.write(
      `podlab submit: ${res.status} ${e?.code ?? ''}: ${e?.message ?? text.slice(0, 300)}\n`,
    );
    return res.status >= 500 ? 1 : 2;
  }
  const result = json as StudentGradeResult & { id: string; attempt: number | null };
  if (args.options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  let title = name;
  try {
    const s = await fetch(`${server}/v1/scenarios/${encodeURIComponent(name)}`, { headers });
    if (s.ok) title = ((await s.json()) as { title?: string }).title ?? name;
  } catch {
    // the title is cosmetic
  }
  // renderReport reads only the scenario's name and title.
  const scenario = { name, title } as unknown as Scenario;
  process.stdout.write(renderReport(result, scenario, body.toString('utf8'), file));
  const attempt = result.attempt === null ? 'rejected: no attempt used' : `attempt ${result.attempt}`;
  process.stdout.write(`\nSubmission ${result.id} (${attempt}): ${server}/v1/submissions/${result.id}\n`);
  return 0;
}
