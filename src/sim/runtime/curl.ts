/**
 * curl as the nginx (1.18+, not alpine-slim) and agnhost images ship it: `curl [-sSfIiL] [-o FILE]
 * [-m S] [-H H] [-X M] URL`, its exit codes (6 resolve, 7 connect, 22 HTTP error with -f, 28
 * timeout, 52 empty reply) and their messages. Debian's curl 7.88 and Alpine's curl 8 word the
 * connect failure differently. No progress meter is drawn (docs/deviations.md).
 */
import { type Ctx, flags } from './applet.ts';
import type { Gen } from './kernel.ts';
import { connect, parseUrl, REASONS, resolveHost, type Url } from './net.ts';
import type { Program } from './programs.ts';

interface CurlOptions {
  silent: boolean;
  showError: boolean;
  fail: boolean;
  head: boolean;
  include: boolean;
  follow: boolean;
  output: string | undefined;
  maxTimeS: number | undefined;
  method: string;
  headers: Record<string, string>;
  url: string | undefined;
}

function parseArgs(argv: string[]): CurlOptions | string {
  const o: CurlOptions = {
    silent: false,
    showError: false,
    fail: false,
    head: false,
    include: false,
    follow: false,
    output: undefined,
    maxTimeS: undefined,
    method: 'GET',
    headers: {},
    url: undefined,
  };
  const long: Record<string, string> = {
    '--silent': 's',
    '--show-error': 'S',
    '--fail': 'f',
    '--head': 'I',
    '--include': 'i',
    '--location': 'L',
    '--output': 'o',
    '--max-time': 'm',
    '--connect-timeout': 'm',
    '--header': 'H',
    '--request': 'X',
    '--insecure': 'k',
    '--verbose': 'v',
  };
  // Options and the URL come in any order (curl's parse_args, src/tool_getparam.c); podlab
  // fetches the last URL given.
  const { seen, rest, unknown } = flags(argv, { value: 'omHX', known: 'sSfIiLkvomHX', permute: true, long });
  if (unknown !== undefined)
    return `option ${unknown.startsWith('--') ? unknown : `-${unknown}`}: is unknown`;
  for (const { flag, value } of seen) {
    if (flag === 'o') o.output = value;
    else if (flag === 'm') o.maxTimeS = Number(value);
    else if (flag === 'X') o.method = value;
    else if (flag === 'H') {
      const k = value.indexOf(':');
      if (k > 0) o.headers[value.slice(0, k).trim()] = value.slice(k + 1).trim();
    } else if (flag === 's') o.silent = true;
    else if (flag === 'S') o.showError = true;
    else if (flag === 'f') o.fail = true;
    else if (flag === 'I') o.head = true;
    else if (flag === 'i') o.include = true;
    else if (flag === 'L') o.follow = true;
  }
  o.url = rest.at(-1);
  return o;
}

/** The curl program; `modern`: curl 8 texts (Alpine), else curl 7.88 (Debian bookworm). */
export function curlProgram(modern: boolean): Program {
  return function* curl(c: Ctx, argv: string[]): Gen<number> {
    const o = parseArgs(argv);
    const fail = (code: number, message: string): number => {
      if (!o || typeof o === 'string' || !o.silent || o.showError)
        c.io.err.write(`curl: (${code}) ${message}\n`);
      return code;
    };
    if (typeof o === 'string') {
      c.io.err.write(`curl: ${o}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
      return 2;
    }
    if (o.url === undefined) {
      c.io.err.write(
        `curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n`,
      );
      return 2;
    }
    const first = parseUrl(o.url);
    if (!first) return fail(3, 'URL rejected: Bad hostname');
    let url: Url = first;
    for (let redirects = 0; ; redirects++) {
      const ip = resolveHost(c, url.host);
      if (ip === undefined) return fail(6, `Could not resolve host: ${url.host}`);
      const conn = connect(c, ip, url.port);
      if (conn === 'refused')
        return fail(
          7,
          `Failed to connect to ${url.host} port ${url.port} after 0 ms: ${modern ? 'Could not' : "Couldn't"} connect to server`,
        );
      if (conn === 'timeout') {
        const s = o.maxTimeS ?? 134;
        yield { kind: 'sleep', until: c.k.clock + s * 1000 };
        return fail(
          28,
          `Failed to connect to ${url.host} port ${url.port} after ${s * 1000} ms: Timeout was reached`,
        );
      }
      if (!conn.http) return fail(52, 'Empty reply from server');
      const method = o.head ? 'HEAD' : o.method;
      const res = conn.http({
        method,
        path: url.path,
        headers: {
          Host: url.port === 80 ? url.host : `${url.host}:${url.port}`,
          'User-Agent': modern ? 'curl/8.14.1' : 'curl/7.88.1',
          Accept: '*/*',
          ...o.headers,
        },
        now: c.k.clock,
        ...(ip.startsWith('127.') ? { remoteAddr: '127.0.0.1' } : {}),
      });
      const location = res.headers?.Location ?? res.headers?.location;
      if (o.follow && res.status >= 300 && res.status < 400 && location !== undefined && redirects < 50) {
        const next: Url | undefined = location.startsWith('/')
          ? { ...url, path: location }
          : parseUrl(location);
        if (next) {
          url = next;
          continue;
        }
      }
      if (o.fail && res.status >= 400) return fail(22, `The requested URL returned error: ${res.status}`);
      const head = `HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}\r\n${Object.entries(res.headers ?? {})
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n`;
      const body = `${o.head || o.include ? head : ''}${o.head ? '' : res.body}`;
      if (o.output !== undefined && o.output !== '-') {
        const w = c.k.host.fs.writeFile(o.output, body);
        if (w !== 'ok') return fail(23, `Failure writing output to destination`);
      } else c.io.out.write(body);
      return 0;
    }
  };
}
