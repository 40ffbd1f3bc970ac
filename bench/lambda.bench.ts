/**
 * Lambda bundles: bundles every function entry with esbuild exactly as the CDK app does
 * (infra/entries.ts BUNDLE_SETTINGS: minified ESM, node20, @aws-sdk/* external), then prints
 * the bundle size and the cold import time of the bundle in a fresh `node` process (median of
 * several runs), with the resident memory after import. Goals: API bundle < 400 KB, cold
 * import < 150 ms. Entries that do not exist yet are listed and skipped.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { startDynalite } from '../functions/local/dynalite.ts';
import { startInvokeEndpoint } from '../functions/local/invoke-endpoint.ts';
import { createToken } from '../functions/service/tokens.ts';
import { createDynamoRepository } from '../functions/storage/dynamo.ts';
import { ensureTable } from '../functions/storage/table.ts';
import { BUNDLE_SETTINGS, entryPath, FUNCTION_ENTRIES, REPO_ROOT } from '../infra/entries.ts';
import { ms, quantile, table } from './stats.ts';

const execFileAsync = promisify(execFile);

/** Cold-import runs per bundle (each in a new process). */
const RUNS = 7;

/** Dummy configuration so that handlers which read it at import time load as on Lambda. */
const LAMBDA_LIKE_ENV = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  PODLAB_TABLE: 'podlab-bench',
  PODLAB_STAGE: 'bench',
  PODLAB_REGRADE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/regrade',
  PODLAB_PASSBACK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/passback',
  PODLAB_WEBHOOK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/webhook',
  PODLAB_GRADER_FUNCTION: 'podlab-bench-grader',
  NODE_OPTIONS: '--enable-source-maps',
};

/** The child: imports the bundle once and prints `{ms, rssMb, hasHandler}` as JSON. */
const CHILD = `
const c0 = process.cpuUsage();
const t0 = performance.now();
const mod = await import(process.argv[1]);
const t = performance.now() - t0;
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ ms: t, cpuMs: (c.user + c.system) / 1000, rssMb: process.memoryUsage().rss / 1048576, hasHandler: typeof mod.handler === 'function' }));
`;

/** Scenario used for the handler timing: a lab with a probe, an exec action and 60 s of virtual time. */
const TIMED_SCENARIO = 'readiness-httpget';
/** Submissions timed through the bundled API handler (one student each, so no attempt limit applies). */
const SUBMISSIONS = 30;

/**
 * The child that plays Lambda: imports the API bundle, publishes the scenario as an instructor,
 * then sends SUBMISSIONS submissions as API Gateway HTTP API (payload 2.0) events, timing each
 * handler call. Prints one `BENCH {...}` line.
 */
