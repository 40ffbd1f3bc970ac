/**
 * Check evaluation against a trace (scenario-format.md, section 1.4), with temporal forms:
 * `at T` (the state after every event of T), `within [T1, T2]` (holds at some instant),
 * `throughout [T1, T2]` (holds at every instant). States only change at record instants, so a
 * window is evaluated at T1 and at every change instant in (T1, T2].
 */
import type { ApiObject, Pod, Service } from '../src/model/k8s.ts';
import type { ContainerStatus, PodSnapshot, ServiceSnapshot } from '../src/model/status.ts';
import type { ImageDefinition } from '../src/model/trace.ts';
import { columnsOf } from './adapters.ts';
import { formatAt } from './duration.ts';
import { explainPod, type Focus } from './explain.ts';
import { formatSteps, jsonEqual, lookup, parseFieldPath } from './paths.ts';
import { podKey, serviceKey, type TraceIndex } from './trace-index.ts';
import type { Check, CheckSubject, ContainerExpect, CountSpec, PodExpect, When } from './types.ts';

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

// ---------- small formatting helpers ----------

/** `1`, `at least 1`, `at most 3`, `between 1 and 3`. */
export function formatCount(c: CountSpec): string {
  if (typeof c === 'number') return String(c);
  if (c.min !== undefined && c.max !== undefined)
    return c.min === c.max ? String(c.min) : `between ${c.min} and ${c.max}`;
  if (c.min !== undefined) return `at least ${c.min}`;
  if (c.max !== undefined) return `at most ${c.max}`;
  return 'any number';
}

function countHolds(c: CountSpec, n: number): boolean {
  if (typeof c === 'number') return n === c;
  return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}

function windowText(w: When): string {
  if (w.kind === 'at') return `at ${formatAt(w.at)}`;
  if (w.kind === 'within') return `at some instant between ${formatAt(w.from)} and ${formatAt(w.to)}`;
  return `from ${formatAt(w.from)} to ${formatAt(w.to)}`;
}

/** Instants at which a windowed check is evaluated for `keys`. */
function instants(index: TraceIndex, keys: string[], w: When): number[] {
  if (w.kind === 'at') return [w.at];
  const set = new Set<number>([w.from]);
  for (const k of keys) for (const t of index.changesIn(k, w.from, w.to)) set.add(t);
  return [...set].sort((a, b) => a - b);
}

// ---------- pod checks ----------

interface Term {
  /** `container app` for container keys: consecutive terms of one group print it once. */
  group?: string;
  label: string;
  expected: string;
  observed: string;
  ok: boolean;
  focus: Focus;
  detail?: { wantMoreRestarts?: boolean; wantReady?: boolean; container?: string };
}

interface PodObservation {
  exists: boolean;
  snapshot?: PodSnapshot;
}

function observePod(ctx: EvalContext, ns: string, name: string, t: number): PodObservation {
  const rec = ctx.index.stateAt(podKey(ns, name), t);
  if (!rec?.exists || rec.snapshot.kind !== 'Pod') return { exists: false };
  return { exists: true, snapshot: rec.snapshot };
}

function readyFromStatus(s: PodSnapshot): string {
  const ready = s.status.containerStatuses.filter((c) => c.ready).length;
  return `${ready}/${s.status.containerStatuses.length}`;
}

/** How one expectation field of a container reads its status: a row of the table below. */
type ContainerTerm<K extends keyof ContainerExpect> = (
  want: NonNullable<ContainerExpect[K]>,
  cs: ContainerStatus,
  name: string,
) => Omit<Term, 'group'>;

