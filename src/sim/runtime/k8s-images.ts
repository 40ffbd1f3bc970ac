/**
 * The Kubernetes project's test images (kubernetes/kubernetes build/pause, test/images): pause,
 * the old liveness server, goproxy and agnhost with the subcommands the docs and e2e tests use.
 * Their programs are Go servers (pause is C) with Go's behaviour as PID 1 (see `goDefaultSignals`).
 */
import type { HttpResponse, Image, Listener, Signal } from '../../model/runtime.ts';
import { type Ctx, now } from './applet.ts';
import { curlProgram } from './curl.ts';
import { busyboxContent, IMAGE_PATH, SimImage, shellProgram } from './images.ts';
import type { Gen, Kernel } from './kernel.ts';
import { exeContent, type Program } from './programs.ts';
import { formatDate } from './time.ts';

/** An HTTP request as a listener receives it. */
type Request = Parameters<NonNullable<Listener['http']>>[0];

/** net/http's answer for an unrouted path (http.NotFound). */
export const GO_NOT_FOUND: HttpResponse = {
  status: 404,
  body: '404 page not found\n',
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
};

/** A Go `log.Printf` line on stderr (`2025/01/01 00:00:03 msg`, the log package's default flags). */
export function goLog(c: Ctx, message: string): void {
  c.io.err.write(`${formatDate(c.k.clock, '%Y/%m/%d %T')} ${message}\n`);
}

/**
 * A Go program as PID 1 that does not `signal.Notify` a signal: the runtime's handler re-raises
 * SIGHUP/SIGINT/SIGTERM with the default action, which the kernel ignores for a PID namespace's
 * init, and then calls exit(2) (runtime/signal_unix.go dieFromSignal); SIGQUIT dumps the
 * goroutines and exits 2 too. Outside PID 1 the signal kills the process (128+N).
 */
export function goDefaultSignals(
  k: Kernel,
  handled: Partial<Record<Signal, () => number | 'ignore'>> = {},
): void {
  const pid1 = k.role === 'main';
  k.signalPolicy = (sig) => {
    const own = handled[sig];
    if (own) {
      const r = own();
      return r === 'ignore' ? 'ignore' : { exitCode: r };
    }
    if (sig === 'SIGTERM' || sig === 'SIGINT' || sig === 'SIGHUP' || sig === 'SIGQUIT')
      return pid1 ? { exitCode: 2 } : 'default';
    return pid1 ? 'ignore' : 'default';
  };
}

/** Splits `/p?a=1&b=2` into the path and its decoded query. */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  if (q < 0) return { path: target, query: new URLSearchParams() };
  return { path: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };

function text(status: number, body: string): HttpResponse {
  return { status, body, headers: TEXT };
}

/** Go's `time.Duration.String()` for a whole number of milliseconds (`3.001s`, `1m2s`). */
function goDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  if (ms < 1000) return `${ms}ms`;
  return `${s}s`;
}

/** Blocks forever (a Go `select {}`, or a server's accept loop). */
export function* forever(): Gen<number> {
  yield { kind: 'forever' };
  return 0;
}

/**
 * The liveness server (test/images/liveness/server.go, agnhost liveness/server.go) on :8080:
 * `/healthz` answers 200 `ok` while at most 10 s have passed since start (`duration.Seconds() >
 * 10` fails), then 500 `error: <seconds>`; `/started` the time since start; `/redirect?loc=` a 302.
 * The switch to failing is a job that wakes just after 10 s, so the answer needs no clock.
 */
function* livenessServer(c: Ctx): Gen<number> {
  const k = c.k;
  const started = k.clock;
  let failing = false;
  goDefaultSignals(k);
  k.listen(k.currentPid(), {
    port: 8080,
    http: (req: Request) => {
      const { path, query } = splitTarget(req.path);
      const elapsed = Math.max(k.clock, req.now ?? 0) - started;
      if (path === '/healthz') {
        return failing ? text(500, `error: ${Math.max(elapsed, 10_001) / 1000}`) : text(200, 'ok');
      }
      if (path === '/started') return text(200, goDurationMs(elapsed));
      if (path === '/redirect') {
        return { status: 302, body: '', headers: { Location: query.get('loc') ?? '' } };
      }
      return GO_NOT_FOUND;
    },
  });
  yield { kind: 'sleep', until: started + 10_001 };
  failing = true;
  return yield* forever();
}

