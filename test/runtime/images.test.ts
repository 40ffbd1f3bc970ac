import { describe, expect, it } from 'vitest';
import type { Process } from '../../src/model/runtime.ts';
import { nginxTag, parseImageRef, resolveImage } from '../../src/sim/runtime/index.ts';
import { drive, LIMITS, start } from './harness.ts';

describe('resolveImage', () => {
  it.each([
    ['busybox', true],
    ['busybox:1.32.0', true],
    ['busybox:latest', true],
    ['docker.io/library/busybox:1.28', true],
    ['library/busybox', true],
    [`busybox@sha256:${'a'.repeat(64)}`, true],
    [`busybox:1.32.0@sha256:${'b'.repeat(64)}`, true],
    ['nginx', true],
    ['nginx:1.17.10-alpine', true],
    ['nginx:alpine', true],
    ['nginx:1.25', true],
    ['nginx:stable-alpine', true],
    ['nginx:1.17.10-perl', true],
    ['nginx:1.27-alpine-slim', true],
    ['nginx:1.27-slim', false],
    ['nginx:1.27.4-alpine3.21-perl', true],
    ['nginx:bookworm', true],
    ['nginx:1.25-foo', false],
    ['busyboxx:1.32.0', false],
    ['ngnix:latest', false],
    ['quay.io/busybox', false],
    ['registry.k8s.io/busybox', true],
    ['k8s.gcr.io/busybox', true],
    ['gcr.io/google-containers/busybox:latest', true],
    ['docker.io/busybox:1.36', true],
    ['index.docker.io/library/busybox', true],
    ['registry.k8s.io/nginx', false],
    ['BusyBox', false],
    ['busybox:', false],
    ['', false],
  ])('%s -> %s', (ref, ok) => {
    expect(resolveImage(ref, {}) !== undefined).toBe(ok);
  });

  it('parses references', () => {
    expect(parseImageRef('docker.io/library/nginx:1.17.10-alpine')).toEqual({
      name: 'nginx',
      tag: '1.17.10-alpine',
      digest: undefined,
    });
    expect(parseImageRef('registry.example:5000/app')).toEqual({
      name: 'registry.example:5000/app',
      tag: undefined,
      digest: undefined,
    });
  });

  it('maps nginx tags to versions', () => {
    expect(nginxTag('1.17.10-alpine')).toEqual({ version: '1.17.10', alpine: true });
    expect(nginxTag('1.17')).toEqual({ version: '1.17.10', alpine: false });
    expect(nginxTag('perl')).toEqual({ version: '1.29.1', alpine: false, variant: 'perl' });
    expect(nginxTag('stable-alpine-slim')).toEqual({ version: '1.28.0', alpine: true, variant: 'slim' });
    expect(nginxTag('slim')).toBeUndefined();
    expect(nginxTag('-alpine')).toBeUndefined();
  });

  it('nginx OCI config by version', () => {
    const old = resolveImage('nginx:1.17.10-alpine', {})!;
    expect([old.entrypoint, old.cmd, old.handlesStopSignal]).toEqual([
      [],
      ['nginx', '-g', 'daemon off;'],
      true,
    ]);
    const modern = resolveImage('nginx:1.25', {})!;
    expect(modern.entrypoint).toEqual(['/docker-entrypoint.sh']);
  });

  it('image filesystems are fresh copies', () => {
    const img = resolveImage('nginx:1.17.10-alpine', {})!;
    const a = img.newFilesystem(LIMITS.maxFsBytes);
    a.remove('/usr/share/nginx/html', true);
    expect(img.newFilesystem(LIMITS.maxFsBytes).readFile('/usr/share/nginx/html/50x.html')).toContain(
      'An error occurred.',
    );
    expect(img.newFilesystem(LIMITS.maxFsBytes).readFile('/etc/nginx/conf.d/default.conf')).toContain(
      'listen       80;',
    );
  });

  it('hasExecutable', () => {
    const bb = resolveImage('busybox:1.32.0', {})!;
    expect(
      ['sh', '/bin/sh', 'test', 'wget', 'nslookup', 'curl', '/bin/bash'].map((x) => bb.hasExecutable(x)),
    ).toEqual([true, true, true, true, true, false, false]);
    const alpine = resolveImage('nginx:1.17.10-alpine', {})!;
    expect(
      ['nginx', '/usr/sbin/nginx', '/usr/bin/wget', '/bin/wget', '/bin/sh', 'curl'].map((x) =>
        alpine.hasExecutable(x),
      ),
    ).toEqual([true, true, true, false, true, false]);
  });
});