/** The container expectation fields, in the order their terms print. */
const CONTAINER_TERMS: { [K in keyof ContainerExpect]-?: ContainerTerm<K> } = {
  state: (want, cs) => ({
    label: 'state',
    expected: want,
    observed: cs.state.kind,
    ok: cs.state.kind === want,
    focus: 'containers',
  }),
  reason: (want, { state: st }) => ({
    label: 'reason',
    expected: want,
    observed: st.kind === 'running' ? '(none: running)' : st.reason,
    ok: st.kind !== 'running' && st.reason === want,
    focus: 'containers',
  }),
  exitCode: (want, cs) => {
    // A terminated container's exit code; for a waiting container after a termination (e.g.
    // CrashLoopBackOff), the last termination's, as `kubectl describe` shows under Last State.
    const st = cs.state;
    const code =
      st.kind === 'terminated' ? st.exitCode : st.kind === 'waiting' ? cs.lastState?.exitCode : undefined;
    return {
      label: 'exit code',
      expected: String(want),
      observed:
        code === undefined
          ? `none (${st.kind}${st.kind === 'running' ? '' : ', never terminated'})`
          : String(code),
      ok: code === want,
      focus: 'containers',
    };
  },
  ready: (want, cs) => ({
    label: 'ready',
    expected: String(want),
    observed: String(cs.ready),
    ok: cs.ready === want,
    focus: 'ready',
    detail: { wantReady: want },
  }),
  started: (want, cs) => ({
    label: 'started',
    expected: String(want),
    observed: String(cs.started),
    ok: cs.started === want,
    focus: 'containers',
  }),
  restarts: (want, cs, name) => {
    const min = typeof want === 'number' ? want : (want.min ?? 0);
    return {
      label: 'restarts',
      expected: formatCount(want),
      observed: String(cs.restartCount),
      ok: countHolds(want, cs.restartCount),
      focus: 'restarts',
      detail: { wantMoreRestarts: cs.restartCount < min, container: name },
    };
  },
};

function containerTerms(name: string, cs: ContainerStatus | undefined, e: ContainerExpect): Term[] {
  const group = `container ${name}`;
  if (!cs) {
    return [
      {
        label: group,
        expected: 'to have a status',
        observed: `no container ${name} in the Pod's status`,
        ok: false,
        focus: 'containers',
      },
    ];
  }
  const terms: Term[] = [];
  for (const key of Object.keys(CONTAINER_TERMS) as (keyof ContainerExpect)[]) {
    const want = e[key];
    if (want === undefined) continue;
    const term = (CONTAINER_TERMS[key] as ContainerTerm<typeof key>)(want as never, cs, name);
    terms.push({ group, ...term });
  }
  return terms;
}

/** A Pod as one check instant sees it: its status and its `kubectl get pods` columns. */
interface PodSeen {
  snapshot: PodSnapshot;
  cols: { ready: string; status: string; restartCount: number };
}

type PodTerm<K extends keyof PodExpect> = (want: NonNullable<PodExpect[K]>, seen: PodSeen) => Term[];

/** The Pod expectation fields other than `exists` and `containers`, in the order their terms print. */
const POD_TERMS: { [K in 'phase' | 'status' | 'ready' | 'restarts' | 'conditions']: PodTerm<K> } = {
  phase: (want, { snapshot: s }) => [
    { label: 'phase', expected: want, observed: s.status.phase, ok: s.status.phase === want, focus: 'phase' },
  ],
  status: (want, { cols }) => [
    { label: 'STATUS', expected: want, observed: cols.status, ok: cols.status === want, focus: 'phase' },
  ],
  ready: (want, { snapshot: s, cols }) => {
    if (typeof want === 'string') {
      const [wanted] = want.split('/');
      const [have] = cols.ready.split('/');
      return [
        {
          label: 'READY',
          expected: want,
          observed: cols.ready,
          ok: cols.ready === want,
          focus: 'ready',
          detail: { wantReady: Number(wanted) > Number(have) },
        },
      ];
    }
    const cond = s.status.conditions.find((c) => c.type === 'Ready');
    return [
      {
        label: 'Ready condition',
        expected: want ? 'True' : 'False',
        observed: cond?.status ?? 'absent',
        ok: (cond?.status === 'True') === want,
        focus: 'ready',
        detail: { wantReady: want },
      },
    ];
  },
  restarts: (want, { cols }) => {
    const min = typeof want === 'number' ? want : (want.min ?? 0);
    return [
      {
        label: 'RESTARTS',
        expected: formatCount(want),
        observed: String(cols.restartCount),
        ok: countHolds(want, cols.restartCount),
        focus: 'restarts',
        detail: { wantMoreRestarts: cols.restartCount < min },
      },
    ];
  },
  conditions: (want, { snapshot: s }) =>
    Object.entries(want).map(([type, status]) => {
      const cond = s.status.conditions.find((c) => c.type === type);
      return {
        label: `condition ${type}`,
        expected: status,
        observed: cond?.status ?? 'absent',
        ok: cond?.status === status,
        focus: 'conditions',
      };
    }),
};