/** C pause (build/pause/linux/pause.c): SIGINT/SIGTERM → psignal() on stderr, exit 0; nothing else. */
function* pauseProgram(c: Ctx, argv: string[]): Gen<number> {
  const k = c.k;
  if (argv.slice(1).some((a) => a.toLowerCase() === '-v')) {
    c.io.out.write('pause.c HEAD\n');
    return 0;
  }
  if (k.role !== 'main') c.io.err.write('Warning: pause should be the first process\n');
  k.signalPolicy = (sig) => {
    if (sig !== 'SIGTERM' && sig !== 'SIGINT') return k.role === 'main' ? 'ignore' : 'default';
    k.sink('stderr').write(`Shutting down, got signal: ${sig === 'SIGTERM' ? 'Terminated' : 'Interrupt'}\n`);
    return { exitCode: 0 };
  };
  return yield* forever();
}

/**
 * goproxy (test/images/goproxy, elazarl/goproxy on :8080): a forward HTTP proxy. A request that
 * is not a proxy request (an origin-form target, as probes send) gets goproxy's 500 answer.
 */
function* goproxyProgram(c: Ctx): Gen<number> {
  goDefaultSignals(c.k);
  c.k.listen(c.k.currentPid(), {
    port: 8080,
    http: () => text(500, 'This is a proxy server. Does not respond to non-proxy requests.\n'),
  });
  return yield* forever();
}

/** Cobra-style flags: `--name=value`, `--name value`, `--bool`; unknown flags are an error. */
function parseFlags(
  args: string[],
  known: Record<string, 'int' | 'string' | 'bool'>,
): { flags: Record<string, string>; error?: string } {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) return { flags, error: `unknown command "${a}" for "agnhost"` };
    const name = m[1]!;
    const kind = known[name];
    if (!kind) return { flags, error: `unknown flag: --${name}` };
    let value = m[2];
    if (value === undefined) value = kind === 'bool' ? 'true' : args[++i];
    if (value === undefined) return { flags, error: `flag needs an argument: --${name}` };
    if (kind === 'int' && !/^-?\d+$/.test(value))
      return {
        flags,
        error: `invalid argument "${value}" for "--${name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`,
      };
    flags[name] = value;
  }
  return { flags };
}

/** agnhost `pause` (agnhost/pause/pause.go): prints `Paused`; SIGINT → exit 1, SIGTERM → exit 2. */
function* agnhostPause(c: Ctx): Gen<number> {
  c.io.out.write('Paused\n');
  goDefaultSignals(c.k, { SIGINT: () => 1, SIGTERM: () => 2 });
  return yield* forever();
}

/**
 * agnhost `netexec` (agnhost/netexec/netexec.go): HTTP on --http-port (8080) with `/hostname`,
 * `/echo?msg=&code=`, `/healthz` (200 once the UDP server on --udp-port runs, 412 with
 * `--udp-port=-1`), `/exit?code=` and `/shutdown` (the process exits), `/` (`NOW: <time>`).
 */
