/**
 * The simulation run behind `simulate` (simulate.ts). A small API
 * server (objects, uids, IPs, records), the kubelet of one node, Services with endpoints, and
 * the operator's actions (scenario-format.md 1.2). Pure: no clock, no randomness, no I/O.
 */

import { defaultPod, defaultService } from '../manifest/defaults.ts';
import type { ApiObject, ConfigMap, Container, Pod, Secret } from '../model/k8s.ts';
import { podKey } from '../model/object-key.ts';
import type { PodNetwork } from '../model/runtime.ts';
import type { PodSnapshot, PodStatus } from '../model/status.ts';
import type { Action, ActionResult, Budgets, SimOptions, Trace } from '../model/trace.ts';
import { ConfigStore } from './cluster/config-store.ts';
import {
  allServices,
  type ClusterView,
  type PodEntry,
  podIP,
  podNetwork,
  type ServiceEntry,
} from './cluster/index.ts';
import { ServiceRegistry } from './cluster/service-registry.ts';
import { Controllers } from './controllers/hosting.ts';
import { runDeleteAction } from './delete-action.ts';
import { Engine, Prio } from './engine.ts';
import { type ExecContext, lines, type PendingExec, runExecAction } from './exec-action.ts';
import { ImageCache, type ImageResolver } from './image-cache.ts';
import { Kubelet, specHash } from './kubelet/kubelet.ts';
import { podStatus } from './kubelet/status.ts';
import { allContainers, type ContainerRt, hostnameOf, type PodRt } from './kubelet/types.ts';
import { defaultSimOptions, MAX_HORIZON_MS, TRACE_BUDGETS } from './options.ts';

export { defaultSimOptions, MAX_HORIZON_MS, SHADOW_EXEC_MS, TRACE_BUDGETS } from './options.ts';

import { snapshotRecord, TraceMeter } from './trace-budget.ts';
import { objectUid, stableJson } from './util.ts';

/** The actions a run performs (scenario-format.md 1.2 and the podlab extensions). */
const ACTION_KINDS: readonly string[] = ['apply', 'exec', 'delete', 'scale', 'setImage', 'rollback'];

/** kubectl's request namespace: `default` when the object names none (not an API default). */
function inRequestNamespace<T extends ApiObject>(obj: T): T {
  return obj.metadata.namespace ? obj : { ...obj, metadata: { ...obj.metadata, namespace: 'default' } };
}

const FORBIDDEN_POD_UPDATE =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** One simulation run. */

class Simulation {
  readonly engine: Engine;
  readonly trace: Trace;
  readonly kubelet: Kubelet;
  private pods = new Map<string, PodRt>();
  /** Every Pod ever created, in creation order (removed ones stay for the kubelet to finish). */
  private podList: PodRt[] = [];
  /** ConfigMaps and Secrets of the API server. */
  private readonly configs = new ConfigStore();
  private podSerial = 0;
  private dirty = new Set<PodRt>();
  private statuses = new Map<PodRt, PodStatus>();
  private networks = new Map<PodRt, PodNetwork>();
  readonly view: ClusterView;
  private readonly imageCache: ImageCache;
  private readonly serviceRegistry: ServiceRegistry;
  private results: ActionResult[] = [];
  private pendingExecs: PendingExec[] = [];
  private pendingShadows: { settle(now: number): void }[] = [];
  /** Shadow exec actions, by index: each gets a result even if it never ran. */
  private shadowIndexes: { index: number; at: number }[] = [];

