/**
 * Lists the import cycles among the TypeScript files under a folder (default `src`), one per
 * line as `a.ts -> b.ts -> a.ts`, and exits 1 when there is any. Relative imports only (both
 * value and `import type`, as madge counts them); `export … from` counts as an import.
 *
 *   node --import ./bin/typescript.mjs scripts/find-cycles.ts [folder]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]/g;

/** Every `.ts` file under `root`, as absolute paths, sorted. */
export function tsFiles(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The relative imports of each file that resolve to another file of the set. */
export function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1] ?? ''));
    graph.set(file, [...new Set(targets.filter((t) => known.has(t)))]);
  }
  return graph;
}

/** The elementary cycles found by a depth-first walk, each once (rotated to its smallest file). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (node: string): void => {
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (onStack.has(next)) {
        const cycle = stack.slice(stack.indexOf(next));
        const min = cycle.indexOf([...cycle].sort()[0] ?? next);
        const rotated = [...cycle.slice(min), ...cycle.slice(0, min)];
        const key = rotated.join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(rotated);
        }
      } else if (!done.has(next)) visit(next);
    }
    stack.pop();
    onStack.delete(node);
    done.add(node);
  };
  for (const node of graph.keys()) if (!done.has(node)) visit(node);
  return cycles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(process.argv[2] ?? 'src');
  const cycles = findCycles(importGraph(tsFiles(root)));
  for (const cycle of cycles) {
    const names = [...cycle, cycle[0] ?? ''].map((f) => relative(process.cwd(), f));
    console.log(names.join(' -> '));
  }
  console.log(`${cycles.length} cycle(s) under ${relative(process.cwd(), root) || '.'}`);
  process.exitCode = cycles.length > 0 ? 1 : 0;
}
