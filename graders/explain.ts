/**
 * Why a Pod looks the way it does at an instant, told from the trace: liveness kills, grace
 * periods, back-off, readiness probe results, init containers, deletions. Used to complete a
 * failed check's output ("…; observed 0: the container was still stopping after …").
 */
import type { Container, Pod } from '../src/model/k8s.ts';
import type { ContainerStatus, PodSnapshot } from '../src/model/status.ts';
import type { ImageDefinition, SimEvent } from '../src/model/trace.ts';
import { imageOf } from './adapters.ts';
import { formatAt } from './duration.ts';
import { podKey, type TraceIndex } from './trace-index.ts';

/** What the explanation needs besides the trace. */
export interface ExplainContext {
  index: TraceIndex;
  pods: Map<string, Pod>;
  images: Record<string, ImageDefinition>;
}

/** Which part of the expectation failed; the explanation focuses on it. */
export type Focus = 'exists' | 'restarts' | 'ready' | 'phase' | 'containers' | 'conditions';

function allStatuses(s: PodSnapshot): ContainerStatus[] {
  return [...s.status.initContainerStatuses, ...s.status.containerStatuses];
}

function specOf(pod: Pod | undefined, name: string): { container: Container; init: boolean } | undefined {
  if (!pod) return undefined;
  const c = pod.spec.containers.find((x) => x.name === name);
  if (c) return { container: c, init: false };
  const i = pod.spec.initContainers?.find((x) => x.name === name);
  return i ? { container: i, init: true } : undefined;
}

function imageName(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const base = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return base.slice(base.lastIndexOf('/') + 1);
}

/** `busybox sh`, `nginx`: how to name the main process of a container in a sentence. */
function processName(c: Container, ctx: ExplainContext): string {
  const img = imageOf(c.image, ctx.images);
  const argv = c.command ?? [...(img?.entrypoint ?? []), ...(img?.cmd ?? [])];
  const prog = argv[0] ? argv[0].slice(argv[0].lastIndexOf('/') + 1) : '';
  const name = imageName(c.image);
  return prog && prog !== name ? `${name} ${prog}` : name;
}

function lastLog(
  ctx: ExplainContext,
  ns: string,
  pod: string,
  container: string,
  t: number,
): string | undefined {
  let text: string | undefined;
  for (const l of ctx.index.trace.logs) {
    if (l.at > t) break;
    if (l.pod === pod && l.namespace === ns && l.container === container && l.text.trim() !== '')
      text = l.text.trim();
  }
  return text;
}

function describeState(
  cs: ContainerStatus,
  init: boolean,
  ctx: ExplainContext,
  ns: string,
  pod: string,
  t: number,
): string {
  const who = `${init ? 'init container' : 'container'} ${cs.name}`;
  const st = cs.state;
  if (st.kind === 'running') {
    const log = lastLog(ctx, ns, pod, cs.name, t);
    return `${who} is running since ${formatAt(st.startedAt)}${log ? ` (last output: "${log.slice(0, 120)}")` : ''}`;
  }
  if (st.kind === 'terminated') {
    return `${who} terminated at ${formatAt(st.finishedAt)} with exit code ${st.exitCode} (${st.reason})`;
  }
  const last = cs.lastState;
  const after = last
    ? ` after exiting with code ${last.exitCode} (${last.reason}) at ${formatAt(last.finishedAt)}`
    : '';
  if (st.reason === 'CrashLoopBackOff') {
    // The kubelet's message names the pod's uid; the back-off delay is what a student needs.
    const delay = /back-off (\S+) restarting/.exec(st.message ?? '')?.[1];
    const policy = ctx.pods.get(podKey(ns, pod))?.spec.restartPolicy;
    let why = '';
    if (last && policy === 'Always' && last.exitCode === 0) {
      why = ' (restartPolicy Always restarts a container even when it exits with 0)';
    } else if (last && policy !== undefined && last.exitCode !== 0) {
      why = ` (restartPolicy ${policy} restarts a container that fails)`;
    }
    const log = lastLog(ctx, ns, pod, cs.name, t);
    const output = log ? `, last output "${log.slice(0, 120)}"` : '';
    return `${who} is waiting in CrashLoopBackOff${delay ? ` (back-off ${delay})` : ''}${after}${output}${init ? '' : why}`;
  }
  return `${who} is waiting: ${st.reason}${st.message ? ` (${st.message.slice(0, 160)})` : ''}${after}`;
}