function podTerms(
  ctx: EvalContext,
  ns: string,
  name: string,
  e: PodExpect,
  obs: PodObservation,
  t: number,
): Term[] {
  const terms: Term[] = [];
  if (e.exists !== undefined) {
    terms.push({
      label: 'Pod',
      expected: e.exists ? 'the Pod to exist' : 'the Pod to be gone',
      observed: obs.exists ? 'the Pod exists' : 'the Pod does not exist',
      ok: obs.exists === e.exists,
      focus: 'exists',
    });
  }
  const others = Object.keys(e).filter((k) => k !== 'exists');
  if (others.length === 0) return terms;
  if (!obs.exists || !obs.snapshot) {
    // `exists: true` already reports the missing Pod; `exists: false` makes the rest vacuous.
    if (e.exists === undefined)
      terms.push({
        label: 'Pod',
        expected: 'the Pod to exist',
        observed: 'the Pod does not exist',
        ok: false,
        focus: 'exists',
      });
    return terms;
  }
  const s = obs.snapshot;
  const spec = ctx.pods.get(podKey(ns, name));
  const cols = spec
    ? columnsOf(spec, s, t)
    : { ready: readyFromStatus(s), status: s.status.phase, restartCount: 0 };
  const seen: PodSeen = { snapshot: s, cols };
  for (const key of Object.keys(POD_TERMS) as (keyof typeof POD_TERMS)[]) {
    const want = e[key];
    if (want !== undefined) terms.push(...(POD_TERMS[key] as PodTerm<typeof key>)(want as never, seen));
  }
  for (const [cname, ce] of Object.entries(e.containers ?? {})) {
    const cs = [...s.status.initContainerStatuses, ...s.status.containerStatuses].find(
      (c) => c.name === cname,
    );
    terms.push(...containerTerms(cname, cs, ce));
  }
  return terms;
}

function joinTerms(terms: Term[], value: (t: Term) => string): string {
  let out = '';
  let group: string | undefined;
  for (const t of terms) {
    const piece = t.label === 'Pod' ? value(t) : `${t.label} ${value(t)}`;
    if (t.group !== undefined && t.group === group) out += `, ${piece}`;
    else if (t.group !== undefined) out += `${out ? '; ' : ''}${t.group} ${piece}`;
    else out += `${out ? (group !== undefined ? '; ' : ', ') : ''}${piece}`;
    group = t.group;
  }
  return out;
}

function termsExpected(terms: Term[]): string {
  return joinTerms(terms, (t) => t.expected);
}

function termsObserved(terms: Term[], labelled = false): string {
  if (!labelled && terms.length === 1 && terms[0]!.group === undefined) return terms[0]!.observed;
  return joinTerms(terms, (t) => t.observed);
}

function explainTerms(ctx: EvalContext, ns: string, name: string, t: number, failed: Term[]): string {
  const first = failed[0];
  if (!first) return '';
  const why = explainPod(
    { index: ctx.index, pods: ctx.pods, images: ctx.images },
    ns,
    name,
    t,
    first.focus,
    first.detail ?? {},
  );
  return why ? `: ${why}` : '';
}