function* agnhostNetexec(c: Ctx, flags: Record<string, string>): Gen<number> {
  const k = c.k;
  const port = Number(flags['http-port'] ?? 8080);
  const udp = Number(flags['udp-port'] ?? 8081);
  goDefaultSignals(k);
  goLog(c, `Started HTTP server on port ${port}`);
  const pid = k.currentPid();
  k.listen(pid, {
    port,
    http: (req: Request) => {
      const { path, query } = splitTarget(req.path);
      switch (path) {
        case '/hostname':
        case '/hostName':
          return text(200, k.host.hostname);
        case '/healthz':
          return { status: udp !== -1 ? 200 : 412, body: '' };
        case '/echo': {
          const code = query.get('code') ?? '';
          if (code !== '' && !/^\d+$/.test(code))
            return text(200, `argument 'code' must be an integer or empty, got "${code}"\n`);
          return text(code === '' ? 200 : Number(code), query.get('msg') ?? '');
        }
        case '/exit':
        case '/shutdown': {
          const code = path === '/exit' ? (query.get('code') ?? '') : '0';
          if (code !== '' && !/^\d+$/.test(code))
            return text(200, `argument 'code' must be an integer [0-127] or empty, got "${code}"\n`);
          k.terminate(pid, code === '' ? 0 : Number(code));
          return { status: 200, body: '' };
        }
        case '/clientip':
          return text(200, req.remoteAddr !== undefined ? `${req.remoteAddr}:0` : '');
        default:
          return text(200, `NOW: ${formatDate(Math.max(k.clock, req.now ?? 0), '%F %T')} +0000 UTC`);
      }
    },
  });
  return yield* forever();
}

/**
 * agnhost `serve-hostname` (agnhost/serve-hostname/serve_hostname.go): the hostname over HTTP on
 * --port (9376); on SIGTERM it logs, waits 60 s ("Awaiting pod deletion") and exits 0.
 */
function* agnhostServeHostname(c: Ctx, flags: Record<string, string>): Gen<number> {
  const k = c.k;
  const port = Number(flags.port ?? 9376);
  if (flags.http !== 'false' && (flags.tcp === 'true' || flags.udp === 'true')) {
    goLog(c, "Can't server TCP/UDP mode and HTTP mode at the same time");
    return 1;
  }
  const main = k.currentPid();
  const hostname = k.host.hostname;
  const answer = () => text(200, hostname);
  k.listen(k.currentPid(), flags.http === 'false' ? { port } : { port, http: answer });
  goLog(c, `Serving on port ${port}.`);
  goDefaultSignals(k, {
    SIGTERM: () => {
      goLog(c, 'Shutting down after receiving signal: terminated.');
      goLog(c, 'Awaiting pod deletion.');
      const until = k.clock + 60_000;
      k.spawn(
        (function* (): Gen<number> {
          yield { kind: 'sleep', until };
          k.terminate(main, 0);
          return 0;
        })(),
      );
      return 'ignore';
    },
  });
  return yield* forever();
}

/** Go 1.21+ net/http directory listing (fs.go dirList). */
function dirListing(names: string[], isDir: (n: string) => boolean): string {
  const rows = [...names]
    .sort()
    .map((n) => {
      const shown = isDir(n) ? `${n}/` : n;
      return `<a href="${encodeURI(shown)}">${shown.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</a>\n`;
    })
    .join('');
  return `<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n${rows}</pre>\n`;
}

/**
 * agnhost `test-webserver` (agnhost/test-webserver): http.FileServer of `/` on --port (80): a
 * file's content, a directory's `index.html` or listing, 301 to `dir/`, 404 otherwise.
 */
function* agnhostTestWebserver(c: Ctx, flags: Record<string, string>): Gen<number> {
  const k = c.k;
  goDefaultSignals(k);
  const fs = k.host.fs;
  k.listen(k.currentPid(), {
    port: Number(flags.port ?? 80),
    http: (req: Request) => {
      const path = decodeURIComponent(splitTarget(req.path).path);
      const clean = `/${path
        .split('/')
        .filter((p) => p !== '' && p !== '.')
        .join('/')}`;
      if (fs.isDirectory(clean)) {
        if (!path.endsWith('/'))
          return { status: 301, body: '', headers: { Location: `${path.split('/').pop()}/` } };
        const index = fs.readFile(`${clean === '/' ? '' : clean}/index.html`);
        if (index !== undefined) return { status: 200, body: index };
        const names = fs.list(clean) ?? [];
        return {
          status: 200,
          body: dirListing(names, (n) => fs.isDirectory(`${clean === '/' ? '' : clean}/${n}`)),
          headers: { 'Content-Type': 'text/html; charset=utf-8' },
        };
      }
      const content = fs.readFile(clean);
      return content === undefined ? GO_NOT_FOUND : { status: 200, body: content };
    },
  });
  return yield* forever();
}