/** The last Killing event of a container at or before t. */
function lastKilling(events: SimEvent[], container: string, t: number): SimEvent | undefined {
  let hit: SimEvent | undefined;
  for (const e of events) {
    if (e.at > t) break;
    if (e.reason === 'Killing' && (e.container === undefined || e.container === container)) hit = e;
  }
  return hit;
}

function graceFor(
  pod: Pod | undefined,
  c: Container | undefined,
  kill: SimEvent,
  snapshot: PodSnapshot,
): number | undefined {
  if (
    /failed liveness probe/.test(kill.message) &&
    c?.livenessProbe?.terminationGracePeriodSeconds !== undefined
  ) {
    return c.livenessProbe.terminationGracePeriodSeconds;
  }
  if (
    /failed startup probe/.test(kill.message) &&
    c?.startupProbe?.terminationGracePeriodSeconds !== undefined
  ) {
    return c.startupProbe.terminationGracePeriodSeconds;
  }
  return snapshot.deletionGracePeriodSeconds ?? pod?.spec.terminationGracePeriodSeconds;
}

function killCause(kill: SimEvent): string {
  if (/failed liveness probe/.test(kill.message)) return 'its liveness failure';
  if (/failed startup probe/.test(kill.message)) return 'its startup probe failure';
  if (/FailedPostStartHook/.test(kill.message)) return 'its postStart hook failure';
  if (/definition changed/.test(kill.message)) return 'its image change';
  return 'the deletion';
}

/** Restart instants of a container up to t, with what ended the instance before each. */
function restartHistory(ctx: ExplainContext, key: string, container: string, t: number): string[] {
  const out: string[] = [];
  const events = ctx.index.eventsOf(key);
  let prev = 0;
  let prevAt = -1;
  for (const r of ctx.index.records(key)) {
    if (r.at > t) break;
    if (!r.exists || r.snapshot.kind !== 'Pod') continue;
    const cs = allStatuses(r.snapshot).find((c) => c.name === container);
    if (!cs) continue;
    if (cs.restartCount > prev) {
      const last = cs.lastState;
      let cause = '';
      if (last) {
        const kill = events.filter(
          (e) =>
            e.reason === 'Killing' &&
            (e.container === undefined || e.container === container) &&
            e.at > prevAt &&
            e.at <= last.finishedAt,
        );
        const k = kill[kill.length - 1];
        cause = k
          ? ` (killed after ${killCause(k)} at ${formatAt(k.at)}, exit code ${last.exitCode} at ${formatAt(last.finishedAt)})`
          : ` (the previous instance exited with code ${last.exitCode}, ${last.reason}, at ${formatAt(last.finishedAt)})`;
      }
      out.push(`${formatAt(r.at)}${cause}`);
      prev = cs.restartCount;
      prevAt = r.at;
    }
  }
  return out;
}

/** `failed` or `errored`, the verb for a probe result. */
function probeOutcome(result: 'success' | 'failure' | 'error', output: string): string {
  if (result !== 'error') return result === 'success' ? 'succeeded' : 'failed';
  return missingBinary(output) ? 'could not run' : 'errored';
}

/** The binary an exec probe could not find, from the runtime's error text. */
function missingBinary(output: string): string | undefined {
  return /exec: "([^"]+)": executable file not found/.exec(output)?.[1];
}

/** `: <output>`, or for a missing binary why an errored probe never succeeds. */
function probeDetail(result: 'success' | 'failure' | 'error', output: string): string {
  const bin = result === 'error' ? missingBinary(output) : undefined;
  if (bin)
    return ` ("${bin}" is not in the image): an errored probe is neither a success nor a failure, so the container never becomes ready`;
  return output ? `: ${output.slice(0, 160)}` : '';
}

/** "the container was still stopping after … because … ignores SIGTERM …", when it was. */
function stillStopping(
  ctx: ExplainContext,
  pod: Pod | undefined,
  snap: PodSnapshot,
  cs: ContainerStatus,
  events: SimEvent[],
  t: number,
): string | undefined {
  const spec = specOf(pod, cs.name)?.container;
  const kill = lastKilling(events, cs.name, t);
  const startedAt = cs.state.kind === 'running' ? cs.state.startedAt : undefined;
  if (!kill || cs.state.kind !== 'running' || (startedAt !== undefined && startedAt > kill.at))
    return undefined;
  const grace = graceFor(pod, spec, kill, snap);
  const img = spec ? imageOf(spec.image, ctx.images) : undefined;
  const ignores = img ? !img.handlesStopSignal : undefined;
  let why = `the container was still stopping after ${killCause(kill)} at ${formatAt(kill.at)}`;
  if (ignores && spec && grace !== undefined) {
    why += `, because ${processName(spec, ctx)} ignores SIGTERM and is killed when the ${grace}s grace period ends (at ${formatAt(kill.at + grace * 1000)})`;
  } else if (grace !== undefined) {
    why += ` (grace period ${grace}s)`;
  }
  return why;
}

