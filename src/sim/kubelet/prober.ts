/**
 * The kubelet's probe worker (k/k pkg/kubelet/prober/worker.go) as a pure state machine, and
 * the outcomes of the probe handlers (k/k pkg/probe/{http,tcp,exec,grpc}, pkg/kubelet/prober/prober.go).
 * kubernetes-semantics.md, sections 3.1, 3.3 and 3.4. Times are virtual milliseconds.
 *
 * The kubelet owns one worker per container and probe type. At each instant it wants a probe
 * (a tick of `nextTickAt`, or a readiness manual trigger) it calls `probeDue`; on `run` it
 * executes the handler and passes the outcome to `recordOutcome`.
 */
import type { ContainerPort, HTTPGetAction, IntOrString, Probe } from '../../model/k8s.ts';
import type { ConnectError, HttpResponse, Listener } from '../../model/runtime.ts';
import type { Timer } from '../engine.ts';
import { memoize } from '../util.ts';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** One probe worker (one container × probe type). Mutated only by the functions of this module. */
export interface ProbeWorker {
  readonly type: ProbeType;
  readonly container: string;
  readonly probe: Probe;
  /** Worker start ≈ pod admission: the phase of the periodic ticker. */
  readonly startedAt: number;
  /** Phase of the ticker now: `startedAt`, or the instant of the last manual trigger (ticker reset). */
  tickBase: number;
  /** The result published in the results cache for the current container. */
  result: ProbeResult;
  /** Container ID the worker is probing (`containerd://…`). */
  lastContainerId?: string;
  /** Consecutive identical raw results (worker.go resultRun). */
  resultRun: number;
  /** The last raw result (worker.go lastResult); not reset on a new container, as upstream. */
  lastRaw?: 'success' | 'failure';
  /** On hold after a liveness Failure / any startup verdict, until a new container ID. */
  onHold: boolean;
  /** The worker has ended (doProbe returned false). */
  stopped: boolean;
  /** The kubelet's armed next tick of this worker. */
  timer?: Timer;
  /** A probe of this worker is running (exec probes and timeouts take virtual time). */
  busy: boolean;
}

/** Initial value published for each new container (worker.go newWorker). */
export function initialResult(type: ProbeType): ProbeResult {
  if (type === 'readiness') return 'failure';
  if (type === 'liveness') return 'success';
  return 'unknown';
}

/** Creates a worker at pod admission (prober_manager.go AddPod). */
export function newProbeWorker(
  type: ProbeType,
  container: string,
  probe: Probe,
  admittedAt: number,
): ProbeWorker {
  return {
    type,
    container,
    probe,
    startedAt: admittedAt,
    tickBase: admittedAt,
    result: initialResult(type),
    resultRun: 0,
    onHold: false,
    stopped: false,
    busy: false,
  };
}

function periodMs(worker: ProbeWorker): number {
  // A period below 1 s is rejected by validation; guard anyway so time always advances.
  return Math.max(1, Math.trunc(worker.probe.periodSeconds)) * 1000;
}

/**
 * Instant of the periodic tick at or after `t`: `tickBase + k·periodSeconds·1000`, k ≥ 0 (the
 * first tick is the worker start, immediate: worker.go run() probes before waiting).
 */
export function nextTickAt(worker: ProbeWorker, t: number): number {
  const p = periodMs(worker);
  if (t <= worker.tickBase) return worker.tickBase;
  return worker.tickBase + Math.ceil((t - worker.tickBase) / p) * p;
}

/**
 * When the next probe runs after one that started at `ranAt` and finished at `doneAt`
 * (an exec probe can last up to its timeout): Go's ticker keeps at most one pending tick, so a
 * tick that fell during the run fires as soon as the run ends; later ticks keep their phase.
 */
export function nextProbeAt(worker: ProbeWorker, ranAt: number, doneAt: number): number {
  return Math.max(nextTickAt(worker, ranAt + 1), doneAt);
}

/**
 * Whether a pod status update triggers an immediate readiness probe (prober_manager.go
 * UpdatePodStatus): a readiness worker whose result is not Success, for a container that is
 * started and running (pass `container` to check that here; otherwise the caller must).
 */
