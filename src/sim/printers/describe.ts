/**
 * `kubectl describe pod`-like text (kubectl 1.33 pkg/describe/describe.go describePod), laid out
 * with the same tabwriter settings so the columns line up as on a real cluster.
 */
import { metadataField, resourceFieldValue } from '../../manifest/downward-api.ts';
import { canonicalQuantity, parseQuantity } from '../../manifest/quantity.ts';
import type { Container, Pod } from '../../model/k8s.ts';
import type { ContainerState, ContainerStatus, PodSnapshot } from '../../model/status.ts';
import type { Trace } from '../../model/trace.ts';
import { NODE_IP } from '../cluster/endpoints.ts';
import { apiTime, formatInstant, humanDuration } from './duration.ts';
import { aggregateEvents } from './events.ts';
import { describeProbe } from './probe.ts';
import { DESCRIBE_LAYOUT, escapeTerminal, tabwrite } from './tabwriter.ts';

/** The Pod's state at `now`: its last record at or before `now` (undefined if absent then). */
export function podSnapshotAt(
  trace: Trace,
  namespace: string,
  name: string,
  now: number,
): PodSnapshot | undefined {
  const key = `Pod/${namespace}/${name}`;
  let snap: PodSnapshot | undefined;
  for (const r of trace.records) {
    if (r.at > now) break;
    if (r.key !== key) continue;
    snap = r.exists && r.snapshot.kind === 'Pod' ? r.snapshot : undefined;
  }
  return snap;
}

/** describe.go's PrefixWriter: two spaces per level; text is escaped as it is written (WriteEscaped). */
class Lines {
  readonly out: string[] = [];
  w(level: number, text: string): void {
    this.out.push('  '.repeat(level) + escapeTerminal(text));
  }
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function printLabels(l: Lines, title: string, labels: Record<string, string> | undefined): void {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    l.w(0, `${title}:\t<none>`);
    return;
  }
  keys.forEach((k, i) => {
    l.w(0, `${i === 0 ? `${title}:` : ''}\t${k}=${labels![k]}`);
  });
}

function printAnnotations(l: Lines, annotations: Record<string, string> | undefined): void {
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIP_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) {
    l.w(0, 'Annotations:\t<none>');
    return;
  }
  let first = true;
  for (const key of keys) {
    const prefix = first ? 'Annotations:\t' : '\t';
    first = false;
    const value = annotations![key]!.replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      l.w(0, `${prefix}${key}:`);
      for (const s of value.split('\n')) {
        const short = s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s;
        l.w(0, `\t  ${short}`);
      }
    } else {
      l.w(0, `${prefix}${key}: ${value}`);
    }
  }
}

function describeState(l: Lines, title: string, st: ContainerState): void {
  switch (st.kind) {
    case 'running':
      l.w(2, `${title}:\tRunning`);
      l.w(3, `Started:\t${formatInstant(st.startedAt)}`);
      return;
    case 'waiting':
      l.w(2, `${title}:\tWaiting`);
      if (st.reason !== '') l.w(3, `Reason:\t${st.reason}`);
      return;
    case 'terminated':
      l.w(2, `${title}:\tTerminated`);
      if (st.reason !== '') l.w(3, `Reason:\t${st.reason}`);
      if (st.message) l.w(3, `Message:\t${st.message}`);
      l.w(3, `Exit Code:\t${st.exitCode}`);
      if (st.signal !== undefined && st.signal > 0) l.w(3, `Signal:\t${st.signal}`);
      l.w(3, `Started:\t${formatInstant(st.startedAt)}`);
      l.w(3, `Finished:\t${formatInstant(st.finishedAt)}`);
      return;
  }
}

function ports(c: Container, host: boolean): string {
  return (c.ports ?? [])
    .map((p) => {
      const s = `${host ? 0 : p.containerPort}/${p.protocol}`;
      return p.name ? `${s} (${p.name})` : s;
    })
    .join(', ');
}

