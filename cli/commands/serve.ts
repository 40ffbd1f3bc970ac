/**
 * `podlab serve [--port 8787] [--data DIR] [--host 127.0.0.1] [--grade-workers N]`: the whole
 * service on one machine. Grading runs in a pool of N worker threads (default: one per core but
 * one), so a long grade never blocks other requests; `--grade-workers 0` grades in-process. An embedded dynalite persists everything under DIR (default `.podlab/`), the labs of
 * `scenarios/` are loaded into course `demo`, a demo student and instructor token are created
 * on first start (their plaintext kept in DIR/demo-tokens.json, local only), and the web page
 * of `web/` is served at `/`. SIGINT/SIGTERM: stop accepting, finish in-flight requests, close
 * the store (no acknowledged write is lost).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type RouteModule } from '../../functions/api/app.ts';
import { remoteGrader } from '../../functions/grader/remote.ts';
import { localLms } from '../../functions/lms/local.ts';
import { lmsRoutes } from '../../functions/lms/routes.ts';
import { lmsEvents } from '../../functions/lms/wiring.ts';
import { startEmbeddedStore } from '../../functions/local/embedded-store.ts';
import { type GraderPool, startGraderPool } from '../../functions/local/grader-pool.ts';
import { serveApp } from '../../functions/local/node-server.ts';
import { staticFiles } from '../../functions/local/static.ts';
import { AppError } from '../../functions/service/errors.ts';
import { type Grader, realGrader } from '../../functions/service/grader.ts';
import { createService } from '../../functions/service/service.ts';
import { createToken, hashToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import type { Repository } from '../../functions/storage/types.ts';
import { parseArgs, UsageError } from '../args.ts';

/** The package root (where scenarios/ and web/ are), from this module's location. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The local table name. */
export const LOCAL_TABLE = 'podlab';
/** The course the bundled labs are loaded into. */
export const DEMO_COURSE = 'demo';

/** DIR/server.json while a server runs: lets `podlab token create --data DIR` use the running store. */
export interface ServerInfo {
  pid: number;
  url: string;
  dynamoEndpoint: string;
}

interface DemoTokens {
  student: { user: string; token: string };
  instructor: { user: string; token: string };
}

async function loadLabs(repo: Repository, grader: Grader): Promise<string[]> {
  const dir = join(PACKAGE_ROOT, 'scenarios');
  if (!existsSync(dir)) return [];
  const service = createService({ repo, grader, clock: () => new Date() });
  const loaded: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'scenario.yaml');
    if (!existsSync(file)) continue;
    try {
      await service.putScenario(
        { role: 'instructor', user: 'podlab', course: DEMO_COURSE },
        name,
        readFileSync(file, 'utf8'),
      );
      loaded.push(name);
    } catch (err) {
      const detail =
        err instanceof AppError && Array.isArray(err.details) ? JSON.stringify(err.details[0]) : '';
      process.stderr.write(`podlab serve: skipped scenarios/${name}: ${(err as Error).message} ${detail}\n`);
    }
  }
  return loaded;
}

async function demoTokens(repo: Repository, dataDir: string): Promise<DemoTokens> {
  const file = join(dataDir, 'demo-tokens.json');
  if (existsSync(file)) {
    try {
      const t = JSON.parse(readFileSync(file, 'utf8')) as DemoTokens;
      const [s, i] = await Promise.all([
        repo.getToken(hashToken(t.student.token)),
        repo.getToken(hashToken(t.instructor.token)),
      ]);
      if (s && i) return t;
    } catch {
      // unreadable or stale (the store was wiped): create new ones below
    }
  }
  const now = new Date();
  const student = await createToken(repo, {
    role: 'student',
    user: 'student',
    course: DEMO_COURSE,
    label: 'demo',
    now,
  });
  const instructor = await createToken(repo, {
    role: 'instructor',
    user: 'instructor',
    course: DEMO_COURSE,
    label: 'demo',
    now,
  });
  const t: DemoTokens = {
    student: { user: 'student', token: student.token },
    instructor: { user: 'instructor', token: instructor.token },
  };
  writeFileSync(file, `${JSON.stringify(t, null, 2)}\n`, { mode: 0o600 });
  return t;
}

/** The server running on `dataDir` according to DIR/server.json, if its process is alive. */
export function runningServer(dataDir: string): ServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8')) as ServerInfo;
    process.kill(info.pid, 0);
    return info.pid === process.pid ? undefined : info;
  } catch {
    return undefined;
  }
}

