/**
 * Popular server images from Docker Hub's library (github.com/docker-library): httpd, redis,
 * postgres and mysql, with their entrypoints' checks, their ports once started, their client
 * tools (redis-cli, pg_isready, mysqladmin) and their reaction to the stop signals.
 */
import type { HttpResponse, Image, Listener } from '../../model/runtime.ts';
import type { Ctx } from './applet.ts';
import { alpineFiles, DEBIAN_PROGRAMS, debianContent } from './distros.ts';
import type { FsContent } from './fs.ts';
import { busyboxContent, IMAGE_PATH, SimImage } from './images.ts';
import type { Gen, Kernel } from './kernel.ts';
import { connect, resolveHost } from './net.ts';
import { exeContent, findCommand, type Program } from './programs.ts';
import { runShell } from './shell/interp.ts';
import { formatDate, VIRTUAL_EPOCH_S } from './time.ts';

type Request = Parameters<NonNullable<Listener['http']>>[0];
type Builder = (ref: string, tag: string | undefined) => Image | undefined;

const DEBIAN_OS =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n';

/** The userland of a library image: Debian bookworm-slim, or Alpine for `*-alpine` tags. */
function userland(alpine: boolean, extra: Record<string, string>, dirs: string[]): FsContent {
  if (alpine) {
    const b = busyboxContent('alpine');
    return { dirs: [...b.dirs, ...dirs], files: { ...b.files, ...alpineFiles('3.22.1'), ...extra } };
  }
  const d = debianContent(DEBIAN_OS, { '/etc/debian_version': '12.11\n', ...extra });
  return { dirs: [...d.dirs, ...dirs], files: d.files };
}

/**
 * A library tag `[version][-variant]`: the version (a tabled full version for a short one) and
 * whether it is the Alpine variant; undefined: not a tag of the repository.
 */
function libraryTag(
  tag: string | undefined,
  versions: Record<string, string>,
  variants: RegExp,
): { version: string; alpine: boolean } | undefined {
  const t = tag ?? 'latest';
  const m = /^(latest|[a-z]+|\d+(?:\.\d+){0,2})?(?:-?(.*))?$/.exec(t);
  if (!m) return undefined;
  const head = m[1] ?? 'latest';
  const variant = m[2] ?? '';
  if (variant !== '' && !variants.test(variant)) return undefined;
  const alpine = variant.startsWith('alpine') || head === 'alpine';
  const key = head === 'alpine' ? 'latest' : head;
  const version =
    versions[key] ??
    (/^\d+\.\d+\.\d+$/.test(key) && versions[key.split('.').slice(0, 2).join('.')] ? key : undefined);
  return version ? { version, alpine } : undefined;
}

/** A program that ends at once with `code`. */
// biome-ignore lint/correctness/useYield: ends before doing anything
function* ended(code: number): Gen<number> {
  return code;
}

function* forever(): Gen<number> {
  yield { kind: 'forever' };
  return 0;
}

/** Whether this container's own server (or a Pod peer on loopback) listens on `port`. */
function reachable(c: Ctx, host: string, port: number): Listener | undefined {
  const ip = resolveHost(c, host);
  if (ip === undefined) return undefined;
  const conn = connect(c, ip, port);
  return typeof conn === 'string' ? undefined : conn;
}

/** The entrypoint's final `exec "$@"` of a command other than the server (bash's error if missing). */
function* execOther(c: Ctx, args: string[], line: number): Gen<number> {
  const name = args[0] ?? '';
  const found = findCommand(c.k, name, c.cwd, c.env.PATH ?? IMAGE_PATH);
  if (found.kind === 'program') return yield* found.run(c, args);
  if (found.kind === 'script')
    return yield* runShell(c.k, ['sh', found.path, ...args.slice(1)], c.io, c.env, c.cwd, false);
  c.io.err.write(`/usr/local/bin/docker-entrypoint.sh: line ${line}: exec: ${name}: not found\n`);
  return 127;
}

