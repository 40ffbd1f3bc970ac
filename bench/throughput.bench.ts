/**
 * Issue 18 §2 in ONE run: in-process grading throughput (grades/s, one core), `podlab serve`
 * in its own process on its embedded, disk-persisted store at 50 clients (submissions/s), the
 * ratio of the two, and a deadline burst (500 students submitting within two minutes, 10 of
 * them retrying after a dropped connection) with p50/p99 time to feedback.
 *
 * The burst is time-compressed by BURST_COMPRESSION (the two minutes are played in 120 s / 10):
 * the arrival rate is ten times the real one, which is the harder case for the server.
 * PODLAB_BENCH_SERVE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server process;
 * PODLAB_BENCH_WARM sets the submissions before the measured loop (default 1000).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_COURSE, LOCAL_TABLE } from '../cli/commands/serve.ts';
import { startDynalite } from '../functions/local/dynalite.ts';
import { nodeSha256 } from '../functions/node-sha256.ts';
import { createToken } from '../functions/service/tokens.ts';
import { createDynamoRepository } from '../functions/storage/dynamo.ts';
import { ensureTable } from '../functions/storage/table.ts';
import { gradeSubmission, parseScenario } from '../graders/index.ts';
import { ms, quantile, table } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const CLIENTS = 50;
const REQUESTS = 600;
/** Submissions before the measured loop: enough for the server's code to reach V8's optimising tier. */
const WARM_REQUESTS = Number(process.env.PODLAB_BENCH_WARM ?? 1000);
const IN_PROCESS_SECONDS = 3;
const STUDENTS = 500;
const RETRYING = 10;
const BURST_SECONDS = 120;
const BURST_COMPRESSION = 10;

interface Lab {
  name: string;
  solution: string;
}

