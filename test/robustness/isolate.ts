/**
 * Runs hostile cases in a child process (child.ts) with a wall budget per case: a case that
 * throws, hangs past the budget or kills its process (a fatal out-of-memory) is reported as
 * such instead of taking the test worker down. The child is reused until a case kills it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** One case for the child: which code path and which corpus entry. */
export interface CaseRequest {
  kind: 'manifest' | 'scenario' | 'grade' | 'simulate';
  name: string;
  lab?: string;
  maxBytes?: number;
  horizonMs?: number;
}

/** One of the two runs of a case. */
export interface RunOutcome {
  /** Wall time of the run. */
  ms: number;
  /** CPU time of the run (user + system): what the safety net is held to, whatever the machine's load. */
  cpuMs: number;
  bytes: number;
  sha: string;
  summary: string;
  heapMB: number;
}

/** What became of a case. */
export type CaseOutcome =
  | { kind: 'result'; runs: RunOutcome[] }
  | { kind: 'threw'; message: string }
  | { kind: 'hang'; afterMs: number }
  | { kind: 'crash'; code: number | null; signal: string | null; stderr: string };

/** A reusable child process with a per-case kill timer. */
export class Isolated {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private stderr = '';

  constructor(private readonly maxOldSpaceMB = 1024) {}

  private start(): Promise<void> {
    this.stderr = '';
    const child = fork(join(import.meta.dirname, 'child.ts'), [], {
      execArgv: [
        '--import',
        join(import.meta.dirname, '..', '..', 'bin', 'typescript.mjs'),
        `--max-old-space-size=${this.maxOldSpaceMB}`,
      ],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`child exited before ready (${code}): ${this.stderr}`)));
    });
    return this.ready;
  }

  /** Runs one case (twice, inside the child) with `budgetMs` of wall time for both runs. */
  async run(req: CaseRequest, budgetMs: number): Promise<CaseOutcome> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) await this.start();
    else await this.ready;
    const child = this.child!;
    const t0 = Date.now();
    return new Promise<CaseOutcome>((resolve) => {
      const done = (o: CaseOutcome) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(o);
      };
      const onMessage = (m: CaseOutcome) => done(m);
      const onExit = (code: number | null, signal: string | null) => {
        this.child = undefined;
        done({
          kind: 'crash',
          code,
          signal,
          stderr: this.stderr
            .split('\n')
            .filter((l) => /FATAL|Error|error/.test(l))
            .slice(0, 3)
            .join(' | '),
        });
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = undefined;
        done({ kind: 'hang', afterMs: Date.now() - t0 });
      }, budgetMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(req);
    });
  }

  /** Stops the child. */
  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

/** A one-line description of an outcome, for assertion messages and the report. */
export function describeOutcome(o: CaseOutcome): string {
  switch (o.kind) {
    case 'result':
      return o.runs
        .map(
          (r) =>
            `${r.cpuMs.toFixed(0)} ms CPU (${r.ms.toFixed(0)} ms wall), ${r.bytes} B, rss ${r.heapMB} MB: ${r.summary}`,
        )
        .join(' ; ');
    case 'threw':
      return `THREW ${o.message.split('\n').slice(0, 3).join(' | ')}`;
    case 'hang':
      return `HANG: no answer after ${o.afterMs} ms (killed)`;
    case 'crash':
      return `CRASH: child exited code=${o.code} signal=${o.signal} ${o.stderr}`;
  }
}

/** CPU budget of one run of one hostile case: a generous safety net, not a performance target. */
export const PER_RUN_MS = 5_000;
/** Wall time after which a case (both runs) counts as hung and its child is killed; generous for a loaded machine. */
export const HANG_MS = 30_000;
