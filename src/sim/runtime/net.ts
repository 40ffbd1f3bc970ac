/**
 * busybox 1.32 network applets over the simulated Pod network: `nslookup` (its text comes
 * from `PodNetwork.nslookup`), `wget` (networking/wget.c texts), `nc` (nc_bloaty.c with
 * NC_110_COMPAT) and `httpd` (networking/httpd.c error pages).
 */
import type { HttpResponse, Listener } from '../../model/runtime.ts';
import { type Applet, type Ctx, flags, now } from './applet.ts';
import { normalizePath } from './fs.ts';
import type { Gen } from './kernel.ts';

/** HTTP reason phrases (RFC 9110) for status lines printed by clients. */
export const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  418: "I'm a teapot",
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The IPv4 a client in this container reaches for `host` (literal, localhost, or DNS). */
export function resolveHost(c: Ctx, host: string): string | undefined {
  if (IPV4.test(host)) return host;
  if (host === 'localhost') return '127.0.0.1';
  return c.k.host.net.resolve(host);
}

/**
 * Connects from this container; 127.0.0.1 reaches the container's own servers (a Pod's
 * containers share the network namespace, the kubelet's `PodNetwork` may not know the
 * process asking, so loopback to this process tree is handled here first).
 */
export function connect(c: Ctx, ip: string, port: number): Listener | 'refused' | 'timeout' {
  if (ip === '127.0.0.1' || ip === '0.0.0.0') {
    const own = c.k.listeners().find((l) => l.port === port);
    if (own) return own;
  }
  return c.k.host.net.connect(ip, port);
}

function* nslookup(c: Ctx, argv: string[]): Gen<number> {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const name = args[0];
  if (name === undefined) {
    c.io.err.write(
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n',
    );
    return 1;
  }
  const r = c.k.host.net.nslookup(name);
  if (r.durationMs > 0) yield { kind: 'sleep', until: c.k.clock + r.durationMs };
  c.io.out.write(r.stdout);
  c.io.err.write(r.stderr);
  return r.exitCode;
}

/** The `nslookup` applet. */
export const nslookupApplet: Applet = nslookup;

/** A parsed http(s) URL. */
export interface Url {
  host: string;
  port: number;
  path: string;
}