export function wantsManualTrigger(worker: ProbeWorker, container?: ContainerView): boolean {
  if (worker.type !== 'readiness' || worker.stopped || worker.result === 'success') return false;
  return container === undefined || (container.running && container.started);
}

/**
 * Records a manual trigger at `now`: the ticker restarts with phase `now` (worker.go run():
 * `probeTicker.Reset` on manualTriggerCh, k/k#119089). The kubelet then calls `probeDue` at `now`.
 * Returns false (and changes nothing) when the worker does not want a trigger.
 */
export function manualTrigger(worker: ProbeWorker, now: number, container?: ContainerView): boolean {
  if (!wantsManualTrigger(worker, container)) return false;
  worker.tickBase = now;
  return true;
}

/** The container as the worker sees it in the pod status at the probe instant. */
export interface ContainerView {
  /** Container ID; absent before the first start (worker waits). */
  id?: string;
  running: boolean;
  /** `state.running.startedAt`. */
  startedAt?: number;
  /** `containerStatus.started`. */
  started: boolean;
  /**
   * Terminated and will not be restarted. Upstream (1.33): terminated and the pod's
   * restartPolicy is Never and the container is not a sidecar.
   */
  terminatedForGood: boolean;
}

export type DueDecision =
  /** Step 8: execute the handler now, then call `recordOutcome`. `published`: step 2 reset. */
  | { kind: 'run'; published?: ProbeResult }
  /** Steps 1-7 skipped the probe; `published` when step 2 reset the result or step 4 set Failure. */
  | { kind: 'skip'; published?: ProbeResult }
  /** The worker ended (pod terminal; deleting pod for liveness/startup after setting Success; terminated for good). */
  | { kind: 'stop'; published?: ProbeResult };

/**
 * Steps 1-7 of worker.go doProbe at instant `now`; mutates the worker. `published` is the value
 * the worker wrote into the results cache in this step (it may equal the previous one; the
 * results manager notifies only on change).
 */
export function probeDue(
  worker: ProbeWorker,
  now: number,
  pod: { terminal: boolean; deleting: boolean },
  container: ContainerView,
): DueDecision {
  if (worker.stopped) return { kind: 'stop' };
  // 1. Pod Succeeded/Failed: the worker exits.
  if (pod.terminal) {
    worker.stopped = true;
    return { kind: 'stop' };
  }
  // No container ID yet: "Probe target container not found", wait for more information.
  if (container.id === undefined || container.id === '') return { kind: 'skip' };
  let published: ProbeResult | undefined;
  // 2. New container: drop the old result, publish the initial value, resume probing.
  if (worker.lastContainerId !== container.id) {
    worker.lastContainerId = container.id;
    worker.result = initialResult(worker.type);
    published = worker.result;
    worker.onHold = false;
  }
  // 3. On hold until a new container.
  if (worker.onHold) return withPublished('skip', published);
  // 4. Not running: Failure; the worker ends only when the container will not be restarted.
  if (!container.running) {
    worker.result = 'failure';
    published = 'failure';
    if (container.terminatedForGood) {
      worker.stopped = true;
      return { kind: 'stop', published };
    }
    return { kind: 'skip', published };
  }
  // 5. Graceful deletion: liveness/startup set Success for a quiet shutdown and stop; readiness goes on.
  if (pod.deleting && (worker.type === 'liveness' || worker.type === 'startup')) {
    worker.result = 'success';
    worker.stopped = true;
    return { kind: 'stop', published: 'success' };
  }
  // 6. initialDelaySeconds from the container's StartedAt: `int32(time.Since(StartedAt).Seconds()) < delay`.
  const startedAt = container.startedAt ?? now;
  if (Math.trunc((now - startedAt) / 1000) < worker.probe.initialDelaySeconds) {
    return withPublished('skip', published);
  }
  // 7. Startup gating: the startup worker idles once started; the others wait until started.
  if (container.started) {
    if (worker.type === 'startup') return withPublished('skip', published);
  } else if (worker.type !== 'startup') {
    return withPublished('skip', published);
  }
  // 8. Run the probe.
  return withPublished('run', published);
}

function withPublished(kind: 'run' | 'skip', published: ProbeResult | undefined): DueDecision {
  return published === undefined ? { kind } : { kind, published };
}

