/**
 * The process tree of one container process (PID 1, or one `kubectl exec` / exec probe / hook):
 * a cooperative scheduler of jobs written as generators, running in virtual time, with the
 * budgets (shell steps, output bytes, filesystem bytes) and signal delivery of the contract.
 */
import type { Listener, Process, ProcessHost, ProcessStep, Signal } from '../../model/runtime.ts';

/** What a job waits for when it yields. */
export type Req =
  /** Virtual time `until` (ms). */
  | { kind: 'sleep'; until: number }
  /** Background jobs ending (`wait`); interrupted by a trapped signal. */
  | { kind: 'wait'; pids: number[] }
  /** Something external that never comes in the simulation (a server waiting for input). */
  | { kind: 'forever' };

/** A resumable computation: yields requests, returns an exit status. */
export type Gen<T> = Generator<Req, T, void>;

/** Thrown inside a job when a budget runs out; the whole process then ends with that reason. */
export class BudgetExceeded {
  constructor(
    readonly budget: 'shellSteps' | 'logBytes' | 'fsBytes',
    readonly detail: string,
  ) {}
}

/** A lookup table without Object.prototype (so `valueOf` or `constructor` are not entries). */
export function nullProto<T>(o: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, o);
}

/** Thrown inside a job after its process ended (killed itself): unwinds without more effects. */
export class ProcessGone {}

/** Signal numbers (Linux x86-64), for `kill -N`, exit codes 128+N and `trap`. */
export const SIGNAL_NUMBERS: Record<Signal, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

/** Parses `TERM`, `SIGTERM`, `term` or `15` into a signal; also `EXIT`/`0` as 'EXIT'. */
export function parseSignal(s: string): Signal | 'EXIT' | undefined {
  const u = s.toUpperCase();
  if (u === 'EXIT' || u === '0') return 'EXIT';
  const name = (u.startsWith('SIG') ? u : `SIG${u}`) as Signal;
  if (name in SIGNAL_NUMBERS) return name;
  for (const [k, v] of Object.entries(SIGNAL_NUMBERS)) if (String(v) === s) return k as Signal;
  return undefined;
}

/** Where a writer's bytes go. */
export interface Sink {
  write(text: string): void;
}

interface Job {
  pid: number;
  gen: Gen<number>;
  block: Req | undefined;
  done: boolean;
  status: number;
  interrupted: boolean;
}

/** A kernel's own stdout or stderr (a class: no closure per process). */
class StreamSink implements Sink {
  constructor(
    private readonly k: Kernel,
    private readonly stream: 'stdout' | 'stderr',
  ) {}

  write(text: string): void {
    this.k.emit(this.stream, text);
  }
}

/** How a process's main program reacts to a signal that has no shell trap. */
export type SignalPolicy = (sig: Signal) => { exitCode: number } | 'ignore' | 'default';

/** The signal behaviour a shell registers with its kernel (its traps). */
export interface TrapTable {
  trapFor(sig: Signal): string | undefined;
}

/**
 * One process tree in virtual time. Jobs run one at a time until they block; the tree ends
 * when its first job (the main program) ends. Implements the contract's `Process`.
 */
/** Shell steps one process may take at a single virtual instant before its loop is cut off. */
export const MAX_STEPS_PER_INSTANT = 50_000;

export class Kernel implements Process {
  /** Virtual time now, as seen by the running job. */
  clock: number;
  steps = 0;
  /** Steps taken since virtual time last moved on (see MAX_STEPS_PER_INSTANT). */
  private stepsThisInstant = 0;
  private instant = Number.NEGATIVE_INFINITY;
  outBytes = 0;
  private readonly jobs = new Map<number, Job>();
  private mainPid = 0;
  private nextPid: number;
  private result: ProcessStep | undefined;
  private running = 0;
  private readonly servers: { pid: number; listener: Listener }[] = [];
  /** `listeners()` until the servers change (probes connect every tick). */
  private listening: readonly Listener[] | undefined;
  /** Signals caught by a trap and not yet handled by the main shell. */
  readonly pending: Signal[] = [];
  /** The main shell's traps, when the main program is a shell. */
  traps: TrapTable | undefined;
  /** Set while the main shell `exec`s a program: a shell it starts takes over signal delivery. */
  execHandoff = false;
  /** The main program's own signal handling (nginx, scenario servers). */
  signalPolicy: SignalPolicy | undefined;
  private readonly stdoutSink: Sink;
  private readonly stderrSink: Sink;

  constructor(
    readonly host: ProcessHost,
    now: number,
    readonly role: 'main' | 'exec',
  ) {
    this.clock = now;
    // PID 1 for the container's main process; exec'd processes get later PIDs.
    this.nextPid = role === 'main' ? 1 : 100;
    this.stdoutSink = new StreamSink(this, 'stdout');
    this.stderrSink = new StreamSink(this, 'stderr');
  }

