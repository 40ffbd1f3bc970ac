/** A usage mistake on the command line: printed as is, exit code 2. */
export class UsageError extends Error {}

/** Parsed command-line arguments: positionals and `--flag value` / `--flag` options. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

/**
 * Parses `argv` against the known flags: `valued` take a value (`--x v` or `--x=v`),
 * `boolean` take none. Any other `--flag` is a usage error.
 */
export function parseArgs(argv: string[], spec: { valued?: string[]; boolean?: string[] }): ParsedArgs {
  const valued = new Set(spec.valued ?? []);
  const boolean = new Set(spec.boolean ?? []);
  const out: ParsedArgs = { positionals: [], options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (valued.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      out.options[name] = value;
    } else if (boolean.has(name) && eq === -1) {
      out.options[name] = true;
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}

/** The string value of option `name`, or `fallback`. */
export function optionString(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : fallback;
}
