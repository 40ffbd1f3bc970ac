/**
 * `kubectl logs POD [-c C] [--previous]` over `Trace.logs`: container defaulting as kubectl
 * 1.33 does it (polymorphichelpers/logsforobject.go), instance choice and error texts as the
 * kubelet's validateContainerLogStatus.
 */
import type { Pod } from '../../model/k8s.ts';
import type { ContainerStatus } from '../../model/status.ts';
import type { LogLine, Trace } from '../../model/trace.ts';
import { podSnapshotAt } from './describe.ts';

/** Options of {@link podLogs}. */
export interface PodLogsOptions {
  container?: string;
  /** Default `default`. */
  namespace?: string;
  previous?: boolean;
  /** The instant `kubectl logs` runs; default the end of the run. */
  at?: number;
  /** The Pod's spec, for container defaulting (first container, `kubectl.kubernetes.io/default-container`). */
  spec?: Pod;
}

/** What the terminal shows: stdout, stderr, exit code. */
export interface PodLogsResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** One run of a container: its id (if reported), start and end instants. */
interface Instance {
  id?: string;
  startedAt?: number;
  finishedAt?: number;
}

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

function fail(message: string): PodLogsResult {
  return { stdout: '', stderr: `${message}\n`, exitCode: 1 };
}

/** The container's runs in the Pod incarnation `uid`, from its status history up to `at`. */
function instancesOf(trace: Trace, key: string, uid: string, container: string, at: number): Instance[] {
  const list: Instance[] = [];
  const find = (pred: (i: Instance) => boolean): Instance | undefined => {
    for (let k = list.length - 1; k >= 0; k--) if (pred(list[k]!)) return list[k];
    return undefined;
  };
  for (const r of trace.records) {
    if (r.at > at) break;
    if (r.key !== key || !r.exists || r.snapshot.kind !== 'Pod' || r.snapshot.uid !== uid) continue;
    const snap = r.snapshot;
    const cs =
      snap.status.containerStatuses.find((c) => c.name === container) ??
      snap.status.initContainerStatuses.find((c) => c.name === container);
    if (!cs) continue;
    const last = cs.lastState;
    if (last && !find((i) => i.finishedAt === last.finishedAt)) {
      // A run we saw only through lastState (e.g. records coalesced at one instant).
      const open = find(
        (i) => i.finishedAt === undefined && (last.startedAt === undefined || i.startedAt === last.startedAt),
      );
      if (open) open.finishedAt = last.finishedAt;
      else list.push({ startedAt: last.startedAt, finishedAt: last.finishedAt });
    }
    const st = cs.state;
    if (st.kind === 'waiting') continue;
    let inst = cs.containerID ? find((i) => i.id === cs.containerID) : undefined;
    if (!inst)
      inst = find((i) => i.id === undefined && i.startedAt === st.startedAt && st.startedAt !== undefined);
    if (!inst) {
      inst = { startedAt: st.startedAt };
      list.push(inst);
    }
    if (cs.containerID) inst.id = cs.containerID;
    if (inst.startedAt === undefined) inst.startedAt = st.startedAt;
    if (st.kind === 'terminated') inst.finishedAt = st.finishedAt;
  }
  return list.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
}

/** The lines one run wrote: by containerID when lines carry it, else by its time window. */
function linesOf(lines: LogLine[], inst: Instance, next: Instance | undefined, at: number): LogLine[] {
  if (inst.id !== undefined && lines.some((l) => l.containerID !== undefined)) {
    return lines.filter((l) => l.containerID === inst.id && l.at <= at);
  }
  // Without ids a line written at the very instant one run ends and the next starts is
  // attributed to the later run.
  const from = inst.startedAt ?? Number.NEGATIVE_INFINITY;
  const end = next?.startedAt;
  return lines.filter((l) => l.at >= from && l.at <= at && (end === undefined || l.at < end));
}

/**
 * `kubectl logs` with its stdout, stderr and exit code. Errors carry kubectl's text:
 * `Error from server (NotFound): pods "x" not found`, `error: container c is not valid for pod x`,
 * `Error from server (BadRequest): previous terminated container "c" in pod "x" not found`,
 * `Error from server (BadRequest): container "c" in pod "x" is waiting to start: ContainerCreating`.
 */
