/**
 * Simulator benchmarks: simulated seconds per wall second and engine events per second for the
 * course Pods over 1 h of virtual time; a crash-looping Pod over 24 h (goal < 50 ms); a Pod with
 * three probes every 1 s over 24 h (goal < 200 ms, < 100 MB); peak memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseActionsFile } from '../cli/commands/simulate.ts';
import { loadManifests } from '../src/manifest/index.ts';
import type { ApiObject } from '../src/model/k8s.ts';
import type { Action, SimOptions } from '../src/model/trace.ts';
import { resolveImage } from '../src/sim/runtime/index.ts';
import { defaultSimOptions, simulateWithStats } from '../src/sim/simulation.ts';
import { ms, quantile, table, timeRuns } from './stats.ts';

const GOLDEN = join(import.meta.dirname, '..', 'test', 'golden');

function load(name: string): { objects: ApiObject[]; actions: Action[] } {
  const objects = loadManifests(readFileSync(join(GOLDEN, `${name}.yaml`), 'utf8'), {
    file: name,
  }).objects.map((o) => o.object);
  const af = join(GOLDEN, `${name}.actions.yaml`);
  const actions = existsSync(af) ? parseActionsFile(readFileSync(af, 'utf8'), af).actions : [];
  return { objects, actions };
}

function opts(horizonS: number): SimOptions {
  const o = defaultSimOptions();
  o.budgets.horizonMs = horizonS * 1000;
  return o;
}

const pod = (spec: string) =>
  loadManifests(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: bench\nspec:\n${spec}`, {
    file: 'bench.yaml',
  }).objects.map((o) => o.object);

const CRASH = pod(`  containers:
    - name: c
      image: busybox:1.32.0
      command: [sh, -c, "echo crashing; exit 1"]
`);

const PROBES = pod(`  containers:
    - name: c
      image: nginx:1.17.10-alpine
      livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
      readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
      startupProbe: {exec: {command: [cat, /etc/nginx/nginx.conf]}, periodSeconds: 1, failureThreshold: 30}
`);

const EXEC_PROBES = pod(`  containers:
    - name: c
      image: busybox:1.32.0
      command: [sh, -c, "touch /tmp/ok; sleep 100000"]
      livenessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 1}
      readinessProbe: {exec: {command: [test, -e, /tmp/ok]}, periodSeconds: 1}
      startupProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 1}
`);

/** CPU milliseconds (user + system) of one call: robust on a machine shared with other work. */
function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function measure(
  name: string,
  objects: ApiObject[],
  actions: Action[],
  horizonS: number,
  n: number,
): (string | number)[] {
  const o = opts(horizonS);
  let events = 0;
  let endReason = '';
  const once = () => {
    const r = simulateWithStats(objects, actions, o, resolveImage);
    events = r.engineEvents;
    endReason = r.trace.endReason.kind;
  };
  const runs = timeRuns(once, n, Math.min(3, n));
  const cpu = Array.from({ length: n }, () => cpuMs(once)).sort((x, y) => x - y);
  const p50 = quantile(runs, 0.5);
  const c50 = quantile(cpu, 0.5);
  return [
    name,
    `${horizonS} s`,
    ms(p50),
    ms(c50),
    Math.round(horizonS / (c50 / 1000)).toLocaleString('en-US'),
    events,
    Math.round(events / (c50 / 1000)).toLocaleString('en-US'),
    endReason,
  ];
}

/** Prints the figures. */
export async function bench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const c of [
    'course-initcpod',
    'course-readinessprobepod',
    'course-livenessprobepod',
    'course-livenessprobenginxpod',
    'course-livenessprobenginxpod2',
    'course-lifecyclepod',
  ]) {
    const { objects, actions } = load(c);
    rows.push(measure(c, objects, actions, 3600, 10));
  }
  rows.push(measure('crash-loop busybox (goal < 50 ms)', CRASH, [], 86_400, 20));
  rows.push(measure('3 network/exec probes every 1 s, nginx (goal < 200 ms)', PROBES, [], 86_400, 7));
  rows.push(measure('3 exec probes every 1 s, busybox', EXEC_PROBES, [], 86_400, 5));
  table(
    ['case', 'virtual', 'wall p50', 'CPU p50', 'sim s / CPU s', 'engine events', 'events / CPU s', 'end'],
    rows,
  );

  const before = process.memoryUsage();
  let peak = before.heapUsed;
  const o = opts(86_400);
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 1);
  const r = simulateWithStats(PROBES, [], o, resolveImage);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  clearInterval(timer);
  console.log(
    `\n24 h, 3 probes/s: trace ${r.trace.probes.length} probe records, ${r.trace.records.length} object records; heap before ${(before.heapUsed / 1e6).toFixed(1)} MB, after ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB, peak seen ${(peak / 1e6).toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(1)} MB`,
  );
}
