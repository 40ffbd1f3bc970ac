/**
 * Lambda bundles: bundles every function entry with esbuild exactly as the CDK app does
 * (infra/entries.ts BUNDLE_SETTINGS: minified ESM, node20, @aws-sdk/* external), then prints
 * the bundle size and the cold import time of the bundle in a fresh `node` process (median of
 * several runs), with the resident memory after import. Goals: API bundle < 400 KB, cold
 * import < 150 ms. Entries that do not exist yet are listed and skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_SETTINGS, entryPath, FUNCTION_ENTRIES, REPO_ROOT } from '../infra/entries.ts';
import { ms, quantile, table } from './stats.ts';

/** Cold-import runs per bundle (each in a new process). */
const RUNS = 7;

/** Dummy configuration so that handlers which read it at import time load as on Lambda. */
const LAMBDA_LIKE_ENV = {
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

/** Bundles each entry and prints size and cold import figures. */
export async function bench(): Promise<void> {
  // Inside node_modules so that the external @aws-sdk/* imports resolve, as on Lambda.
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'podlab-lambda-bench-'));
  const rows: (string | number)[][] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
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
      }).catch((err: { errors?: { text: string; location?: { file: string } | null }[] }) => {
        const first = err.errors?.[0];
        failed.push(`${entry.path}: ${first ? `${first.location?.file ?? ''} ${first.text}` : String(err)}`);
        return undefined;
      });
      if (!built) continue;
      const bytes = statSync(outfile).size;
      const gz = gzipSync(readFileSync(outfile)).length;
      const runs: { ms: number; rssMb: number; hasHandler: boolean }[] = [];
      for (let i = 0; i < RUNS; i++) {
        const out = execFileSync(
          process.execPath,
          ['--input-type=module', '-e', CHILD, pathToFileURL(outfile).href],
          { env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV }, encoding: 'utf8', cwd: dir },
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
  if (skipped.length > 0) console.log(`skipped (entry not written yet): ${skipped.join(', ')}`);
  for (const f of failed) console.log(`bundle failed: ${f}`);
}