  /** The sink for the process's own stdout or stderr (the container log or exec capture). */
  sink(stream: 'stdout' | 'stderr'): Sink {
    return stream === 'stdout' ? this.stdoutSink : this.stderrSink;
  }

  /**
   * Sends `sig` to the container's PID 1 from this exec'd process (same PID namespace): the
   * kernel drops SIGKILL to a namespace's init from inside, PID 1 ignores what it does not handle.
   */
  signalMain(sig: Signal): void {
    if (sig === 'SIGKILL') return;
    this.host.signalMain?.(sig, this.clock);
  }

  /** Where `/proc/1/fd/1|2` lead: this process's own output for PID 1, else the container log. */
  pid1Sink(stream: 'stdout' | 'stderr'): Sink {
    if (this.role === 'main') return this.sink(stream);
    const to = this.host.mainOutput;
    if (!to) return { write: () => undefined };
    return {
      write: (t) => {
        if (t === '') return;
        this.outBytes += t.length;
        if (this.outBytes > this.host.limits.maxOutputBytes) {
          throw new BudgetExceeded('logBytes', `output exceeded ${this.host.limits.maxOutputBytes} bytes`);
        }
        to(stream, t, this.clock);
      },
    };
  }

  /** Writes to the host, charging the output budget. */
  emit(stream: 'stdout' | 'stderr', text: string): void {
    if (this.result) throw new ProcessGone();
    if (text === '') return;
    this.outBytes += text.length;
    if (this.outBytes > this.host.limits.maxOutputBytes) {
      throw new BudgetExceeded('logBytes', `output exceeded ${this.host.limits.maxOutputBytes} bytes`);
    }
    this.host.write(stream, text, this.clock);
  }

  /**
   * Counts one shell step (a command or a loop iteration). Two limits: the process's whole
   * budget, and a tighter one on steps taken while virtual time stands still, which is what
   * a loop that never waits (`while true; do :; done`, `until false; do sleep 0; done`) does;
   * a loop that sleeps between iterations moves time on and only meets the whole budget.
   */
  step(): void {
    if (this.result) throw new ProcessGone();
    if (this.clock !== this.instant) {
      this.instant = this.clock;
      this.stepsThisInstant = 0;
    }
    const perInstant = Math.min(MAX_STEPS_PER_INSTANT, this.host.limits.maxShellSteps);
    if (++this.stepsThisInstant > perInstant) {
      throw new BudgetExceeded(
        'shellSteps',
        `more than ${perInstant} shell steps without virtual time passing (a loop that never waits)`,
      );
    }
    if (++this.steps > this.host.limits.maxShellSteps) {
      throw new BudgetExceeded('shellSteps', `more than ${this.host.limits.maxShellSteps} shell steps`);
    }
  }

  /** Starts a job; the first one started is the main program. */
  spawn(gen: Gen<number>): number {
    const pid = this.nextPid++;
    if (this.jobs.size === 0 && this.mainPid === 0) this.mainPid = pid;
    this.jobs.set(pid, { pid, gen, block: undefined, done: false, status: 0, interrupted: false });
    return pid;
  }

  /** The PID of the job running now. */
  currentPid(): number {
    return this.running;
  }

  /** Reserves the PID the next job will get (`$$` of the main shell). */
  peekPid(): number {
    return this.nextPid;
  }

  /** Whether a job exists and is still running. */
  alive(pid: number): boolean {
    const j = this.jobs.get(pid);
    return j !== undefined && !j.done;
  }

  /** The exit status of an ended job (127 for an unknown one, as `wait` reports). */
  statusOf(pid: number): number {
    const j = this.jobs.get(pid);
    return j?.done ? j.status : 127;
  }

  /** PIDs of background jobs still running. */
  runningBackground(): number[] {
    return [...this.jobs.values()].filter((j) => !j.done && j.pid !== this.mainPid).map((j) => j.pid);
  }

  /** Whether the main job was woken from `wait` by a trapped signal; clears the flag. */
  takeInterrupt(): boolean {
    const j = this.jobs.get(this.mainPid);
    if (!j?.interrupted) return false;
    j.interrupted = false;
    return true;
  }

  /** Ends a background job (default action of a signal sent by `kill`). */
  terminate(pid: number, status: number): void {
    const j = this.jobs.get(pid);
    if (!j || j.done) return;
    if (pid === this.mainPid) {
      this.finish({ kind: 'exited', exitCode: status });
      return;
    }
    j.done = true;
    j.status = status;
    if (this.running !== pid) j.gen.return(status);
    this.dropServers(pid);
  }

