/** The course's container commands over their life, in virtual time. */
import { describe, expect, it } from 'vitest';
import type { Process } from '../../src/model/runtime.ts';
import { resolveImage } from '../../src/sim/runtime/index.ts';
import { drive, LIMITS, run, start, TestNet } from './harness.ts';

describe('course commands', () => {
  it('livenessprobe-pod: /tmp/livenesspod exists for 30 s, then is removed', () => {
    const s = start([
      '/bin/sh',
      '-c',
      'touch /tmp/livenesspod ; sleep 30; rm -rf /tmp/livenesspod; sleep 3600',
    ]);
    const p = s.proc as Process;
    const seen: [number, boolean][] = [];
    for (const t of [0, 1000, 29_999, 30_000, 30_001, 60_000]) {
      p.run(t);
      seen.push([t, s.fs.exists('/tmp/livenesspod')]);
    }
    expect(seen).toEqual([
      [0, true],
      [1000, true],
      [29_999, true],
      [30_000, false],
      [30_001, false],
      [60_000, false],
    ]);
    expect(p.run(60_000)).toEqual({ kind: 'blocked', wakeAt: 3_630_000 });
  });

  it('livenessprobe-pod exec probe: test -e succeeds then fails', () => {
    const img = resolveImage('busybox:1.32.0', {})!;
    const fs = img.newFilesystem(LIMITS.maxFsBytes);
    const probe = (t: number) => {
      const s = start(['test', '-e', '/tmp/livenesspod'], { fs, role: 'exec' });
      return drive(s.proc as Process, t).end;
    };
    expect(probe(0)).toEqual({ kind: 'exited', exitCode: 1 });
    fs.writeFile('/tmp/livenesspod', '');
    expect(probe(3000)).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('init container: loops every 2 s until nslookup succeeds', () => {
    const net = new TestNet();
    net.nslookupMs = 5000;
    const s = start(['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;'], {
      net,
    });
    // The Service appears at 20 s: the attempt starting at 21 s (0, 7, 14, 21) finds it.
    const r = drive(s.proc as Process, 0, 600_000, (t) => {
      if (t >= 20_000) net.services.set('myservice', '10.96.0.5');
    });
    expect(r.end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(r.endAt).toBe(26_000);
    const waits = s.out.filter((o) => o.text === 'waiting for myservice\n').map((o) => o.at);
    expect(waits).toEqual([5000, 12_000, 19_000]);
    const last = s.out.filter((o) => o.stream === 'stdout').at(-1)!;
    expect(last.text).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tmyservice.default.svc.cluster.local\nAddress: 10.96.0.5\n\n',
    );
    expect(last.at).toBe(26_000);
  });

  it('main container: echo then sleep 3600', () => {
    const r = run('echo The app is running! && sleep 3600', { horizon: 10_000 });
    expect(r.stdout).toBe('The app is running!\n');
    expect(r.end).toEqual({ kind: 'blocked', wakeAt: 3_600_000 });
  });

  it('postStart hook: mkdir -p makes index.html a directory', () => {
    const s = start(['mkdir', '-p', '/lagou/k8s/index.html'], { role: 'exec' });
    expect(drive(s.proc as Process).end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(s.fs.isDirectory('/lagou/k8s/index.html')).toBe(true);
  });

  it('busybox default command sh exits 0 at once', () => {
    const img = resolveImage('busybox:1.32.0', {})!;
    expect([img.entrypoint, img.cmd]).toEqual([[], ['sh']]);
    const r = run(img.cmd);
    expect(r.end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(r.endAt).toBe(0);
  });

  describe('nginx:1.17.10-alpine', () => {
    const boot = () => {
      const img = resolveImage('nginx:1.17.10-alpine', {})!;
      const fs = img.newFilesystem(LIMITS.maxFsBytes);
      const s = start([...img.entrypoint, ...img.cmd], { image: 'nginx:1.17.10-alpine', fs });
      const p = s.proc as Process;
      expect(p.run(0)).toEqual({ kind: 'idle' });
      const l = p.listeners();
      expect(l.map((x) => x.port)).toEqual([80]);
      const get = (path: string) =>
        l[0]!.http!({ method: 'GET', path, headers: { 'User-Agent': 'kube-probe/1.33' } });
      return { img, fs, s, p, get };
    };

    it('readiness: /index1.html 404 until echo >> creates it, then 200', () => {
      const { fs, get } = boot();
      expect(get('/index1.html').status).toBe(404);
      const ex = start(['sh', '-c', 'echo "welcome lagou" >> /usr/share/nginx/html/index1.html'], {
        image: 'nginx:1.17.10-alpine',
        fs,
        role: 'exec',
      });
      expect(drive(ex.proc as Process).end).toEqual({ kind: 'exited', exitCode: 0 });
      const r = get('/index1.html');
      expect([r.status, r.body]).toEqual([200, 'welcome lagou\n']);
    });

    it('liveness: rm -rf index.html gives 404; a fresh filesystem restores it', () => {
      const { img, fs, get } = boot();
      expect(get('/index.html').status).toBe(200);
      expect(get('/index.html').body).toContain('<title>Welcome to nginx!</title>');
      expect(get('/index.html').body.length).toBe(612);
      const ex = start(['rm', '-rf', '/usr/share/nginx/html/index.html'], {
        image: 'nginx:1.17.10-alpine',
        fs,
        role: 'exec',
      });
      drive(ex.proc as Process);
      const r = get('/index.html');
      expect(r.status).toBe(404);
      expect(r.body).toBe(
        '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.17.10</center>\r\n</body>\r\n</html>\r\n',
      );
      expect(get('/').status).toBe(403);
      const fresh = img.newFilesystem(LIMITS.maxFsBytes);
      expect(fresh.exists('/usr/share/nginx/html/index.html')).toBe(true);
    });

    it('access log on stdout for requests with a time and a client address', () => {
      const { s, p } = boot();
      p.listeners()[0]!.http!({
        method: 'GET',
        path: '/',
        headers: { 'User-Agent': 'kube-probe/1.33' },
        now: 61_000,
        remoteAddr: '10.244.0.1',
      });
      p.listeners()[0]!.http!({ method: 'GET', path: '/x', headers: {} });
      expect(s.out).toEqual([
        {
          at: 61_000,
          stream: 'stdout',
          text: '10.244.0.1 - - [01/Jan/2025:00:01:01 +0000] "GET / HTTP/1.1" 200 612 "-" "kube-probe/1.33" "-"\n',
        },
      ]);
    });

    it('tcp 8080: nothing listens there', () => {
      const { p } = boot();
      expect(p.listeners().some((l) => l.port === 8080)).toBe(false);
    });

    it('SIGTERM: exits 0 at once', () => {
      const { p } = boot();
      p.signal('SIGTERM', 5000);
      expect(p.run(5000)).toEqual({ kind: 'exited', exitCode: 0 });
      expect(p.listeners()).toEqual([]);
    });
  });
});
