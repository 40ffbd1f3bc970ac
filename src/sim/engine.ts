/**
 * The simulator's clock and event queue: virtual integer milliseconds, a binary heap with a
 * TOTAL order (time, fixed priority by event kind, insertion sequence) so that events at the
 * same instant never depend on luck, and cooperative tasks (generators) for the kubelet's
 * sequential work (a pod sync, a container kill, a hook). No wall clock, no randomness, no I/O
 * (semantics page, section 13).
 */
import type { EndReason, ShouldStop } from '../model/trace.ts';

/** How many events run between two polls of the adapter's `shouldStop` (a poll may read a clock). */
export const STOP_POLL_EVENTS = 256;

/** Fixed priorities of event kinds at one instant (lower runs first). */
export const Prio = {
  /** A task's timer (a pull finished, a grace period ended, a hook's sleep ended). */
  timer: 20,
  /** Tasks waiting on a condition re-check it. */
  notify: 30,
  /** A probe worker's tick. */
  probe: 40,
  /**
   * A process wakes up (sleep ended) and computes. After the probe ticks of the same instant:
   * on a node, probe ticks are phased on Pod admission (prober worker.go) and the container
   * starts a moment later, so `sleep 30; rm f` removes f just after the tick at +30 s, not
   * before it (the course's liveness pod is killed at 39 s and restarted at 69 s).
   */
  process: 45,
  /** A pod worker sync (SyncPod). */
  sync: 50,
  /** activeDeadlineSeconds expiry. */
  deadline: 60,
  /** Operator actions: after the simulator's own events of the instant (scenario-format 1.2). */
  action: 90,
  /** A shadow exec's deadline: after everything else of the instant. */
  shadowDeadline: 100,
} as const;

/** A scheduled event; `cancel` it to drop it. */
export interface Timer {
  at: number;
  prio: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
  /** An observer's event (a shadow exec): not counted, no `afterEach`, leaves `now` as it was. */
  free?: boolean;
}

/** What a task waits for: an instant, a condition (re-checked on `notify` of its scope), or both. */
export interface Wait {
  until?: number;
  cond?: () => boolean;
}

/** A group of tasks woken together when something in it changes (one per Pod). */
export interface Scope {
  waiters: Set<Task>;
  notifyPending: boolean;
}

/** A cooperative task: a generator that yields what it waits for. */
export interface Task {
  gen: Generator<Wait, void, void>;
  scope: Scope;
  timer?: Timer;
  wait?: Wait;
  done: boolean;
  cancelled: boolean;
}

/** Thrown inside the engine only to unwind when a budget ends the run. */
class BudgetStop {
  constructor(readonly reason: EndReason) {}
}

function less(a: Timer, b: Timer): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.prio !== b.prio) return a.prio < b.prio;
  return a.seq < b.seq;
}

/** The event loop of one run. */
export class Engine {
  /** The current virtual instant (ms). Never decreases. */
  now = 0;
  /** Events processed so far. */
  processed = 0;
  /** Priority of the event being processed (events of lower priority at this instant already ran). */
  currentPrio = 0;
  private heap: Timer[] = [];
  /** The task whose generator is executing now (it cannot be resumed or returned re-entrantly). */
  private current: Task | undefined;
  private seq = 0;
  private endReason: EndReason | undefined;

  constructor(
    readonly horizonMs: number,
    readonly maxEvents: number,
    private readonly shouldStop?: ShouldStop,
  ) {}

  /**
   * Schedules `fn` at `at` (clamped to now: time never goes back). A `free` event must change no
   * simulated state: it is not counted against `maxEvents`, gets no `afterEach`, and the clock
   * the next event sees is the one it would have seen without it.
   */
  schedule(at: number, prio: number, fn: () => void, free = false): Timer {
    // A non-finite instant (a malformed duration) never comes: park it after the horizon.
    const when = Number.isFinite(at) ? Math.max(this.now, Math.floor(at)) : this.horizonMs + 1;
    const t: Timer = { at: when, prio, seq: this.seq++, fn, cancelled: false };
    if (free) t.free = true;
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
    return t;
  }