function evaluatePod(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'pod' }>, w: When): Verdict {
  const ns = s.namespace;
  const key = podKey(ns, s.pod);
  const ts = instants(ctx.index, [key], w);
  const results = ts.map((t) => ({
    t,
    terms: podTerms(ctx, ns, s.pod, s.expect, observePod(ctx, ns, s.pod, t), t),
  }));
  const holds = (r: (typeof results)[number]) => r.terms.every((x) => x.ok);
  if (w.kind === 'within') {
    const hit = results.find(holds);
    if (hit)
      return { passed: true, output: `observed ${termsObserved(hit.terms, true)} at ${formatAt(hit.t)}` };
    // The closest miss: the instant where the most terms held (the earliest on ties).
    let best = results[0]!;
    for (const r of results)
      if (r.terms.filter((x) => x.ok).length > best.terms.filter((x) => x.ok).length) best = r;
    const failed = best.terms.filter((x) => !x.ok);
    const distinct = [
      ...new Set(
        results.map((r) => termsObserved(r.terms.filter((x) => failed.some((f) => f.label === x.label)))),
      ),
    ];
    const seen =
      distinct.length === 1
        ? `${distinct[0]} throughout the window`
        : `${distinct.slice(0, 4).join(', then ')}`;
    return {
      passed: false,
      output: `expected ${termsExpected(failed)} ${windowText(w)}; observed ${seen}${explainTerms(ctx, ns, s.pod, best.t, failed)}`,
    };
  }
  const bad = results.find((r) => !holds(r));
  if (!bad) {
    const last = results[results.length - 1]!;
    return {
      passed: true,
      output:
        w.kind === 'at'
          ? `observed ${termsObserved(last.terms, true)} at ${formatAt(last.t)}`
          : `observed ${termsObserved(last.terms, true)} ${windowText(w)}`,
    };
  }
  const failed = bad.terms.filter((x) => !x.ok);
  const when = w.kind === 'at' ? '' : ` at ${formatAt(bad.t)}`;
  return {
    passed: false,
    output: `expected ${termsExpected(failed)} ${windowText(w)}; observed ${termsObserved(failed)}${when}${explainTerms(ctx, ns, s.pod, bad.t, failed)}`,
  };
}

// ---------- event checks ----------

function evaluateEvent(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'event' }>, w: When): Verdict {
  const from = w.kind === 'at' ? w.at : w.from;
  const to = w.kind === 'at' ? w.at : w.to;
  const regex = s.messageRegex !== undefined ? new RegExp(s.messageRegex) : undefined;
  const all = ctx.index.eventsOf(podKey(s.namespace, s.pod));
  const matches = (e: (typeof all)[number]) =>
    e.reason === s.reason &&
    (s.type === undefined || e.type === s.type) &&
    (s.container === undefined || e.container === s.container) &&
    (s.message === undefined || e.message.includes(s.message)) &&
    (regex === undefined || regex.test(e.message));
  // A window is closed: an event exactly at a bound counts.
  const inWindow = all.filter((e) => e.at >= from && e.at <= to && matches(e));
  const want: CountSpec = s.count ?? { min: 1 };
  const plural = !['1', 'at least 1', 'at most 1'].includes(formatCount(want));
  const what = `${s.reason} event${plural ? 's' : ''}${s.message !== undefined ? ` with message containing "${s.message}"` : ''}${regex ? ` with message matching /${s.messageRegex}/` : ''} for Pod ${s.pod}${s.container ? ` (container ${s.container})` : ''}`;
  const when = w.kind === 'at' ? `at ${formatAt(w.at)}` : `between ${formatAt(from)} and ${formatAt(to)}`;
  const times =
    inWindow
      .slice(0, 6)
      .map((e) => formatAt(e.at))
      .join(', ') + (inWindow.length > 6 ? ', …' : '');
  if (countHolds(want, inWindow.length)) {
    return {
      passed: true,
      output:
        inWindow.length === 0
          ? `observed no ${what} ${when}`
          : `observed ${inWindow.length} ${s.reason} event${inWindow.length === 1 ? '' : 's'} ${when} (at ${times})`,
    };
  }
  let why = '';
  const outside = all.filter(matches).filter((e) => e.at < from || e.at > to);
  const sameReason = all.filter((e) => e.reason === s.reason && !matches(e));
  if (inWindow.length < (typeof want === 'number' ? want : (want.min ?? 0))) {
    if (outside.length > 0) {
      why = `: such events happened outside the window, at ${outside
        .slice(0, 6)
        .map((e) => formatAt(e.at))
        .join(', ')}`;
    } else if (sameReason.length > 0) {
      why = `: the ${s.reason} events had other messages, e.g. at ${formatAt(sameReason[0]!.at)}: "${sameReason[0]!.message.slice(0, 160)}"`;
    } else if (!ctx.index.records(podKey(s.namespace, s.pod)).length) {
      why = `: no Pod named ${s.pod} was created`;
    } else if (inWindow.length === 0) {
      const reasons = [...new Set(all.filter((e) => e.at <= to).map((e) => e.reason))];
      why =
        reasons.length > 0
          ? `: the Pod's events up to ${formatAt(to)} were ${reasons.join(', ')}`
          : `: the Pod had no events up to ${formatAt(to)}`;
    }
  }
  const seen = inWindow.length > 0 ? ` (at ${times})` : '';
  return {
    passed: false,
    output: `expected ${formatCount(want)} ${what} ${when}; observed ${inWindow.length}${seen}${why}`,
  };
}

