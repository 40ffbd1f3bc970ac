import { describe, expect, it } from 'vitest';
import type { Listener, Process } from '../../src/model/runtime.ts';
import { repositoryOf, resolveImage } from '../../src/sim/runtime/index.ts';
import { drive, start } from './harness.ts';

/** Starts an image's default command (ENTRYPOINT + CMD, or `args` in place of CMD). */
function boot(ref: string, args?: string[], env: Record<string, string> = {}) {
  const image = resolveImage(ref, {})!;
  const argv = [...image.entrypoint, ...(args ?? image.cmd)];
  const s = start(argv, { image: ref, env });
  if ('startError' in s.proc) throw new Error(s.proc.startError);
  return { ...s, proc: s.proc as Process, image };
}

function listener(proc: Process, port: number): Listener | undefined {
  return proc.listeners().find((l) => l.port === port);
}

function get(proc: Process, port: number, path: string) {
  const l = listener(proc, port);
  if (!l?.http) return undefined;
  const r = l.http({ method: 'GET', path, headers: {} });
  return { status: r.status, body: r.body };
}

const text = (out: { stream: string; text: string }[], stream: 'stdout' | 'stderr') =>
  out
    .filter((o) => o.stream === stream)
    .map((o) => o.text)
    .join('');

describe('image references', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox'],
    ['docker.io/busybox:1.36', 'docker.io/library/busybox'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox'],
    ['k8s.gcr.io/busybox', 'registry.k8s.io/busybox'],
    ['gcr.io/google-containers/busybox', 'registry.k8s.io/busybox'],
    ['gcr.io/google_containers/pause:3.1', 'registry.k8s.io/pause'],
    ['k8s.gcr.io/e2e-test-images/agnhost:2.40', 'registry.k8s.io/e2e-test-images/agnhost'],
    ['bitnami/redis:7.2', 'docker.io/bitnami/redis'],
    ['quay.io/prometheus/prometheus', 'quay.io/prometheus/prometheus'],
    [`registry.k8s.io/pause@sha256:${'c'.repeat(64)}`, 'registry.k8s.io/pause'],
  ])('%s is %s', (ref, repo) => {
    expect(repositoryOf(ref)).toBe(repo);
  });
});

describe('nginx stop signal by version (docker-nginx 3fb70dd)', () => {
  it.each([
    ['nginx:1.19.4', 'SIGTERM'],
    ['nginx:1.19.5', 'SIGQUIT'],
    ['nginx:1.17.10-alpine', 'SIGTERM'],
    ['nginx:1.19', 'SIGQUIT'],
    ['nginx:stable-perl', 'SIGQUIT'],
    ['nginx', 'SIGQUIT'],
  ])('%s stops with %s', (ref, sig) => {
    const img = resolveImage(ref, {}) as unknown as { config: { stopSignal: string } };
    expect(img.config.stopSignal).toBe(sig);
  });
});

describe('registry.k8s.io/pause', () => {
  it('has only /pause: exec sh fails like containerd', () => {
    const s = start(['sh'], { image: 'registry.k8s.io/pause:3.10', role: 'exec' });
    expect(s.proc).toEqual({ startError: 'exec: "sh": executable file not found in $PATH' });
    expect(resolveImage('registry.k8s.io/pause:3.10', {})!.entrypoint).toEqual(['/pause']);
  });

  it.each([
    ['SIGTERM', 'Terminated'],
    ['SIGINT', 'Interrupt'],
  ] as const)('%s: psignal text and exit 0', (sig, name) => {
    const { proc, out } = boot('registry.k8s.io/pause:3.9');
    expect(proc.run(0).kind).toBe('idle');
    proc.signal(sig, 5000);
    expect(proc.run(5000)).toEqual({ kind: 'exited', exitCode: 0 });
    expect(text(out, 'stderr')).toBe(`Shutting down, got signal: ${name}\n`);
  });

  it('ignores SIGHUP as PID 1', () => {
    const { proc } = boot('registry.k8s.io/pause');
    proc.signal('SIGHUP', 1000);
    expect(proc.run(1000).kind).toBe('idle');
  });
});

describe('registry.k8s.io/liveness /server', () => {
  it('has no ENTRYPOINT or CMD (the docs pass args: [/server])', () => {
    const img = resolveImage('registry.k8s.io/liveness', {})!;
    expect([img.entrypoint, img.cmd]).toEqual([[], []]);
  });

  it('answers /healthz 200 for 10 s, then 500', () => {
    const { proc } = boot('registry.k8s.io/liveness', ['/server']);
    drive(proc, 0, 9_000);
    expect(get(proc, 8080, '/healthz')).toEqual({ status: 200, body: 'ok' });
    drive(proc, 9_000, 10_000);
    expect(get(proc, 8080, '/healthz')?.status).toBe(200);
    drive(proc, 10_000, 12_000);
    expect(get(proc, 8080, '/healthz')?.status).toBe(500);
    expect(get(proc, 8080, '/nope')).toEqual({ status: 404, body: '404 page not found\n' });
  });

  it('exits 2 on SIGTERM (Go runtime as PID 1)', () => {
    const { proc } = boot('registry.k8s.io/liveness', ['/server']);
    proc.signal('SIGTERM', 3000);
    expect(proc.run(3000)).toEqual({ kind: 'exited', exitCode: 2 });
  });
});

