/**
 * The Lambda entry files of podlab and the esbuild settings they are bundled with. Kept free of
 * aws-cdk-lib so that the benchmark (bench/lambda.bench.ts) bundles with exactly these settings.
 * infra/ refers to runtime code by entry path only; it imports none of it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: where package.json, package-lock.json and the entries live. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The functions podlab deploys. */
export type FunctionKey = 'api' | 'grader' | 'regrade' | 'passback' | 'delivery';

/** One Lambda entry: its source file (relative to the repository root) and what it is. */
export interface FunctionEntry {
  readonly key: FunctionKey;
  /** Path relative to the repository root, '/'-separated. */
  readonly path: string;
  /** Exported handler name. */
  readonly handler: string;
  readonly description: string;
}

/** Every Lambda entry of the app, in deployment order. */
export const FUNCTION_ENTRIES: readonly FunctionEntry[] = [
  {
    key: 'api',
    path: 'functions/api/lambda.ts',
    handler: 'handler',
    description: 'podlab HTTP API and web page (hono behind API Gateway HTTP API)',
  },
  {
    key: 'grader',
    path: 'functions/grader/lambda.ts',
    handler: 'handler',
    description: 'podlab grader: parses scenarios, grades submissions and draws timelines for the API',
  },
  {
    key: 'regrade',
    path: 'functions/regrade/worker.ts',
    handler: 'handler',
    description: 'podlab regrade worker: one SQS message per page of submissions',
  },
  {
    key: 'passback',
    path: 'functions/lms/passback-worker.ts',
    handler: 'handler',
    description: 'podlab LTI AGS score passback worker (SQS)',
  },
  {
    key: 'delivery',
    path: 'functions/lms/delivery-worker.ts',
    handler: 'handler',
    description: 'podlab outbound webhook delivery worker (SQS)',
  },
];

/** The entry with this key. */
export function entryOf(key: FunctionKey): FunctionEntry {
  const e = FUNCTION_ENTRIES.find((x) => x.key === key);
  if (!e) throw new Error(`unknown function key ${key}`);
  return e;
}

/** Absolute path of an entry under `root` (the repository root by default). */
export function entryPath(entry: FunctionEntry, root: string = REPO_ROOT): string {
  return join(root, ...entry.path.split('/'));
}

/** The entries whose source file does not exist under `root`. */
export function missingEntries(root: string = REPO_ROOT): FunctionEntry[] {
  return FUNCTION_ENTRIES.filter((e) => !existsSync(entryPath(e, root)));
}

/** The message `cdk synth` fails with when entries are missing; names every missing file. */
export function missingEntriesMessage(missing: readonly FunctionEntry[]): string {
  const lines = missing.map((e) => `  - ${e.path} (export "${e.handler}": ${e.description})`);
  return [
    `${missing.length === 1 ? 'a Lambda entry file is' : `${missing.length} Lambda entry files are`} missing:`,
    ...lines,
    'Every function is bundled with esbuild during `cdk synth`; create the file(s) above, then synthesize again.',
  ].join('\n');
}

/**
 * Banner prepended to every ESM bundle: CommonJS dependencies bundled into an ES module call
 * `require` for Node built-ins, which ESM does not define.
 */
export const ESM_REQUIRE_BANNER =
  "import{createRequire as __podlabCreateRequire}from'node:module';const require=__podlabCreateRequire(import.meta.url);";

/**
 * esbuild settings shared by the CDK bundling (NodejsFunction) and the benchmark. The target
 * stays node20 so one bundle runs on the local Node 20 and on the Lambda Node 22 runtime.
 */
export const BUNDLE_SETTINGS = {
  target: 'node20',
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  /** The Node.js Lambda runtime ships AWS SDK v3: never bundle it. */
  external: ['@aws-sdk/*', '@smithy/*'],
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  /** The bundle's file name inside the asset (CDK writes index.mjs for ESM). */
  outfile: 'index.mjs',
} as const;

/** Folder (relative to the repository root) copied into the API bundle: the static web page. */
export const WEB_DIR = 'web';