// ---------- exec checks ----------

function execHolds(s: ExecSubject, r: ExecOutcome): { ok: boolean; observed: string } {
  if ('error' in r) return { ok: false, observed: r.error };
  const problems: string[] = [];
  if (s.exitCode !== undefined && r.exitCode !== s.exitCode) problems.push(`exit code ${r.exitCode}`);
  if (s.stdout !== undefined && !r.stdout.includes(s.stdout))
    problems.push(`stdout ${JSON.stringify(r.stdout.slice(0, 200))}`);
  if (s.stderr !== undefined && !r.stderr.includes(s.stderr))
    problems.push(`stderr ${JSON.stringify(r.stderr.slice(0, 200))}`);
  if (problems.length > 0) {
    if (s.exitCode === undefined || r.exitCode === s.exitCode) problems.unshift(`exit code ${r.exitCode}`);
    const extra =
      r.stderr.trim() && s.stderr === undefined
        ? ` (stderr: ${JSON.stringify(r.stderr.trim().slice(0, 200))})`
        : '';
    return { ok: false, observed: `${[...new Set(problems)].join(', ')}${extra}` };
  }
  return {
    ok: true,
    observed: `exit code ${r.exitCode}${r.stdout.trim() ? `, stdout ${JSON.stringify(r.stdout.trim().slice(0, 120))}` : ''}`,
  };
}

/**
 * Instants of a window at which an exec check is run: the Pod's status changes, and the
 * instants at which the container's files or processes may have changed without a status
 * change (scenario-format.md 1.4, `within`/`throughout` mean any/every instant): the Pod's
 * events, probe runs and log lines, and operator actions.
 */
function execInstants(index: TraceIndex, ns: string, pod: string, w: When): number[] {
  const base = instants(index, [podKey(ns, pod)], w);
  if (w.kind === 'at') return base;
  const set = new Set(base);
  const add = (t: number) => {
    if (t > w.from && t <= w.to) set.add(t);
  };
  for (const e of index.eventsOf(podKey(ns, pod))) add(e.at);
  for (const p of index.trace.probes) if (p.pod === pod && p.namespace === ns) add(p.at);
  for (const l of index.trace.logs) if (l.pod === pod && l.namespace === ns) add(l.at);
  for (const a of index.trace.actions) add(a.at);
  return [...set].sort((a, b) => a - b);
}

