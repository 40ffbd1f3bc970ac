/**
 * The HTTP client of the kubelet's httpGet probes (k/k pkg/probe/http) and httpGet lifecycle
 * hooks (pkg/kubelet/lifecycle/handlers.go): request building, redirects, body limit, Go's error
 * texts. kubernetes-semantics.md, section 3.3.
 */
import type { HTTPGetAction } from '../../model/k8s.ts';
import type { ConnectError, HttpResponse, Listener } from '../../model/runtime.ts';
import { memoize } from '../util.ts';
import type { HandlerOutcome } from './probe-worker.ts';

/** How the Pod network answers a connection: a listener, or an error. */
export type Connect = (ip: string, port: number) => Listener | ConnectError;

/** pkg/probe/http: body read limit (10 KiB). */
const MAX_BODY = 10 * 1024;
/** The User-Agent the kubelet sends (pkg/probe/http/request.go). */
export const PROBE_USER_AGENT = 'kube-probe/1.33';

/** Whether `s` is a dotted-quad IPv4 (memoised: probes ask about one address every tick). */
export const isIPv4 = memoize((s) => {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}, 1024);

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
