import { describe, expect, it } from 'vitest';
import type { HTTPGetAction, Probe } from '../../src/model/k8s.ts';
import type { ConnectError, HttpResponse, Listener } from '../../src/model/runtime.ts';
import {
  execOutcome,
  grpcOutcome,
  networkProbeOutcome,
  resolvePort,
  tcpSocketOutcome,
  unresolvedPortError,
} from '../../src/sim/kubelet/probe-handlers.ts';
import { httpGetOutcome, httpHookOutcome } from '../../src/sim/kubelet/probe-http.ts';
import { probeEvent } from '../../src/sim/kubelet/probe-worker.ts';
import { describeProbe } from '../../src/sim/printers/probe.ts';

const POD = '10.244.0.7';

/** A pod network with HTTP servers: `routes[port][path]` -> response. */
function network(
  routes: Record<number, Record<string, HttpResponse> | 'raw'>,
  seen: { path: string; headers: Record<string, string> }[] = [],
) {
  return (ip: string, port: number): Listener | ConnectError => {
    if (ip !== POD && ip !== '10.244.0.8') return 'timeout';
    const r = routes[port];
    if (!r) return 'refused';
    if (r === 'raw') return { port };
    return {
      port,
      http: (req) => {
        seen.push({ path: req.path, headers: req.headers });
        return r[req.path] ?? { status: 404, body: '404 page not found\n' };
      },
    };
  };
}

function get(path: string, extra: Partial<HTTPGetAction> = {}): HTTPGetAction {
  return { path, port: 8080, scheme: 'HTTP', ...extra };
}

const redirect = (loc: string, status = 302): HttpResponse => ({
  status,
  body: `<a href="${loc}">Found</a>.\n`,
  headers: { Location: loc },
});