// ---- httpd ----

const HTTPD_VERSIONS: Record<string, string> = { latest: '2.4.65', '2': '2.4.65', '2.4': '2.4.65' };
const HTTPD_PREFIX = '/usr/local/apache2';
const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

/** Apache's error-log line format (`[Wed Jan 01 00:00:00.000000 2025] [module:level] [pid 1:tid 1] text`). */
function apacheLog(k: Kernel, module: string, text: string): string {
  const usec = String(Math.floor(k.clock % 1000) * 1000).padStart(6, '0');
  return `[${formatDate(k.clock, '%a %b %d %H:%M:%S')}.${usec} ${formatDate(k.clock, '%Y')}] [${module}] [pid 1:tid 1] ${text}\n`;
}

function apacheNotFound(): HttpResponse {
  return {
    status: 404,
    body: '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n',
    headers: { 'Content-Type': 'text/html; charset=iso-8859-1' },
  };
}

/**
 * `httpd -DFOREGROUND` (docker-library/httpd: the default httpd.conf, DocumentRoot htdocs on
 * port 80): files of `htdocs` in the container's current filesystem, `index.html` for a
 * directory, a 301 to `dir/`, Apache's 404 page. SIGTERM/SIGINT stop it at once (exit 0), as
 * the image's STOPSIGNAL SIGWINCH (graceful stop) does when no request is in flight.
 */
function httpdProgram(version: string): Program {
  return function* httpd(c: Ctx, argv: string[]): Gen<number> {
    const k = c.k;
    if (argv.includes('-v')) {
      c.io.out.write(`Server version: Apache/${version} (Unix)\nServer built:   Jul 23 2025 00:00:00\n`);
      return 0;
    }
    const err = c.io.err;
    const out = c.io.out;
    err.write(
      apacheLog(
        k,
        'mpm_event:notice',
        `AH00489: Apache/${version} (Unix) configured -- resuming normal operations`,
      ),
    );
    err.write(apacheLog(k, 'core:notice', `AH00094: Command line: 'httpd -D FOREGROUND'`));
    const fs = k.host.fs;
    const root = `${HTTPD_PREFIX}/htdocs`;
    let done = false;
    k.listen(k.currentPid(), {
      port: 80,
      http: (req: Request) => {
        const path = decodeURIComponent(req.path.split('?')[0]!);
        const clean = `${root}/${path
          .split('/')
          .filter((p) => p !== '' && p !== '.')
          .join('/')}`.replace(/\/$/, '');
        let res: HttpResponse;
        if (fs.isDirectory(clean)) {
          const index = fs.readFile(`${clean}/index.html`);
          if (!path.endsWith('/')) res = { status: 301, body: '', headers: { Location: `${path}/` } };
          else
            res =
              index !== undefined
                ? { status: 200, body: index, headers: { 'Content-Type': 'text/html' } }
                : apacheNotFound();
        } else {
          const content = fs.readFile(clean);
          res = content !== undefined ? { status: 200, body: content } : apacheNotFound();
        }
        if (req.now !== undefined && req.remoteAddr !== undefined && !done) {
          try {
            const saved = k.clock;
            k.clock = Math.max(k.clock, req.now);
            out.write(
              `${req.remoteAddr} - - [${formatDate(k.clock, '%d/%b/%Y:%H:%M:%S +0000')}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${res.body.length}\n`,
            );
            k.clock = saved;
          } catch {
            // out of log budget: the line is dropped
          }
        }
        return res;
      },
    });
    k.signalPolicy = (sig) => {
      if (sig === 'SIGTERM' || sig === 'SIGINT') {
        done = true;
        k.sink('stderr').write(apacheLog(k, 'mpm_event:notice', `AH00491: caught ${sig}, shutting down`));
        return { exitCode: 0 };
      }
      // SIGHUP/SIGUSR1: restart in place; other signals have no handler and are ignored as PID 1.
      return k.role === 'main' ? 'ignore' : 'default';
    };
    return yield* forever();
  };
}