  constructor(
    readonly options: SimOptions,
    resolver: ImageResolver,
  ) {
    this.imageCache = new ImageCache(options.images, resolver);
    const horizon = Math.min(MAX_HORIZON_MS, Math.max(0, Math.floor(options.budgets.horizonMs || 0)));
    this.engine = new Engine(
      horizon,
      Math.max(1, Math.floor(options.budgets.maxEvents || 1)),
      options.shouldStop,
    );
    this.trace = {
      endAt: 0,
      endReason: { kind: 'horizon' },
      records: [],
      events: [],
      probes: [],
      logs: [],
      actions: [],
      notes: [],
    };
    this.serviceRegistry = new ServiceRegistry(this.trace.records);
    this.meter = new TraceMeter(this.trace, { ...TRACE_BUDGETS, ...options.budgets } as Required<Budgets>);
    if (options.budgets.horizonMs > MAX_HORIZON_MS) {
      this.trace.notes.push({
        message: `the horizon was capped at 24h (asked for ${options.budgets.horizonMs} ms)`,
      });
    }
    const sim = this;
    this.view = {
      *pods(): Iterable<PodEntry> {
        for (const p of sim.podList) {
          if (p.removed || p.ip === undefined) continue;
          yield sim.podEntry(p);
        }
      },
      *services(): Iterable<ServiceEntry> {
        for (const s of sim.serviceRegistry.list)
          if (!s.removed) yield { service: s.service, clusterIP: s.clusterIP };
      },
      livePodAt(ip: string): PodEntry | undefined {
        // The entries `pods()` would yield, built in the same order, without a generator.
        for (const p of sim.podList) {
          if (p.removed || p.ip === undefined) continue;
          const e = sim.podEntry(p);
          if (e.ip === ip && !e.terminal) return e;
        }
        return undefined;
      },
    };
    this.kubelet = new Kubelet({
      engine: this.engine,
      options,
      trace: this.trace,
      resolveImage: (ref) => this.imageCache.get(ref),
      network: (p) => this.network(p),
      allocateIP: (p) => podIP(p.serial),
      services: () => allServices(this.view),
      config: (kind, namespace, name) => this.configs.read(kind, namespace, name),
      changed: (p) => {
        this.dirty.add(p);
      },
      flush: (p) => this.flushPod(p),
      remove: (p) => this.removePod(p),
    });
    this.execContext = {
      engine: this.engine,
      kubelet: this.kubelet,
      trace: this.trace,
      pod: (key) => this.pods.get(key),
      phase: (p) => this.statuses.get(p)?.phase,
      results: this.results,
      pendingExecs: this.pendingExecs,
      pendingShadows: this.pendingShadows,
    };
    this.controllers = new Controllers({
      now: () => this.engine.now,
      schedule: (at, fn) => {
        this.engine.schedule(at, Prio.sync, fn);
      },
      createPod: (pod) => {
        // The printers and graders read a Pod's spec; a controller's Pods are not in the input.
        if (this.trace.createdPods === undefined) this.trace.createdPods = [];
        this.trace.createdPods.push(pod);
        this.applyPod(pod);
      },
      deletePod: (namespace, name) => {
        const p = this.pods.get(podKey(namespace, name));
        if (!p || p.deletionTimestamp !== undefined) return;
        const grace = p.pod.spec.terminationGracePeriodSeconds;
        this.kubelet.deletePod(p, grace, grace === 0);
      },
      podExists: (namespace, name) => this.pods.has(podKey(namespace, name)),
      event: (e) => {
        this.trace.events.push(e);
      },
      record: (key, snapshot) => {
        this.trace.records.push(
          snapshot
            ? { at: this.engine.now, key, exists: true, snapshot }
            : { at: this.engine.now, key, exists: false },
        );
      },
    });
  }

  private readonly execContext: ExecContext;

  /** The Job, TTL-after-finished, ReplicaSet and Deployment controllers (issue 19 §2, §3). */
  private readonly controllers: Controllers;

  private entries = new Map<PodRt, PodEntry>();

  /** The network's view of a Pod, rebuilt when its status was recorded again. */
  private podEntry(p: PodRt): PodEntry {
    let e = this.entries.get(p);
    if (!e || e.ip !== p.ip) {
      e = this.buildEntry(p);
      this.entries.set(p, e);
    }
    return e;
  }

  private buildEntry(p: PodRt): PodEntry {
    const st = this.statuses.get(p);
    const ready = st?.conditions.find((c) => c.type === 'Ready')?.status === 'True';
    const entry: PodEntry = {
      namespace: p.pod.metadata.namespace,
      name: p.pod.metadata.name,
      labels: p.pod.metadata.labels ?? {},
      ready,
      terminating: p.deletionTimestamp !== undefined,
      terminal: st !== undefined && (st.phase === 'Succeeded' || st.phase === 'Failed'),
      listeners: () => this.kubelet.listeners(p),
      ports: allContainers(p).flatMap((c) => c.spec.ports ?? []),
      hostname: hostnameOf(p),
    };
    if (p.ip !== undefined) entry.ip = p.ip;
    if (p.pod.spec.subdomain !== undefined) entry.subdomain = p.pod.spec.subdomain;
    return entry;
  }