function explainNotRestarted(
  ctx: ExplainContext,
  ns: string,
  name: string,
  pod: Pod | undefined,
  snap: PodSnapshot,
  cs: ContainerStatus,
  t: number,
): string | undefined {
  const key = podKey(ns, name);
  const events = ctx.index.eventsOf(key);
  const spec = specOf(pod, cs.name)?.container;
  const stopping = stillStopping(ctx, pod, snap, cs, events, t);
  if (stopping) return stopping;
  if (cs.state.kind === 'waiting' && cs.state.reason === 'CrashLoopBackOff') {
    return describeState(cs, false, ctx, ns, name, t);
  }
  if (cs.state.kind === 'running' && spec?.livenessProbe) {
    const probes = ctx.index.trace.probes.filter(
      (p) =>
        p.at <= t &&
        p.pod === name &&
        p.namespace === ns &&
        p.container === cs.name &&
        p.probe === 'liveness',
    );
    const errors = probes.filter((p) => p.result === 'error');
    const failures = probes.filter((p) => p.result === 'failure');
    if (errors.length > 0 && failures.length === 0) {
      const bin = missingBinary(errors[errors.length - 1]!.output);
      return bin
        ? `the liveness probe could not run "${bin}" (not in the image); an errored probe is not a failure, so the kubelet never restarts the container`
        : `the liveness probe errored (${errors[errors.length - 1]!.output.slice(0, 160)}); an error is not a failure, so the kubelet never restarts the container`;
    }
    if (probes.length === 0) {
      return `the liveness probe had not run yet by ${formatAt(t)} (initialDelaySeconds ${spec.livenessProbe.initialDelaySeconds}, periodSeconds ${spec.livenessProbe.periodSeconds})`;
    }
    if (failures.length === 0)
      return `the liveness probe succeeded every time (${probes.length} probes by ${formatAt(t)})`;
    return `the liveness probe failed ${failures.length} time(s) by ${formatAt(t)}, the last at ${formatAt(failures[failures.length - 1]!.at)}; a restart needs failureThreshold ${spec.livenessProbe.failureThreshold} consecutive failures`;
  }
  if (cs.state.kind === 'running' && spec && !spec.livenessProbe)
    return `container ${cs.name} kept running: it has no liveness probe`;
  return describeState(cs, specOf(pod, cs.name)?.init ?? false, ctx, ns, name, t);
}