/** Runs `podlab serve` until SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    valued: ['port', 'data', 'host', 'grade-workers'],
    boolean: ['allow-private-webhooks'],
  });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (args.positionals.length > 0)
    throw new UsageError(
      'usage: podlab serve [--port 8787] [--data DIR] [--host 127.0.0.1] [--grade-workers N] [--allow-private-webhooks]',
    );
  const workersText =
    typeof args.options['grade-workers'] === 'string' ? args.options['grade-workers'] : undefined;
  if (workersText !== undefined && (!/^\d+$/.test(workersText) || Number(workersText) > 64))
    throw new UsageError(`--grade-workers must be 0..64, got "${workersText}"`);
  const portText = typeof args.options.port === 'string' ? args.options.port : '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`--port must be 0..65535, got "${portText}"`);
  const host = typeof args.options.host === 'string' ? args.options.host : '127.0.0.1';
  const dataDir = resolve(typeof args.options.data === 'string' ? args.options.data : '.podlab');
  mkdirSync(dataDir, { recursive: true });

  const running = runningServer(dataDir);
  if (running) {
    process.stderr.write(
      `podlab serve: ${dataDir} is in use by the podlab server at ${running.url} (pid ${running.pid}); stop it or use another --data\n`,
    );
    return 1;
  }
  let store: Awaited<ReturnType<typeof startEmbeddedStore>>;
  try {
    store = await startEmbeddedStore(join(dataDir, 'db'));
  } catch (err) {
    const msg = String((err as Error)?.message ?? err);
    if (/lock/i.test(msg)) {
      process.stderr.write(
        `podlab serve: ${dataDir} is in use by another podlab process (stop it, or use --data)\n`,
      );
      return 1;
    }
    throw err;
  }
  await ensureTable(store.client, LOCAL_TABLE);
  // The repository calls the embedded store without the AWS SDK (docs/performance.md).
  const repo = createDynamoRepository({ transport: store.transport, tableName: LOCAL_TABLE });
  const pool: GraderPool | undefined =
    workersText === '0' ? undefined : startGraderPool(workersText ? { size: Number(workersText) } : {});
  const grader = pool ? remoteGrader(pool.transport) : realGrader;
  const labs = await loadLabs(repo, grader);
  const tokens = await demoTokens(repo, dataDir);

  // LMS: webhooks are delivered by a poller over the store; private and loopback endpoints only
  // with --allow-private-webhooks (the SSRF guard, lms.md).
  const lmsOptions: { publicUrl?: string; onError: (err: unknown) => void } = {
    onError: (err) =>
      process.stderr.write(
        `${JSON.stringify({ level: 'warn', msg: 'lms job failed', error: String(err) })}\n`,
      ),
  };
  const { lms, queue } = localLms(store.client, LOCAL_TABLE, repo, {
    transport: store.transport,
    allowPrivate: args.options['allow-private-webhooks'] === true,
    onError: lmsOptions.onError,
  });
  const routes: RouteModule[] = [lmsRoutes(lms)];
  const webDir = join(PACKAGE_ROOT, 'web');
  if (existsSync(webDir)) routes.push(staticFiles(webDir));
  const app = createApp({
    repo,
    grader,
    clock: () => new Date(),
    // Quiet locally: only warnings and internal errors.
    log: (e) => {
      if (e.level !== 'info') process.stderr.write(`${JSON.stringify(e)}\n`);
    },
    routes,
    events: lmsEvents(lms, lmsOptions),
  });

  let server: Server;
  try {
    server = await serveApp(app.fetch, port, host);
  } catch (err) {
    await pool?.close();
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      process.stderr.write(
        `podlab serve: cannot listen on ${host}:${port} (${code}); choose another --port or --host\n`,
      );
      return 1;
    }
    throw err;
  }
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  const infoFile = join(dataDir, 'server.json');
  const info: ServerInfo = { pid: process.pid, url, dynamoEndpoint: store.endpoint };
  writeFileSync(infoFile, `${JSON.stringify(info)}\n`);
  lmsOptions.publicUrl = url;
  queue.start();

  const example = labs[0] ?? 'SCENARIO';
  const exampleFile = join(PACKAGE_ROOT, 'scenarios', example, 'solution.yaml');
  const shownFile = relative(process.cwd(), exampleFile).startsWith('..')
    ? exampleFile
    : relative(process.cwd(), exampleFile);
  process.stdout.write(
    [
      `podlab listening on ${url} (data in ${dataDir})`,
      `labs in course "${DEMO_COURSE}": ${labs.join(', ') || '(none)'}`,
      `demo student token:    ${tokens.student.token}`,
      `demo instructor token: ${tokens.instructor.token}`,
      `(kept in ${join(dataDir, 'demo-tokens.json')}: local use only)`,
      'try:',
      `  curl -H 'Authorization: Bearer ${tokens.student.token}' -H 'Content-Type: text/yaml' --data-binary @${shownFile} ${url}/v1/scenarios/${example}/submissions`,
      '',
    ].join('\n'),
  );

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`podlab: ${signal}, finishing in-flight requests\n`);
      // close() stops accepting and calls back once in-flight requests have been answered.
      server.close(() => done());
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      idle.unref();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await queue.stop();
  await pool?.close();
  await store.close();
  rmSync(infoFile, { force: true });
  process.stdout.write('podlab: stopped\n');
  return 0;
}
