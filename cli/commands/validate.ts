/**
 * `podlab validate FILE…`: what `kubectl apply --dry-run=server -f FILE` against a Kubernetes
 * 1.33 API server prints for each file (`pod/NAME created (server dry run)` on stdout, kubectl's
 * errors on stderr), each error followed by where it is in the file (line, column, caret).
 * Exit code 0 when every object applies, 1 when any is rejected, 2 on a usage error. `-` reads
 * standard input.
 */
import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_MAX_BYTES, kubectlOutput, loadManifests, renderError } from '../../src/manifest/index.ts';
import { parseArgs, UsageError } from '../args.ts';

const USAGE = 'usage: podlab validate FILE… [--quiet]';

/** Files past this size are refused unread (the loader's own limit is far lower anyway). */
const READ_CAP = 4 * 1024 * 1024;

function readText(file: string): string {
  const size = statSync(file).size;
  if (size > READ_CAP) {
    throw new Error(`${file} is too large: ${size} bytes (podlab reads at most ${DEFAULT_MAX_BYTES} bytes)`);
  }
  return readFileSync(file, 'utf8');
}

/** Runs `podlab validate` and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { boolean: ['quiet', 'help'] });
  if (args.options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError(`no file given\n${USAGE}`);
  let rejected = false;
  for (const file of args.positionals) {
    let text: string;
    // `-` reads standard input, which kubectl names STDIN in its messages.
    const name = file === '-' ? 'STDIN' : file;
    try {
      text = file === '-' ? readFileSync(0, 'utf8') : readText(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      process.stderr.write(
        code === 'ENOENT'
          ? `error: the path "${file}" does not exist\n`
          : `error: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      rejected = true;
      continue;
    }
    const result = loadManifests(text, { file: name, operation: 'apply', dryRun: true });
    const out = kubectlOutput(result, { dryRun: true });
    process.stdout.write(out.stdout);
    if (result.rejected.length > 0) {
      rejected = true;
      process.stderr.write(out.stderr);
      if (!args.options.quiet) {
        for (const e of result.errors) {
          const rendered = renderError(e, text).split('\n').slice(1).join('\n');
          if (rendered) process.stderr.write(`${rendered}\n`);
        }
      }
    }
    for (const w of result.warnings) process.stderr.write(`Warning: ${w.message}\n`);
  }
  return rejected ? 1 : 0;
}
