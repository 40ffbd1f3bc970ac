/**
 * Node.js module hooks that load podlab's TypeScript (`.ts`) as ES modules, compiled one file at
 * a time by esbuild. Registered by `bin/typescript.mjs`.
 *
 * podlab has its own loader rather than tsx because tsx compiles with esbuild's `keepNames`,
 * which wraps every function expression in a `__name(…)` call: the simulator creates closures on
 * hot paths, and those calls made it about twice as slow as the Lambda bundles, which are built
 * without them (docs/performance.md).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/** Compiles `.ts` files; everything else loads as Node.js would load it. */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    // The running Node.js: esbuild keeps what it supports (import attributes, `using`, …).
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcefile: path,
  });
  return { format: 'module', source: code, shortCircuit: true };
}