/** Runs the benchmark. */
export async function bench(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const labs: Lab[] = readdirSync(join(ROOT, 'scenarios'))
    .sort()
    .map((name) => ({
      name,
      solution: readFileSync(join(ROOT, 'scenarios', name, 'solution.yaml'), 'utf8'),
    }));

  // Both sides are compared warm: the in-process grades of this first window are V8's warm-up
  // (they run 30-40% slower than later ones), and the figure is measured after the server's loop.
  gradesPerSecond(labs);
  const dir = mkdtempSync(join(tmpdir(), 'podlab-throughput-'));
  try {
    const tokens = await studentTokens(dir, STUDENTS);
    const server = await startServe(dir);
    try {
      // Warm-up: every lab parsed and cached, connections open, JIT warm.
      await closedLoop(server.url, tokens, labs, CLIENTS, WARM_REQUESTS, 'warm');
      const cpu0 = server.cpuSeconds();
      const loop = await closedLoop(server.url, tokens, labs, CLIENTS, REQUESTS, 'loop');
      const servePerCpuSecond = REQUESTS / (server.cpuSeconds() - cpu0);
      const inProcess = gradesPerSecond(labs);
      const burst = await deadlineBurst(server.url, tokens, labs);
      console.log('Grading in-process (one core) against `podlab serve` (own process, store on disk)\n');
      table(
        ['measure', 'per wall second', 'per CPU second', 'p50', 'p99', 'statuses'],
        [
          [
            'in-process gradeSubmission, the solution of every lab in turn (warm)',
            `${inProcess.wall.toFixed(0)} grades`,
            `${inProcess.cpu.toFixed(0)} grades`,
            '',
            '',
            '',
          ],
          [
            `podlab serve, ${CLIENTS} clients, ${REQUESTS} submissions`,
            `${loop.perSecond.toFixed(0)} submissions`,
            `${servePerCpuSecond.toFixed(0)} submissions`,
            ms(loop.p50),
            ms(loop.p99),
            loop.statuses,
          ],
        ],
      );
      console.log(
        `\nratio HTTP / in-process: ${(loop.perSecond / inProcess.wall).toFixed(2)} per wall second, ${(servePerCpuSecond / inProcess.cpu).toFixed(2)} per CPU second (goal ≥ 0.50)`,
      );
      console.log(
        `CPU per submission on podlab serve: ${ms(1000 / servePerCpuSecond)}; per in-process grade: ${ms(1000 / inProcess.cpu)}\n`,
      );
      console.log(
        `Deadline burst: ${STUDENTS} students within ${BURST_SECONDS} s played in ${BURST_SECONDS / BURST_COMPRESSION} s, arrivals denser towards the deadline, ${RETRYING} retrying after a dropped connection\n`,
      );
      table(
        ['students', 'feedback p50', 'feedback p99', 'max', 'retrying p50', 'statuses'],
        [[STUDENTS, ms(burst.p50), ms(burst.p99), ms(burst.max), ms(burst.retryP50), burst.statuses]],
      );
      for (const [status, body] of samples) console.log(`\n${status}: ${body}`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Grades every lab's solution in turn on this thread for IN_PROCESS_SECONDS: grades per second. */
function gradesPerSecond(labs: Lab[]): { wall: number; cpu: number } {
  const parsed = labs.map((lab) => {
    const r = parseScenario(
      readFileSync(join(ROOT, 'scenarios', lab.name, 'scenario.yaml'), 'utf8'),
      lab.name,
    );
    if (!r.ok) throw new Error(`${lab.name} does not parse`);
    return { ...r, solution: lab.solution };
  });
  const gradeOne = (i: number) => {
    const p = parsed[i % parsed.length]!;
    gradeSubmission(p.scenario, p.version, p.solution, { sha256: nodeSha256 });
  };
  for (let i = 0; i < 100; i++) gradeOne(i);
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < IN_PROCESS_SECONDS * 1000) gradeOne(n++);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { wall: n / wall, cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

/** Student tokens of the demo course, written to the store before `podlab serve` opens it. */
async function studentTokens(dir: string, n: number): Promise<string[]> {
  const store = await startDynalite(join(dir, 'db'));
  try {
    await ensureTable(store.client, LOCAL_TABLE);
    const repo = createDynamoRepository({ client: store.client, tableName: LOCAL_TABLE });
    const now = new Date();
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      out.push((await createToken(repo, { role: 'student', user: `s${i}`, course: DEMO_COURSE, now })).token);
    }
    return out;
  } finally {
    await store.close();
  }
}

/** Spawns `podlab serve --port 0 --data DIR` and waits for its banner. */
async function startServe(
  dir: string,
): Promise<{ url: string; cpuSeconds: () => number; stop: () => Promise<void> }> {
  const extra = (process.env.PODLAB_BENCH_SERVE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(
    process.execPath,
    [...extra, 'bin/podlab.mjs', 'serve', '--port', '0', '--data', dir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_NO_WARNINGS: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`podlab serve did not start: ${out}`)), 60_000);
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server.once('exit', (code) => reject(new Error(`podlab serve exited ${code}: ${out}`)));
  });
  return {
    url,
    cpuSeconds: () => processCpuSeconds(server.pid!),
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** The first answer body seen per non-201 status, to say what the statuses were. */
const samples = new Map<number, string>();

async function submit(
  url: string,
  lab: Lab,
  token: string,
  key: string,
  signal?: AbortSignal,
): Promise<number> {
  const res = await fetch(`${url}/v1/scenarios/${lab.name}/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/yaml', 'idempotency-key': key },
    body: lab.solution,
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  if (res.status !== 201 && !samples.has(res.status)) samples.set(res.status, text.slice(0, 200));
  return res.status;
}

function summary(latencies: number[], statuses: Map<number, number>) {
  latencies.sort((a, b) => a - b);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    statuses: [...statuses].map(([s, n]) => `${s}×${n}`).join(' '),
  };
}

/**
 * User plus system CPU of a process (all its threads) from /proc/PID/stat, in seconds: on a
 * shared machine, work per CPU-second is steadier than work per wall second.
 */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of proc(5), in clock ticks (USER_HZ = 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** `clients` concurrent clients, each its own student, `requests` submissions in all. */
async function closedLoop(
  url: string,
  tokens: string[],
  labs: Lab[],
  clients: number,
  requests: number,
  tag: string,
) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (next < requests) {
        const i = next++;
        const s = performance.now();
        const status = await submit(url, labs[i % labs.length]!, tokens[c]!, `${tag}-${i}`);
        latencies.push(performance.now() - s);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  return { perSecond: requests / wall, ...summary(latencies, statuses) };
}

/**
 * Student i arrives at window·sqrt((i + 0.5) / n): the density grows linearly towards the
 * deadline. The first RETRYING students' first connection drops after 20 ms (aborted); they
 * retry with the same Idempotency-Key after a 1 s back-off (compressed like the window).
 * Time to feedback runs from the first send to the answer that the student reads.
 */
async function deadlineBurst(url: string, tokens: string[], labs: Lab[]) {
  const window = (BURST_SECONDS * 1000) / BURST_COMPRESSION;
  const backoff = 1000 / BURST_COMPRESSION;
  const latencies: number[] = [];
  const retrying: number[] = [];
  const statuses = new Map<number, number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: STUDENTS }, async (_, i) => {
      // Spread the retrying students over the window (every 50th student).
      const retries = i % (STUDENTS / RETRYING) === 0;
      const at = window * Math.sqrt((i + 0.5) / STUDENTS);
      await new Promise((r) => setTimeout(r, Math.max(0, at - (performance.now() - t0))));
      const lab = labs[i % labs.length]!;
      const key = `burst-${i}`;
      const s = performance.now();
      let status: number;
      if (retries) {
        await submit(url, lab, tokens[i]!, key, AbortSignal.timeout(20)).catch(() => undefined);
        await new Promise((r) => setTimeout(r, backoff));
        status = await submit(url, lab, tokens[i]!, key);
      } else {
        status = await submit(url, lab, tokens[i]!, key);
      }
      const took = performance.now() - s;
      latencies.push(took);
      if (retries) retrying.push(took);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }),
  );
  retrying.sort((a, b) => a - b);
  return { ...summary(latencies, statuses), retryP50: quantile(retrying, 0.5) };
}