/**
 * agnhost `grpc-health-checking` (agnhost/grpc-health-checking): grpc.health.v1 on --port (5000)
 * answering SERVING (NOT_SERVING after --delay-unhealthy-sec, or after `/make-not-serving` on
 * --http-port 8080), NOT_FOUND for another service name than --service.
 */
function* agnhostGrpc(c: Ctx, flags: Record<string, string>): Gen<number> {
  const k = c.k;
  goDefaultSignals(k);
  const started = k.clock;
  const delay = Number(flags['delay-unhealthy-sec'] ?? -1);
  const service = flags.service ?? '';
  const port = Number(flags.port ?? 5000);
  const httpPort = Number(flags['http-port'] ?? 8080);
  let forced: boolean | undefined;
  let late = false;
  const pid = k.currentPid();
  goLog(c, `Http server starting to listen on :${httpPort}`);
  k.listen(pid, {
    port: httpPort,
    http: (req: Request) => {
      const { path } = splitTarget(req.path);
      if (path !== '/make-not-serving' && path !== '/make-serving') return GO_NOT_FOUND;
      goLog(c, path === '/make-serving' ? 'Mark as healthy' : 'Mark as unhealthy');
      forced = path === '/make-not-serving';
      return text(200, goDurationMs(Math.max(k.clock, req.now ?? 0) - started));
    },
  });
  goLog(c, `gRPC server starting to listen on :${port}`);
  k.listen(pid, {
    port,
    grpc: (svc: string) => {
      if (svc !== service) return 'NOT_FOUND';
      // `forceUnhealthy && *forceUnhealthy || duration >= delay`: /make-serving does not undo the delay.
      return forced === true || late ? 'NOT_SERVING' : 'SERVING';
    },
  });
  if (delay >= 0) {
    // `duration.Seconds() >= delay`: unhealthy from exactly `delay` seconds on.
    yield { kind: 'sleep', until: started + delay * 1000 };
    late = true;
  }
  return yield* forever();
}

/** agnhost `porter` (agnhost/porter): an HTTP server per `SERVE_PORT_N`/`SERVE_TCP_PORT_N` answering the value. */
function* agnhostPorter(c: Ctx): Gen<number> {
  const k = c.k;
  goDefaultSignals(k);
  for (const [name, value] of Object.entries(c.env)) {
    const m = /^SERVE_(?:TCP_)?PORT_(\d+)$/.exec(name);
    if (m) k.listen(k.currentPid(), { port: Number(m[1]), http: () => ({ status: 200, body: value }) });
  }
  return yield* forever();
}

/** The agnhost subcommands podlab runs, with their flags. */
const AGNHOST: Record<
  string,
  {
    flags: Record<string, 'int' | 'string' | 'bool'>;
    run: (c: Ctx, f: Record<string, string>) => Gen<number>;
  }
> = {
  pause: { flags: {}, run: (c) => agnhostPause(c) },
  liveness: { flags: {}, run: (c) => livenessServer(c) },
  netexec: {
    flags: {
      'http-port': 'int',
      'udp-port': 'int',
      'sctp-port': 'int',
      'tls-cert-file': 'string',
      'tls-private-key-file': 'string',
      'http-override': 'string',
      'udp-listen-addresses': 'string',
      'delay-shutdown': 'int',
    },
    run: agnhostNetexec,
  },
  'serve-hostname': {
    flags: { port: 'int', http: 'bool', tcp: 'bool', udp: 'bool', close: 'bool' },
    run: agnhostServeHostname,
  },
  'test-webserver': { flags: { port: 'int' }, run: agnhostTestWebserver },
  'grpc-health-checking': {
    flags: { port: 'int', 'http-port': 'int', 'delay-unhealthy-sec': 'int', service: 'string' },
    run: agnhostGrpc,
  },
  porter: { flags: { 'json-response': 'bool' }, run: (c) => agnhostPorter(c) },
};

