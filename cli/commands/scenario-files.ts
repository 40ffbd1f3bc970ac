/** Shared by `podlab grade` and `podlab scenario check`: finding and loading scenario files. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseScenarioResult, parseScenario, type ScenarioError } from '../../graders/index.ts';
import { UsageError } from '../args.ts';

/** The package root (resolved from this module, not from the working directory). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built-in labs' folder. */
export const BUILTIN_SCENARIOS = join(PACKAGE_ROOT, 'scenarios');

/** Names of the built-in labs (folders under scenarios/ holding a scenario.yaml). */
export function builtinNames(): string[] {
  if (!existsSync(BUILTIN_SCENARIOS)) return [];
  return readdirSync(BUILTIN_SCENARIOS)
    .filter((n) => existsSync(join(BUILTIN_SCENARIOS, n, 'scenario.yaml')))
    .sort();
}

/** A scenario file path from a file, a folder or a built-in lab name. */
export function resolveScenarioPath(arg: string): string {
  if (existsSync(arg)) {
    const st = statSync(arg);
    if (st.isDirectory()) {
      const file = join(arg, 'scenario.yaml');
      if (!existsSync(file)) throw new UsageError(`${arg}: no scenario.yaml in this folder`);
      return file;
    }
    return arg;
  }
  if (/^[a-z0-9-]+$/.test(arg) && existsSync(join(BUILTIN_SCENARIOS, arg, 'scenario.yaml'))) {
    return join(BUILTIN_SCENARIOS, arg, 'scenario.yaml');
  }
  const names = builtinNames();
  throw new UsageError(
    `no scenario file, folder or built-in lab named "${arg}"${names.length > 0 ? ` (built-in labs: ${names.join(', ')})` : ''}`,
  );
}

/** A path as shown to the user: relative to the working directory when shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && rel.length < path.length ? rel : path;
}

/** Formats scenario errors as `file:line:column: message (path)`. */
export function formatScenarioErrors(file: string, errors: ScenarioError[]): string {
  return errors
    .map((e) => {
      const where =
        e.line !== undefined ? `${file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : file;
      return `${where}: ${e.message}${e.path ? ` (at ${e.path})` : ''}`;
    })
    .join('\n');
}

/** Reads and parses a scenario file. */
export function loadScenarioFile(path: string): ParseScenarioResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, errors: [{ message: `cannot read: ${(err as Error).message}`, path: '' }] };
  }
  return parseScenario(text, displayPath(path));
}
