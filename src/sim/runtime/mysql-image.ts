/**
 * The mysql image (docker-library/mysql, Oracle Linux): the entrypoint's checks of the
 * environment, a slow start, mysqladmin, and the server's reaction to the stop signals.
 */
import { type Ctx, now } from './applet.ts';
import { DEBIAN_PROGRAMS, debianContent } from './distros.ts';
import { IMAGE_PATH, SimImage } from './images.ts';
import type { Gen, Kernel } from './kernel.ts';
import { exeContent, type Program } from './programs.ts';
import { type Builder, execOther, fileEnv, libraryTag, reachable, slowServer } from './server-common.ts';
import { formatDate } from './time.ts';

/** Likewise for mysql (--initialize-insecure, time zone tables, temporary server). */
export const MYSQL_START_MS = 10_000;

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
    return now(0);
  }
  const tcp = host !== undefined && host !== 'localhost';
  c.io.err.write(
    tcp
      ? `mysqladmin: connect to server at '${host}' failed\nerror: 'Can't connect to MySQL server on '${host}:3306' (111)'\nCheck that mysqld is running on ${host} and that the port is 3306.\nYou can check this by doing 'telnet ${host} 3306'\n`
      : `mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'\nCheck that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!\n`,
  );
  return now(1);
};

const ORACLE_OS =
  'NAME="Oracle Linux Server"\nVERSION="9.6"\nID="ol"\nID_LIKE="fedora"\nVERSION_ID="9.6"\nPRETTY_NAME="Oracle Linux Server 9.6"\n';

/** The catalogue entry of docker.io/library/mysql. */
export const mysqlImage: Builder = (ref, tag) => {
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