/** Parses `[http[s]://]host[:port][/path]` (wget and curl). */
export function parseUrl(u: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]*)(?::(\d*))?([^#]*)/i.exec(u);
  if (!m || m[2] === '') return undefined;
  const https = (m[1] ?? '').toLowerCase() === 'https';
  const port = m[3] ? Number(m[3]) : https ? 443 : 80;
  let path = m[4] || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  return { host: m[2]!, port, path };
}

/** busybox `wget` progress line on a non-tty stderr, for a complete transfer (0 s). */
function progressLine(file: string, size: number): string {
  const num = size < 100000 ? String(size).padStart(5) : `${String(Math.round(size / 1024)).padStart(4)}k`;
  return `${file} 100% |${'*'.repeat(32)}| ${num}  0:00:00 ETA\n`;
}

function* wget(c: Ctx, argv: string[]): Gen<number> {
  let quiet = false;
  let spider = false;
  let outFile: string | undefined;
  let timeoutS = 900;
  let agent = 'Wget';
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => argv[++i] ?? '';
    if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-s' || a === '--spider') spider = true;
    else if (a === '-O' || a === '--output-document') outFile = val();
    else if (a.startsWith('-O') && a.length > 2) outFile = a.slice(2);
    else if (a.startsWith('--output-document=')) outFile = a.slice(18);
    else if (a === '-T' || a === '--timeout') timeoutS = Number(val()) || 900;
    else if (a.startsWith('-T') && a.length > 2) timeoutS = Number(a.slice(2)) || 900;
    else if (a.startsWith('--timeout=')) timeoutS = Number(a.slice(10)) || 900;
    else if (a === '-U' || a === '--user-agent') agent = val();
    else if (a === '--header') {
      const h = val();
      const idx = h.indexOf(':');
      if (idx > 0) headers[h.slice(0, idx).trim()] = h.slice(idx + 1).trim();
    } else if (a === '-qO-' || a === '-qO') {
      quiet = true;
      outFile = a === '-qO-' ? '-' : val();
    } else if (a === '-S' || a === '-c' || a === '--no-check-certificate' || a === '-nv') continue;
    else if (a === '-P' || a === '-Y' || a === '-t') i++;
    else if (a.startsWith('-') && a !== '-') {
      // Clustered short flags such as -qO- or -qs.
      const m = /^-([qsS]+)(O(.*))?$/.exec(a);
      if (!m) {
        c.io.err.write(`wget: unrecognized option '${a}'\n`);
        return 1;
      }
      if (m[1]!.includes('q')) quiet = true;
      if (m[1]!.includes('s')) spider = true;
      if (m[2]) outFile = m[3] || val();
    } else urls.push(a);
  }
  if (urls.length === 0) {
    c.io.err.write(
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]\n',
    );
    return 1;
  }
  let st = 0;
  for (const raw of urls) {
    const first = parseUrl(raw);
    if (first === undefined) {
      c.io.err.write(`wget: bad address ''\n`);
      return 1;
    }
    let url: Url = first;
    let redirects = 16;
    for (;;) {
      const ip = resolveHost(c, url.host);
      if (ip === undefined) {
        c.io.err.write(`wget: bad address '${url.host}'\n`);
        return 1;
      }
      if (!quiet) c.io.err.write(`Connecting to ${url.host} (${ip}:${url.port})\n`);
      const conn = connect(c, ip, url.port);
      if (conn === 'refused') {
        c.io.err.write(`wget: can't connect to remote host (${ip}): Connection refused\n`);
        return 1;
      }
      if (conn === 'timeout' || !conn.http) {
        yield { kind: 'sleep', until: c.k.clock + timeoutS * 1000 };
        c.io.err.write('wget: download timed out\n');
        return 1;
      }
      const hostHeader = url.port === 80 ? url.host : `${url.host}:${url.port}`;
      const res: HttpResponse = conn.http({
        method: 'GET',
        path: url.path,
        headers: { Host: hostHeader, 'User-Agent': agent, Connection: 'close', ...headers },
        now: c.k.clock,
        // The client address is only known for loopback; other requests go unlogged by servers.
        ...(ip.startsWith('127.') ? { remoteAddr: '127.0.0.1' } : {}),
      });
      const reason = REASONS[res.status] ?? '';
      if (res.status >= 300 && res.status <= 303) {
        const loc = res.headers?.Location ?? res.headers?.location;
        if (loc !== undefined && --redirects > 0) {
          const next: Url | undefined = loc.startsWith('/') ? { ...url, path: loc } : parseUrl(loc);
          if (next) {
            url = next;
            continue;
          }
        }
        if (loc !== undefined) {
          c.io.err.write('wget: too many redirections\n');
          return 1;
        }
      }
      if (!(res.status >= 200 && res.status < 300) && !(res.status >= 300 && res.status <= 303)) {
        c.io.err.write(`wget: server returned error: HTTP/1.1 ${res.status}${reason ? ` ${reason}` : ''}\n`);
        return 1;
      }
      if (spider) {
        if (!quiet) c.io.err.write('remote file exists\n');
        break;
      }
      const body = res.body;
      const fname = outFile ?? (url.path.split('?')[0]!.split('/').pop() || 'index.html');
      if (fname === '-') {
        if (!quiet) c.io.err.write('writing to stdout\n');
        c.io.out.write(body);
        if (!quiet) c.io.err.write(`${progressLine('-', body.length)}written to stdout\n`);
        break;
      }
      const path = normalizePath(fname, c.cwd);
      const fs = c.k.host.fs;
      // Without -O busybox opens the file with O_EXCL.
      if (outFile === undefined && fs.exists(path)) {
        c.io.err.write(`wget: can't open '${fname}': File exists\n`);
        return 1;
      }
      const w = fs.writeFile(path, body, false);
      if (w === 'enoent' || w === 'eisdir' || w === 'erofs') {
        const why =
          w === 'eisdir'
            ? 'Is a directory'
            : w === 'erofs'
              ? 'Read-only file system'
              : 'No such file or directory';
        c.io.err.write(`wget: can't open '${fname}': ${why}\n`);
        return 1;
      }
      if (w === 'budget') {
        c.io.err.write('wget: write error: No space left on device\n');
        return 1;
      }
      if (!quiet)
        c.io.err.write(
          `saving to '${fname}'\n${progressLine(fname.split('/').pop()!, body.length)}'${fname}' saved\n`,
        );
      break;
    }
    st = 0;
  }
  return st;
}

/** The `wget` applet. */
export const wgetApplet: Applet = wget;

