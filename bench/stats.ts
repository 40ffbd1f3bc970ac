/** Small helpers shared by the benchmarks. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A lab folder's submissions: its solution, then its mistakes in name order. */
export function labFiles(labDir: string): string[] {
  const mistakes = join(labDir, 'mistakes');
  const names = existsSync(mistakes) ? readdirSync(mistakes).sort() : [];
  return [join(labDir, 'solution.yaml'), ...names.map((f) => join(mistakes, f))];
}

/** Times `fn` `n` times (after `warmup` runs) and returns per-run milliseconds, sorted. */
export function timeRuns(fn: () => unknown, n: number, warmup = Math.min(50, n)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

/** The q-quantile (0..1) of sorted numbers. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Formats milliseconds with 3 significant decimals. */
export function ms(x: number): string {
  return `${x < 1 ? x.toFixed(3) : x.toFixed(2)} ms`;
}

/** Prints a Markdown table. */
export function table(header: string[], rows: (string | number)[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