/** docker-library/httpd 2.4: httpd-foreground removes a stale PID file and execs httpd. */
const HTTPD_FOREGROUND =
  '#!/bin/sh\nset -e\n\n# Apache gets grumpy about PID files pre-existing\nrm -f /usr/local/apache2/logs/httpd.pid\n\nexec httpd -DFOREGROUND "$@"\n';

const httpdImage: Builder = (ref, tag) => {
  const t = libraryTag(tag, HTTPD_VERSIONS, /^(alpine(3\.\d+)?|bookworm)$/);
  if (!t) return undefined;
  return new SimImage(
    ref,
    [],
    ['httpd-foreground'],
    true,
    userland(
      t.alpine,
      {
        [`${HTTPD_PREFIX}/bin/httpd`]: exeContent('apache-httpd'),
        [`${HTTPD_PREFIX}/htdocs/index.html`]: IT_WORKS,
        [`${HTTPD_PREFIX}/conf/httpd.conf`]:
          'ServerRoot "/usr/local/apache2"\nListen 80\nDocumentRoot "/usr/local/apache2/htdocs"\n',
        '/usr/local/bin/httpd-foreground': HTTPD_FOREGROUND,
      },
      [`${HTTPD_PREFIX}/logs`],
    ),
    { PATH: `${HTTPD_PREFIX}/bin:${IMAGE_PATH}`, HTTPD_PREFIX, HTTPD_VERSION: t.version },
    { ...DEBIAN_PROGRAMS, 'apache-httpd': httpdProgram(t.version) },
    {},
    { workingDir: HTTPD_PREFIX, exposedPorts: ['80/tcp'], stopSignal: 'SIGWINCH' },
  );
};

// ---- redis ----

const REDIS_VERSIONS: Record<string, string> = {
  latest: '8.2.1',
  '8': '8.2.1',
  '8.2': '8.2.1',
  '8.0': '8.0.3',
  '7': '7.4.5',
  '7.4': '7.4.5',
  '7.2': '7.2.10',
  '6': '6.2.19',
  '6.2': '6.2.19',
};

/** Redis's log line (`1:M 01 Jan 2025 00:00:00.000 * text`). */
function redisLog(k: Kernel, role: string, level: string, text: string): string {
  const ms = String(Math.floor(k.clock % 1000)).padStart(3, '0');
  return `1:${role} ${formatDate(k.clock, '%d %b %Y %H:%M:%S')}.${ms} ${level} ${text}\n`;
}

/** Answers RESP or inline commands (PING, ECHO, SET, GET, DEL) of one connection. */
function redisAnswer(store: Map<string, string>, input: string): string {
  const out: string[] = [];
  for (const cmd of redisCommands(input)) {
    const [name = '', ...args] = cmd;
    switch (name.toUpperCase()) {
      case 'PING':
        out.push(args.length > 0 ? bulk(args[0]!) : '+PONG\r\n');
        break;
      case 'ECHO':
        out.push(bulk(args[0] ?? ''));
        break;
      case 'SET':
        store.set(args[0] ?? '', args[1] ?? '');
        out.push('+OK\r\n');
        break;
      case 'GET': {
        const v = store.get(args[0] ?? '');
        out.push(v === undefined ? '$-1\r\n' : bulk(v));
        break;
      }
      case 'DEL': {
        let n = 0;
        for (const a of args) if (store.delete(a)) n++;
        out.push(`:${n}\r\n`);
        break;
      }
      default:
        out.push(
          `-ERR unknown command '${name}', with args beginning with: ${args.map((a) => `'${a}' `).join('')}\r\n`,
        );
    }
  }
  return out.join('');
}

function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

