import type { ContainerStatus, PodSnapshot } from '../../src/model/status.ts';
import { columnsOf } from '../adapters.ts';
import { formatAt } from '../duration.ts';
import { explainPod, type Focus } from '../explain.ts';
import { podKey } from '../trace-index.ts';
import type { CheckSubject, ContainerExpect, PodExpect, When } from '../types.ts';
import { countHolds, type EvalContext, formatCount, instants, type Verdict, windowText } from './context.ts';

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
  const snapshot = ctx.index.snapshotAt(podKey(ns, name), t, 'Pod');
  return snapshot ? { exists: true, snapshot } : { exists: false };
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

/** Evaluates a `pod` check. */
export function evaluatePod(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'pod' }>, w: When): Verdict {
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