  private network(p: PodRt): PodNetwork {
    let n = this.networks.get(p);
    if (!n) {
      n = podNetwork(
        this.view,
        {
          namespace: p.pod.metadata.namespace,
          ip: p.ip,
          hostname: hostnameOf(p),
        },
        this.options.cluster,
      );
      this.networks.set(p, n);
    }
    return n;
  }

  // -------------------------------------------------------------------------------------------
  // Records

  private snapshot(p: PodRt): PodSnapshot {
    const status = podStatus(p, this.engine.now);
    this.statuses.set(p, status);
    const s: PodSnapshot = {
      kind: 'Pod',
      namespace: p.pod.metadata.namespace,
      name: p.pod.metadata.name,
      uid: p.uid,
      creationTimestamp: p.creationTimestamp,
      status,
    };
    if (p.deletionTimestamp !== undefined) s.deletionTimestamp = p.deletionTimestamp;
    if (p.deletionGracePeriodSeconds !== undefined)
      s.deletionGracePeriodSeconds = p.deletionGracePeriodSeconds;
    return s;
  }

  /** Emits a record for the Pod if its state changed. */
  flushPod(p: PodRt): void {
    if (this.kubelet.holdsRecord(p)) return;
    this.dirty.delete(p);
    if (p.removed) return;
    const snap = this.snapshot(p);
    const text = JSON.stringify(snap);
    if (text !== p.lastRecord) {
      p.lastRecord = text;
      this.entries.delete(p);
      this.trace.records.push(snapshotRecord(this.engine.now, p.key, snap, text));
      this.serviceRegistry.dirty = true;
      this.controllers.podChanged(snap);
    }
    if (!p.terminalPhase && (snap.status.phase === 'Succeeded' || snap.status.phase === 'Failed')) {
      p.terminalPhase = snap.status.phase;
      this.kubelet.becameTerminal(p);
    }
  }

  private removePod(p: PodRt): void {
    if (p.removed) return;
    p.removed = true;
    this.entries.delete(p);
    this.dirty.delete(p);
    if (this.pods.get(p.key) === p) this.pods.delete(p.key);
    this.trace.records.push({ at: this.engine.now, key: p.key, exists: false });
    this.serviceRegistry.dirty = true;
    this.controllers.podRemoved(p.pod.metadata.namespace, p.pod.metadata.name);
  }

  private readonly meter: TraceMeter;
  /** A trace budget already ended the run (the engine calls `afterEach` once more as it unwinds). */
  private traceFull = false;
  /** The engine runs (the first `afterEach`, before it, only records the applied objects). */
  private running = false;

  /** After every engine event: record changed objects, then hold the trace to its budgets. */
  afterEach(): void {
    for (let round = 0; this.dirty.size > 0 && round < 4; round++) {
      for (const p of [...this.dirty]) this.flushPod(p);
    }
    if (this.serviceRegistry.dirty) this.serviceRegistry.flush(this.view, this.engine.now);
    if (this.traceFull || !this.running) return;
    const over = this.meter.check(this.engine.now);
    if (over) {
      this.traceFull = true;
      this.engine.stop(over);
    }
  }

  // -------------------------------------------------------------------------------------------
  // API server

  /** kubectl apply of a ConfigMap or Secret; a change reaches the kubelet's watch at once. */
  private applyConfig(obj: ConfigMap | Secret): { out?: string; err?: string } {
    const r = this.configs.apply(obj);
    if (r.out !== undefined && !r.out.endsWith(' unchanged'))
      this.kubelet.configChanged(obj.kind, obj.metadata.namespace, obj.metadata.name);
    return r;
  }

