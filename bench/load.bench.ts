/**
 * `podlab serve` as a user runs it (its own process, embedded dynalite persisted on disk),
 * loaded over loopback by 10, 50 and 100 concurrent clients submitting lab solutions with an
 * Idempotency-Key: requests/s and latency percentiles. Complements api.bench (in-process app).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ms, quantile, table } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const REQUESTS = 200;

/** Runs the benchmark. */
export async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-load-'));
  const server = spawn(process.execPath, ['bin/podlab.mjs', 'serve', '--port', '0', '--data', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  try {
    const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`podlab serve did not start: ${out}`)), 60_000);
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        const t = /demo student token:\s+(\S+)/.exec(out);
        if (m && t) {
          clearTimeout(timer);
          resolve({ url: m[1]!, token: t[1]! });
        }
      });
      server.once('exit', (code) => reject(new Error(`podlab serve exited ${code}`)));
    });
    const labs = readdirSync(join(ROOT, 'scenarios')).sort();
    const bodies = labs.map((lab) => readFileSync(join(ROOT, 'scenarios', lab, 'solution.yaml'), 'utf8'));
    let key = 0;
    const rows: (string | number)[][] = [];
    for (const clients of [10, 50, 100]) {
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < REQUESTS) {
            const i = next++;
            const lab = i % labs.length;
            const s = performance.now();
            const res = await fetch(`${url}/v1/scenarios/${labs[lab]}/submissions`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'text/yaml',
                'idempotency-key': `load-${key++}`,
              },
              body: bodies[lab]!,
            });
            await res.arrayBuffer();
            latencies.push(performance.now() - s);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }),
      );
      const wall = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      rows.push([
        clients,
        REQUESTS,
        (REQUESTS / wall).toFixed(1),
        ms(quantile(latencies, 0.5)),
        ms(quantile(latencies, 0.99)),
        [...statuses].map(([s, n]) => `${s}×${n}`).join(' '),
      ]);
    }
    console.log('podlab serve (own process, dynalite on disk), all ten labs in turn, loopback\n');
    table(['clients', 'requests', 'req/s', 'p50', 'p99', 'statuses'], rows);
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
