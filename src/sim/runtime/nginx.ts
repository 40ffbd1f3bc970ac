/**
 * The nginx program of the `nginx` images: serves `/usr/share/nginx/html` of the container's
 * current filesystem on port 80 as the packaged `default.conf` does, writes the access log
 * to stdout, and stops at once on SIGTERM/SIGINT (fast shutdown) and SIGQUIT (graceful).
 */
import type { HttpResponse, Listener, Signal } from '../../model/runtime.ts';
import { memoize } from '../util.ts';
import type { Applet, Ctx } from './applet.ts';
import { normalizePath } from './fs.ts';
import { BudgetExceeded, type Gen, nullProto, ProcessGone, SIGNAL_NUMBERS } from './kernel.ts';
import { formatDate } from './time.ts';

/** The packaged welcome page (nginx < 1.21, 612 bytes). */
export const WELCOME_OLD = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The packaged welcome page (nginx >= 1.21, 615 bytes). */
export const WELCOME_NEW = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The packaged 50x.html (nginx < 1.21). */
export const ERROR_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** The packaged /etc/nginx/conf.d/default.conf (docker-nginx 1.17). */
export const DEFAULT_CONF = `server {
    listen       80;
    server_name  localhost;

    #charset koi8-r;
    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \\.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \\.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\\.ht {
    #    deny  all;
    #}
}
`;

/** The packaged /etc/nginx/nginx.conf. */
export const NGINX_CONF = `
user  nginx;
worker_processes  1;

error_log  /var/log/nginx/error.log warn;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

const ROOT = '/usr/share/nginx/html';

const ERROR_TITLES: Record<number, string> = {
  301: '301 Moved Permanently',
  403: '403 Forbidden',
  404: '404 Not Found',
  405: '405 Not Allowed',
  400: '400 Bad Request',
};

/** nginx's built-in error page (ngx_http_special_response.c), CRLF line ends. */
export function nginxErrorPage(status: number, version: string): string {
  const t = ERROR_TITLES[status] ?? `${status}`;
  return `<html>\r\n<head><title>${t}</title></head>\r\n<body>\r\n<center><h1>${t}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

const TYPES: Record<string, string> = nullProto<string>({
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'application/javascript',
  json: 'application/json',
  txt: 'text/plain',
  xml: 'text/xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
});

function nginxHeaders(version: string, type: string, len: number): Record<string, string> {
  return {
    Server: `nginx/${version}`,
    'Content-Type': type,
    'Content-Length': String(len),
  };
}

function nginxError(version: string, status: number, extra?: Record<string, string>): HttpResponse {
  const body = nginxErrorPage(status, version);
  const headers = nginxHeaders(version, 'text/html', body.length);
  return { status, body, headers: extra ? { ...headers, ...extra } : headers };
}

/** The content type of a file by its name (memoised: a handful of names are served over and over). */
const contentType = memoize((name) => {
  const ext = name.split('/').pop()!.split('.').slice(1).pop() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}, 1024);

function nginxOk(version: string, method: string, body: string, name: string): HttpResponse {
  const type = contentType(name);
  return {
    status: 200,
    body: method === 'HEAD' ? '' : body,
    headers: nginxHeaders(version, type, body.length),
  };
}

/** Whether a decoded URI climbs above the root: more `..` than names at some point. */
function climbsAboveRoot(uri: string): boolean {
  let d = 0;
  for (const p of uri.split('/')) {
    if (p === '..') {
      if (--d < 0) return true;
    } else if (p !== '' && p !== '.') d++;
  }
  return false;
}

/**
 * The decoded URI of a request target, or null when nginx answers 400 Bad Request (memoised:
 * probes repeat the same targets).
 */
const requestUri = memoize(decodeUri, 1024);