function describeContainers(
  l: Lines,
  pod: Pod,
  label: string,
  containers: Container[],
  statuses: ContainerStatus[],
): void {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  l.w(0, `${label}:${containers.length === 0 ? ' <none>' : ''}`);
  for (const c of containers) {
    const st = byName.get(c.name);
    l.w(1, `${c.name}:`);
    if (st) l.w(2, `Container ID:\t${st.containerID ?? ''}`);
    l.w(2, `Image:\t${c.image}`);
    const p = ports(c, false);
    l.w(2, p.includes(',') ? `Ports:\t${p}` : `Port:\t${p || '<none>'}`);
    const hp = ports(c, true);
    l.w(2, hp.includes(',') ? `Host Ports:\t${hp}` : `Host Port:\t${hp || '<none>'}`);
    for (const [title, words] of [
      ['Command', c.command],
      ['Args', c.args],
    ] as const) {
      if (!words || words.length === 0) continue;
      l.w(2, `${title}:`);
      for (const word of words) for (const s of word.split('\n')) l.w(3, s);
    }
    if (st) {
      describeState(l, 'State', st.state);
      if (st.lastState) describeState(l, 'Last State', st.lastState);
      l.w(2, `Ready:\t${st.ready ? 'True' : 'False'}`);
      l.w(2, `Restart Count:\t${st.restartCount}`);
    }
    describeResources(l, c);
    if (c.livenessProbe) l.w(2, `Liveness:\t${describeProbe(c.livenessProbe)}`);
    if (c.readinessProbe) l.w(2, `Readiness:\t${describeProbe(c.readinessProbe)}`);
    if (c.startupProbe) l.w(2, `Startup:\t${describeProbe(c.startupProbe)}`);
    describeEnv(l, pod, c);
  }
}

/** Go quantity.String() of a manifest value; an unparsable one (rejected at admission) as written. */
function quantityText(v: string | number): string {
  const q = parseQuantity(v);
  return q ? canonicalQuantity(q) : String(v);
}

