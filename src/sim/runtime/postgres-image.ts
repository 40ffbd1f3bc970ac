/**
 * The postgres image (docker-library/postgres): the entrypoint's checks of the environment, a
 * slow start, pg_isready, and the server's reaction to the stop signals.
 */
import { type Ctx, now } from './applet.ts';
import { DEBIAN_PROGRAMS } from './distros.ts';
import { IMAGE_PATH, SimImage } from './images.ts';
import type { Gen, Kernel } from './kernel.ts';
import { exeContent, type Program } from './programs.ts';
import {
  type Builder,
  execOther,
  fileEnv,
  libraryTag,
  reachable,
  slowServer,
  userland,
} from './server-common.ts';
import { formatDate } from './time.ts';

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
  return now(up ? 0 : 2);
};

/** The catalogue entry of docker.io/library/postgres. */
export const postgresImage: Builder = (ref, tag) => {
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