  /** Drops a scheduled event (no effect if it already ran). */
  cancel(t: Timer | undefined): void {
    if (t) t.cancelled = true;
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Ends the run now with a budget reason (callable from inside an event). */
  stop(reason: EndReason): never {
    throw new BudgetStop(reason);
  }

  /** Whether the run already ended. */
  get ended(): boolean {
    return this.endReason !== undefined;
  }

  /**
   * Runs events in order up to and including the horizon, calling `afterEach` after every
   * event (to record state changes). Returns why the run ended.
   */
  run(afterEach: () => void): EndReason {
    try {
      for (;;) {
        const t = this.pop();
        if (!t) break;
        if (t.cancelled) continue;
        if (t.at > this.horizonMs) break;
        if (t.free) {
          const now = this.now;
          const prio = this.currentPrio;
          this.now = t.at;
          this.currentPrio = t.prio;
          try {
            t.fn();
          } finally {
            this.now = now;
            this.currentPrio = prio;
          }
          continue;
        }
        if (this.processed >= this.maxEvents) {
          this.stop({
            kind: 'budget',
            budget: 'events',
            detail: `the simulation processed ${this.maxEvents} events by ${this.now} ms without reaching its horizon (${this.horizonMs} ms); the run was stopped`,
          });
        }
        if (
          this.shouldStop &&
          this.processed % STOP_POLL_EVENTS === 0 &&
          this.processed > 0 &&
          this.shouldStop()
        ) {
          this.stop({
            kind: 'budget',
            budget: 'time',
            detail: `grading ran out of wall time after ${this.processed} events, at ${this.now} ms of simulated time`,
          });
        }
        this.processed++;
        this.now = t.at;
        this.currentPrio = t.prio;
        t.fn();
        afterEach();
      }
      this.now = Math.max(this.now, this.horizonMs);
      this.endReason = { kind: 'horizon' };
    } catch (e) {
      if (!(e instanceof BudgetStop)) throw e;
      afterEach();
      this.endReason = e.reason;
    }
    return this.endReason;
  }

  /** A new task scope. */
  newScope(): Scope {
    return { waiters: new Set(), notifyPending: false };
  }

  /** Starts a task now: it runs until its first wait. */
  startTask(gen: Generator<Wait, void, void>, scope: Scope): Task {
    const task: Task = { gen, scope, done: false, cancelled: false };
    this.step(task);
    return task;
  }

  /** Cancels a task: it never resumes. */
  cancelTask(task: Task | undefined): void {
    if (!task || task.done || task.cancelled) return;
    task.cancelled = true;
    this.cancel(task.timer);
    task.scope.waiters.delete(task);
    // A task cancelling itself stops at its next yield; others end now.
    if (task !== this.current) task.gen.return(undefined);
  }

  private step(task: Task): void {
    this.cancel(task.timer);
    task.timer = undefined;
    task.scope.waiters.delete(task);
    task.wait = undefined;
    for (let guard = 0; ; guard++) {
      if (task.cancelled) return;
      if (guard > 10_000) {
        this.stop({ kind: 'budget', budget: 'events', detail: `a kubelet task looped at ${this.now} ms` });
      }
      const outer = this.current;
      this.current = task;
      let r: IteratorResult<Wait, void>;
      try {
        r = task.gen.next();
      } finally {
        this.current = outer;
      }
      if (r.done) {
        task.done = true;
        this.notify(task.scope);
        return;
      }
      const w = r.value;
      if (w.cond?.()) continue;
      if (w.until !== undefined && w.until <= this.now) continue;
      task.wait = w;
      if (w.until !== undefined && Number.isFinite(w.until)) {
        task.timer = this.schedule(w.until, Prio.timer, () => this.step(task));
      }
      if (w.cond) task.scope.waiters.add(task);
      return;
    }
  }

  /** Something in `scope` changed: tasks waiting on a condition re-check it at this instant. */
  notify(scope: Scope): void {
    if (scope.notifyPending || scope.waiters.size === 0) return;
    scope.notifyPending = true;
    this.schedule(this.now, Prio.notify, () => {
      scope.notifyPending = false;
      for (const t of [...scope.waiters]) {
        if (!t.cancelled && !t.done && t.wait?.cond?.()) this.step(t);
      }
    });
  }
}