/** Commands in RESP arrays (`*1\r\n$4\r\nPING\r\n`) or inline lines (`PING`). */
function redisCommands(input: string): string[][] {
  const lines = input.split(/\r?\n/);
  const cmds: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const n = /^\*(\d+)$/.exec(l);
    if (n) {
      const args: string[] = [];
      for (let j = 0; j < Number(n[1]); j++) {
        i += 2;
        args.push(lines[i] ?? '');
      }
      cmds.push(args);
    } else cmds.push(l.trim().split(/\s+/));
  }
  return cmds;
}

/**
 * `redis-server` with no config (docker-library/redis: port 6379, WORKDIR /data): its start-up
 * log, then PING/SET/GET over TCP; SIGTERM/SIGINT save and exit 0 (server.c prepareForShutdown).
 */
function redisServerProgram(version: string): Program {
  return function* redisServer(c: Ctx, argv: string[]): Gen<number> {
    const k = c.k;
    if (argv.includes('--version') || argv.includes('-v')) {
      c.io.out.write(`Redis server v=${version} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=0\n`);
      return 0;
    }
    const portArg = argv.indexOf('--port');
    const port = portArg > 0 ? Number(argv[portArg + 1]) : 6379;
    const out = c.io.out;
    out.write(redisLog(k, 'C', '*', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'));
    out.write(
      redisLog(
        k,
        'C',
        '*',
        `Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`,
      ),
    );
    if (argv.length <= 1)
      out.write(
        redisLog(
          k,
          'C',
          '#',
          'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
        ),
      );
    out.write(redisLog(k, 'M', '*', 'monotonic clock: POSIX clock_gettime'));
    out.write(redisLog(k, 'M', '*', `Running mode=standalone, port=${port}.`));
    out.write(redisLog(k, 'M', '*', 'Server initialized'));
    out.write(redisLog(k, 'M', '*', 'Ready to accept connections tcp'));
    const store = new Map<string, string>();
    k.listen(k.currentPid(), { port, tcp: (input) => redisAnswer(store, input) });
    k.signalPolicy = (sig) => {
      if (sig !== 'SIGTERM' && sig !== 'SIGINT') return k.role === 'main' ? 'ignore' : 'default';
      const o = k.sink('stdout');
      o.write(
        `1:signal-handler (${VIRTUAL_EPOCH_S + Math.floor(k.clock / 1000)}) Received ${sig} scheduling shutdown...\n`,
      );
      o.write(redisLog(k, 'M', '*', 'User requested shutdown...'));
      o.write(redisLog(k, 'M', '*', 'Saving the final RDB snapshot before exiting.'));
      o.write(redisLog(k, 'M', '*', 'DB saved on disk'));
      o.write(redisLog(k, 'M', '#', 'Redis is now ready to exit, bye bye...'));
      return { exitCode: 0 };
    };
    return yield* forever();
  };
}

/** `redis-cli [-h HOST] [-p PORT] [COMMAND ARGS…]`: the reply as redis-cli prints it without a tty. */
const redisCli: Program = (c, argv) => {
  let host = '127.0.0.1';
  let port = 6379;
  const cmd: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') host = argv[++i] ?? host;
    else if (a === '-p') port = Number(argv[++i] ?? port);
    else if (a === '-a' || a === '-n' || a === '--user' || a === '--pass') i++;
    else cmd.push(a);
  }
  const conn = reachable(c, host, port);
  if (!conn?.tcp) {
    c.io.err.write(`Could not connect to Redis at ${host}:${port}: Connection refused\n`);
    return ended(1);
  }
  if (cmd.length === 0) return ended(0);
  const reply = conn.tcp(`*${cmd.length}\r\n${cmd.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
  const line = reply.split('\r\n');
  const first = line[0] ?? '';
  if (first.startsWith('+') || first.startsWith('-')) c.io.out.write(`${first.slice(1)}\n`);
  else if (first.startsWith(':')) c.io.out.write(`${first.slice(1)}\n`);
  else if (first === '$-1') c.io.out.write('\n');
  else c.io.out.write(`${line[1] ?? ''}\n`);
  return ended(0);
};

/** docker-library/redis docker-entrypoint.sh, minus the gosu/chown part: options imply redis-server. */
const REDIS_ENTRYPOINT =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansions, not a template
  '#!/bin/sh\nset -e\n\n# first arg is `-f` or `--some-option`\n# or first arg is `something.conf`\nif [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then\n\tset -- redis-server "$@"\nfi\n\nexec "$@"\n';

const redisImage: Builder = (ref, tag) => {
  const t = libraryTag(tag, REDIS_VERSIONS, /^(alpine(3\.\d+)?|bookworm)$/);
  if (!t) return undefined;
  return new SimImage(
    ref,
    ['docker-entrypoint.sh'],
    ['redis-server'],
    true,
    userland(
      t.alpine,
      {
        '/usr/local/bin/redis-server': exeContent('redis-server'),
        '/usr/local/bin/redis-cli': exeContent('redis-cli'),
        '/usr/local/bin/docker-entrypoint.sh': REDIS_ENTRYPOINT,
      },
      ['/data'],
    ),
    { PATH: IMAGE_PATH, REDIS_VERSION: t.version },
    { ...DEBIAN_PROGRAMS, 'redis-server': redisServerProgram(t.version), 'redis-cli': redisCli },
    {},
    { workingDir: '/data', exposedPorts: ['6379/tcp'] },
  );
};

// ---- postgres and mysql: an entrypoint that checks the environment, then a slow start ----

/** A variable or the content of its `_FILE` twin (docker-entrypoint.sh file_env). */
function fileEnv(c: Ctx, name: string): string {
  const v = c.env[name];
  if (v !== undefined && v !== '') return v;
  const f = c.env[`${name}_FILE`];
  return f !== undefined ? (c.k.host.fs.readFile(f) ?? '').trim() : '';
}

/**
 * A database server started by its entrypoint: `init` lines, then after `startMs` the server
 * listens on its port and prints `ready`. Before that PID 1 is the entrypoint's bash, which
 * ignores SIGTERM (no trap); afterwards the server's own `stop` handles the stop signals.
 */
function* slowServer(
  c: Ctx,
  o: {
    startMs: number;
    port: number;
    init: (k: Kernel) => void;
    ready: (k: Kernel) => void;
    stop: (k: Kernel, sig: 'SIGTERM' | 'SIGINT' | 'SIGQUIT') => { exitCode: number } | 'ignore';
  },
): Gen<number> {
  const k = c.k;
  o.init(k);
  k.signalPolicy = () => (k.role === 'main' ? 'ignore' : 'default');
  yield { kind: 'sleep', until: k.clock + o.startMs };
  o.ready(k);
  k.listen(k.currentPid(), { port: o.port });
  k.signalPolicy = (sig) => {
    if (sig === 'SIGTERM' || sig === 'SIGINT' || sig === 'SIGQUIT') return o.stop(k, sig);
    return k.role === 'main' ? 'ignore' : 'default';
  };
  return yield* forever();
}

const POSTGRES_VERSIONS: Record<string, string> = {
  latest: '17.6',
  '17': '17.6',
  '16': '16.10',
  '15': '15.14',
  '14': '14.19',
  '13': '13.22',
  '18': '18.0',
};

/** Time from container start to "ready to accept connections" with an empty data directory (initdb, temporary server). */
export const POSTGRES_START_MS = 3000;
/** Likewise for mysql (--initialize-insecure, time zone tables, temporary server). */
export const MYSQL_START_MS = 10_000;

/** docker-library/postgres docker-entrypoint.sh docker_verify_minimum_env, verbatim. */
const POSTGRES_NO_PASSWORD = `Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html
`;

function pgLog(k: Kernel, pid: number, text: string): string {
  const ms = String(Math.floor(k.clock % 1000)).padStart(3, '0');
  return `${formatDate(k.clock, '%F %T')}.${ms} UTC [${pid}] LOG:  ${text}\n`;
}

/** The entrypoint of the postgres image (`docker-entrypoint.sh postgres`). */
function postgresEntrypoint(version: string, alpine: boolean): Program {
  return function* entrypoint(c: Ctx, argv: string[]): Gen<number> {
    let args = argv.slice(1);
    if (args[0]?.startsWith('-')) args = ['postgres', ...args];
    if (args[0] !== 'postgres') {
      // Anything else is exec'd as is (`docker-entrypoint.sh sh -c …`).
      return yield* execOther(c, args, 351);
    }
    const password = fileEnv(c, 'POSTGRES_PASSWORD');
    const trust = c.env.POSTGRES_HOST_AUTH_METHOD === 'trust';
    if (password === '' && !trust) {
      c.io.err.write(POSTGRES_NO_PASSWORD);
      return 1;
    }
    const build = alpine
      ? `on x86_64-pc-linux-musl, compiled by gcc (Alpine 14.2.0) 14.2.0, 64-bit`
      : `(Debian ${version}-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`;
    return yield* slowServer(c, {
      startMs: POSTGRES_START_MS,
      port: 5432,
      init: () => {
        c.io.out.write(
          'The files belonging to this database system will be owned by user "postgres".\nThis user must also own the server process.\n\n',
        );
        c.io.out.write(
          'Success. You can now start the database server using:\n\n    pg_ctl -D /var/lib/postgresql/data -l logfile start\n\n',
        );
      },
      ready: (k) => {
        c.io.out.write('\nPostgreSQL init process complete; ready for start up.\n\n');
        c.io.err.write(pgLog(k, 1, `starting PostgreSQL ${version} ${build}`));
        c.io.err.write(pgLog(k, 1, 'listening on IPv4 address "0.0.0.0", port 5432'));
        c.io.err.write(pgLog(k, 1, 'listening on IPv6 address "::", port 5432'));
        c.io.err.write(pgLog(k, 1, 'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'));
        c.io.err.write(pgLog(k, 1, 'database system is ready to accept connections'));
      },
      // postmaster.c: SIGTERM smart, SIGINT fast, SIGQUIT immediate shutdown; no clients, so each ends at once.
      stop: (k, sig) => {
        const e = k.sink('stderr');
        const kind = sig === 'SIGTERM' ? 'smart' : sig === 'SIGINT' ? 'fast' : 'immediate';
        e.write(pgLog(k, 1, `received ${kind} shutdown request`));
        if (sig === 'SIGQUIT') return { exitCode: 0 };
        e.write(pgLog(k, 1, 'database system is shut down'));
        return { exitCode: 0 };
      },
    });
  };
}

/** `pg_isready [-h HOST] [-p PORT]`: exit 0 accepting, 2 no response (pg_isready.c). */
const pgIsReady: Program = (c, argv) => {
  let host: string | undefined;
  let port = 5432;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--host') host = argv[++i];
    else if (a === '-p' || a === '--port') port = Number(argv[++i]);
    else if (
      a === '-U' ||
      a === '-d' ||
      a === '-t' ||
      a === '--username' ||
      a === '--dbname' ||
      a === '--timeout'
    )
      i++;
  }
  const shown = host ?? '/var/run/postgresql';
  const up = reachable(c, host ?? '127.0.0.1', port) !== undefined;
  c.io.out.write(`${shown}:${port} - ${up ? 'accepting connections' : 'no response'}\n`);
  return ended(up ? 0 : 2);
};

const postgresImage: Builder = (ref, tag) => {
  const t = libraryTag(tag, POSTGRES_VERSIONS, /^(alpine(3\.\d+)?|bookworm|bullseye)$/);
  if (!t) return undefined;
  const major = t.version.split('.')[0]!;
  const bin = t.alpine ? '/usr/local/bin' : `/usr/lib/postgresql/${major}/bin`;
  return new SimImage(
    ref,
    ['docker-entrypoint.sh'],
    ['postgres'],
    true,
    userland(
      t.alpine,
      {
        '/usr/local/bin/docker-entrypoint.sh': exeContent('postgres-entrypoint'),
        [`${bin}/postgres`]: exeContent('postgres'),
        [`${bin}/pg_isready`]: exeContent('pg_isready'),
      },
      ['/var/lib/postgresql/data', '/var/run/postgresql', '/docker-entrypoint-initdb.d'],
    ),
    {
      PATH: t.alpine ? IMAGE_PATH : `${IMAGE_PATH}:${bin}`,
      PG_MAJOR: major,
      PG_VERSION: t.version,
      PGDATA: '/var/lib/postgresql/data',
      LANG: 'en_US.utf8',
    },
    {
      ...DEBIAN_PROGRAMS,
      'postgres-entrypoint': postgresEntrypoint(t.version, t.alpine),
      postgres: (c, argv) => postgresEntrypoint(t.version, t.alpine)(c, ['docker-entrypoint.sh', ...argv]),
      pg_isready: pgIsReady,
    },
    {},
    { exposedPorts: ['5432/tcp'], stopSignal: 'SIGINT' },
  );
};

const MYSQL_VERSIONS: Record<string, string> = {
  latest: '9.4.0',
  '9': '9.4.0',
  '9.4': '9.4.0',
  innovation: '9.4.0',
  '8': '8.4.6',
  '8.4': '8.4.6',
  lts: '8.4.6',
  '8.0': '8.0.43',
};

/** docker-entrypoint.sh mysql_log: `2025-01-01 00:00:00+00:00 [Note] [Entrypoint]: text`. */
function mysqlNote(k: Kernel, type: string, text: string): string {
  return `${formatDate(k.clock, '%F %T')}+00:00 [${type}] [Entrypoint]: ${text}\n`;
}

/** The entrypoint of the mysql image (`docker-entrypoint.sh mysqld`). */
function mysqlEntrypoint(version: string): Program {
  return function* entrypoint(c: Ctx, argv: string[]): Gen<number> {
    let args = argv.slice(1);
    if (args[0]?.startsWith('-')) args = ['mysqld', ...args];
    const k = c.k;
    if (args[0] !== 'mysqld') {
      return yield* execOther(c, args, 441);
    }
    const full = `${version}-1.el9`;
    c.io.out.write(mysqlNote(k, 'Note', `Entrypoint script for MySQL Server ${full} started.`));
    c.io.out.write(mysqlNote(k, 'Note', "Switching to dedicated user 'mysql'"));
    c.io.out.write(mysqlNote(k, 'Note', `Entrypoint script for MySQL Server ${full} started.`));
    if (
      fileEnv(c, 'MYSQL_ROOT_PASSWORD') === '' &&
      (c.env.MYSQL_ALLOW_EMPTY_PASSWORD ?? '') === '' &&
      (c.env.MYSQL_RANDOM_ROOT_PASSWORD ?? '') === ''
    ) {
      // docker_verify_minimum_env, verbatim (mysql_error: on stderr, exit 1).
      c.io.err.write(
        mysqlNote(
          k,
          'ERROR',
          'Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD',
        ),
      );
      return 1;
    }
    if (c.env.MYSQL_USER === 'root') {
      c.io.err.write(
        mysqlNote(
          k,
          'ERROR',
          'MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user\n    Remove MYSQL_USER="root" and use one of the following to control the root user password:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD',
        ),
      );
      return 1;
    }
    return yield* slowServer(c, {
      startMs: MYSQL_START_MS,
      port: 3306,
      init: (kk) => {
        c.io.out.write(mysqlNote(kk, 'Note', 'Initializing database files'));
      },
      ready: (kk) => {
        c.io.out.write(mysqlNote(kk, 'Note', 'Database files initialized'));
        c.io.out.write(mysqlNote(kk, 'Note', 'Temporary server stopped'));
        c.io.out.write('\n');
        c.io.out.write(mysqlNote(kk, 'Note', 'MySQL init process done. Ready for start up.'));
        c.io.out.write('\n');
        const at = `${formatDate(kk.clock, '%FT%T')}.${String(Math.floor(kk.clock % 1000) * 1000).padStart(6, '0')}Z`;
        c.io.err.write(
          `${at} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n`,
        );
      },
      stop: (kk, sig) => {
        if (sig === 'SIGQUIT') return 'ignore';
        const at = `${formatDate(kk.clock, '%FT%T')}.${String(Math.floor(kk.clock % 1000) * 1000).padStart(6, '0')}Z`;
        kk.sink('stderr').write(
          `${at} 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld ${version})  MySQL Community Server - GPL.\n`,
        );
        return { exitCode: 0 };
      },
    });
  };
}

/** `mysqladmin ping` (and `status`): whether mysqld answers on its socket or -h host. */
const mysqladmin: Program = (c, argv) => {
  let host: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') host = argv[++i];
    else if (a.startsWith('--host=')) host = a.slice(7);
    else if (a.startsWith('-h') && a.length > 2) host = a.slice(2);
  }
  const up = reachable(c, host ?? '127.0.0.1', 3306) !== undefined;
  if (up) {
    c.io.out.write('mysqld is alive\n');
    return ended(0);
  }
  const tcp = host !== undefined && host !== 'localhost';
  c.io.err.write(
    tcp
      ? `mysqladmin: connect to server at '${host}' failed\nerror: 'Can't connect to MySQL server on '${host}:3306' (111)'\nCheck that mysqld is running on ${host} and that the port is 3306.\nYou can check this by doing 'telnet ${host} 3306'\n`
      : `mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'\nCheck that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!\n`,
  );
  return ended(1);
};

const ORACLE_OS =
  'NAME="Oracle Linux Server"\nVERSION="9.6"\nID="ol"\nID_LIKE="fedora"\nVERSION_ID="9.6"\nPRETTY_NAME="Oracle Linux Server 9.6"\n';

const mysqlImage: Builder = (ref, tag) => {
  const t = libraryTag(tag, MYSQL_VERSIONS, /^(oracle|oraclelinux9)$/);
  if (!t) return undefined;
  const content = debianContent(ORACLE_OS, {
    '/usr/local/bin/docker-entrypoint.sh': exeContent('mysql-entrypoint'),
    '/usr/sbin/mysqld': exeContent('mysqld'),
    '/usr/bin/mysqladmin': exeContent('mysqladmin'),
  });
  return new SimImage(
    ref,
    ['docker-entrypoint.sh'],
    ['mysqld'],
    true,
    {
      dirs: [...content.dirs, '/var/lib/mysql', '/var/run/mysqld', '/docker-entrypoint-initdb.d'],
      files: content.files,
    },
    {
      PATH: IMAGE_PATH,
      MYSQL_MAJOR: t.version.split('.').slice(0, 2).join('.'),
      MYSQL_VERSION: `${t.version}-1.el9`,
    },
    {
      ...DEBIAN_PROGRAMS,
      'mysql-entrypoint': mysqlEntrypoint(t.version),
      mysqld: (c, argv) => mysqlEntrypoint(t.version)(c, ['docker-entrypoint.sh', ...argv]),
      mysqladmin,
    },
    {},
    { exposedPorts: ['3306/tcp', '33060/tcp'] },
  );
};

/** Catalogue entries of the popular server images, by repository. */
export const SERVER_IMAGES: Record<string, Builder> = {
  'docker.io/library/httpd': httpdImage,
  'docker.io/library/redis': redisImage,
  'docker.io/library/postgres': postgresImage,
  'docker.io/library/mysql': mysqlImage,
};