describe('registry.k8s.io/goproxy:0.1', () => {
  it('listens on 8080 and refuses non-proxy requests; unknown tags are not found', () => {
    const { proc } = boot('registry.k8s.io/goproxy:0.1');
    proc.run(0);
    expect(get(proc, 8080, '/')?.status).toBe(500);
    expect(resolveImage('registry.k8s.io/goproxy', {})).toBeUndefined();
  });
});

describe('agnhost', () => {
  const AG = 'registry.k8s.io/e2e-test-images/agnhost:2.40';

  it('ENTRYPOINT /agnhost, CMD pause; a shell (Alpine)', () => {
    const img = resolveImage(AG, {})!;
    expect([img.entrypoint, img.cmd]).toEqual([['/agnhost'], ['pause']]);
    expect(img.hasExecutable('sh')).toBe(true);
    expect(img.hasExecutable('bash')).toBe(true);
  });

  it('pause: prints Paused, SIGTERM → exit 2, SIGINT → exit 1', () => {
    const a = boot(AG);
    expect(a.proc.run(0).kind).toBe('idle');
    expect(text(a.out, 'stdout')).toBe('Paused\n');
    a.proc.signal('SIGTERM', 100);
    expect(a.proc.run(100)).toEqual({ kind: 'exited', exitCode: 2 });
    const b = boot(AG);
    b.proc.signal('SIGINT', 100);
    expect(b.proc.run(100)).toEqual({ kind: 'exited', exitCode: 1 });
  });

  it('liveness: /healthz 200 then 500 after 10 s', () => {
    const { proc } = boot(AG, ['liveness']);
    drive(proc, 0, 10_000);
    expect(get(proc, 8080, '/healthz')?.status).toBe(200);
    drive(proc, 10_000, 11_000);
    expect(get(proc, 8080, '/healthz')?.status).toBe(500);
  });

  it('netexec: ports, routes and /exit', () => {
    const { proc, out } = boot(AG, ['netexec', '--http-port=8081', '--udp-port', '-1']);
    proc.run(0);
    expect(text(out, 'stderr')).toBe('2025/01/01 00:00:00 Started HTTP server on port 8081\n');
    expect(get(proc, 8081, '/hostname')).toEqual({ status: 200, body: 'pod-1' });
    expect(get(proc, 8081, '/echo?msg=hi%20there')).toEqual({ status: 200, body: 'hi there' });
    expect(get(proc, 8081, '/healthz')?.status).toBe(412);
    expect(get(proc, 8081, '/exit?code=3')?.status).toBe(200);
    expect(proc.run(10)).toEqual({ kind: 'exited', exitCode: 3 });
  });

  it('serve-hostname: port 9376; SIGTERM waits 60 s then exits 0', () => {
    const { proc } = boot(AG, ['serve-hostname']);
    proc.run(0);
    expect(get(proc, 9376, '/')).toEqual({ status: 200, body: 'pod-1' });
    proc.signal('SIGTERM', 1000);
    expect(proc.run(1000)).toEqual({ kind: 'blocked', wakeAt: 61_000 });
    expect(proc.run(61_000)).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('test-webserver: files of the container on port 80', () => {
    const { proc, fs } = boot(AG, ['test-webserver']);
    proc.run(0);
    fs.writeFile('/tmp/x.txt', 'hello\n');
    expect(get(proc, 80, '/tmp/x.txt')).toEqual({ status: 200, body: 'hello\n' });
    expect(get(proc, 80, '/tmp/none')?.status).toBe(404);
    expect(get(proc, 80, '/tmp')?.status).toBe(301);
    expect(get(proc, 80, '/tmp/')?.body).toContain('<a href="x.txt">x.txt</a>');
  });

  it('grpc-health-checking: SERVING, then NOT_SERVING after the delay; NOT_FOUND for another service', () => {
    const { proc } = boot(AG, ['grpc-health-checking', '--delay-unhealthy-sec=5', '--service=app']);
    drive(proc, 0, 4_000);
    const grpc = listener(proc, 5000)!.grpc!;
    expect([grpc('app'), grpc('')]).toEqual(['SERVING', 'NOT_FOUND']);
    drive(proc, 4_000, 6_000);
    expect(grpc('app')).toBe('NOT_SERVING');
    expect(listener(proc, 8080)).toBeDefined();
  });

  it('porter: SERVE_PORT_N env variables', () => {
    const { proc } = boot(AG, ['porter'], { SERVE_PORT_9001: 'foo', SERVE_TCP_PORT_9002: 'bar' });
    proc.run(0);
    expect([get(proc, 9001, '/'), get(proc, 9002, '/x')]).toEqual([
      { status: 200, body: 'foo' },
      { status: 200, body: 'bar' },
    ]);
  });

  it.each([
    [['nope'], 'Error: unknown command "nope" for "agnhost"\nRun \'agnhost --help\' for usage.\n'],
    [['netexec', '--bogus'], 'Error: unknown flag: --bogus\n'],
  ])('%j fails with cobra text', (args, err) => {
    const { proc, out } = boot(AG, args);
    expect(proc.run(0)).toEqual({ kind: 'exited', exitCode: 1 });
    expect(text(out, 'stderr')).toBe(err);
  });
});