/** The result of running one handler (pkg/probe result + output, or a prober error). */
export type HandlerOutcome =
  | { kind: 'success'; output?: string; durationMs?: number }
  | { kind: 'failure'; output: string; durationMs?: number }
  /** A prober error (missing exec binary, unresolvable port): the result is discarded. */
  | { kind: 'error'; output: string; durationMs?: number }
  /** probe.Warning (redirect to another host): counts as success, with a ProbeWarning event. */
  | { kind: 'warning'; output: string; durationMs?: number };

/**
 * Steps 8-10 of doProbe: errors are discarded; consecutive identical results are counted
 * against failureThreshold/successThreshold; at threshold the result is published (`published`,
 * also when equal to the previous value); `changed` says whether it differs from the previous
 * one (the results manager only sends an update, which makes the kubelet sync the pod, on a
 * change); a liveness Failure or any startup verdict puts the worker on hold (run reset to 0).
 */
export function recordOutcome(
  worker: ProbeWorker,
  outcome: HandlerOutcome,
): { published?: ProbeResult; changed: boolean; hold: boolean } {
  if (worker.stopped || outcome.kind === 'error') return { changed: false, hold: worker.onHold };
  // prober.go: probe.Warning is reported as results.Success.
  const raw: 'success' | 'failure' = outcome.kind === 'failure' ? 'failure' : 'success';
  if (worker.lastRaw === raw) {
    worker.resultRun++;
  } else {
    worker.lastRaw = raw;
    worker.resultRun = 1;
  }
  const threshold = raw === 'failure' ? worker.probe.failureThreshold : worker.probe.successThreshold;
  if (worker.resultRun < threshold) return { changed: false, hold: worker.onHold };
  const changed = worker.result !== raw;
  worker.result = raw;
  if ((worker.type === 'liveness' && raw === 'failure') || worker.type === 'startup') {
    worker.onHold = true;
    worker.resultRun = 0;
  }
  return { published: raw, changed, hold: worker.onHold };
}

const TYPE_LABEL: Record<ProbeType, string> = {
  liveness: 'Liveness',
  readiness: 'Readiness',
  startup: 'Startup',
};

/**
 * The event of one probe execution (prober.go recordContainerEvent, section 3.4): Unhealthy
 * `<Type> probe failed: <output>` on every failure, `<Type> probe errored and resulted in unknown
 * state: <err>` (1.33, k/k#125901) on error, ProbeWarning `<Type> probe warning: <output>`.
 */
export function probeEvent(
  type: ProbeType,
  outcome: HandlerOutcome,
): { type: 'Warning'; reason: string; message: string } | undefined {
  const label = TYPE_LABEL[type];
  switch (outcome.kind) {
    case 'success':
      return undefined;
    case 'failure':
      return { type: 'Warning', reason: 'Unhealthy', message: `${label} probe failed: ${outcome.output}` };
    case 'error':
      return {
        type: 'Warning',
        reason: 'Unhealthy',
        message: `${label} probe errored and resulted in unknown state: ${outcome.output}`,
      };
    case 'warning':
      return {
        type: 'Warning',
        reason: 'ProbeWarning',
        message: `${label} probe warning: ${outcome.output}`,
      };
  }
}

/** `kubectl describe` Killing message after a liveness/startup verdict (kuberuntime_manager.go computePodActions). */
export function probeKillMessage(type: 'liveness' | 'startup', container: string): string {
  return `Container ${container} failed ${type} probe, will be restarted`;
}

// ---------------------------------------------------------------------------------------------
// Handlers

/** How the Pod network answers a connection: a listener, or an error. */
export type Connect = (ip: string, port: number) => Listener | ConnectError;

/** pkg/probe/http: body read limit (10 KiB). */
const MAX_BODY = 10 * 1024;
/** pkg/probe/exec: combined output limit (10 KiB). */
const MAX_EXEC_OUTPUT = 10 * 1024;
/** The User-Agent the kubelet sends (pkg/probe/http/request.go). */
export const PROBE_USER_AGENT = 'kube-probe/1.33';

interface ParsedUrl {
  scheme: string;
  host: string;
  port: number;
  /** Path and query, starting with `/`. */
  target: string;
}

function formatUrl(u: ParsedUrl): string {
  return `${u.scheme}://${u.host}:${u.port}${u.target}`;
}