describe('spawn start errors (runc texts)', () => {
  it.each([
    [['curl', '-f', 'http://localhost'], 'exec: "curl": executable file not found in $PATH'],
    [['/bin/bash', '-c', 'true'], 'exec: "/bin/bash": stat /bin/bash: no such file or directory'],
    [['/tmp'], 'exec: "/tmp": is a directory'],
    [['/etc/passwd'], 'exec: "/etc/passwd": permission denied'],
    [['/usr/bin/test', '-e', '/tmp'], 'exec: "/usr/bin/test": stat /usr/bin/test: no such file or directory'],
    [[], 'no command specified'],
  ])('%j', (argv, err) => {
    expect(start(argv).proc).toEqual({ startError: err });
  });

  it.each([
    [['sleep', '3600']],
    [['/bin/sh', '-c', 'true']],
    [['/bin/test', '-e', '/tmp']],
    [['cat']],
    [['/bin/true']],
  ])('%j starts', (argv) => {
    expect('startError' in start(argv).proc).toBe(false);
  });

  it('exec form runs the program directly', () => {
    const s = start(['/bin/false'], { role: 'exec' });
    expect(drive(s.proc as Process).end).toEqual({ kind: 'exited', exitCode: 1 });
    const t = start(['echo', '$HOME', 'x'], { role: 'exec' });
    drive(t.proc as Process);
    expect(t.out.map((o) => o.text).join('')).toBe('$HOME x\n');
  });
});

describe('scenario images', () => {
  const images = {
    'registry.example/app:1.0': {
      command: ['/app/server', '--port=8080'],
      listens: [{ port: 8080, http: { '/healthz': 200, '/': 200 } }, { port: 9000 }],
      stopSignal: 'SIGTERM',
      files: { '/app/config.yaml': 'x: 1\n' },
    },
    'registry.example/sleeper:1': { command: ['sh', '-c', 'sleep 3600'] },
  };

  it('default command, listeners, stop signal, files', () => {
    const img = resolveImage('registry.example/app:1.0', images)!;
    expect([img.entrypoint, img.cmd, img.handlesStopSignal]).toEqual([
      [],
      ['/app/server', '--port=8080'],
      true,
    ]);
    const fs = img.newFilesystem(LIMITS.maxFsBytes);
    expect(fs.readFile('/app/config.yaml')).toBe('x: 1\n');
    const out: string[] = [];
    const p = img.spawn(
      img.cmd,
      { fs, net: undefined as never, env: {}, hostname: 'h', write: (_s, t) => out.push(t), limits: LIMITS },
      0,
      'main',
    ) as Process;
    expect(p.run(0)).toEqual({ kind: 'idle' });
    const [web, raw] = p.listeners();
    expect([web!.port, raw!.port, raw!.http]).toEqual([8080, 9000, undefined]);
    expect(
      ['/healthz', '/', '/other'].map((path) => web!.http!({ method: 'GET', path, headers: {} }).status),
    ).toEqual([200, 200, 404]);
    p.signal('SIGTERM', 1000);
    expect(p.run(1000)).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('no stop signal: PID 1 ignores SIGTERM', () => {
    const img = resolveImage('registry.example/sleeper:1', images)!;
    expect(img.handlesStopSignal).toBe(false);
    const s = start(img.cmd, {});
    const p = s.proc as Process;
    p.run(0);
    p.signal('SIGTERM', 10);
    expect(p.run(10)).toEqual({ kind: 'blocked', wakeAt: 3_600_000 });
  });

  it('unknown images cannot be pulled', () => {
    expect(resolveImage('registry.example/other:1', images)).toBeUndefined();
  });
});
