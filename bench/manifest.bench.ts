/**
 * Manifest loader: load + decode + default + validate time per manifest (median, p99), for each
 * course manifest, a ~5 KB Pod and a 50-document file. Goal: p99 < 1 ms for a 5 KB manifest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HARD_MAX_BYTES, loadManifests } from '../src/manifest/index.ts';
import { ms, quantile, table, timeRuns } from './stats.ts';

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'course');

/** A valid Pod of about `bytes` bytes: containers with probes, env, ports and hooks. */
function bigPod(bytes: number): string {
  const lines = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: big',
    '  labels: {app: big, tier: web}',
    'spec:',
    '  containers:',
  ];
  for (let i = 0; lines.join('\n').length < bytes; i++) {
    lines.push(
      `    - name: c${i}`,
      '      image: nginx:1.17.10-alpine',
      '      command: [sh, -c, "nginx -g \'daemon off;\'"]',
      '      ports:',
      `        - {name: http${i}, containerPort: ${8000 + i}}`,
      '      env:',
      `        - {name: INDEX, value: "${i}"}`,
      '        - {name: MODE, value: production}',
      '      readinessProbe:',
      '        httpGet: {path: /healthz, port: 80}',
      '        initialDelaySeconds: 1',
      '        periodSeconds: 3',
      '      livenessProbe:',
      '        exec: {command: [cat, /tmp/healthy]}',
      '      lifecycle:',
      '        preStop: {exec: {command: [sh, -c, "sleep 1"]}}',
      '      resources: {limits: {cpu: 500m, memory: 128Mi}}',
    );
  }
  return `${lines.join('\n')}\n`;
}

function row(name: string, text: string, n: number): (string | number)[] {
  const bytes = Buffer.byteLength(text);
  const maxBytes = HARD_MAX_BYTES;
  const probe = loadManifests(text, { file: name, maxBytes });
  const cpu0 = process.cpuUsage();
  const runs = timeRuns(() => loadManifests(text, { file: name, maxBytes }), n, 500); // warm JIT and heap before timing
  const cpu = process.cpuUsage(cpu0);
  // CPU time per run (user + system, warm-up included): steadier than wall time on a shared machine.
  const cpuPerRun = (cpu.user + cpu.system) / 1000 / (n + Math.min(50, n));
  const outcome =
    probe.rejected.length > 0 ? `rejected (${probe.rejected.length})` : `${probe.objects.length} loaded`;
  return [name, bytes, outcome, ms(quantile(runs, 0.5)), ms(quantile(runs, 0.99)), ms(cpuPerRun)];
}

/** Prints the figures. */
export async function bench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.yml'))
    .sort()) {
    rows.push(row(f, readFileSync(join(dir, f), 'utf8'), 1000));
  }
  const five = bigPod(5000);
  rows.push(row('5 KB Pod (synthetic)', five, 1000));
  const docs = readdirSync(dir)
    .filter((x) => x.endsWith('.yml'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  const fifty = Array.from({ length: 50 }, (_, i) =>
    docs[i % docs.length]!.replace(/name: (\S+)/, `name: $1-${i}`),
  ).join('---\n');
  rows.push(row('50 documents', fifty, 200));
  table(['manifest', 'bytes', 'outcome', 'median', 'p99', 'CPU/run'], rows);
  console.log(
    `\n(load average at the end: ${(await import('node:os')).loadavg()[0]!.toFixed(1)} on ${(await import('node:os')).cpus().length} cores)`,
  );
}
