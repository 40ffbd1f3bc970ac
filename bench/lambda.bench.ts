/**
 * Lambda bundles: bundles every function entry with esbuild exactly as the CDK app does
 * (infra/entries.ts BUNDLE_SETTINGS: minified ESM, node20, @aws-sdk/* external), then prints
 * the bundle size and the cold import time of the bundle in a fresh `node` process (median of
 * several runs), with the resident memory after import. Goals: API bundle < 400 KB, cold
 * import < 150 ms. Entries that do not exist yet are listed and skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_SETTINGS, entryPath, FUNCTION_ENTRIES, REPO_ROOT } from '../infra/entries.ts';
import { ms, quantile, table } from './stats.ts';

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
  NODE_OPTIONS: '--enable-source-maps',
};

/** The child: imports the bundle once and prints `{ms, rssMb, hasHandler}` as JSON. */
const CHILD = `
const t0 = performance.now();
const mod = await import(process.argv[1]);
const t = performance.now() - t0;
console.log(JSON.stringify({ ms: t, rssMb: process.memoryUsage().rss / 1048576, hasHandler: typeof mod.handler === 'function' }));
`;

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

/** Median time to import the SDK clients the functions use, in a fresh process. */
function sdkBaseline(cwd: string): string {
  const child = `const t0 = performance.now(); await import('@aws-sdk/client-dynamodb'); await import('@aws-sdk/lib-dynamodb'); await import('@aws-sdk/client-sqs'); console.log(performance.now() - t0);`;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', child], {
      env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV },
      encoding: 'utf8',
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    times.push(Number(out.trim()));
  }
  return `p50 ${ms(
    quantile(
      times.sort((a, b) => a - b),
      0.5,
    ),
  )}`;
}

/** Bundles each entry and prints size and cold import figures. */
export async function bench(): Promise<void> {
  // Inside node_modules so that the external @aws-sdk/* imports resolve, as on Lambda.
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'podlab-lambda-bench-'));
  const rows: (string | number)[][] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  const composition: string[] = [];
  let baseline = '';
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
      const runs: { ms: number; rssMb: number; hasHandler: boolean }[] = [];
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
      const times = runs.map((r) => r.ms).sort((a, b) => a - b);
      const rss = runs.map((r) => r.rssMb).sort((a, b) => a - b);
      rows.push([
        entry.key,
        entry.path,
        `${(bytes / 1024).toFixed(1)} KB`,
        `${(gz / 1024).toFixed(1)} KB`,
        ms(quantile(times, 0.5)),
        ms(times[0]!),
        `${quantile(rss, 0.5).toFixed(0)} MB`,
        runs.every((r) => r.hasHandler) ? 'yes' : 'NO',
      ]);
    }
    if (rows.length > 0) baseline = sdkBaseline(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
        'RSS after import',
        'exports handler',
      ],
      rows,
    );
  }
  console.log(
    '\ngoals: API bundle < 400 KB minified, cold import < 150 ms (Node 20 here; Lambda runs Node 22 on arm64)',
  );
  if (composition.length > 0)
    console.log(`\nlargest parts of each bundle (minified bytes):\n${composition.join('\n')}`);
  if (baseline) {
    console.log(
      `\nfor comparison, importing the AWS SDK clients alone (external; from node_modules here, from the runtime on Lambda): ${baseline}`,
    );
  }
  if (skipped.length > 0) console.log(`skipped (entry not written yet): ${skipped.join(', ')}`);
  for (const f of failed) console.log(`bundle failed: ${f}`);
}