describe('httpGet probe (k/k pkg/probe/http)', () => {
  const net = network({
    8080: {
      '/healthz': { status: 200, body: 'ok' },
      '/err': { status: 500, body: 'boom' },
      '/redirect?loc=/healthz': redirect('/healthz'),
      '/redirect?loc=/err': redirect('/err'),
      '/redirect?loc=http://0.0.0.0/': redirect('http://0.0.0.0/'),
      '/other-port': redirect(`http://${POD}:9090/up`),
      '/loop': redirect('/loop'),
      '/moved': { status: 301, body: 'no location' },
      '/teapot': { status: 199, body: '' },
    },
    9090: { '/up': { status: 204, body: '' } },
    7070: 'raw',
  });
  it.each([
    { name: '200 is success', action: get('/healthz'), want: { kind: 'success', output: 'ok' } },
    {
      name: '404 is failure with the status code',
      action: get('/nope'),
      want: { kind: 'failure', output: 'HTTP probe failed with statuscode: 404' },
    },
    {
      name: '500 is failure',
      action: get('/err'),
      want: { kind: 'failure', output: 'HTTP probe failed with statuscode: 500' },
    },
    {
      name: 'below 200 is failure',
      action: get('/teapot'),
      want: { kind: 'failure', output: 'HTTP probe failed with statuscode: 199' },
    },
    {
      name: 'e2e: local redirect is followed (to a healthy target)',
      action: get('/redirect?loc=/healthz'),
      want: { kind: 'success', output: 'ok' },
    },
    {
      name: 'e2e "restarted with local redirect": followed to a failing target',
      action: get('/redirect?loc=/err'),
      want: { kind: 'failure', output: 'HTTP probe failed with statuscode: 500' },
    },
    {
      name: 'e2e "not restarted with non-local redirect": ProbeWarning with the 3xx body',
      action: get('/redirect?loc=http://0.0.0.0/'),
      want: {
        kind: 'warning',
        output: 'Probe terminated redirects, Response body: <a href="http://0.0.0.0/">Found</a>.\n',
      },
    },
    {
      name: 'same hostname on another port is local',
      action: get('/other-port'),
      want: { kind: 'success', output: '' },
    },
    {
      name: 'redirect loop stops after 10 redirects',
      action: get('/loop'),
      want: { kind: 'failure', output: 'Get "/loop": stopped after 10 redirects' },
    },
    {
      name: '3xx without Location is returned as is: warning',
      action: get('/moved'),
      want: { kind: 'warning', output: 'Probe terminated redirects, Response body: no location' },
    },
    {
      name: 'connection refused',
      action: get('/', { port: 8081 }),
      port: 8081,
      want: {
        kind: 'failure',
        output: `Get "http://${POD}:8081/": dial tcp ${POD}:8081: connect: connection refused`,
      },
    },
    {
      name: 'server that never answers HTTP: client timeout',
      action: get('/'),
      port: 7070,
      want: {
        kind: 'failure',
        output: `Get "http://${POD}:7070/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        durationMs: 1000,
      },
    },
    {
      name: 'unreachable host: dial i/o timeout',
      action: get('/', { host: '10.9.9.9' }),
      want: {
        kind: 'failure',
        output:
          'Get "http://10.9.9.9:8080/": dial tcp 10.9.9.9:8080: i/o timeout (Client.Timeout exceeded while awaiting headers)',
        durationMs: 1000,
      },
    },
    {
      name: 'host name the node cannot resolve',
      action: get('/', { host: 'myservice' }),
      want: {
        kind: 'failure',
        output: 'Get "http://myservice:8080/": dial tcp: lookup myservice: no such host',
      },
    },
    {
      name: 'HTTPS against a plain HTTP server',
      action: get('/healthz', { scheme: 'HTTPS' }),
      want: {
        kind: 'failure',
        output: `Get "https://${POD}:8080/healthz": http: server gave HTTP response to HTTPS client`,
      },
    },
    {
      name: 'a path without a leading slash gets one',
      action: get('healthz'),
      want: { kind: 'success', output: 'ok' },
    },
  ])('$name', ({ action, port, want }) => {
    expect(httpGetOutcome(net, POD, port ?? 8080, action, 1)).toEqual(want);
  });

  it('sends kube-probe/1.33 and Accept */*, custom headers override', () => {
    const seen: { path: string; headers: Record<string, string> }[] = [];
    const n = network({ 8080: { '/': { status: 200, body: '' } } }, seen);
    httpGetOutcome(n, POD, 8080, get('/'), 1);
    httpGetOutcome(n, POD, 8080, get('/', { httpHeaders: [{ name: 'User-Agent', value: 'mine' }] }), 1);
    expect(seen[0]!.headers).toEqual({ Host: `${POD}:8080`, 'User-Agent': 'kube-probe/1.33', Accept: '*/*' });
    expect(seen[1]!.headers['User-Agent']).toBe('mine');
  });

  it('reads at most 10 KiB of body', () => {
    const n = network({ 8080: { '/': { status: 200, body: 'x'.repeat(20_000) } } });
    const r = httpGetOutcome(n, POD, 8080, get('/'), 1);
    expect(r.kind === 'success' && r.output?.length).toBe(10 * 1024);
  });
});

describe('httpGet lifecycle hook (pkg/kubelet/lifecycle/handlers.go)', () => {
  const net = network({
    8080: { '/x': redirect('http://10.244.0.8:8080/y'), '/err': { status: 500, body: '' } },
    7070: 'raw',
  });
  it.each([
    { name: 'status codes never fail a hook', action: get('/err'), want: { kind: 'ok', status: 500 } },
    { name: 'redirects to another host are followed', action: get('/x'), want: { kind: 'ok', status: 404 } },
    {
      name: 'HTTPS falls back to HTTP',
      action: get('/err', { scheme: 'HTTPS' }),
      want: { kind: 'ok', status: 500 },
    },
    {
      name: 'refused fails',
      action: get('/', { port: 1 }),
      port: 1,
      want: {
        kind: 'error',
        message: `Get "http://${POD}:1/": dial tcp ${POD}:1: connect: connection refused`,
      },
    },
    { name: 'a silent server hangs the hook', action: get('/'), port: 7070, want: { kind: 'hang' } },
  ])('$name', ({ action, port, want }) => {
    expect(httpHookOutcome(net, POD, port ?? 8080, action)).toEqual(want);
  });
});

describe('tcpSocket and grpc probes', () => {
  const net = network({ 8080: { '/': { status: 500, body: '' } }, 5000: 'raw' });
  it.each([
    {
      name: 'e2e "not restarted with tcp:8080": the socket is open despite HTTP 500',
      got: () => tcpSocketOutcome(net, POD, 8080),
      want: { kind: 'success', output: '' },
    },
    {
      name: 'tcp refused',
      got: () => tcpSocketOutcome(net, POD, 8081),
      want: { kind: 'failure', output: `dial tcp ${POD}:8081: connect: connection refused` },
    },
    {
      name: 'tcp timeout',
      got: () => tcpSocketOutcome(net, '10.9.9.9', 80, 3),
      want: { kind: 'failure', output: 'dial tcp 10.9.9.9:80: i/o timeout', durationMs: 3000 },
    },
    {
      name: 'tcp to a host name the node cannot resolve',
      got: () => tcpSocketOutcome(net, 'db', 5432),
      want: { kind: 'failure', output: 'dial tcp: lookup db: no such host' },
    },
    {
      name: 'grpc with a listener: SERVING',
      got: () => grpcOutcome(net, POD, 5000, 5),
      want: { kind: 'success', output: 'service healthy' },
    },
    {
      name: 'e2e grpc wrong port 2333: blocking dial times out',
      got: () => grpcOutcome(net, POD, 2333, 5),
      want: {
        kind: 'failure',
        output: `timeout: failed to connect service "${POD}:2333" within 5s: context deadline exceeded`,
        durationMs: 5000,
      },
    },
  ])('$name', ({ got, want }) => {
    expect(got()).toEqual(want);
  });
});

describe('exec probe (pkg/probe/exec, cri-client ExecSync)', () => {
  it.each([
    {
      name: 'exit 0 is success',
      r: { exitCode: 0, output: 'ok\n' },
      want: { kind: 'success', output: 'ok\n' },
    },
    {
      name: 'docs liveness-exec: cat of a missing file is a failure with its output',
      r: { exitCode: 1, output: "cat: can't open '/tmp/healthy': No such file or directory\n" },
      want: { kind: 'failure', output: "cat: can't open '/tmp/healthy': No such file or directory\n" },
    },
    {
      name: 'e2e "restarted with exec liveness probe with timeout": timeout is a failure (1.33 text)',
      command: ['sh', '-c', 'sleep 10'],
      r: { timedOut: true as const, timeoutSeconds: 1 },
      want: {
        kind: 'failure',
        output: 'command timed out: "sh -c sleep 10" timed out after 1s',
        durationMs: 1000,
      },
    },
    {
      name: 'timeout durations print as Go durations',
      command: ['sleep', '100'],
      r: { timedOut: true as const, timeoutSeconds: 90 },
      want: {
        kind: 'failure',
        output: 'command timed out: "sleep 100" timed out after 1m30s',
        durationMs: 90_000,
      },
    },
    {
      name: 'missing binary is an error (k/k#106682)',
      command: ['curl', 'localhost'],
      r: { startError: 'exec: "curl": executable file not found in $PATH', execId: 'abc' },
      want: {
        kind: 'error',
        output:
          'rpc error: code = Unknown desc = failed to exec in container: failed to start exec "abc": OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown',
      },
    },
  ])('$name', ({ command, r, want }) => {
    expect(execOutcome(command ?? ['cat', '/tmp/healthy'], r)).toEqual(want);
  });

  it('combined output is cut at 10 KiB', () => {
    const r = execOutcome(['x'], { exitCode: 1, output: 'é'.repeat(6000) });
    expect(r.kind).toBe('failure');
    expect(new TextEncoder().encode(r.kind === 'failure' ? r.output : '').length).toBe(10 * 1024);
  });

  it('the generated exec ID is deterministic and 64 hex digits', () => {
    const a = execOutcome(['curl'], { startError: 'e' });
    const b = execOutcome(['curl'], { startError: 'e' });
    expect(a).toEqual(b);
    expect(a.kind === 'error' && /start exec "([0-9a-f]{64})"/.test(a.output)).toBe(true);
  });
});

describe('probe events (prober.go recordContainerEvent, section 3.4)', () => {
  it.each([
    { type: 'liveness' as const, o: { kind: 'success' as const }, want: undefined },
    {
      type: 'liveness' as const,
      o: { kind: 'failure' as const, output: "cat: can't open '/tmp/healthy': No such file or directory" },
      want: {
        type: 'Warning',
        reason: 'Unhealthy',
        message: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
      },
    },
    {
      type: 'readiness' as const,
      o: { kind: 'error' as const, output: 'strconv.Atoi: parsing "http": invalid syntax' },
      want: {
        type: 'Warning',
        reason: 'Unhealthy',
        message:
          'Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "http": invalid syntax',
      },
    },
    {
      type: 'startup' as const,
      o: { kind: 'warning' as const, output: 'Probe terminated redirects, Response body: x' },
      want: {
        type: 'Warning',
        reason: 'ProbeWarning',
        message: 'Startup probe warning: Probe terminated redirects, Response body: x',
      },
    },
  ])('$type $o.kind', ({ type, o, want }) => {
    expect(probeEvent(type, o)).toEqual(want);
  });
});

describe('ports (pkg/probe/util.go ResolveContainerPort)', () => {
  const ports = [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }];
  it.each([
    { port: 80, want: 80 },
    { port: 'http', want: 8080 },
    { port: '9090', want: 9090 },
    { port: 'web', want: undefined },
    { port: 0, want: undefined },
    { port: 70000, want: undefined },
  ])('$port -> $want', ({ port, want }) => {
    expect(resolvePort(port, ports)).toBe(want);
  });
  it('unresolvable name error text', () => {
    expect(unresolvedPortError('http')).toBe('strconv.Atoi: parsing "http": invalid syntax');
  });
  it('networkProbeOutcome turns an unknown named port into a probe error', () => {
    const probe: Probe = {
      httpGet: { path: '/', port: 'web', scheme: 'HTTP' },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    };
    expect(networkProbeOutcome(probe, POD, ports, network({}))).toEqual({
      kind: 'error',
      output: 'strconv.Atoi: parsing "web": invalid syntax',
    });
    expect(
      networkProbeOutcome(
        { ...probe, httpGet: undefined, exec: { command: ['true'] } },
        POD,
        ports,
        network({}),
      ),
    ).toBe(undefined);
  });
});

describe('describeProbe (kubectl 1.33 DescribeProbe)', () => {
  const base = {
    initialDelaySeconds: 5,
    timeoutSeconds: 1,
    periodSeconds: 5,
    successThreshold: 1,
    failureThreshold: 3,
  };
  it.each([
    {
      probe: { ...base, exec: { command: ['cat', '/tmp/healthy'] } },
      want: 'exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3',
    },
    {
      probe: { ...base, httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' as const } },
      want: 'http-get http://:8080/healthz delay=5s timeout=1s period=5s #success=1 #failure=3',
    },
    {
      probe: { ...base, tcpSocket: { port: 8080 } },
      want: 'tcp-socket :8080 delay=5s timeout=1s period=5s #success=1 #failure=3',
    },
  ])('$want', ({ probe, want }) => {
    expect(describeProbe(probe)).toBe(want);
  });
});