function decodeUri(target: string): string | null {
  const raw = target.split('?')[0]!.split('#')[0]!;
  let uri: string;
  try {
    uri = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (!uri.startsWith('/')) return null;
  // nginx rejects URIs that climb above the root ("..") with 400.
  if (climbsAboveRoot(uri)) return null;
  return uri;
}

/** Where a request URI leads in the filesystem: the path, and for a directory its index files. */
interface DocTarget {
  path: string;
  indexes: readonly (readonly [name: string, path: string])[];
}

/**
 * The filesystem target of a request URI, memoised: probes ask for the same few URIs all day,
 * and the same path strings keep their hashes in the filesystem's lookups.
 */
const docTarget = memoize((uri): DocTarget => {
  const path = normalizePath(`${ROOT}/${uri}`);
  return { path, indexes: INDEX_FILES.map((idx) => [idx, `${path}/${idx}`] as const) };
}, 1024);

/** nginx's default `index` directive. */
const INDEX_FILES = ['index.html', 'index.htm'];

/** Serves one request from the container filesystem as nginx's default server does. */
export function nginxServe(
  c: Ctx,
  version: string,
  req: { method: string; path: string; headers: Record<string, string> },
): HttpResponse {
  const fs = c.k.host.fs;
  const uri = requestUri(req.path);
  if (uri === null) return nginxError(version, 400);
  if (req.method !== 'GET' && req.method !== 'HEAD') return nginxError(version, 405);
  const { path, indexes } = docTarget(uri);
  if (uri.endsWith('/')) {
    for (const [idx, file] of indexes) {
      const body = fs.readFile(file);
      if (body !== undefined) return nginxOk(version, req.method, body, idx);
    }
    return fs.isDirectory(path) ? nginxError(version, 403) : nginxError(version, 404);
  }
  if (fs.isDirectory(path)) {
    const host = req.headers.Host ?? req.headers.host;
    return nginxError(version, 301, { Location: host ? `http://${host}${uri}/` : `${uri}/` });
  }
  const body = fs.readFile(path);
  if (body === undefined) return nginxError(version, 404);
  return nginxOk(version, req.method, body, path);
}

/** A request header by name, any case (exact name first, then lower case, then a scan). */
function headerOf(headers: Record<string, string>, n: string): string | undefined {
  return (
    headers[n] ??
    headers[n.toLowerCase()] ??
    Object.entries(headers).find(([k]) => k.toLowerCase() === n.toLowerCase())?.[1]
  );
}

/** The access-log line of the `main` format, with virtual time rendered from the fixed epoch. */
export function accessLogLine(
  req: { method: string; path: string; headers: Record<string, string> },
  res: HttpResponse,
  now: number,
  remote: string,
): string {
  const hs = req.headers;
  const len = req.method === 'HEAD' ? 0 : res.body.length;
  return `${remote} - - [${formatDate(now, '%d/%b/%Y:%H:%M:%S +0000')}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${len} "${headerOf(hs, 'Referer') ?? '-'}" "${headerOf(hs, 'User-Agent') ?? '-'}" "${headerOf(hs, 'X-Forwarded-For') ?? '-'}"\n`;
}

const SIGNAL_OF: Record<string, Signal> = nullProto<Signal>({
  stop: 'SIGTERM',
  quit: 'SIGQUIT',
  reload: 'SIGHUP',
  reopen: 'SIGUSR1',
});

// biome-ignore lint/correctness/useYield: signalling the master is immediate
function* nginxSignal(c: Ctx, what: string): Gen<number> {
  const sig = SIGNAL_OF[what];
  if (sig === undefined) {
    c.io.err.write(`nginx: invalid option: "-s ${what}"\n`);
    return 1;
  }
  // ngx_signal_process(): the master's pid comes from the pid file.
  const pidText = c.k.host.fs.readFile('/var/run/nginx.pid');
  const pid = Number.parseInt(pidText ?? '', 10);
  if (pidText === undefined) {
    c.io.err.write(`nginx: [error] open() "/var/run/nginx.pid" failed (2: No such file or directory)\n`);
    return 1;
  }
  if (pid === 1 && c.k.role === 'exec') c.k.signalMain(sig);
  else if (pid === 1 && c.k.role === 'main') c.k.signal(sig, c.k.clock);
  else {
    c.io.err.write(
      `nginx: [alert] kill(${pidText.trim()}, ${SIGNAL_NUMBERS[sig]}) failed (3: No such process)\n`,
    );
    return 1;
  }
  return 0;
}

/** The `nginx` program of an image with nginx `version`. */
export function nginxProgram(version: string): Applet {
  return function* nginx(c: Ctx, argv: string[]): Gen<number> {
    let foreground = false;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-v' || a === '-V') {
        c.io.err.write(`nginx version: nginx/${version}\n`);
        return 0;
      }
      if (a === '-t' || a === '-T') {
        c.io.err.write(
          'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n',
        );
        return 0;
      }
      if (a === '-s') return yield* nginxSignal(c, argv[i + 1] ?? '');
      if (a === '-g') {
        const g = argv[++i] ?? '';
        if (/(^|;)\s*daemon\s+off\s*;/.test(g)) foreground = true;
      }
    }
    const k = c.k;
    const stdout = c.io.out;
    const listener = {
      port: 80,
      http: (req: Parameters<NonNullable<Listener['http']>>[0]) => {
        const res = nginxServe(c, version, req);
        if (req.now !== undefined && req.remoteAddr !== undefined && !done) {
          // The access log is symlinked to /dev/stdout in the image: it is the container log.
          try {
            const line = accessLogLine(req, res, req.now, req.remoteAddr);
            const saved = k.clock;
            k.clock = Math.max(k.clock, req.now);
            stdout.write(line);
            k.clock = saved;
          } catch (e) {
            // Out of log budget (or the process is gone): nginx keeps serving, the line is
            // dropped. Anything else is a bug of podlab and must not be swallowed.
            if (!(e instanceof BudgetExceeded) && !(e instanceof ProcessGone)) throw e;
          }
        }
        return res;
      },
    };
    let done = false;
    if (!foreground) {
      // `daemon on` (the default): the master forks into the background and this process exits.
      const daemon = (function* (): Gen<number> {
        yield { kind: 'forever' };
        return 0;
      })();
      k.listen(k.spawn(daemon), listener);
      return 0;
    }
    if (k.role === 'main' && k.currentPid() === 1) {
      // The master writes its pid file (nginx.conf: pid /var/run/nginx.pid).
      k.host.fs.mkdir('/var/run', true);
      k.host.fs.writeFile('/var/run/nginx.pid', '1\n', false);
      // STOPSIGNAL SIGTERM (docker-nginx 1.17): TERM/INT = fast shutdown, QUIT = graceful; both exit 0 at once.
      k.signalPolicy = (sig) =>
        sig === 'SIGTERM' || sig === 'SIGINT' || sig === 'SIGQUIT' ? { exitCode: 0 } : 'ignore';
    }
    k.listen(k.currentPid(), listener);
    try {
      yield { kind: 'forever' };
    } finally {
      done = true;
    }
    return 0;
  };
}
