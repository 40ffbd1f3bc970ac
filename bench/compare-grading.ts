/**
 * Grades per CPU second of the ten Pod labs (every solution and mistake, round robin), for this
 * checkout and other checkouts of podlab, in interleaved rounds: the way issue 15's "grading
 * stays as fast as before" is measured on a shared machine, where only figures taken side by
 * side compare. Each round runs each checkout in a fresh process (PODLAB_COMPARE_WARM warm-up
 * grades, 2000 by default, then PODLAB_COMPARE_SECONDS of grading, 4 by default), and the table
 * prints the median and best round.
 *
 *   git worktree add --detach /tmp/old 249fdda && ln -s "$PWD/node_modules" /tmp/old/
 *   node --import ./bin/typescript.mjs bench/compare-grading.ts /tmp/old .
 *
 * The checkouts must have graders/index.ts with parseScenario and gradeSubmission (any commit
 * since the grader split); node:crypto's digest is used where the checkout has it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { labFiles, table } from './stats.ts';

/** The labs of the first chapter, which every compared commit has. */
const POD_LABS = [
  'init-containers',
  'liveness-exec',
  'liveness-httpget',
  'liveness-tcp',
  'pod-phases',
  'poststart-hook',
  'readiness-httpget',
  'readiness-service',
  'restart-backoff',
  'termination-grace',
];

/** Grades before a round is timed: V8 needs about this many to optimise the graders' code. */
const WARM_GRADES = Number(process.env.PODLAB_COMPARE_WARM ?? 2000);

/** One round in this process: grades per CPU second of `root`'s graders over its Pod labs. */
async function gradeRound(root: string, seconds: number): Promise<number> {
  const graders = await import(pathToFileURL(join(root, 'graders/index.ts')).href);
  const shaFile = join(root, 'functions/node-sha256.ts');
  const options = existsSync(shaFile)
    ? { sha256: (await import(pathToFileURL(shaFile).href)).nodeSha256 }
    : undefined;
  const grades: (() => unknown)[] = [];
  for (const lab of POD_LABS) {
    const dir = join(root, 'scenarios', lab);
    const parsed = graders.parseScenario(readFileSync(join(dir, 'scenario.yaml'), 'utf8'), lab);
    if (!parsed.ok) throw new Error(`${root}: ${lab} does not parse`);
    for (const f of labFiles(dir)) {
      const text = readFileSync(f, 'utf8');
      grades.push(() => graders.gradeSubmission(parsed.scenario, parsed.version, text, options));
    }
  }
  for (let i = 0; i < WARM_GRADES; i++) grades[i % grades.length]!();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let n = 0;
  while (Number(process.hrtime.bigint() - t0) / 1e9 < seconds) grades[n++ % grades.length]!();
  const cpu = process.cpuUsage(cpu0);
  return n / ((cpu.user + cpu.system) / 1e6);
}

/** Runs the rounds (each in its own process) and prints the table. */
async function main(): Promise<void> {
  const [flag, ...rest] = process.argv.slice(2);
  const seconds = Number(process.env.PODLAB_COMPARE_SECONDS ?? 4);
  if (flag === '--round') {
    console.log(String(await gradeRound(resolve(rest[0]!), seconds)));
    return;
  }
  const roots = [flag, ...rest].filter((r): r is string => r !== undefined).map((r) => resolve(r));
  if (roots.length === 0) roots.push(resolve('.'));
  const rounds = Number(process.env.PODLAB_COMPARE_ROUNDS ?? 6);
  const loader = resolve(import.meta.dirname, '../bin/typescript.mjs');
  const rates = new Map<string, number[]>(roots.map((r) => [r, []]));
  for (let i = 0; i < rounds; i++) {
    for (const root of roots) {
      const out = execFileSync(
        process.execPath,
        ['--import', loader, import.meta.filename, '--round', root],
        {
          encoding: 'utf8',
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      );
      rates.get(root)!.push(Number(out.trim().split('\n').at(-1)));
    }
  }
  console.log(`Ten Pod labs, grades per CPU second, ${rounds} interleaved rounds of ${seconds} s\n`);
  table(
    ['checkout', 'median', 'best', 'rounds'],
    [...rates].map(([root, xs]) => {
      // The lower median of an even count, as the figures in docs/performance.md were taken.
      const sorted = [...xs].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      return [root, median.toFixed(0), sorted.at(-1)!.toFixed(0), xs.map((x) => x.toFixed(0)).join(', ')];
    }),
  );
}

await main();
