import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../cli/args.ts';
import { run } from '../../cli/commands/validate.ts';

const fixtures = (f: string) => join(import.meta.dirname, '..', 'fixtures', 'course', f);

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    const code = await run(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('podlab validate', () => {
  it('prints the server dry-run lines and exits 0 when everything applies', async () => {
    const r = await capture([fixtures('initcpod.yml'), fixtures('initcservice1.yml')]);
    expect(r).toEqual({
      code: 0,
      stdout: 'pod/myapp-pod created (server dry run)\nservice/myservice created (server dry run)\n',
      stderr: '',
    });
  });

  it("prints kubectl's error with the position and exits 1 when an object is rejected", async () => {
    const file = fixtures('readinessprobepod.yml');
    const r = await capture([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'The Pod "readinessprobe-pod" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
        `  --> ${file}:18:7`,
        '   |',
        '18 |       restartPolicy: Always',
        '   |       ^',
        '',
      ].join('\n'),
    );
  });

  it('--quiet prints only what kubectl prints; a missing file is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-validate-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: busybox\n      foo: 1\n',
    );
    const r = await capture(['--quiet', f, join(dir, 'missing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${f}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo"\nerror: the path "${join(dir, 'missing.yaml')}" does not exist\n`,
    );
  });

  it('usage errors', async () => {
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--nope'])).rejects.toBeInstanceOf(UsageError);
  });
});