/** Resolves a redirect `Location` against the current URL (RFC 3986, the cases servers send). */
function resolveLocation(base: ParsedUrl, location: string): ParsedUrl | undefined {
  const abs = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^#]*)/.exec(location);
  if (abs) {
    const scheme = abs[1]!.toLowerCase();
    const hostPort = abs[2]!;
    const m = /^(.*?)(?::(\d+))?$/.exec(hostPort);
    const host = m?.[1] ?? hostPort;
    const port = m?.[2] !== undefined ? Number(m[2]) : scheme === 'https' ? 443 : 80;
    return { scheme, host, port, target: normalizeTarget(abs[3] ?? '') };
  }
  if (location.startsWith('//')) return resolveLocation(base, `${base.scheme}:${location}`);
  const noFragment = location.split('#')[0] ?? '';
  if (noFragment.startsWith('/')) return { ...base, target: noFragment };
  if (noFragment.startsWith('?')) return { ...base, target: `${base.target.split('?')[0]}${noFragment}` };
  if (noFragment === '') return base;
  const dir = (base.target.split('?')[0] ?? '/').replace(/[^/]*$/, '');
  return { ...base, target: `${dir}${noFragment}` };
}

function normalizeTarget(t: string): string {
  if (t === '') return '/';
  return t.startsWith('/') ? t : `/${t}`;
}

function header(res: HttpResponse, name: string): string | undefined {
  if (!res.headers) return undefined;
  const lower = name.toLowerCase();
  const headers = res.headers;
  // `for…in` visits a plain object's keys in the order of Object.entries, without the pairs.
  for (const k in headers) if (k.toLowerCase() === lower) return headers[k];
  return undefined;
}

/** Go's redirect codes followed by net/http (client.go redirectBehavior). */
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/** What Go's net/http client ended with. */
type HttpClientResult =
  | { kind: 'response'; res: HttpResponse }
  /** The redirect policy returned http.ErrUseLastResponse: `res` is the 3xx. */
  | { kind: 'lastResponse'; res: HttpResponse }
  | { kind: 'error'; message: string; durationMs?: number }
  /** The server accepted the connection and never answered. */
  | { kind: 'noAnswer'; url: string };

interface HttpClientOptions {
  /** pkg/probe/http RedirectChecker(false): only same-hostname redirects are followed. */
  localRedirectsOnly: boolean;
  /** The client timeout; undefined = none (the lifecycle hook client). */
  timeoutMs?: number;
}

/** A GET request as the kubelet's client starts it: the URL, and the headers with and without Host. */
interface GetRequest {
  url: ParsedUrl;
  headers: Readonly<Record<string, string>>;
  /** `headers` behind `Host: <host>:<port>` of `url`, as net/http sends them. */
  firstHeaders: Readonly<Record<string, string>>;
}

function withHost(url: ParsedUrl, headers: Readonly<Record<string, string>>): Record<string, string> {
  return { Host: `${url.host}:${url.port}`, ...headers };
}

/** The last request built per action (pure; a probe sends the same request every tick). */
const lastRequests = new WeakMap<
  HTTPGetAction,
  GetRequest & { ip: string; port: number; userAgent: string }
>();

/** The request of an httpGet action to `ip:port` (pkg/probe/http/request.go), reused while unchanged. */
function getRequest(action: HTTPGetAction, ip: string, port: number, userAgent: string): GetRequest {
  const last = lastRequests.get(action);
  if (last && last.ip === ip && last.port === port && last.userAgent === userAgent) return last;
  const url = startUrl(ip, port, action);
  const headers = Object.freeze(requestHeaders(action, userAgent));
  const request = { ip, port, userAgent, url, headers, firstHeaders: Object.freeze(withHost(url, headers)) };
  lastRequests.set(action, request);
  return request;
}