/** agnhost's other subcommands (agnhost.go rootCmd.AddCommand): real, but not simulated. */
const AGNHOST_OTHER = new Set(
  'audit-proxy connect crd-conversion-webhook dns-server-list dns-suffix echo entrypoint-tester etc-hosts fake-gitserver fake-registry-server guestbook inclusterclient logs-generator mounttest net nettest no-snat-test no-snat-test-proxy openidmetadata port-forward-tester resource-consumer-controller tcp-reset webhook'.split(
    ' ',
  ),
);

/** `/agnhost SUBCOMMAND [flags]` (test/images/agnhost/agnhost.go, cobra). */
const agnhostProgram: Program = (c, argv) => {
  const sub = argv[1];
  if (sub === undefined) {
    c.io.out.write('Usage:\n  agnhost [command]\n');
    return now(0);
  }
  if (sub === 'echo') {
    c.io.out.write(`${argv.slice(2).join(' ')}\n`);
    return now(0);
  }
  const cmd = Object.hasOwn(AGNHOST, sub) ? AGNHOST[sub] : undefined;
  if (!cmd) {
    if (AGNHOST_OTHER.has(sub)) {
      c.io.err.write(`podlab does not simulate agnhost's "${sub}" subcommand\n`);
      return now(1);
    }
    c.io.err.write(`Error: unknown command "${sub}" for "agnhost"\nRun 'agnhost --help' for usage.\n`);
    return now(1);
  }
  const { flags, error } = parseFlags(argv.slice(2), cmd.flags);
  if (error !== undefined) {
    c.io.err.write(`Error: ${error}\n`);
    return now(1);
  }
  return cmd.run(c, flags);
};

/** Directories the runtime creates in every container (mount points), for `FROM scratch` images. */
const SCRATCH_DIRS = ['/dev', '/etc', '/proc', '/sys'];

/** A `FROM scratch` image holding one static binary. */
function scratchImage(
  ref: string,
  binary: string,
  program: Program,
  entrypoint: string[],
  cmd: string[],
  exposedPorts: string[] = [],
): SimImage {
  const name = binary.slice(1);
  return new SimImage(
    ref,
    entrypoint,
    cmd,
    true,
    { dirs: SCRATCH_DIRS, files: { [binary]: exeContent(name) } },
    // No Env in the image: containerd's default PATH (oci.WithDefaultPathEnv).
    { PATH: IMAGE_PATH },
    { [name]: program },
    {},
    exposedPorts.length > 0 ? { exposedPorts } : {},
  );
}

/** agnhost's image (test/images/agnhost/Dockerfile): Alpine 3.21 with bash, curl, nc; ENTRYPOINT /agnhost, CMD pause. */
function agnhostImage(ref: string): SimImage {
  const base = busyboxContent('alpine');
  return new SimImage(
    ref,
    ['/agnhost'],
    ['pause'],
    true,
    {
      dirs: [...base.dirs, '/uploads'],
      files: {
        ...base.files,
        '/etc/alpine-release': '3.21.3\n',
        '/bin/bash': exeContent('bash'),
        '/usr/bin/curl': exeContent('curl'),
        '/agnhost': exeContent('agnhost'),
        '/agnhost-2': exeContent('agnhost'),
        '/localhost.crt': '-----BEGIN CERTIFICATE-----\n',
        '/localhost.key': '-----BEGIN PRIVATE KEY-----\n',
      },
    },
    { PATH: IMAGE_PATH },
    { agnhost: agnhostProgram, bash: shellProgram, curl: curlProgram(true) },
    {},
    { exposedPorts: ['80/tcp', '8080/tcp', '8081/tcp', '9376/tcp'] },
  );
}

/**
 * etcd (etcd-io/etcd server): serves the client API on each `--listen-client-urls` URL
 * (default `http://localhost:2379`) with the grpc.health.v1 service registered for the empty
 * service name only (server/etcdserver/api/v3rpc/grpc.go, `hsrv.SetServingStatus("", SERVING)`)
 * and HTTP `/health`. SIGTERM/SIGINT stop it; as PID 1 it then exits 0
 * (client/pkg/osutil/interrupt_unix.go HandleInterrupts), elsewhere it re-raises the signal.
 * podlab has no bind addresses: a loopback-only URL serves nobody (docs/deviations.md).
 */
