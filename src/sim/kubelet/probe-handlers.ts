/**
 * The tcpSocket, grpc and exec probe handlers (k/k pkg/probe/{tcp,grpc,exec}), port resolution
 * (pkg/probe/util.go) and the dispatch of a network probe to its handler (pkg/kubelet/prober/
 * prober.go runProbe); the httpGet handler is in `probe-http.ts`. kubernetes-semantics.md,
 * section 3.3. The worker that counts these outcomes against the thresholds is `probe-worker.ts`.
 */
import type { ContainerPort, IntOrString, Probe } from '../../model/k8s.ts';
import { MAX_EXEC_OUTPUT } from './exec.ts';
import { type Connect, httpGetOutcome, isIPv4 } from './probe-http.ts';
import type { HandlerOutcome } from './probe-worker.ts';

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
