/** What a check is evaluated against, its verdict, and the helpers every check kind shares. */
import type { ApiObject, Pod, Service } from '../../src/model/k8s.ts';
import type { ImageDefinition } from '../../src/model/trace.ts';
import { formatAt } from '../duration.ts';
import type { TraceIndex } from '../trace-index.ts';
import type { CheckSubject, CountSpec, When } from '../types.ts';

/** The outcome of an exec check's command at one instant. */
export type ExecOutcome = { exitCode: number; stdout: string; stderr: string } | { error: string };

/** Everything a check is evaluated against. */
export interface EvalContext {
  index: TraceIndex;
  /** Pod specs by key (`Pod/<ns>/<name>`), the latest applied. */
  pods: Map<string, Pod>;
  /** Service specs by key. */
  services: Map<string, Service>;
  /** The submitted objects after defaulting, with their raw form, by `<Kind>/<ns>/<name>`. */
  submitted: Map<string, { object: ApiObject; raw: unknown }>;
  images: Record<string, ImageDefinition>;
  /**
   * The outcome of an exec check's command at an instant `planExecs` asked for: a lookup in the
   * results of the runs already done, never a run (judging is pure).
   */
  execOutcome(subject: ExecSubject, at: number): ExecOutcome;
  /** Most exec instants one check may ask for. */
  maxExecInstants: number;
}

/** The subject of an exec check. */
export type ExecSubject = Extract<CheckSubject, { kind: 'exec' }>;

/** An exec check's command at one instant. */
export interface ExecRequest {
  subject: ExecSubject;
  at: number;
}

/** A check's verdict and the sentence explaining it. */
export interface Verdict {
  passed: boolean;
  output: string;
}

/** `1`, `at least 1`, `at most 3`, `between 1 and 3`. */
export function formatCount(c: CountSpec): string {
  if (typeof c === 'number') return String(c);
  if (c.min !== undefined && c.max !== undefined)
    return c.min === c.max ? String(c.min) : `between ${c.min} and ${c.max}`;
  if (c.min !== undefined) return `at least ${c.min}`;
  if (c.max !== undefined) return `at most ${c.max}`;
  return 'any number';
}

/** Whether a count holds for `n`. */
export function countHolds(c: CountSpec, n: number): boolean {
  if (typeof c === 'number') return n === c;
  return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}

/** The window of a check in words: `at 10s`, `from 10s to 30s`, `at some instant between …`. */
export function windowText(w: When): string {
  if (w.kind === 'at') return `at ${formatAt(w.at)}`;
  if (w.kind === 'within') return `at some instant between ${formatAt(w.from)} and ${formatAt(w.to)}`;
  return `from ${formatAt(w.from)} to ${formatAt(w.to)}`;
}

/** Instants at which a windowed check is evaluated for `keys`. */
export function instants(index: TraceIndex, keys: string[], w: When): number[] {
  if (w.kind === 'at') return [w.at];
  const set = new Set<number>([w.from]);
  for (const k of keys) for (const t of index.changesIn(k, w.from, w.to)) set.add(t);
  return [...set].sort((a, b) => a - b);
}

/** What one object showed at an instant: what of it differs from the check, and what was seen. */
export interface Observation {
  t: number;
  ok: boolean;
  problems: string[];
  seen: string[];
}

/**
 * The verdict of a check over its instants: `within` passes at the first instant that holds,
 * `at` and `throughout` fail at the first that does not. `expected` opens a failure's sentence.
 */
export function windowVerdict(results: Observation[], expected: string, w: When): Verdict {
  if (w.kind === 'within') {
    const hit = results.find((r) => r.ok);
    if (hit) return { passed: true, output: `observed ${hit.seen.join(', ')} at ${formatAt(hit.t)}` };
    const last = results[results.length - 1]!;
    return {
      passed: false,
      output: `${expected}; observed ${last.problems.join(', ')} at ${formatAt(last.t)}`,
    };
  }
  const bad = results.find((r) => !r.ok);
  if (!bad) return { passed: true, output: `observed ${results[0]!.seen.join(', ')} ${windowText(w)}` };
  return {
    passed: false,
    output: `${expected}; observed ${bad.problems.join(', ')}${w.kind === 'at' ? '' : ` at ${formatAt(bad.t)}`}`,
  };
}