/** `n` of the sorted instants `ts`, evenly spread, keeping the first and the last. */
function spread(ts: number[], n: number): number[] {
  if (n <= 1) return ts.slice(0, n);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = ts[Math.round((i * (ts.length - 1)) / (n - 1))]!;
    if (out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

/** The instants an exec check runs its command at, at most `max` of them spread evenly. */
function execPlan(
  index: TraceIndex,
  s: ExecSubject,
  w: When,
  max: number,
): { instants: number[]; truncated: boolean } {
  const ts = execInstants(index, s.namespace, s.pod, w);
  return ts.length > max
    ? { instants: spread(ts, max), truncated: true }
    : { instants: ts, truncated: false };
}

/**
 * The exec runs the scenario's checks need against a run's trace (plan, before judging): every
 * instant of each exec check's window, as `evaluateCheck` will look them up.
 */
export function planExecs(
  checks: readonly Check[],
  index: TraceIndex,
  maxExecInstants: number,
): ExecRequest[] {
  const out: ExecRequest[] = [];
  for (const c of checks) {
    if (c.subject.kind !== 'exec' || c.when === undefined) continue;
    for (const at of execPlan(index, c.subject, c.when, maxExecInstants).instants)
      out.push({ subject: c.subject, at });
  }
  return out;
}

function evaluateExec(ctx: EvalContext, s: ExecSubject, w: When): Verdict {
  const cmd = s.command.join(' ');
  const wants: string[] = [];
  if (s.exitCode !== undefined) wants.push(`exit code ${s.exitCode}`);
  if (s.stdout !== undefined) wants.push(`stdout containing ${JSON.stringify(s.stdout)}`);
  if (s.stderr !== undefined) wants.push(`stderr containing ${JSON.stringify(s.stderr)}`);
  const expected = wants.length > 0 ? wants.join(', ') : 'the command to run';
  const { instants: ts, truncated } = execPlan(ctx.index, s, w, ctx.maxExecInstants);
  const results = ts.map((t) => ({ t, r: execHolds(s, ctx.execOutcome(s, t)) }));
  const note = truncated ? ` (evaluated at ${ctx.maxExecInstants} instants spread over the window only)` : '';
  if (w.kind === 'within') {
    const hit = results.find((x) => x.r.ok);
    if (hit)
      return {
        passed: true,
        output: `\`${cmd}\` in ${s.pod}: observed ${hit.r.observed} at ${formatAt(hit.t)}`,
      };
    const first = results[0]!;
    return {
      passed: false,
      output: `expected \`${cmd}\` in ${s.pod} to give ${expected} ${windowText(w)}; observed ${first.r.observed} at ${formatAt(first.t)}${results.length > 1 ? ' and at every later change in the window' : ''}${note}`,
    };
  }
  const bad = results.find((x) => !x.r.ok);
  if (!bad)
    return {
      passed: true,
      output: `\`${cmd}\` in ${s.pod}: observed ${results[0]!.r.observed} ${windowText(w)}${note}`,
    };
  return {
    passed: false,
    output: `expected \`${cmd}\` in ${s.pod} to give ${expected} ${windowText(w)}; observed ${bad.r.observed}${w.kind === 'at' ? '' : ` at ${formatAt(bad.t)}`}${note}`,
  };
}

// ---------- service checks ----------

function selectorText(sel: Record<string, string> | undefined): string {
  return sel
    ? Object.entries(sel)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '(none)';
}

function explainService(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'service' }>, t: number): string {
  const key = serviceKey(s.namespace, s.name);
  const rec = ctx.index.stateAt(key, t);
  if (!rec?.exists) {
    const all = ctx.index.records(key);
    const later = all.find((r) => r.at > t && r.exists);
    const gone = [...all].reverse().find((r) => r.at <= t && !r.exists);
    if (gone) return `: the Service was deleted at ${formatAt(gone.at)}`;
    if (later) return `: the Service is created only at ${formatAt(later.at)}`;
    return `: no Service named ${s.name} is created in namespace ${s.namespace}`;
  }
  const svc = ctx.services.get(key);
  const sel = svc?.spec.selector;
  if (!sel || Object.keys(sel).length === 0)
    return `: the Service has no selector, so it has no endpoints of its own`;
  const parts: string[] = [];
  let matching = 0;
  for (const [key, pod] of ctx.pods) {
    if (pod.metadata.namespace !== s.namespace) continue;
    const labels = pod.metadata.labels ?? {};
    if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
    const rec = ctx.index.stateAt(key, t);
    if (!rec?.exists || rec.snapshot.kind !== 'Pod') continue;
    matching++;
    const snap = rec.snapshot;
    const cols = columnsOf(pod, snap, t);
    const ready = snap.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
    if (snap.deletionTimestamp !== undefined) parts.push(`Pod ${pod.metadata.name} is terminating`);
    else if (!ready) {
      const why = explainPod(
        { index: ctx.index, pods: ctx.pods, images: ctx.images },
        s.namespace,
        pod.metadata.name,
        t,
        'ready',
        { wantReady: true },
      );
      parts.push(`Pod ${pod.metadata.name} is not ready (READY ${cols.ready})${why ? `: ${why}` : ''}`);
    } else parts.push(`Pod ${pod.metadata.name} is ready`);
  }
  if (matching === 0) {
    const others = [...ctx.pods.values()]
      .filter((p) => p.metadata.namespace === s.namespace)
      .slice(0, 3)
      .map(
        (p) =>
          `${p.metadata.name} has ${selectorText(p.metadata.labels) === '(none)' ? 'no labels' : `labels ${selectorText(p.metadata.labels)}`}`,
      );
    return `: no Pod with labels ${selectorText(sel)} exists at ${formatAt(t)}${others.length > 0 ? ` (${others.join('; ')})` : ''}`;
  }
  return `: ${parts.slice(0, 3).join('; ')}`;
}

function evaluateService(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'service' }>, w: When): Verdict {
  const key = serviceKey(s.namespace, s.name);
  // Endpoints change with the Pods behind the Service: include every Pod's change instants.
  const keys = [key, ...ctx.pods.keys()];
  const ts = instants(ctx.index, keys, w);
  const observe = (t: number) => {
    const rec = ctx.index.stateAt(key, t);
    const snap =
      rec?.exists && rec.snapshot.kind === 'Service' ? (rec.snapshot as ServiceSnapshot) : undefined;
    const problems: string[] = [];
    const seen: string[] = [];
    if (s.exists !== undefined) {
      seen.push(snap ? 'the Service exists' : 'the Service does not exist');
      if (Boolean(snap) !== s.exists)
        problems.push(snap ? 'the Service exists' : 'the Service does not exist');
    }
    if (s.readyEndpoints !== undefined) {
      if (!snap) problems.push(`Service ${s.name} does not exist`);
      else {
        const n = snap.readyAddresses.length;
        seen.push(`${n} ready endpoint${n === 1 ? '' : 's'}`);
        if (!countHolds(s.readyEndpoints, n)) problems.push(`${n} ready endpoint${n === 1 ? '' : 's'}`);
      }
    }
    return { t, ok: problems.length === 0, problems, seen };
  };
  const results = ts.map(observe);
  const wants: string[] = [];
  if (s.exists !== undefined) wants.push(s.exists ? 'the Service to exist' : 'the Service to be gone');
  if (s.readyEndpoints !== undefined) wants.push(`${formatCount(s.readyEndpoints)} ready endpoint(s)`);
  const expected = `expected ${wants.join(' and ')} for Service ${s.name} ${windowText(w)}`;
  if (w.kind === 'within') {
    const hit = results.find((r) => r.ok);
    if (hit) return { passed: true, output: `observed ${hit.seen.join(', ')} at ${formatAt(hit.t)}` };
    const first = results[0]!;
    return {
      passed: false,
      output: `${expected}; observed ${first.problems.join(', ')} at ${formatAt(first.t)}${results.length > 1 ? ' and at every later change in the window' : ''}${explainService(ctx, s, first.t)}`,
    };
  }
  const bad = results.find((r) => !r.ok);
  if (!bad) return { passed: true, output: `observed ${results[0]!.seen.join(', ')} ${windowText(w)}` };
  return {
    passed: false,
    output: `${expected}; observed ${bad.problems.join(', ')}${w.kind === 'at' ? '' : ` at ${formatAt(bad.t)}`}${explainService(ctx, s, bad.t)}`,
  };
}

