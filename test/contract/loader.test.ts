/**
 * bin/typescript.mjs: podlab's TypeScript loader (used by `podlab`, `npm run bench` and
 * `cdk synth`) compiles `.ts` files with types, JSON import attributes and source-mapped stack
 * traces, and without esbuild's keepNames wrappers (the reason it replaced tsx).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function run(code: string): string {
  return execFileSync(
    process.execPath,
    ['--import', join(ROOT, 'bin', 'typescript.mjs'), '--input-type=module', '-e', code],
    { cwd: ROOT, encoding: 'utf8' },
  );
}

describe('bin/typescript.mjs', () => {
  it('loads TypeScript with JSON imports; closures keep their plain names', () => {
    const out = run(
      "const m = await import('./test/fixtures/loader/sample.ts'); console.log(JSON.stringify([m.closureName, m.fromJson]));",
    );
    expect(JSON.parse(out)).toEqual(['named', 'hello']);
    expect(
      run("const m = await import('./test/fixtures/loader/sample.ts'); console.log(m.fail.toString());"),
    ).not.toContain('__name');
  });

  it('maps stack traces to the .ts source lines', () => {
    const out = run(
      "const m = await import('./test/fixtures/loader/sample.ts'); try { m.fail(); } catch (e) { console.log(e.stack.split('\\n')[1]); }",
    );
    expect(out).toMatch(/sample\.ts:16:\d+/);
  });
});
