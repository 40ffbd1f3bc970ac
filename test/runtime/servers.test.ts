import { describe, expect, it } from 'vitest';
import type { Process } from '../../src/model/runtime.ts';
import { resolveImage } from '../../src/sim/runtime/index.ts';
import { drive, run, start } from './harness.ts';

/** Starts an image's ENTRYPOINT + CMD with `env`. */
function boot(ref: string, env: Record<string, string> = {}) {
  const image = resolveImage(ref, {})!;
  const s = start([...image.entrypoint, ...image.cmd], { image: ref, env });
  if ('startError' in s.proc) throw new Error(s.proc.startError);
  return { ...s, proc: s.proc as Process, image };
}

const text = (out: { stream: string; text: string }[], stream: 'stdout' | 'stderr') =>
  out
    .filter((o) => o.stream === stream)
    .map((o) => o.text)
    .join('');

describe('OCI config of the server images', () => {
  it.each([
    ['httpd:2.4', [], ['httpd-foreground'], 'SIGWINCH', '/usr/local/apache2'],
    ['httpd:alpine', [], ['httpd-foreground'], 'SIGWINCH', '/usr/local/apache2'],
    ['redis:7.2', ['docker-entrypoint.sh'], ['redis-server'], undefined, '/data'],
    ['postgres:16-alpine', ['docker-entrypoint.sh'], ['postgres'], 'SIGINT', undefined],
    ['postgres', ['docker-entrypoint.sh'], ['postgres'], 'SIGINT', undefined],
    ['mysql:8.0', ['docker-entrypoint.sh'], ['mysqld'], undefined, undefined],
  ])('%s', (ref, entrypoint, cmd, stop, wd) => {
    const img = resolveImage(ref, {}) as unknown as {
      entrypoint: string[];
      cmd: string[];
      config: { stopSignal?: string; workingDir?: string };
    };
    expect([img.entrypoint, img.cmd, img.config.stopSignal, img.config.workingDir]).toEqual([
      entrypoint,
      cmd,
      stop,
      wd,
    ]);
  });

  it.each(['httpd:3.0', 'redis:5.0-foo', 'postgres:9-nope', 'mysql:5.5'])(
    '%s is not a catalogue tag',
    (ref) => {
      expect(resolveImage(ref, {})).toBeUndefined();
    },
  );
});

describe('httpd', () => {
  it('serves "It works!" on port 80 and stops on SIGTERM with exit 0', () => {
    const { proc, out } = boot('httpd:2.4');
    expect(proc.run(0).kind).toBe('idle');
    const l = proc.listeners().find((x) => x.port === 80)!;
    expect(l.http!({ method: 'GET', path: '/', headers: {} }).body).toBe(
      '<html><body><h1>It works!</h1></body></html>\n',
    );
    expect(l.http!({ method: 'GET', path: '/nope', headers: {} }).status).toBe(404);
    expect(text(out, 'stderr')).toContain(
      'AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations',
    );
    proc.signal('SIGTERM', 5000);
    expect(proc.run(5000)).toEqual({ kind: 'exited', exitCode: 0 });
    expect(text(out, 'stderr')).toContain('AH00491: caught SIGTERM, shutting down');
  });

  it('has no curl (Debian slim base)', () => {
    expect(resolveImage('httpd:2.4', {})!.hasExecutable('curl')).toBe(false);
  });
});

describe('redis', () => {
  it('answers PING with +PONG on 6379 (nc), redis-cli ping prints PONG', () => {
    const { proc } = boot('redis:7');
    proc.run(0);
    const l = proc.listeners().find((x) => x.port === 6379)!;
    expect(l.http).toBeUndefined();
    expect(l.tcp!('PING\r\n')).toBe('+PONG\r\n');
    expect(l.tcp!('SET a 1\r\nGET a\r\n')).toBe('+OK\r\n$1\r\n1\r\n');
  });

  it('redis-cli without a server: connection refused, exit 1', () => {
    const r = run(['redis-cli', 'ping'], { image: 'redis:7', role: 'exec' });
    expect(r.stderr).toBe('Could not connect to Redis at 127.0.0.1:6379: Connection refused\n');
    expect(r.end).toEqual({ kind: 'exited', exitCode: 1 });
  });

  it('SIGTERM: saves and exits 0', () => {
    const { proc, out } = boot('redis');
    proc.run(0);
    proc.signal('SIGTERM', 2000);
    expect(proc.run(2000)).toEqual({ kind: 'exited', exitCode: 0 });
    expect(text(out, 'stdout')).toContain(
      '1:signal-handler (1735689602) Received SIGTERM scheduling shutdown...\n',
    );
  });
});

describe('postgres', () => {
  it('without POSTGRES_PASSWORD: the entrypoint error, exit 1', () => {
    const { proc, out } = boot('postgres:17');
    expect(proc.run(0)).toEqual({ kind: 'exited', exitCode: 1 });
    expect(text(out, 'stderr')).toMatch(
      /^Error: Database is uninitialized and superuser password is not specified\.\n {7}You must specify POSTGRES_PASSWORD/,
    );
  });

  it.each([[{ POSTGRES_PASSWORD: 'secret' }], [{ POSTGRES_HOST_AUTH_METHOD: 'trust' }]])(
    'with %j: listens on 5432 after its start-up time',
    (env) => {
      const { proc, out } = boot('postgres:17', env);
      drive(proc, 0, 2999);
      expect(proc.listeners().map((l) => l.port)).toEqual([]);
      drive(proc, 2999, 3000);
      expect(proc.listeners().map((l) => l.port)).toEqual([5432]);
      expect(text(out, 'stderr')).toContain('LOG:  database system is ready to accept connections');
    },
  );

  it('SIGTERM before ready is ignored (bash entrypoint as PID 1); after, postgres exits 0', () => {
    const { proc } = boot('postgres:17', { POSTGRES_PASSWORD: 'x' });
    proc.run(0);
    proc.signal('SIGTERM', 1000);
    expect(proc.run(1000).kind).toBe('blocked');
    drive(proc, 1000, 3000);
    proc.signal('SIGINT', 4000);
    expect(proc.run(4000)).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('pg_isready without a server: no response, exit 2', () => {
    const r = run(['pg_isready', '-U', 'postgres'], { image: 'postgres:17', role: 'exec' });
    expect([r.stdout, r.end]).toEqual([
      '/var/run/postgresql:5432 - no response\n',
      { kind: 'exited', exitCode: 2 },
    ]);
  });
});

describe('mysql', () => {
  it('without a root password: the entrypoint error on stderr, exit 1', () => {
    const { proc, out } = boot('mysql:8.4');
    expect(proc.run(0)).toEqual({ kind: 'exited', exitCode: 1 });
    expect(text(out, 'stderr')).toBe(
      '2025-01-01 00:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n',
    );
  });

  it('with MYSQL_ROOT_PASSWORD: ready on 3306 after its start-up time', () => {
    const { proc } = boot('mysql:8.4', { MYSQL_ROOT_PASSWORD: 'x' });
    drive(proc, 0, 9999);
    expect(proc.listeners()).toEqual([]);
    drive(proc, 9999, 10_000);
    expect(proc.listeners().map((l) => l.port)).toEqual([3306]);
  });

  it('mysqladmin ping without a server fails, exit 1', () => {
    const r = run(['mysqladmin', 'ping'], { image: 'mysql:8.4', role: 'exec' });
    expect(r.stderr).toContain(
      "Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)",
    );
    expect(r.end).toEqual({ kind: 'exited', exitCode: 1 });
  });
});