// ---------- manifest checks ----------

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? 'undefined' : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function evaluateManifest(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'manifest' }>): Verdict {
  const entry = ctx.submitted.get(`${s.objectKind}/${s.namespace}/${s.name}`);
  if (!entry) {
    const names = [...ctx.submitted.keys()].map((k) => `${k.split('/')[0]}/${k.split('/')[2]}`);
    return {
      passed: false,
      output: `expected a ${s.objectKind} named ${s.name} in the submission; found ${names.length > 0 ? names.join(', ') : 'no objects'}`,
    };
  }
  const parsed = parseFieldPath(s.path);
  if (!parsed.ok) return { passed: false, output: parsed.message };
  // The defaulted object first (typed fields with API defaults), then the object as written.
  let hit = lookup(entry.object, parsed.steps);
  if (!hit.found) hit = lookup(entry.raw, parsed.steps);
  const where = `${s.path} of ${s.objectKind} ${s.name}`;
  const problems: string[] = [];
  const expected: string[] = [];
  if (s.exists !== undefined) {
    expected.push(s.exists ? 'to be set' : 'to be unset');
    if (hit.found !== s.exists)
      problems.push(hit.found ? `it is set to ${show(hit.value)}` : 'it is not set');
  }
  if (s.hasEquals) {
    expected.push(`to equal ${show(s.equals)}`);
    if (!hit.found || !jsonEqual(hit.value, s.equals))
      problems.push(hit.found ? `found ${show(hit.value)}` : 'it is not set');
  }
  if (s.oneOf !== undefined) {
    expected.push(`to be one of ${s.oneOf.map(show).join(', ')}`);
    if (!hit.found || !s.oneOf.some((o) => jsonEqual(hit.value, o)))
      problems.push(hit.found ? `found ${show(hit.value)}` : 'it is not set');
  }
  if (s.matches !== undefined) {
    expected.push(`to match /${s.matches}/`);
    const ok =
      hit.found &&
      (typeof hit.value === 'string' || typeof hit.value === 'number') &&
      new RegExp(s.matches).test(String(hit.value));
    if (!ok) problems.push(hit.found ? `found ${show(hit.value)}` : 'it is not set');
  }
  if (problems.length === 0) {
    return { passed: true, output: hit.found ? `${where} is ${show(hit.value)}` : `${where} is not set` };
  }
  let detail = '';
  if (!hit.found) {
    const upto = parsed.steps.slice(0, hit.missingAt);
    detail =
      upto.length > 0
        ? ` (${formatSteps(upto)} has no ${formatSteps(parsed.steps.slice(hit.missingAt, hit.missingAt + 1)).replace(/^\./, '')})`
        : '';
  }
  return {
    passed: false,
    output: `expected ${where} ${expected.join(' and ')}; ${[...new Set(problems)].join(', ')}${detail}`,
  };
}

/** Evaluates one check. Never throws on a missing subject: it fails with a message. */
export function evaluateCheck(check: Check, ctx: EvalContext): Verdict {
  const s = check.subject;
  if (s.kind === 'manifest') return evaluateManifest(ctx, s);
  const w = check.when!;
  switch (s.kind) {
    case 'pod':
      return evaluatePod(ctx, s, w);
    case 'event':
      return evaluateEvent(ctx, s, w);
    case 'exec':
      return evaluateExec(ctx, s, w);
    case 'service':
      return evaluateService(ctx, s, w);
  }
}
