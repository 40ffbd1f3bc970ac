import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSha256 } from '../functions/node-sha256.ts';
import { gradeSubmission, parseScenario } from '../graders/index.ts';
const root = new URL('../scenarios/', import.meta.url).pathname;
const only = process.argv[2]?.split(',');
const all: (() => unknown)[] = [];
for (const name of readdirSync(root).filter((n) => existsSync(join(root, n, 'scenario.yaml'))).sort()) {
  if (only && !only.includes(name)) continue;
  const p = parseScenario(readFileSync(join(root, name, 'scenario.yaml'), 'utf8'), name);
  if (!p.ok) throw new Error(name);
  const files = [join(root, name, 'solution.yaml')];
  const m = join(root, name, 'mistakes');
  if (existsSync(m)) for (const f of readdirSync(m).sort()) files.push(join(m, f));
  for (const f of files) { const t = readFileSync(f, 'utf8'); all.push(() => gradeSubmission(p.scenario, p.version, t, { sha256: nodeSha256 })); }
}
for (let i = 0; i < 300; i++) all[i % all.length]!();
const t0 = performance.now(); const c0 = process.cpuUsage(); let n = 0;
while (performance.now() - t0 < 4000) all[n++ % all.length]!();
const c = process.cpuUsage(c0);
console.log(n, 'in', ((performance.now() - t0) / 1000).toFixed(2), 's;', (n / ((c.user + c.system) / 1e6)).toFixed(0), 'per cpu s');