  /** Creates or updates one object; returns kubectl's output line or an error. */
  apply(obj: ApiObject): { out?: string; err?: string } {
    if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata.name !== 'string') {
      return { err: 'error: object has no metadata.name' };
    }
    // The API server's defaults, by the manifest loader's defaulter: a no-op on loaded objects,
    // and what a Pod or Service built by hand (tests, benches) is missing.
    if (obj.kind === 'Pod') return this.applyPod(inRequestNamespace(defaultPod(obj)));
    if (obj.kind === 'Service')
      return this.serviceRegistry.apply(inRequestNamespace(defaultService(obj)), this.engine.now);
    if (obj.kind === 'ConfigMap' || obj.kind === 'Secret') return this.applyConfig(inRequestNamespace(obj));
    const owned = this.controllers.apply(inRequestNamespace(obj));
    if (owned) return owned;
    return { err: `error: podlab does not simulate kind "${(obj as { kind?: unknown }).kind}"` };
  }

  private applyPod(pod: Pod): { out?: string; err?: string } {
    // Validation's answer to a Pod without containers (objects built by hand; the loader rejects it first).
    if (!Array.isArray(pod.spec.containers))
      return { err: `The Pod "${pod.metadata.name}" is invalid: spec.containers: Required value` };
    const key = podKey(pod.metadata.namespace, pod.metadata.name);
    const existing = this.pods.get(key);
    if (!existing) {
      this.createPod(pod);
      return { out: `pod/${pod.metadata.name} created` };
    }
    const old = existing.pod;
    const strip = (p: Pod) => {
      const spec = { ...p.spec, activeDeadlineSeconds: undefined };
      spec.containers = spec.containers.map((c) => ({ ...c, image: '' }));
      spec.initContainers = (spec.initContainers ?? []).map((c) => ({ ...c, image: '' }));
      return stableJson(spec);
    };
    if (strip(old) !== strip(pod)) {
      return { err: `The Pod "${pod.metadata.name}" is invalid: ${FORBIDDEN_POD_UPDATE}` };
    }
    const sameSpec = stableJson(old.spec) === stableJson(pod.spec);
    const sameMeta =
      stableJson(old.metadata.labels ?? {}) === stableJson(pod.metadata.labels ?? {}) &&
      stableJson(old.metadata.annotations ?? {}) === stableJson(pod.metadata.annotations ?? {});
    if (sameSpec && sameMeta) return { out: `pod/${pod.metadata.name} unchanged` };
    const images = new Map<string, string>();
    for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) images.set(c.name, c.image);
    existing.pod = {
      ...existing.pod,
      metadata: {
        ...existing.pod.metadata,
        labels: pod.metadata.labels,
        annotations: pod.metadata.annotations,
      },
      spec: { ...pod.spec, activeDeadlineSeconds: pod.spec.activeDeadlineSeconds },
    };
    this.entries.delete(existing);
    this.kubelet.updateImages(existing, images);
    this.kubelet.armDeadline(existing);
    this.dirty.add(existing);
    this.serviceRegistry.dirty = true;
    return { out: `pod/${pod.metadata.name} configured` };
  }

  private createPod(pod: Pod): void {
    const serial = this.podSerial++;
    const uid = objectUid('Pod', pod.metadata.namespace, pod.metadata.name, serial);
    const mk = (spec: Container, role: ContainerRt['role'], index: number): ContainerRt => ({
      spec,
      role,
      index,
      state: {
        kind: 'waiting',
        reason: (pod.spec.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating',
      },
      restartCount: 0,
      instances: 0,
      running: false,
      postStartDone: false,
      completed: false,
      everStarted: false,
      env: {},
      killing: false,
      extra: [],
      logPartial: { stdout: '', stderr: '' },
      logBytes: 0,
      probes: [],
      hash: specHash(spec),
    });
    const p: PodRt = {
      key: podKey(pod.metadata.namespace, pod.metadata.name),
      pod: { ...pod, metadata: { ...pod.metadata, uid } },
      uid,
      serial,
      creationTimestamp: this.engine.now,
      sandbox: false,
      init: (pod.spec.initContainers ?? []).map((c, i) =>
        mk(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init', i),
      ),
      regular: pod.spec.containers.map((c, i) => mk(c, 'regular', i)),
      scope: this.engine.newScope(),
      syncPending: false,
      removed: false,
      conditionTimes: new Map(),
      dirty: true,
    };
    this.pods.set(p.key, p);
    this.podList.push(p);
    this.flushPod(p);
    // Scheduling and admission take 0 s (section 13), as a separate step of the same instant.
    this.engine.schedule(this.engine.now, Prio.timer, () => {
      if (!p.removed) this.kubelet.admit(p);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  private result(
    index: number,
    at: number,
    kind: Action['kind'],
    stdout: string,
    stderr: string,
    exitCode: number,
  ): void {
    this.results.push({ at, index, kind, stdout, stderr, exitCode });
  }

  runAction(a: Action, index: number): void {
    const at = this.engine.now;
    if (a.kind === 'apply') {
      const out: string[] = [];
      const err: string[] = [];
      for (const o of a.objects ?? []) {
        const r = this.apply(o);
        if (r.out) out.push(r.out);
        if (r.err) err.push(r.err);
      }
      this.result(index, at, 'apply', lines(out), lines(err), err.length > 0 ? 1 : 0);
      return;
    }
    if (a.kind === 'delete') {
      runDeleteAction(
        {
          now: () => this.engine.now,
          configs: this.configs,
          services: this.serviceRegistry,
          kubelet: this.kubelet,
          pod: (key) => this.pods.get(key),
          result: (i, t, kind, stdout, stderr, code) => this.result(i, t, kind, stdout, stderr, code),
        },
        a,
        index,
      );
      return;
    }
    if (a.kind === 'scale' || a.kind === 'rollback' || a.kind === 'setImage') {
      const c = this.controllers;
      const r = a.kind === 'scale' ? c.scale(a) : a.kind === 'rollback' ? c.rollback(a) : c.setImage(a);
      this.result(index, at, a.kind, lines(r.out ? [r.out] : []), lines(r.err ? [r.err] : []), r.err ? 1 : 0);
      return;
    }
    runExecAction(this.execContext, a, index);
  }

  /** Runs everything and returns the trace. */
  run(objects: ApiObject[], actions: Action[]): Trace {
    for (const o of Array.isArray(objects) ? objects : []) {
      const r = this.apply(o);
      if (r.err) this.trace.notes.push({ message: r.err });
    }
    this.afterEach();
    (Array.isArray(actions) ? actions : []).forEach((a, i) => {
      if (!a || typeof a !== 'object' || !ACTION_KINDS.includes(a.kind)) {
        this.trace.notes.push({
          message: `action ${i} is not an apply, exec, delete, scale, setImage or rollback action; it was ignored`,
        });
        return;
      }
      const at = Math.max(0, Math.floor(Number.isFinite(a.at) ? a.at : 0));
      if (a.kind === 'exec' && a.shadow === true) this.shadowIndexes.push({ index: i, at });
      this.engine.schedule(at, Prio.action, () => this.runAction(a, i));
    });
    this.running = true;
    const reason = this.engine.run(() => this.afterEach());
    for (const e of this.pendingExecs) e.finish(this.engine.now);
    for (const s of this.pendingShadows) s.settle(this.engine.now);
    // A shadow exec that never ran (after the horizon, or the run stopped early) is unfinished too.
    const answered = new Set(this.results.map((r) => r.index));
    for (const s of this.shadowIndexes) {
      if (answered.has(s.index)) continue;
      this.results.push({
        at: s.at,
        index: s.index,
        kind: 'exec',
        stdout: '',
        stderr: `error: the command had not finished by ${this.engine.now} ms\n`,
        exitCode: 124,
        unfinishedAt: this.engine.now,
      });
    }
    this.trace.endAt = this.engine.now;
    this.trace.endReason = reason;
    this.trace.actions = this.results.sort((a, b) => a.index - b.index);
    return this.trace;
  }
}

/** `simulateWith` plus the number of engine events processed (for benchmarks). */
export function simulateWithStats(
  objects: ApiObject[],
  actions: Action[],
  options: SimOptions,
  resolver: ImageResolver,
): { trace: Trace; engineEvents: number } {
  const sim = new Simulation(options ?? defaultSimOptions(), resolver);
  const trace = sim.run(objects, actions);
  return { trace, engineEvents: sim.engine.processed };
}

/** `simulate` with a given image catalogue (simulate.ts passes the runtime's; tests use scripted images). */
export function simulateWith(
  objects: ApiObject[],
  actions: Action[],
  options: SimOptions,
  resolver: ImageResolver,
): Trace {
  const sim = new Simulation(options ?? defaultSimOptions(), resolver);
  return sim.run(objects, actions);
}