function httpClientGet(connect: Connect, request: GetRequest, opts: HttpClientOptions): HttpClientResult {
  const start = request.url;
  let url = start;
  for (let redirects = 0; ; redirects++) {
    if (!isIPv4(url.host)) {
      // The kubelet resolves a custom host with the node's resolver, which knows no cluster names.
      return {
        kind: 'error',
        message: `Get "${formatUrl(url)}": dial tcp: lookup ${url.host}: no such host`,
      };
    }
    const target = connect(url.host, url.port);
    if (target === 'refused') {
      return {
        kind: 'error',
        message: `Get "${formatUrl(url)}": dial tcp ${url.host}:${url.port}: connect: connection refused`,
      };
    }
    if (target === 'timeout') {
      if (opts.timeoutMs === undefined) {
        // No client timeout: the kernel gives up after its SYN retries (tcp_syn_retries=6, ~127 s).
        return {
          kind: 'error',
          message: `Get "${formatUrl(url)}": dial tcp ${url.host}:${url.port}: connect: connection timed out`,
          durationMs: 127_000,
        };
      }
      return {
        kind: 'error',
        message: `Get "${formatUrl(url)}": dial tcp ${url.host}:${url.port}: i/o timeout (Client.Timeout exceeded while awaiting headers)`,
        durationMs: opts.timeoutMs,
      };
    }
    if (!target.http) return { kind: 'noAnswer', url: formatUrl(url) };
    if (url.scheme === 'https') {
      return {
        kind: 'error',
        message: `Get "${formatUrl(url)}": http: server gave HTTP response to HTTPS client`,
      };
    }
    const res = target.http({
      method: 'GET',
      path: url.target,
      headers: url === start ? request.firstHeaders : withHost(url, request.headers),
    });
    const location = header(res, 'Location');
    if (!REDIRECT_CODES.has(res.status) || location === undefined || location === '') {
      return { kind: 'response', res };
    }
    const next = resolveLocation(url, location);
    if (!next) {
      return {
        kind: 'error',
        message: `Get "${formatUrl(url)}": failed to parse Location header "${location}"`,
      };
    }
    if (opts.localRedirectsOnly && next.host !== start.host) return { kind: 'lastResponse', res };
    // net/http: the 11th redirect is refused; the error names the Location.
    if (redirects + 1 >= 11)
      return { kind: 'error', message: `Get "${location}": stopped after 10 redirects` };
    url = next;
  }
}

function startUrl(ip: string, port: number, action: HTTPGetAction): ParsedUrl {
  return {
    scheme: action.scheme === 'HTTPS' ? 'https' : 'http',
    host: action.host !== undefined && action.host !== '' ? action.host : ip,
    port,
    target: normalizeTarget(action.path ?? '/'),
  };
}

/** pkg/probe/http/request.go: the action's headers, then User-Agent and Accept defaults. */
function requestHeaders(action: HTTPGetAction, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  if (!hasHeader(headers, 'User-Agent')) headers['User-Agent'] = userAgent;
  if (!hasHeader(headers, 'Accept')) headers.Accept = '*/*';
  return headers;
}

/**
 * Runs an httpGet probe against `connect` (the Pod network) per pkg/probe/http: success iff
 * 200 <= status < 400; redirects (301/302/303/307/308 with a Location) to the same hostname are
 * followed up to 10; a redirect to another hostname ends with the 3xx, reported as a warning
 * `Probe terminated redirects, Response body: <body>`; connection errors and timeouts are
 * failures with Go's error text. Named ports are resolved by the caller (`resolvePort`).
 */
