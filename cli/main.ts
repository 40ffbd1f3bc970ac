/**
 * The `podlab` command line: dispatches to one module per command.
 * Exit codes (scenario-format.md, section 3): 0 a result was produced, 2 bad usage or an
 * invalid scenario file, 1 an internal fault.
 */
import { InternalError } from '../src/errors/internal.ts';
import { UsageError } from './args.ts';

type Command = { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> };

const commands: Record<string, Command> = {
  validate: {
    summary: 'validate FILE…                 what kubectl apply would print (server dry run)',
    load: () => import('./commands/validate.ts'),
  },
  simulate: {
    summary: 'simulate FILE… [--until 300s] [--actions FILE] [--output watch|json|events|describe|logs]',
    load: () => import('./commands/simulate.ts'),
  },
  grade: {
    summary: 'grade SCENARIO SUBMISSION [--json] [--instructor]',
    load: () => import('./commands/grade.ts'),
  },
  scenario: {
    summary: 'scenario check [PATH…]         validate scenario folders, run solutions and mistakes',
    load: () => import('./commands/scenario.ts'),
  },
  serve: {
    summary: 'serve [--port 8787] [--data DIR]   the HTTP API and web page on an embedded store',
    load: () => import('./commands/serve.ts'),
  },
  submit: {
    summary: 'submit --scenario NAME FILE [--server URL] [--token T]',
    load: () => import('./commands/submit.ts'),
  },
  token: {
    summary: 'token create --role student|instructor --user U --course C [--data DIR]',
    load: () => import('./commands/token.ts'),
  },
};

function usage(): string {
  return [
    'usage: podlab <command> [options]',
    '',
    ...Object.values(commands).map((c) => `  podlab ${c.summary}`),
  ].join('\n');
}

/** The report of an internal fault (exit 1): a bug in podlab, said plainly, with what finds the case again. */
export function internalFaultText(err: unknown): string {
  if (!(err instanceof InternalError))
    return `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  const lines = [
    `internal error: podlab failed in its ${err.stage}; this is a bug in podlab, not a problem with your files (nothing was graded)`,
    `  ${err.message}`,
  ];
  if (err.scenario !== undefined)
    lines.push(`  scenario: ${err.scenario} ${err.scenarioVersion ?? ''}`.trimEnd());
  if (err.inputDigest !== undefined) lines.push(`  input digest: ${err.inputDigest}`);
  lines.push('  please report it with the lines above and this stack:', err.detail);
  return lines.join('\n');
}

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`podlab: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`podlab ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`podlab ${name}: ${internalFaultText(err)}\n`);
    return 1;
  }
}