  /** Registers a server of job `pid` (`nc -l`, `httpd`, nginx) until the job ends. */
  listen(pid: number, listener: Listener): void {
    this.servers.push({ pid, listener });
    this.listening = undefined;
  }

  listeners(): readonly Listener[] {
    this.listening ??= this.servers.map((s) => s.listener);
    return this.listening;
  }

  private dropServers(pid: number): void {
    for (let i = this.servers.length - 1; i >= 0; i--)
      if (this.servers[i]!.pid === pid) this.servers.splice(i, 1);
    this.listening = undefined;
  }

  private finish(step: ProcessStep): void {
    this.result = step;
    this.servers.length = 0;
    this.listening = undefined;
    for (const j of this.jobs.values()) {
      if (!j.done) {
        j.done = true;
        if (this.running === j.pid) continue;
        // Closing runs the generator's finally blocks, which only restore shell state.
        try {
          j.gen.return(0);
        } catch {
          // a generator closing with an exception is ignored: the process is gone
        }
      }
    }
  }

  private ready(j: Job, now: number): number | undefined {
    if (j.done) return undefined;
    const b = j.block;
    if (b === undefined) return this.clock;
    if (b.kind === 'sleep') return b.until <= now ? Math.max(b.until, this.clock) : undefined;
    if (b.kind === 'wait') {
      if (j.interrupted) return this.clock;
      return b.pids.every((p) => !this.alive(p)) ? this.clock : undefined;
    }
    return undefined;
  }

  run(now: number): ProcessStep {
    if (this.result) return this.result;
    if (now < this.clock) now = this.clock;
    for (;;) {
      let best: Job | undefined;
      let bestAt = 0;
      for (const j of this.jobs.values()) {
        const at = this.ready(j, now);
        if (at !== undefined && (best === undefined || at < bestAt)) {
          best = j;
          bestAt = at;
        }
      }
      if (best === undefined) break;
      this.clock = Math.max(this.clock, bestAt);
      let r: IteratorResult<Req, number>;
      this.running = best.pid;
      try {
        r = best.gen.next();
      } catch (e) {
        this.running = 0;
        if (e instanceof ProcessGone && this.result) return this.result;
        if (e instanceof BudgetExceeded) {
          this.finish({ kind: 'budget', budget: e.budget, detail: e.detail });
          return this.result!;
        }
        if (e instanceof RangeError) {
          // Unbounded recursion: the real shell overflows its stack and dies of SIGSEGV.
          this.finish({ kind: 'exited', exitCode: 139 });
          return this.result!;
        }
        throw e;
      }
      this.running = 0;
      if (this.result) return this.result;
      if (r.done) {
        best.done = true;
        best.status = r.value;
        this.dropServers(best.pid);
        if (best.pid === this.mainPid) {
          this.finish({ kind: 'exited', exitCode: r.value });
          return this.result!;
        }
      } else {
        best.block = r.value;
      }
      // Drop finished background jobs' generators to keep memory bounded in long loops.
      if (this.jobs.size > 64) {
        for (const [pid, j] of this.jobs)
          if (j.done && pid !== this.mainPid && this.jobs.size > 64) this.jobs.delete(pid);
      }
    }
    this.clock = Math.max(this.clock, now);
    let wake: number | undefined;
    for (const j of this.jobs.values()) {
      if (!j.done && j.block?.kind === 'sleep' && (wake === undefined || j.block.until < wake))
        wake = j.block.until;
    }
    return wake === undefined ? { kind: 'idle' } : { kind: 'blocked', wakeAt: wake };
  }

  signal(signal: Signal, now: number): void {
    // Catch up to `now` first, so the signal is not seen by work scheduled before it.
    if (!this.result && now > this.clock && !this.running) this.run(now);
    if (this.result) return;
    this.clock = Math.max(this.clock, now);
    if (signal === 'SIGKILL') {
      this.finish({ kind: 'exited', exitCode: 128 + SIGNAL_NUMBERS.SIGKILL, signal: 'SIGKILL' });
      return;
    }
    const trap = this.traps?.trapFor(signal);
    if (trap !== undefined) {
      if (trap === '') return; // trap '' SIG: ignored
      this.pending.push(signal);
      const main = this.jobs.get(this.mainPid);
      // ash: a trapped signal interrupts the `wait` builtin, not a foreground child.
      if (main && main.block?.kind === 'wait') main.interrupted = true;
      return;
    }
    const policy = this.signalPolicy?.(signal) ?? 'default';
    if (policy === 'ignore') return;
    if (policy !== 'default') {
      this.finish({ kind: 'exited', exitCode: policy.exitCode });
      return;
    }
    // PID 1 of a PID namespace gets no default action for signals it does not handle.
    if (this.role === 'main') return;
    this.finish({ kind: 'exited', exitCode: 128 + SIGNAL_NUMBERS[signal], signal });
  }
}