const INVOKE_CHILD = `
const cfg = JSON.parse(process.argv[2]);
const t0 = performance.now();
const { handler } = await import(process.argv[1]);
const importMs = performance.now() - t0;
let n = 0;
const event = (method, path, token, body, key) => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '',
  headers: { authorization: 'Bearer ' + token, 'content-type': 'application/yaml', host: 'bench.example', ...(key ? { 'idempotency-key': key } : {}) },
  requestContext: { accountId: '000000000000', apiId: 'bench', domainName: 'bench.example', domainPrefix: 'bench',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    requestId: 'bench-' + ++n, routeKey: '$default', stage: '$default', time: '', timeEpoch: Date.now() },
  body: Buffer.from(body).toString('base64'), isBase64Encoded: true,
});
const context = { awsRequestId: 'bench', functionName: 'api', getRemainingTimeInMillis: () => 20000 };
const put = await handler(event('PUT', '/v1/scenarios/' + cfg.name, cfg.instructor, cfg.scenario), context);
const times = [], cpu = [], statuses = [];
for (let i = 0; i < cfg.students.length; i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await handler(event('POST', '/v1/scenarios/' + cfg.name + '/submissions', cfg.students[i], cfg.solution, 'bench-' + i), context);
  times.push(performance.now() - t);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
  statuses.push(r.statusCode);
}
console.log('BENCH ' + JSON.stringify({ importMs, put: put.statusCode, times, cpu, statuses, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

/** Times the bundled API handler on submissions against a local DynamoDB (dynalite). */
async function handlerTiming(bundle: string, graderBundle: string): Promise<void> {
  const db = await startDynalite();
  // The grader function's bundle behind the Lambda Invoke API on loopback (one hop per grading).
  const grader = (await import(pathToFileURL(graderBundle).href)) as {
    handler: (e: unknown) => Promise<unknown>;
  };
  const lambda = await startInvokeEndpoint({ [LAMBDA_LIKE_ENV.PODLAB_GRADER_FUNCTION]: grader.handler });
  try {
    const tableName = 'podlab-bench';
    await ensureTable(db.client, tableName);
    const repo = createDynamoRepository({ client: db.client, tableName });
    const now = new Date();
    const course = 'bench';
    const instructor = (await createToken(repo, { role: 'instructor', user: 'teacher', course, now })).token;
    const students: string[] = [];
    for (let i = 0; i < SUBMISSIONS; i++) {
      students.push((await createToken(repo, { role: 'student', user: `s${i}`, course, now })).token);
    }
    const dir = join(REPO_ROOT, 'scenarios', TIMED_SCENARIO);
    const cfg = {
      name: TIMED_SCENARIO,
      instructor,
      students,
      scenario: readFileSync(join(dir, 'scenario.yaml'), 'utf8'),
      solution: readFileSync(join(dir, 'solution.yaml'), 'utf8'),
    };
    // Asynchronous: dynalite runs in this process and must keep answering while the child runs.
    const { stdout: out } = await execFileAsync(
      process.execPath,
      ['--input-type=module', '-e', INVOKE_CHILD, pathToFileURL(bundle).href, JSON.stringify(cfg)],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...LAMBDA_LIKE_ENV,
          PODLAB_TABLE: tableName,
          AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
          AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
          AWS_REGION: 'local',
        },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const line = out.split('\n').find((l) => l.startsWith('BENCH '));
    if (!line) throw new Error('the handler child printed no result');
    const r = JSON.parse(line.slice(6)) as {
      importMs: number;
      put: number;
      times: number[];
      cpu: number[];
      statuses: number[];
      maxRssMb: number;
    };
    const warm = r.times.slice(1).sort((a, b) => a - b);
    const warmCpu = r.cpu.slice(1).sort((a, b) => a - b);
    const ok = r.statuses.filter((x) => x === 200 || x === 201).length;
    console.log(
      `\nAPI handler (bundled, in a fresh node process, DynamoDB = local dynalite, grading = the grader bundle behind a loopback Lambda Invoke endpoint), scenario ${TIMED_SCENARIO}:`,
    );
    table(
      [
        'publish (PUT)',
        'submissions 2xx',
        'first submit',
        'warm submit p50',
        'p90',
        'max',
        'handler CPU p50',
        'peak RSS',
      ],
      [
        [
          r.put,
          `${ok}/${r.times.length}`,
          ms(r.times[0]!),
          ms(quantile(warm, 0.5)),
          ms(quantile(warm, 0.9)),
          ms(warm.at(-1)!),
          ms(quantile(warmCpu, 0.5)),
          `${r.maxRssMb.toFixed(0)} MB`,
        ],
      ],
    );
  } finally {
    await lambda.close();
    await db.close();
  }
}

/** The error line of a failed child process (e.g. `ReferenceError: x is not defined`). */
function firstErrorLine(err: unknown): string {
  const stderr = String((err as { stderr?: unknown }).stderr ?? '');
  return stderr.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? (err as Error).message.split('\n')[0]!;
}

/** The bundle's inputs grouped by package (node_modules) or top-level folder, largest first. */
function topInputs(inputs: Record<string, { bytesInOutput: number }>, n = 6): string {
  const groups = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const parts = path.split(/[\\/]/);
    const nm = parts.lastIndexOf('node_modules');
    const group =
      nm >= 0
        ? parts.slice(nm + 1, parts[nm + 1]?.startsWith('@') ? nm + 3 : nm + 2).join('/')
        : parts.slice(0, Math.min(2, parts.length - 1)).join('/');
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
  }
  return [...groups]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([g, b]) => `${g} ${(b / 1024).toFixed(0)} KB`)
    .join(', ');
}

/**
 * Median time to load the SDK packages the API loads at import (the DynamoDB client and the
 * document client), in a fresh process: with `require`, as functions/aws-sdk.ts does, or with
 * an ESM `import`, for comparison.
 */
function sdkBaseline(cwd: string, how: 'require' | 'import'): string {
  const load =
    how === 'require'
      ? `const r = (await import('node:module')).createRequire(process.cwd() + '/'); const c0 = process.cpuUsage(); const t0 = performance.now(); r('@aws-sdk/client-dynamodb'); r('@aws-sdk/lib-dynamodb');`
      : `const c0 = process.cpuUsage(); const t0 = performance.now(); await import('@aws-sdk/client-dynamodb'); await import('@aws-sdk/lib-dynamodb');`;
  const child = `${load} const c = process.cpuUsage(c0); console.log(JSON.stringify([performance.now() - t0, (c.user + c.system) / 1000]));`;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', child], {
      env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV },
      encoding: 'utf8',
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [w, c] = JSON.parse(out.trim()) as [number, number];
    wall.push(w);
    cpu.push(c);
  }
  const p50 = (xs: number[]) =>
    ms(
      quantile(
        [...xs].sort((a, b) => a - b),
        0.5,
      ),
    );
  return `wall p50 ${p50(wall)}, CPU p50 ${p50(cpu)}`;
}

/** Bundles each entry and prints size and cold import figures. */
export async function bench(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Inside node_modules so that the external @aws-sdk/* imports resolve, as on Lambda.
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'podlab-lambda-bench-'));
  const rows: (string | number)[][] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  const composition: string[] = [];
  const loaded = new Set<string>();
  try {
    for (const entry of FUNCTION_ENTRIES) {
      const source = entryPath(entry);
      if (!existsSync(source)) {
        skipped.push(entry.path);
        continue;
      }
      const outfile = join(dir, entry.key, BUNDLE_SETTINGS.outfile);
      const built = await build({
        entryPoints: [source],
        bundle: true,
        outfile,
        target: BUNDLE_SETTINGS.target,
        platform: BUNDLE_SETTINGS.platform,
        format: BUNDLE_SETTINGS.format,
        minify: BUNDLE_SETTINGS.minify,
        sourcemap: BUNDLE_SETTINGS.sourcemap,
        sourcesContent: false,
        external: [...BUNDLE_SETTINGS.external],
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        banner: { js: BUNDLE_SETTINGS.banner },
        logLevel: 'silent',
        absWorkingDir: REPO_ROOT,
        metafile: true,
      }).catch((err: { errors?: { text: string; location?: { file: string } | null }[] }) => {
        const first = err.errors?.[0];
        failed.push(`${entry.path}: ${first ? `${first.location?.file ?? ''} ${first.text}` : String(err)}`);
        return undefined;
      });
      if (!built) continue;
      const bytes = statSync(outfile).size;
      composition.push(
        `${entry.key}: ${topInputs(built.metafile?.outputs[relative(REPO_ROOT, outfile)]?.inputs ?? {})}`,
      );
      const gz = gzipSync(readFileSync(outfile)).length;
      const runs: { ms: number; cpuMs: number; rssMb: number; hasHandler: boolean }[] = [];
      try {
        for (let i = 0; i < RUNS; i++) {
          const out = execFileSync(
            process.execPath,
            ['--input-type=module', '-e', CHILD, pathToFileURL(outfile).href],
            {
              env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV },
              encoding: 'utf8',
              cwd: dir,
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          );
          runs.push(JSON.parse(out.trim().split('\n').at(-1)!));
        }
      } catch (err) {
        failed.push(`${entry.path}: the bundle throws on import: ${firstErrorLine(err)}`);
        continue;
      }
      loaded.add(entry.key);
      const times = runs.map((r) => r.ms).sort((a, b) => a - b);
      const rss = runs.map((r) => r.rssMb).sort((a, b) => a - b);
      const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
      rows.push([
        entry.key,
        entry.path,
        `${(bytes / 1024).toFixed(1)} KB`,
        `${(gz / 1024).toFixed(1)} KB`,
        ms(quantile(times, 0.5)),
        ms(times[0]!),
        ms(quantile(cpu, 0.5)),
        `${quantile(rss, 0.5).toFixed(0)} MB`,
        runs.every((r) => r.hasHandler) ? 'yes' : 'NO',
      ]);
    }
    if (rows.length > 0) {
      table(
        [
          'function',
          'entry',
          'bundle (min)',
          'gzip',
          `cold import p50 (${RUNS} runs)`,
          'min',
          'import CPU p50',
          'RSS after import',
          'exports handler',
        ],
        rows,
      );
      console.log(
        '\ngoals: API bundle < 400 KB minified, cold import < 150 ms (Node 20 here; Lambda runs Node 22 on arm64)',
      );
      console.log(`\nlargest parts of each bundle (minified bytes):\n${composition.join('\n')}`);
      console.log(
        `\nthe DynamoDB and document clients alone (external; from node_modules here, from the runtime on Lambda), loaded with require as the bundles do: ${sdkBaseline(dir, 'require')}; with an ESM import: ${sdkBaseline(dir, 'import')}`,
      );
    }
    if (skipped.length > 0) console.log(`skipped (entry not written yet): ${skipped.join(', ')}`);
    for (const f of failed) console.log(`bundle failed: ${f}`);
    if (loaded.has('api') && loaded.has('grader')) {
      await handlerTiming(
        join(dir, 'api', BUNDLE_SETTINGS.outfile),
        join(dir, 'grader', BUNDLE_SETTINGS.outfile),
      ).catch((err: unknown) => console.log(`\nAPI handler timing failed: ${firstErrorLine(err)}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
