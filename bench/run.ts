/**
 * `npm run bench`: runs every `bench/*.bench.ts` module (or those named on the command line)
 * and prints their figures. Benchmarks print; tests assert.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { bench: () => Promise<void> };
  console.log(`\n## ${file.replace('.bench.ts', '')}\n`);
  await mod.bench();
}
