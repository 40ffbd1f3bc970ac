/**
 * How cost grows: wall time and peak memory (maxRSS of a fresh process, so a true peak) of one
 * simulation vs the virtual horizon (1 min .. 24 h) and vs Pods per submission (1 .. 50); and
 * the latency of the request paths (submit, read one, list a page) vs submissions already
 * stored (they should not grow: every path is a bounded number of single-item calls or one
 * page of a query).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../functions/api/app.ts';
import { startDynalite } from '../functions/local/dynalite.ts';
import { realGrader } from '../functions/service/grader.ts';
import { createToken } from '../functions/service/tokens.ts';
import { createDynamoRepository } from '../functions/storage/dynamo.ts';
import { ensureTable } from '../functions/storage/table.ts';
import { loadManifests } from '../src/manifest/index.ts';
import { defaultSimOptions, simulate } from '../src/sim/index.ts';
import { ms, quantile, table } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');

/** Pod shapes whose cost grows with time: a crash loop, and three probes every second. */
const SHAPES: Record<string, (name: string) => string> = {
  'crash-loop': (name) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - {name: c, image: busybox:1.32.0, command: [sh, -c, "echo crashing; exit 1"]}\n`,
  'probes-1s': (name) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.32.0\n    command: [sh, -c, "touch /tmp/ok; sleep 100000"]\n    livenessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 1}\n    readinessProbe: {exec: {command: [test, -e, /tmp/ok]}, periodSeconds: 1}\n`,
  'liveness-exec lab Pod': (name) =>
    readFileSync(join(ROOT, 'scenarios/liveness-exec/solution.yaml'), 'utf8').replace(
      /name: livenessprobe-pod\n/,
      `name: ${name}\n`,
    ),
};

/** Child mode: one simulation, then its wall time, peak RSS and trace size on stdout as JSON. */
function child(): void {
  const { shape, horizonS, pods } = JSON.parse(process.env.PODLAB_GROWTH_CHILD!) as {
    shape: string;
    horizonS: number;
    pods: number;
  };
  const yaml = Array.from({ length: pods }, (_, i) => SHAPES[shape]!(`p${i}`)).join('---\n');
  const objects = loadManifests(yaml, { file: 'g.yaml', maxBytes: 262_144 }).objects.map((o) => o.object);
  const o = defaultSimOptions();
  o.budgets.horizonMs = horizonS * 1000;
  const base = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const trace = simulate(objects, [], o);
  const wall = performance.now() - t0;
  const json = JSON.stringify(trace);
  process.stdout.write(
    JSON.stringify({
      wall,
      baseKB: base,
      peakKB: process.resourceUsage().maxRSS,
      traceBytes: json.length,
      probes: trace.probes.length,
      events: trace.events.length,
      end: trace.endReason.kind === 'budget' ? `budget ${trace.endReason.budget}` : trace.endReason.kind,
      objects: objects.length,
    }),
  );
}