export function httpGetOutcome(
  connect: Connect,
  ip: string,
  port: number,
  action: HTTPGetAction,
  timeoutSeconds: number,
): HandlerOutcome {
  const timeoutMs = Math.max(1, timeoutSeconds) * 1000;
  const r = httpClientGet(connect, getRequest(action, ip, port, PROBE_USER_AGENT), {
    localRedirectsOnly: true,
    timeoutMs,
  });
  switch (r.kind) {
    case 'error':
      return r.durationMs === undefined
        ? { kind: 'failure', output: r.message }
        : { kind: 'failure', output: r.message, durationMs: r.durationMs };
    case 'noAnswer':
      return {
        kind: 'failure',
        output: `Get "${r.url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        durationMs: timeoutMs,
      };
    case 'lastResponse':
    case 'response': {
      const { status, body } = r.res;
      const text = body.slice(0, MAX_BODY);
      if (status >= 200 && status < 400) {
        if (status >= 300)
          return { kind: 'warning', output: `Probe terminated redirects, Response body: ${text}` };
        return { kind: 'success', output: text };
      }
      return { kind: 'failure', output: `HTTP probe failed with statuscode: ${status}` };
    }
  }
}

/** The User-Agent of lifecycle hook requests (pkg/kubelet/lifecycle/handlers.go). */
export const HOOK_USER_AGENT = 'kube-lifecycle/1.33';

/**
 * Runs an httpGet lifecycle hook (pkg/kubelet/lifecycle/handlers.go runHTTPHandler): only
 * transport errors fail it, never the status code; redirects follow net/http's default policy
 * (any host, at most 10); HTTPS that meets a plain HTTP server is retried over HTTP; there is no
 * client timeout, so a server that never answers keeps the hook running (`hang`: the kubelet
 * ends it with the grace period).
 */
export function httpHookOutcome(
  connect: Connect,
  ip: string,
  port: number,
  action: HTTPGetAction,
):
  | { kind: 'ok'; status: number }
  | { kind: 'error'; message: string; durationMs?: number }
  | { kind: 'hang' } {
  const request = getRequest(action, ip, port, HOOK_USER_AGENT);
  let r = httpClientGet(connect, request, { localRedirectsOnly: false });
  if (r.kind === 'error' && r.message.endsWith('http: server gave HTTP response to HTTPS client')) {
    // Same host and port: the Host header stays.
    r = httpClientGet(
      connect,
      { ...request, url: { ...request.url, scheme: 'http' } },
      {
        localRedirectsOnly: false,
      },
    );
  }
  switch (r.kind) {
    case 'error':
      return r.durationMs === undefined
        ? { kind: 'error', message: r.message }
        : { kind: 'error', message: r.message, durationMs: r.durationMs };
    case 'noAnswer':
      return { kind: 'hang' };
    default:
      return { kind: 'ok', status: r.res.status };
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const k in headers) if (k.toLowerCase() === lower) return true;
  return false;
}

/** Whether `s` is a dotted-quad IPv4 (memoised: probes ask about one address every tick). */
const isIPv4 = memoize((s) => {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}, 1024);

/**
 * Runs a tcpSocket probe (pkg/probe/tcp: `net.DialTimeout`): success iff a listener accepts;
 * failure `dial tcp <ip>:<port>: connect: connection refused` or `... i/o timeout`.
 */
export function tcpSocketOutcome(
  connect: Connect,
  ip: string,
  port: number,
  timeoutSeconds = 1,
): HandlerOutcome {
  if (!isIPv4(ip)) return { kind: 'failure', output: `dial tcp: lookup ${ip}: no such host` };
  const target = connect(ip, port);
  if (target === 'refused')
    return { kind: 'failure', output: `dial tcp ${ip}:${port}: connect: connection refused` };
  if (target === 'timeout') {
    return {
      kind: 'failure',
      output: `dial tcp ${ip}:${port}: i/o timeout`,
      durationMs: Math.max(1, timeoutSeconds) * 1000,
    };
  }
  return { kind: 'success', output: '' };
}

/**
 * Runs a grpc probe (pkg/probe/grpc). podlab has no gRPC servers: a listener on the port is
 * taken to implement grpc.health.v1 and answer SERVING (`service healthy`); no listener makes the
 * blocking dial run into the probe timeout, as upstream:
 * `timeout: failed to connect service "<ip>:<port>" within 1s: context deadline exceeded`.
 */
export function grpcOutcome(
  connect: Connect,
  ip: string,
  port: number,
  timeoutSeconds: number,
  service = '',
): HandlerOutcome {
  const target = connect(ip, port);
  const seconds = Math.max(1, timeoutSeconds);
  if (target === 'refused' || target === 'timeout') {
    return {
      kind: 'failure',
      output: `timeout: failed to connect service "${ip}:${port}" within ${goDuration(seconds)}: context deadline exceeded`,
      durationMs: seconds * 1000,
    };
  }
  // A server that models grpc.health.v1 answers for the service (pkg/probe/grpc/grpc.go Probe).
  const status = target.grpc?.(service) ?? 'SERVING';
  if (status === 'NOT_FOUND')
    return {
      kind: 'failure',
      output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
    };
  if (status !== 'SERVING')
    return { kind: 'failure', output: `service unhealthy (responded with "${status}")` };
  return { kind: 'success', output: 'service healthy' };
}

/** Go's `time.Duration.String()` for whole seconds: `1s`, `1m30s`, `1h0m0s`. */
export function goDuration(seconds: number): string {
  const s = Math.max(0, Math.trunc(seconds));
  if (s === 0) return '0s';
  const h = Math.trunc(s / 3600);
  const m = Math.trunc((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/**
 * Outcome of an exec probe (pkg/probe/exec, cri-client ExecSync): exit 0 → success; non-zero →
 * failure with the combined output (≤ 10 KiB); timeout → failure with the 1.33 cri-client text
 * `command timed out: "<cmd>" timed out after <d>`; a start error (missing binary) → error with
 * containerd's gRPC text (the result is discarded: k/k#106682).
 */
export function execOutcome(
  command: string[],
  r:
    | { exitCode: number; output: string }
    | { timedOut: true; timeoutSeconds: number }
    | { startError: string; execId?: string },
): HandlerOutcome {
  if ('startError' in r) {
    const execId = r.execId ?? deterministicExecId(command.join(' '));
    return {
      kind: 'error',
      output: `rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: ${r.startError}: unknown`,
    };
  }
  if ('timedOut' in r) {
    const seconds = Math.max(1, r.timeoutSeconds);
    return {
      kind: 'failure',
      output: `command timed out: "${command.join(' ')}" timed out after ${goDuration(seconds)}`,
      durationMs: seconds * 1000,
    };
  }
  const output = truncateBytes(r.output, MAX_EXEC_OUTPUT);
  if (r.exitCode === 0) return { kind: 'success', output };
  return { kind: 'failure', output };
}

/** Keeps at most `max` UTF-8 bytes, never splitting a character. */
function truncateBytes(s: string, max: number): string {
  let bytes = 0;
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > max) return s.slice(0, i);
    bytes += n;
    i += ch.length;
  }
  return s;
}

/** A 64-hex exec ID derived from the command (containerd uses a random one; podlab must be deterministic). */
function deterministicExecId(seed: string): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= round;
    h = Math.imul(h, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/**
 * Resolves a probe/handler port (pkg/probe/util.go ResolveContainerPort): a number is taken
 * as is; a name is looked up in the container's ports; a numeric string is parsed. Undefined =
 * probe error (see `unresolvedPortError`).
 */
export function resolvePort(port: IntOrString, ports: ContainerPort[] | undefined): number | undefined {
  if (typeof port === 'number') return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  const named = ports?.find((p) => p.name === port);
  if (named) return named.containerPort;
  if (/^\d+$/.test(port)) {
    const n = Number(port);
    return n > 0 && n < 65536 ? n : undefined;
  }
  return undefined;
}

/** The prober error for a named port not declared by the container: `strconv.Atoi: parsing "http": invalid syntax`. */
export function unresolvedPortError(port: IntOrString): string {
  if (typeof port === 'number' || /^\d+$/.test(port)) return `invalid port number: ${port}`;
  return `strconv.Atoi: parsing ${goQuote(port)}: invalid syntax`;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * The probe line of `kubectl describe pod` (kubectl 1.33 DescribeProbe), implemented once in the
 * printers: `exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3`.
 */
export { describeProbe } from '../printers/probe.ts';

/**
 * Runs a network probe (httpGet, tcpSocket, grpc) of a container whose Pod has `podIP`:
 * resolves a named port (an unresolvable one is a prober error, as upstream) and dispatches to
 * the handler. Returns undefined for exec probes, which the kubelet runs in the container.
 */
export function networkProbeOutcome(
  probe: Probe,
  podIP: string,
  ports: ContainerPort[] | undefined,
  connect: Connect,
): HandlerOutcome | undefined {
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, ports);
    if (port === undefined) return { kind: 'error', output: unresolvedPortError(probe.httpGet.port) };
    return httpGetOutcome(connect, podIP, port, probe.httpGet, probe.timeoutSeconds);
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, ports);
    if (port === undefined) return { kind: 'error', output: unresolvedPortError(probe.tcpSocket.port) };
    const host =
      probe.tcpSocket.host !== undefined && probe.tcpSocket.host !== '' ? probe.tcpSocket.host : podIP;
    return tcpSocketOutcome(connect, host, port, probe.timeoutSeconds);
  }
  if (probe.grpc)
    return grpcOutcome(connect, podIP, probe.grpc.port, probe.timeoutSeconds, probe.grpc.service ?? '');
  return undefined;
}
