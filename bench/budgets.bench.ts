/**
 * Issue 20 §1, measured: the reported attacks against a 24 h scenario on `podlab serve`, each on
 * a fresh server so that its peak memory is its own: time to the answer, the server's peak RSS
 * (VmHWM: the process with its grading workers), and a bystander's `/healthz` latency while the
 * grade runs, with the worker pool (default) and with grading on the main thread
 * (`--grade-workers 0`) for comparison.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, stop } from '../test/api/serve-process.ts';
import { ms, quantile, table } from './stats.ts';

const FIXTURES = join(import.meta.dirname, '../test/robustness/fixtures/budgets');
const ATTACKS = ['nginx-40-probed.yaml', 'busybox-50-exec-probed.yaml', 'busybox-50-crash-looping.yaml'];

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

async function measure(attack: string, workers: string[]): Promise<(string | number)[]> {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-budgets-bench-'));
  const server = await startServer(dir, workers);
  try {
    await fetch(`${server.url}/v1/scenarios/day-long`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.instructor}`, 'content-type': 'text/yaml' },
      body: readFileSync(join(FIXTURES, 'day-long.scenario.yaml'), 'utf8'),
    });
    const before = peakRssMb(server.child.pid!);
    let done = false;
    const t0 = performance.now();
    const grading = fetch(`${server.url}/v1/scenarios/day-long/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.student}`, 'content-type': 'text/yaml' },
      body: readFileSync(join(FIXTURES, attack), 'utf8'),
    }).then(async (r) => {
      const body = (await r.json()) as { status?: string };
      done = true;
      return { http: r.status, status: body.status ?? '?', ms: performance.now() - t0 };
    });
    const health: number[] = [];
    while (!done) {
      const s = performance.now();
      await fetch(`${server.url}/healthz`);
      health.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 20));
    }
    const answer = await grading;
    health.sort((a, b) => a - b);
    return [
      attack.replace('.yaml', ''),
      workers.length === 0 ? 'pool' : 'main thread',
      `${answer.http} ${answer.status}`,
      ms(answer.ms),
      `${peakRssMb(server.child.pid!).toFixed(0)} MB (idle ${before.toFixed(0)})`,
      health.length,
      ms(quantile(health, 0.5)),
      ms(quantile(health, 0.99)),
    ];
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark. */
export async function bench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const attack of ATTACKS) {
    rows.push(await measure(attack, []));
    rows.push(await measure(attack, ['--grade-workers', '0']));
  }
  table(
    ['attack (24 h scenario)', 'grading', 'answer', 'time', 'peak RSS', 'bystander probes', 'p50', 'p99'],
    rows,
  );
}