function explainReady(
  ctx: ExplainContext,
  ns: string,
  name: string,
  pod: Pod | undefined,
  snap: PodSnapshot,
  t: number,
  wantReady: boolean,
): string | undefined {
  if (snap.deletionTimestamp !== undefined && wantReady) {
    return `the Pod is terminating (deleted, grace period ${snap.deletionGracePeriodSeconds ?? '?'}s): a terminating Pod is not ready`;
  }
  const parts: string[] = [];
  for (const cs of snap.status.containerStatuses) {
    if (cs.ready === wantReady) continue;
    const spec = specOf(pod, cs.name)?.container;
    if (cs.state.kind !== 'running') {
      parts.push(describeState(cs, false, ctx, ns, name, t));
      continue;
    }
    if (!spec?.readinessProbe) {
      parts.push(
        wantReady
          ? `container ${cs.name} is running but not ready`
          : `container ${cs.name} has no readiness probe, so it is ready as soon as it runs`,
      );
      continue;
    }
    let last: (typeof ctx.index.trace.probes)[number] | undefined;
    for (const p of ctx.index.trace.probes) {
      if (p.at > t) break;
      if (p.pod === name && p.namespace === ns && p.container === cs.name && p.probe === 'readiness')
        last = p;
    }
    if (!last) {
      parts.push(
        `the readiness probe of ${cs.name} had not run yet by ${formatAt(t)} (initialDelaySeconds ${spec.readinessProbe.initialDelaySeconds})`,
      );
    } else if (last.result === 'success') {
      parts.push(`the readiness probe of ${cs.name} succeeded at ${formatAt(last.at)}`);
    } else {
      parts.push(
        `the readiness probe of ${cs.name} ${probeOutcome(last.result, last.output)} at ${formatAt(last.at)}${probeDetail(last.result, last.output)}`,
      );
    }
  }
  if (parts.length === 0 && snap.status.initContainerStatuses.some((c) => c.state.kind !== 'terminated')) {
    parts.push('the init containers have not all completed');
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function explainState(
  ctx: ExplainContext,
  ns: string,
  name: string,
  _pod: Pod | undefined,
  snap: PodSnapshot,
  t: number,
): string | undefined {
  const parts: string[] = [];
  if (snap.deletionTimestamp !== undefined)
    parts.push(`the Pod is being deleted (grace period ${snap.deletionGracePeriodSeconds ?? '?'}s)`);
  for (const cs of snap.status.initContainerStatuses) {
    if (cs.state.kind === 'terminated' && cs.state.exitCode === 0) continue;
    parts.push(describeState(cs, true, ctx, ns, name, t));
    break;
  }
  for (const cs of snap.status.containerStatuses) {
    if (cs.state.kind === 'running' && cs.ready) continue;
    parts.push(describeState(cs, false, ctx, ns, name, t));
  }
  const events = ctx.index.eventsOf(podKey(ns, name)).filter((e) => e.at <= t && e.type === 'Warning');
  const lastWarning = events[events.length - 1];
  // BackOff repeats what the CrashLoopBackOff state already says.
  if (lastWarning && lastWarning.reason !== 'BackOff')
    parts.push(
      `last warning at ${formatAt(lastWarning.at)}: ${lastWarning.reason} "${lastWarning.message.slice(0, 160)}"`,
    );
  return parts.length > 0 ? parts.slice(0, 4).join('; ') : undefined;
}

/**
 * Explains the state of Pod `ns/name` at `t` for the failing part of an expectation.
 * `wantRestartsMore`: the check expected more restarts than observed (else fewer).
 */
export function explainPod(
  ctx: ExplainContext,
  ns: string,
  name: string,
  t: number,
  focus: Focus,
  detail: { wantMoreRestarts?: boolean; wantReady?: boolean; container?: string } = {},
): string | undefined {
  const key = podKey(ns, name);
  const snap = ctx.index.snapshotAt(key, t, 'Pod');
  const pod = ctx.pods.get(key);
  if (!snap) {
    const all = ctx.index.records(key);
    if (all.length === 0) {
      const names = [...ctx.pods.values()].map((p) => p.metadata.name);
      return names.length > 0
        ? `no Pod named ${name} was created (Pods in the run: ${names.join(', ')})`
        : `no Pod named ${name} was created`;
    }
    const gone = [...all].reverse().find((r) => r.at <= t && !r.exists);
    if (gone) return `the Pod was deleted at ${formatAt(gone.at)}`;
    return `the Pod was created only at ${formatAt(all[0]!.at)}`;
  }
  if (focus === 'restarts') {
    const statuses = detail.container
      ? allStatuses(snap).filter((c) => c.name === detail.container)
      : [...snap.status.containerStatuses, ...snap.status.initContainerStatuses];
    if (detail.wantMoreRestarts) {
      for (const cs of statuses) {
        const why = explainNotRestarted(ctx, ns, name, pod, snap, cs, t);
        if (why) return why;
      }
      return undefined;
    }
    const parts = statuses
      .map((cs) => ({ cs, h: restartHistory(ctx, key, cs.name, t) }))
      .filter((x) => x.h.length > 0)
      .map((x) => `${x.cs.name} restarted at ${x.h.join(', ')}`);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (focus === 'ready') return explainReady(ctx, ns, name, pod, snap, t, detail.wantReady ?? true);
  if (focus === 'exists') {
    if (snap.deletionTimestamp === undefined) return undefined;
    const events = ctx.index.eventsOf(key);
    for (const cs of snap.status.containerStatuses) {
      const why = stillStopping(ctx, pod, snap, cs, events, t);
      if (why) return `the Pod is still terminating: ${why}`;
    }
    return `the Pod is still terminating (grace period ${snap.deletionGracePeriodSeconds ?? '?'}s)`;
  }
  return explainState(ctx, ns, name, pod, snap, t);
}