function* etcdProgram(c: Ctx, argv: string[]): Gen<number> {
  const k = c.k;
  let urls = 'http://localhost:2379';
  for (let i = 1; i < argv.length; i++) {
    const m = /^--?listen-client-urls(?:=(.*))?$/.exec(argv[i]!);
    if (m) urls = m[1] ?? argv[++i] ?? '';
  }
  k.signalPolicy = (sig) =>
    sig === 'SIGTERM' || sig === 'SIGINT' ? (k.role === 'main' ? { exitCode: 0 } : 'default') : 'default';
  for (const url of urls.split(',')) {
    const m = /^https?:\/\/([^:/]+):(\d+)/.exec(url.trim());
    if (!m || m[1] === 'localhost' || m[1]!.startsWith('127.')) continue;
    k.listen(k.currentPid(), {
      port: Number(m[2]),
      grpc: (svc) => (svc === '' ? 'SERVING' : 'NOT_FOUND'),
      http: (req: Request) =>
        splitTarget(req.path).path === '/health'
          ? {
              status: 200,
              body: '{"health":"true","reason":""}',
              headers: { 'Content-Type': 'text/plain; charset=utf-8' },
            }
          : GO_NOT_FOUND,
    });
  }
  return yield* forever();
}

/**
 * registry.k8s.io/etcd (kubernetes cluster/images/etcd/Dockerfile): distroless static with
 * bash-static as /bin/sh, etcd, etcdctl and migrate in /usr/local/bin; no ENTRYPOINT or CMD,
 * WORKDIR /, EXPOSE 2379 2380 4001 7001. Tags `3.x.y-z`.
 */
function etcdImage(ref: string): SimImage {
  return new SimImage(
    ref,
    [],
    [],
    true,
    {
      dirs: [...SCRATCH_DIRS, '/tmp', '/var', '/usr/local/bin'],
      files: {
        '/bin/sh': exeContent('sh'),
        '/bin/cp': exeContent('cp'),
        '/usr/local/bin/etcd': exeContent('etcd'),
        '/usr/local/bin/etcdctl': exeContent('etcdctl'),
        '/usr/local/bin/migrate': exeContent('migrate'),
        '/usr/local/bin/migrate-if-needed.sh': '#!/bin/sh\n',
      },
    },
    // distroless static's Env.
    { PATH: IMAGE_PATH, SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' },
    { sh: shellProgram, etcd: etcdProgram },
    {},
    { workingDir: '/', exposedPorts: ['2379/tcp', '2380/tcp', '4001/tcp', '7001/tcp'] },
  );
}

/** Catalogue entries of the Kubernetes test images, by repository. */
export const K8S_IMAGES: Record<string, (ref: string, tag: string | undefined) => Image | undefined> = {
  // build/pause/Dockerfile: FROM scratch, ADD pause /pause, ENTRYPOINT ["/pause"]; every 3.x tag.
  'registry.k8s.io/pause': (ref, tag) =>
    tag === undefined || tag === 'latest' || /^\d+\.\d+(\.\d+)?$/.test(tag)
      ? scratchImage(ref, '/pause', pauseProgram, ['/pause'], [])
      : undefined,
  // test/images/liveness/Dockerfile: FROM scratch, COPY liveness /server; no ENTRYPOINT or CMD.
  'registry.k8s.io/liveness': (ref) => scratchImage(ref, '/server', (c) => livenessServer(c), [], []),
  // test/images/goproxy/Dockerfile: FROM scratch, ENTRYPOINT ["/goproxy"]; the one tag is 0.1.
  'registry.k8s.io/goproxy': (ref, tag) =>
    tag === '0.1' ? scratchImage(ref, '/goproxy', (c) => goproxyProgram(c), ['/goproxy'], []) : undefined,
  'registry.k8s.io/etcd': (ref, tag) =>
    tag !== undefined && /^3\.\d+\.\d+-\d+$/.test(tag) ? etcdImage(ref) : undefined,
  'registry.k8s.io/e2e-test-images/agnhost': (ref, tag) =>
    tag !== undefined && /^2\.\d+$/.test(tag) ? agnhostImage(ref) : undefined,
};
