import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/config.ts';
import { ESM_REQUIRE_BANNER, missingEntries, missingEntriesMessage, REPO_ROOT } from '../../infra/entries.ts';
import { addPodlabStacks, type PodlabStacks } from '../../infra/podlab.ts';
import { cdkJsonContext } from './synth.ts';

// One synthesis with bundling ON (the local esbuild, as `cdk synth` runs it) into a temp dir.
let outdir: string;
let stacks: PodlabStacks;
beforeAll(() => {
  const missing = missingEntries();
  if (missing.length > 0) throw new Error(missingEntriesMessage(missing));
  // Inside node_modules/.cache so the bundles' external @aws-sdk/* imports resolve when run below.
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  outdir = mkdtempSync(join(cache, 'podlab-cdk-out-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': ['podlab-bundle-api'] },
    builtinCloudFormationValidation: false,
    treeMetadata: false,
  });
  stacks = addPodlabStacks(
    app,
    parseConfig((key) => ({ stage: 'bundle' })[key]),
  );
  app.synth();
});
afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const assetDir = (fn: PodlabStacks['api']['functions']['api']) =>
  join(outdir, (fn.fn.node.findChild('Code') as Asset).assetPath);

describe('GIVEN the API stack synthesized with bundling on', () => {
  it('WHEN bundled THEN every function asset is one ESM index.mjs with its source map, the require banner, no AWS SDK', () => {
    for (const [key, fn] of Object.entries(stacks.api.functions)) {
      const dir = assetDir(fn);
      const files = readdirSync(dir).sort();
      expect(
        files.filter((f) => f !== 'web'),
        key,
      ).toEqual(['index.mjs', 'index.mjs.map']);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER), key).toBe(true);
      expect(code, key).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{\s*handler\s*\}/);
      // The SDK stays external: its DynamoDB protocol target only appears when it is bundled.
      expect(code.includes('DynamoDB_20120810'), key).toBe(false);
    }
  });

  it('THEN the simulator, the graders and the YAML parser are in the grader and regrade bundles, not in the API bundle', () => {
    const code = (key: keyof PodlabStacks['api']['functions']) =>
      readFileSync(join(assetDir(stacks.api.functions[key]), 'index.mjs'), 'utf8');
    // Texts only the busybox userland, the manifest loader and the yaml package print.
    const markers = [
      'BusyBox v1.32.0',
      'error converting YAML to JSON',
      'Implicit keys need to be on a single line',
    ];
    for (const m of markers) {
      expect(code('api').includes(m), `api: ${m}`).toBe(false);
      expect(code('grader').includes(m), `grader: ${m}`).toBe(true);
      expect(code('regrade').includes(m), `regrade: ${m}`).toBe(true);
    }
  });

  it('THEN the API asset carries the web page next to the bundle, and only the API asset does', () => {
    const api = assetDir(stacks.api.functions.api);
    for (const f of readdirSync(join(REPO_ROOT, 'web'))) {
      expect(existsSync(join(api, 'web', f)), f).toBe(true);
    }
    for (const key of ['grader', 'regrade', 'passback', 'delivery'] as const) {
      expect(existsSync(join(assetDir(stacks.api.functions[key]), 'web')), key).toBe(false);
    }
  });

  it('THEN the bundled API handler, run as Lambda runs it, answers GET / with the web page and GET /healthz', () => {
    const dir = assetDir(stacks.api.functions.api);
    const child = `
      const { handler } = await import(process.argv[1]);
      const get = (path) => handler({
        version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'x.example' },
        requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
          requestId: 'r', routeKey: '$default', stage: '$default', accountId: '0', apiId: 'a', domainName: 'x.example',
          domainPrefix: 'x', time: '', timeEpoch: 0 },
        isBase64Encoded: false,
      }, {});
      const page = await get('/');
      const health = await get('/healthz');
      console.log(JSON.stringify({ page: [page.statusCode, page.headers['content-type']], health: [health.statusCode, health.body] }));
    `;
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', child, pathToFileURL(join(dir, 'index.mjs')).href],
      {
        env: {
          PATH: process.env.PATH ?? '',
          LAMBDA_TASK_ROOT: dir,
          PODLAB_TABLE: 'podlab-test',
          PODLAB_GRADER_FUNCTION: 'podlab-test-grader',
          AWS_REGION: 'us-east-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
      page: [number, string];
      health: [number, string];
    };
    expect(r.page).toEqual([200, 'text/html; charset=utf-8']);
    expect(r.health[0]).toBe(200);
    expect(JSON.parse(r.health[1])).toEqual({ status: 'ok' });
  });
});