export function podLogsResult(trace: Trace, pod: string, opts: PodLogsOptions = {}): PodLogsResult {
  const namespace = opts.namespace ?? 'default';
  const at = opts.at ?? trace.endAt;
  const snap = podSnapshotAt(trace, namespace, pod, at);
  if (!snap) return fail(`Error from server (NotFound): pods "${pod}" not found`);
  const spec = opts.spec;
  let stderr = '';
  let name = opts.container;
  const statuses = [...snap.status.initContainerStatuses, ...snap.status.containerStatuses];
  if (name === undefined || name === '') {
    if (spec) {
      const annotated = spec.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
      if (annotated) {
        const all = [...(spec.spec.initContainers ?? []), ...spec.spec.containers];
        if (all.some((c) => c.name === annotated)) name = annotated;
        else stderr += `Default container name "${annotated}" not found in pod ${pod}\n`;
      }
      if (name === undefined || name === '') {
        const first = spec.spec.containers[0];
        if (!first) return fail(`error: pod ${namespace}/${pod} does not have any containers`);
        name = first.name;
        const inits = spec.spec.initContainers ?? [];
        if (spec.spec.containers.length > 1 || inits.length > 0) {
          const names = [...spec.spec.containers.map((c) => c.name), ...inits.map((c) => `${c.name} (init)`)];
          stderr += `Defaulted container "${name}" out of: ${names.join(', ')}\n`;
        }
      }
    } else if (snap.status.containerStatuses.length === 1) {
      name = snap.status.containerStatuses[0]!.name;
    } else {
      const names = snap.status.containerStatuses.map((c) => c.name).join(' ');
      return fail(`error: a container name must be specified for pod ${pod}, choose one of: [${names}]`);
    }
  }
  if (spec) {
    const all = [...(spec.spec.initContainers ?? []), ...spec.spec.containers];
    if (!all.some((c) => c.name === name))
      return fail(`error: container ${name} is not valid for pod ${pod}`);
  }
  const cs: ContainerStatus | undefined = statuses.find((c) => c.name === name);
  const server = (msg: string): PodLogsResult => ({
    stdout: '',
    stderr: `${stderr}Error from server (BadRequest): ${msg}\n`,
    exitCode: 1,
  });
  if (!cs) {
    if (!spec) return fail(`error: container ${name} is not valid for pod ${pod}`);
    return server(`container "${name}" in pod "${pod}" is not available`);
  }

  const instances = instancesOf(trace, `Pod/${namespace}/${pod}`, snap.uid, cs.name, at);
  const st = cs.state;
  const byLastState = (): Instance | undefined => {
    const last = cs.lastState!;
    return [...instances].reverse().find((i) => i.finishedAt === last.finishedAt);
  };
  let target: Instance | undefined;
  if (opts.previous) {
    if (!cs.lastState) return server(`previous terminated container "${cs.name}" in pod "${pod}" not found`);
    target = byLastState();
  } else if (st.kind === 'running' || st.kind === 'terminated') {
    target =
      (cs.containerID ? instances.find((i) => i.id === cs.containerID) : undefined) ??
      [...instances].reverse().find((i) => i.startedAt === st.startedAt);
  } else if (cs.lastState) {
    target = byLastState();
  } else {
    const reason = st.reason;
    if (reason === 'ErrImagePull') {
      return server(`container "${cs.name}" in pod "${pod}" is waiting to start: image can't be pulled`);
    }
    if (reason === 'ImagePullBackOff') {
      return server(
        `container "${cs.name}" in pod "${pod}" is waiting to start: trying and failing to pull image`,
      );
    }
    return server(`container "${cs.name}" in pod "${pod}" is waiting to start: ${reason}`);
  }
  const own = trace.logs.filter((l) => l.pod === pod && l.namespace === namespace && l.container === cs.name);
  let text = '';
  if (target) {
    const next = instances[instances.indexOf(target) + 1];
    for (const l of linesOf(own, target, next, at)) text += l.text.endsWith('\n') ? l.text : `${l.text}\n`;
  }
  return { stdout: text, stderr, exitCode: 0 };
}

/**
 * `kubectl logs POD [-c C] [--previous]` as the terminal shows it: the log text, or the error
 * line when kubectl fails (notices such as `Defaulted container …` go to stderr and are left out).
 */
export function podLogs(
  trace: Trace,
  pod: string,
  opts: { container?: string; namespace?: string; previous?: boolean; at?: number; spec?: Pod } = {},
): string {
  const r = podLogsResult(trace, pod, opts);
  return r.exitCode === 0 ? r.stdout : r.stderr;
}
