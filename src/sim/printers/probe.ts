/**
 * kubectl describe's one-line probe summary (kubectl 1.33 pkg/describe/describe.go DescribeProbe).
 */
import type { IntOrString, Probe } from '../../model/k8s.ts';

/** Go `net.JoinHostPort`: brackets hosts that contain a colon (IPv6). */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/;

/** Go `url.URL.EscapedPath` for a path without a RawPath: `?`, `#`, space, `%`… percent-encoded. */
function escapePath(path: string): string {
  let out = '';
  for (const ch of path) {
    if (PATH_SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch))
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function portString(p: IntOrString): string {
  return typeof p === 'number' ? String(p) : p;
}

/**
 * `exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3`,
 * `http-get http://:8080/healthz delay=…`, `tcp-socket :8080 delay=…`, `grpc <pod>:5000 svc delay=…`
 * (the `#success/#failure` spelling of kubectl ≤ 1.36; 1.37 prints `successThreshold=`).
 */
export function describeProbe(probe: Probe): string {
  const attrs =
    `delay=${probe.initialDelaySeconds}s timeout=${probe.timeoutSeconds}s period=${probe.periodSeconds}s ` +
    `#success=${probe.successThreshold} #failure=${probe.failureThreshold}`;
  if (probe.exec) return `exec [${probe.exec.command.join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    const g = probe.httpGet;
    const port = portString(g.port);
    const host = port.length > 0 ? joinHostPort(g.host ?? '', port) : (g.host ?? '');
    let path = escapePath(g.path ?? '');
    // Go url.URL.String: a relative path after a host gets a leading slash.
    if (path !== '' && !path.startsWith('/') && host !== '') path = `/${path}`;
    return `http-get ${(g.scheme ?? 'HTTP').toLowerCase()}://${host}${path} ${attrs}`;
  }
  if (probe.tcpSocket)
    return `tcp-socket ${probe.tcpSocket.host ?? ''}:${portString(probe.tcpSocket.port)} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${probe.grpc.port} ${probe.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}