function measure(shape: string, horizonS: number, pods: number) {
  const out = execFileSync(
    process.execPath,
    ['--import', join(ROOT, 'bin', 'typescript.mjs'), join(import.meta.dirname, 'growth.bench.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PODLAB_GROWTH_CHILD: JSON.stringify({ shape, horizonS, pods }),
        NODE_NO_WARNINGS: '1',
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  ).toString();
  return JSON.parse(out) as {
    wall: number;
    baseKB: number;
    peakKB: number;
    traceBytes: number;
    probes: number;
    events: number;
    end: string;
    objects: number;
  };
}

function human(s: number): string {
  return s >= 3600 ? `${s / 3600} h` : s >= 60 ? `${s / 60} min` : `${s} s`;
}

async function requestPaths(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const store = await startDynalite();
  await ensureTable(store.client, 'podlab');
  const repo = createDynamoRepository({ client: store.client, tableName: 'podlab' });
  const app = createApp({ repo, grader: realGrader, clock: () => new Date('2026-03-01T10:00:00Z') });
  const now = new Date('2026-03-01T10:00:00Z');
  const teacher = (await createToken(repo, { role: 'instructor', user: 't', course: 'g', now })).token;
  const lab = 'pod-phases';
  const body = readFileSync(join(ROOT, 'scenarios', lab, 'solution.yaml'), 'utf8');
  await app.request(`/v1/scenarios/${lab}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${teacher}`, 'content-type': 'text/yaml' },
    body: readFileSync(join(ROOT, 'scenarios', lab, 'scenario.yaml'), 'utf8'),
  });
  const students = await Promise.all(
    Array.from(
      { length: 50 },
      async (_, i) => (await createToken(repo, { role: 'student', user: `s${i}`, course: 'g', now })).token,
    ),
  );
  let stored = 0;
  const ids: string[] = [];
  const submit = async (i: number) => {
    const r = await app.request(`/v1/scenarios/${lab}/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${students[i % students.length]}`, 'content-type': 'text/yaml' },
      body,
    });
    const j = (await r.json()) as { id: string };
    ids.push(j.id);
    stored++;
  };
  const rows: (string | number)[][] = [];
  for (const target of [100, 1000, 3000]) {
    while (stored < target) await Promise.all(Array.from({ length: 10 }, (_, k) => submit(stored + k)));
    const post: number[] = [];
    const get: number[] = [];
    const list: number[] = [];
    for (let i = 0; i < 30; i++) {
      let t0 = performance.now();
      await submit(i);
      post.push(performance.now() - t0);
      t0 = performance.now();
      await (
        await app.request(`/v1/submissions/${ids[i * 7]}`, {
          headers: { authorization: `Bearer ${teacher}` },
        })
      ).text();
      get.push(performance.now() - t0);
      t0 = performance.now();
      await (
        await app.request(`/v1/scenarios/${lab}/submissions?limit=50`, {
          headers: { authorization: `Bearer ${teacher}` },
        })
      ).text();
      list.push(performance.now() - t0);
    }
    for (const a of [post, get, list]) a.sort((x, y) => x - y);
    rows.push([
      stored,
      ms(quantile(post, 0.5)),
      ms(quantile(post, 0.9)),
      ms(quantile(get, 0.5)),
      ms(quantile(list, 0.5)),
      repo.counter.total,
    ]);
  }
  await store.close();
  console.log('\nRequest paths vs submissions stored (in-process app, in-memory dynalite, lab pod-phases)\n');
  table(
    ['stored', 'POST submit p50', 'POST p90', 'GET one p50', 'GET page of 50 p50', 'DynamoDB calls so far'],
    rows,
  );
}

/** Prints the figures. */
export async function bench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const shape of ['crash-loop', 'probes-1s']) {
    for (const horizonS of [60, 600, 3600, 6 * 3600, 24 * 3600]) {
      const m = measure(shape, horizonS, 1);
      rows.push([
        shape,
        human(horizonS),
        1,
        ms(m.wall),
        `${((m.peakKB - m.baseKB) / 1024).toFixed(0)} MB`,
        `${(m.peakKB / 1024).toFixed(0)} MB`,
        `${(m.traceBytes / 1e6).toFixed(2)} MB`,
        m.end,
      ]);
    }
  }
  for (const pods of [1, 5, 10, 25, 50]) {
    const m = measure('liveness-exec lab Pod', 150, pods);
    rows.push([
      'liveness-exec lab Pod',
      human(150),
      m.objects,
      ms(m.wall),
      `${((m.peakKB - m.baseKB) / 1024).toFixed(0)} MB`,
      `${(m.peakKB / 1024).toFixed(0)} MB`,
      `${(m.traceBytes / 1e6).toFixed(2)} MB`,
      m.end,
    ]);
  }
  console.log('One simulation in a fresh process (peak = maxRSS; growth = peak minus RSS after imports)\n');
  table(['Pod', 'virtual horizon', 'Pods', 'wall', 'RSS growth', 'peak RSS', 'trace JSON', 'end'], rows);
  await requestPaths();
}

if (process.env.PODLAB_GROWTH_CHILD) child();
