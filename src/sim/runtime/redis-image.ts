/**
 * The redis image (docker-library/redis): redis-server with an in-memory store, redis-cli, and
 * the entrypoint.
 */
import { type Ctx, now } from './applet.ts';
import { DEBIAN_PROGRAMS } from './distros.ts';
import { IMAGE_PATH, SimImage } from './images.ts';
import type { Gen, Kernel } from './kernel.ts';
import { exeContent, type Program } from './programs.ts';
import { type Builder, forever, libraryTag, reachable, userland } from './server-common.ts';
import { formatDate, VIRTUAL_EPOCH_S } from './time.ts';

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
    return now(1);
  }
  if (cmd.length === 0) return now(0);
  const reply = conn.tcp(`*${cmd.length}\r\n${cmd.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
  const line = reply.split('\r\n');
  const first = line[0] ?? '';
  if (first.startsWith('+') || first.startsWith('-')) c.io.out.write(`${first.slice(1)}\n`);
  else if (first.startsWith(':')) c.io.out.write(`${first.slice(1)}\n`);
  else if (first === '$-1') c.io.out.write('\n');
  else c.io.out.write(`${line[1] ?? ''}\n`);
  return now(0);
};

/** docker-library/redis docker-entrypoint.sh, minus the gosu/chown part: options imply redis-server. */
const REDIS_ENTRYPOINT =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansions, not a template
  '#!/bin/sh\nset -e\n\n# first arg is `-f` or `--some-option`\n# or first arg is `something.conf`\nif [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then\n\tset -- redis-server "$@"\nfi\n\nexec "$@"\n';

/** The catalogue entry of docker.io/library/redis. */
export const redisImage: Builder = (ref, tag) => {
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