function* nc(c: Ctx, argv: string[]): Gen<number> {
  // -k -n -u are accepted and ignored; -s -i -e take a value the simulation does not use.
  const {
    opts,
    seen,
    rest: ops,
    unknown,
  } = flags(argv, {
    value: 'pwsie',
    known: 'lknuzvpwsie',
    permute: true,
  });
  if (unknown !== undefined) {
    c.io.err.write(`nc: invalid option -- '${unknown}'\n`);
    return 1;
  }
  const listen = opts.has('l');
  const zero = opts.has('z');
  const verbose = seen.filter((o) => o.flag === 'v').length;
  const port = opts.has('p') ? Number(opts.get('p')) : undefined;
  const wait = opts.has('w') ? Number(opts.get('w')) : undefined;
  if (listen) {
    const p = port ?? (ops[0] !== undefined ? Number(ops[0]) : undefined);
    if (p === undefined || !Number.isInteger(p) || p <= 0 || p > 65535) {
      c.io.err.write(`nc: bad local port '${p ?? ''}'\n`);
      return 1;
    }
    c.k.listen(c.k.currentPid(), { port: p });
    yield { kind: 'forever' };
    return 0;
  }
  const host = ops[0];
  const rport = Number(ops[1]);
  if (host === undefined || !Number.isInteger(rport) || rport <= 0 || rport > 65535) {
    c.io.err.write(
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n',
    );
    return 1;
  }
  const ip = resolveHost(c, host);
  if (ip === undefined) {
    c.io.err.write(`nc: bad address '${host}'\n`);
    return 1;
  }
  const conn = connect(c, ip, rport);
  if (conn === 'refused') {
    if (verbose > 1) c.io.err.write(`nc: ${host} (${ip}:${rport}): Connection refused\n`);
    return 1;
  }
  if (conn === 'timeout') {
    // Without -w the kernel's SYN retries give up after about 127 s.
    yield { kind: 'sleep', until: c.k.clock + (wait ?? 127) * 1000 };
    if (verbose > 0) c.io.err.write(`nc: ${host} (${ip}:${rport}): Connection timed out\n`);
    return 1;
  }
  if (verbose > 0) c.io.err.write(`${host} (${ip}:${rport}) open\n`);
  if (zero) return 0;
  const input = c.io.stdin.readAll();
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?\n/.exec(input);
  if (m && conn.http) {
    const res = conn.http({ method: m[1]!, path: m[2]!, headers: {} });
    const hdrs = Object.entries(res.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    c.io.out.write(`HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}\r\n${hdrs}\r\n${res.body}`);
  } else if (conn.tcp && input !== '') c.io.out.write(conn.tcp(input));
  return 0;
}

/** The `nc` applet. */
export const ncApplet: Applet = nc;

/** busybox httpd's error page for `status`. */
function httpdError(status: number, info: string): HttpResponse {
  const reason = REASONS[status] ?? '';
  return {
    status,
    headers: { 'Content-Type': 'text/html' },
    body: `<HTML><HEAD><TITLE>${status} ${reason}</TITLE></HEAD>\n<BODY><H1>${status} ${reason}</H1>\n${info}\n</BODY></HTML>\n`,
  };
}

function httpdServe(c: Ctx, home: string, path: string): HttpResponse {
  const fs = c.k.host.fs;
  const clean = decodeURIComponentSafe(path.split('?')[0]!);
  let p = normalizePath(`${home}/${normalizePath(clean)}`);
  if (fs.isDirectory(p)) {
    if (!clean.endsWith('/')) return { status: 301, headers: { Location: `${clean}/` }, body: '' };
    p = `${p}/index.html`;
  }
  const body = fs.readFile(p);
  if (body === undefined) return httpdError(404, 'The requested URL was not found');
  return { status: 200, headers: { 'Content-Type': 'text/html' }, body };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function* httpd(c: Ctx, argv: string[]): Gen<number> {
  let port = 80;
  let home = '.';
  let foreground = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-p') port = Number(argv[++i]?.split(':').pop());
    else if (a === '-h') home = argv[++i] ?? '.';
    else if (a === '-f') foreground = true;
    else if (a === '-v' || a === '-vv') continue;
    else if (/^-[fv]+$/.test(a)) foreground = foreground || a.includes('f');
  }
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    c.io.err.write(`httpd: bad port\n`);
    return 1;
  }
  const dir = normalizePath(home, c.cwd);
  const listener: Listener = { port, http: (req) => httpdServe(c, dir, req.path) };
  if (foreground) {
    c.k.listen(c.k.currentPid(), listener);
    yield { kind: 'forever' };
    return 0;
  }
  // Without -f httpd daemonizes: the server lives on as its own job, the command returns 0.
  const daemon = (function* (): Gen<number> {
    yield { kind: 'forever' };
    return 0;
  })();
  const pid = c.k.spawn(daemon);
  c.k.listen(pid, listener);
  return yield* now(0);
}

/** The `httpd` applet. */
export const httpdApplet: Applet = httpd;