/** describe.go describeContainerResources: `Limits:` then `Requests:`, resource names sorted. */
function describeResources(l: Lines, c: Container): void {
  for (const [title, list] of [
    ['Limits', c.resources?.limits],
    ['Requests', c.resources?.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    l.w(2, `${title}:`);
    for (const name of names) l.w(3, `${name}:\t${quantityText(list![name]!)}`);
  }
}

/** kubectl describeContainerEnvFrom and describeContainerEnvVars. */
function describeEnv(l: Lines, pod: Pod, c: Container): void {
  if (c.envFrom && c.envFrom.length > 0) {
    l.w(2, 'Environment Variables from:');
    for (const e of c.envFrom) {
      const ref = e.configMapRef ?? e.secretRef;
      const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
      const source = e.prefix ? `${from} with prefix '${e.prefix}'` : from;
      l.w(3, `${ref?.name ?? ''}\t${source}\tOptional: ${ref?.optional === true}`);
    }
  }
  const env = c.env ?? [];
  l.w(2, `Environment:${env.length === 0 ? '\t<none>' : ''}`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '').split('\n').forEach((s, i) => {
        l.w(3, i === 0 ? `${e.name}:\t${s}` : `\t${s}`);
      });
    } else if (from.fieldRef) {
      const { apiVersion = 'v1', fieldPath } = from.fieldRef;
      l.w(3, `${e.name}:\t${metadataField(pod, fieldPath)} (${apiVersion}:${fieldPath})`);
    } else if (from.resourceFieldRef) {
      const { resource } = from.resourceFieldRef;
      // kubectl knows no node: an unset CPU or memory limit reads "node allocatable".
      let value = resourceFieldValue(from.resourceFieldRef, c);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory'))
        value = 'node allocatable';
      l.w(3, `${e.name}:\t${value} (${resource})`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      l.w(
        3,
        `${e.name}:\t<set to the key '${r.key}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}`,
      );
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      l.w(
        3,
        `${e.name}:\t<set to the key '${r.key}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}`,
      );
    }
  }
}

/** The node a Pod runs on: spec.nodeName, else the target of its `Scheduled` event. */
function nodeOf(pod: Pod, trace: Trace, now: number): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const prefix = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to `;
  let node: string | undefined;
  for (const e of trace.events) {
    if (e.at > now) break;
    if (e.reason === 'Scheduled' && e.object === `Pod/${pod.metadata.name}` && e.message.startsWith(prefix)) {
      node = e.message.slice(prefix.length);
    }
  }
  return node;
}

/**
 * `kubectl describe pod` at instant `now`: header (Name … IPs), Init Containers and
 * Containers (state, last state, readiness, restart count, probes, environment), Conditions,
 * and Events with kubectl's Age column (`10s (x3 over 20s)`, relative to `now`).
 * Dates (Start Time, Started, Finished) print as virtual offsets (see `formatInstant`).
 * `Priority: 0` and `Service Account: default` are the admission defaults every real Pod
 * shows. Fields podlab does not model (Image ID, Mounts, Volumes, QoS Class,
 * Node-Selectors, Tolerations) are left out. A Pod absent at `now` gives kubectl's NotFound error.
 */
export function describePod(pod: Pod, trace: Trace, now: number): string {
  const { name, namespace } = pod.metadata;
  const snap = podSnapshotAt(trace, namespace, name, now);
  if (!snap) return `Error from server (NotFound): pods "${name}" not found\n`;
  const status = snap.status;
  const l = new Lines();
  l.w(0, `Name:\t${name}`);
  l.w(0, `Namespace:\t${namespace}`);
  l.w(0, 'Priority:\t0');
  l.w(0, 'Service Account:\tdefault');
  const node = nodeOf(pod, trace, now);
  // One-node cluster (kubernetes-semantics.md section 13): every Pod's host IP is the node's.
  l.w(0, `Node:\t${node === undefined ? '<none>' : `${node}/${NODE_IP}`}`);
  if (status.startTime !== undefined) l.w(0, `Start Time:\t${formatInstant(status.startTime)}`);
  printLabels(l, 'Labels', pod.metadata.labels);
  printAnnotations(l, pod.metadata.annotations);
  if (snap.deletionTimestamp !== undefined && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    // Upstream quirk kept: the deletion timestamp lies in the future, so this is `<invalid>` until it passes.
    l.w(0, `Status:\tTerminating (lasts ${humanDuration(now - apiTime(snap.deletionTimestamp))})`);
    l.w(0, `Termination Grace Period:\t${snap.deletionGracePeriodSeconds ?? 0}s`);
  } else {
    l.w(0, `Status:\t${status.phase}`);
  }
  if (status.reason) l.w(0, `Reason:\t${status.reason}`);
  if (status.message) l.w(0, `Message:\t${status.message}`);
  l.w(0, `IP:\t${status.podIP ?? ''}`);
  if (status.podIP) {
    l.w(0, 'IPs:');
    l.w(1, `IP:\t${status.podIP}`);
  } else {
    l.w(0, 'IPs:\t<none>');
  }
  const inits = pod.spec.initContainers ?? [];
  if (inits.length > 0) describeContainers(l, pod, 'Init Containers', inits, status.initContainerStatuses);
  describeContainers(l, pod, 'Containers', pod.spec.containers, status.containerStatuses);
  if (status.conditions.length > 0) {
    l.w(0, 'Conditions:');
    l.w(1, 'Type\tStatus');
    for (const c of status.conditions) l.w(1, `${c.type} \t${c.status} `);
  }

  // Events of this Pod incarnation (kubectl selects them by the Pod's uid).
  const events = trace.events.filter(
    (e) =>
      e.object === `Pod/${name}` &&
      e.namespace === namespace &&
      e.at <= now &&
      e.at >= snap.creationTimestamp,
  );
  if (events.length === 0) {
    l.w(0, 'Events:\t<none>');
    return `${tabwrite(l.out.join('\n'), DESCRIBE_LAYOUT)}\n`;
  }
  // DescribeEvents flushes the writer first: the events table is laid out on its own.
  const head = tabwrite(l.out.join('\n'), DESCRIBE_LAYOUT);
  const ev = new Lines();
  ev.w(0, 'Events:');
  ev.w(1, 'Type\tReason\tAge\tFrom\tMessage');
  ev.w(1, '----\t------\t----\t----\t-------');
  for (const a of aggregateEvents(events)) {
    // Event timestamps are metav1.Time: whole seconds.
    const first = humanDuration(now - apiTime(a.firstAt));
    const age = a.count > 1 ? `${humanDuration(now - apiTime(a.lastAt))} (x${a.count} over ${first})` : first;
    ev.w(1, `${a.event.type}\t${a.event.reason}\t${age}\t${a.event.source}\t${a.event.message.trim()}`);
  }
  return `${head}\n${tabwrite(ev.out.join('\n'), DESCRIBE_LAYOUT)}\n`;
}
