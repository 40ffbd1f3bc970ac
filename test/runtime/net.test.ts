/** Network applets over a tiny in-test Pod network. */
import { describe, expect, it } from 'vitest';
import type { Listener, Process } from '../../src/model/runtime.ts';
import { run, start, TestNet } from './harness.ts';

function cluster(): TestNet {
  const net = new TestNet();
  net.services.set('web', '10.96.0.7');
  net.services.set('down', '10.96.0.8');
  net.services.set('blackhole', '10.96.0.9');
  const nginx = start(['nginx', '-g', 'daemon off;'], { image: 'nginx:1.17.10-alpine' });
  (nginx.proc as Process).run(0);
  net.servers.set('10.96.0.7:80', (nginx.proc as Process).listeners()[0]!);
  net.servers.set('10.96.0.9:80', 'timeout');
  const redirect: Listener = {
    port: 80,
    http: (req) =>
      req.path === '/old'
        ? { status: 301, body: '', headers: { Location: '/new' } }
        : { status: 200, body: `at ${req.path}\n` },
  };
  net.services.set('moved', '10.96.0.10');
  net.servers.set('10.96.0.10:80', redirect);
  net.servers.set('10.96.0.11:5432', { port: 5432 });
  return net;
}

interface Case {
  name: string;
  script: string;
  stdout?: string;
  stderr?: string;
  exit: number;
  ms?: number;
}

const cases: Case[] = [
  {
    name: 'wget -q -O - prints the body',
    script: 'wget -q -O - http://web/ | grep -c "Welcome to nginx"',
    stdout: '2\n',
    stderr: '',
    exit: 0,
  },
  {
    name: 'wget to stdout with progress on stderr',
    script: 'wget -O - http://web/50x.html > /dev/null',
    stderr:
      'Connecting to web (10.96.0.7:80)\nwriting to stdout\n- 100% |********************************|   494  0:00:00 ETA\nwritten to stdout\n',
    exit: 0,
  },
  {
    name: 'wget saves index.html',
    script: 'cd /tmp && wget web && wc -c index.html',
    stdout: '612 index.html\n',
    stderr:
      "Connecting to web (10.96.0.7:80)\nsaving to 'index.html'\nindex.html 100% |********************************|   612  0:00:00 ETA\n'index.html' saved\n",
    exit: 0,
  },
  {
    name: 'wget refuses to overwrite without -O',
    script: 'cd /tmp && wget -q web && wget -q web',
    stderr: "wget: can't open 'index.html': File exists\n",
    exit: 1,
  },
  {
    name: 'wget 404',
    script: 'wget -q http://web/index1.html',
    stderr: 'wget: server returned error: HTTP/1.1 404 Not Found\n',
    exit: 1,
  },
  {
    name: 'wget bad address',
    script: 'wget -q -O- http://nosuch/',
    stderr: "wget: bad address 'nosuch'\n",
    exit: 1,
  },
  {
    name: 'wget connection refused',
    script: 'wget http://down:8080/',
    stderr:
      "Connecting to down (10.96.0.8:8080)\nwget: can't connect to remote host (10.96.0.8): Connection refused\n",
    exit: 1,
  },
  {
    name: 'wget timeout with -T',
    script: 'wget -q -T 3 http://blackhole/',
    stderr: 'wget: download timed out\n',
    exit: 1,
    ms: 3000,
  },
  {
    name: 'wget --spider',
    script: 'wget --spider http://web/',
    stderr: 'Connecting to web (10.96.0.7:80)\nremote file exists\n',
    exit: 0,
  },
  { name: 'wget follows a redirect', script: 'wget -q -O - moved/old', stdout: 'at /new\n', exit: 0 },
  { name: 'nc -z open', script: 'nc -z web 80', stdout: '', stderr: '', exit: 0 },
  { name: 'nc -z refused is silent', script: 'nc -z web 81', stdout: '', stderr: '', exit: 1 },
  { name: 'nc -zv open', script: 'nc -zv web 80', stderr: 'web (10.96.0.7:80) open\n', exit: 0 },
  {
    name: 'nc -zvv refused',
    script: 'nc -zvv 10.96.0.8 80',
    stderr: 'nc: 10.96.0.8 (10.96.0.8:80): Connection refused\n',
    exit: 1,
  },
  { name: 'nc -w timeout', script: 'nc -z -w 2 blackhole 80', stderr: '', exit: 1, ms: 2000 },
  { name: 'nc bad address', script: 'nc -z nosuch 80', stderr: "nc: bad address 'nosuch'\n", exit: 1 },
  { name: 'nc raw TCP server', script: 'nc -z 10.96.0.11 5432 && echo up', stdout: 'up\n', exit: 0 },
  {
    name: 'nc speaks HTTP from stdin',
    script: 'printf "GET /nope HTTP/1.0\\r\\n\\r\\n" | nc web 80 | head -n 1',
    stdout: 'HTTP/1.1 404 Not Found\r\n',
    exit: 0,
  },
  {
    name: 'nslookup prints the network answer',
    script: 'nslookup web',
    stdout:
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.0.7\n\n',
    exit: 0,
  },
  {
    name: 'nslookup failure exit code',
    script: 'nslookup nosuch > /dev/null; echo $?',
    stdout: '1\n',
    exit: 0,
  },
];

describe('network applets', () => {
  it.each(cases)('$name', (c) => {
    const r = run(c.script, { net: cluster() });
    if (c.stdout !== undefined) expect(r.stdout).toBe(c.stdout);
    if (c.stderr !== undefined) expect(r.stderr).toBe(c.stderr);
    expect(r.end).toEqual({ kind: 'exited', exitCode: c.exit });
    if (c.ms !== undefined) expect(r.endAt).toBe(c.ms);
  });

  it('nslookup takes its duration in virtual time', () => {
    const net = cluster();
    net.nslookupMs = 5000;
    const r = run('nslookup nosuch; echo done', { net });
    expect(r.out.filter((o) => o.text === 'done\n').map((o) => o.at)).toEqual([5000]);
  });

  it('nc -l -p listens until killed; -lk too', () => {
    for (const script of ['nc -l -p 8080', 'nc -lk -p 9090']) {
      const s = start(['sh', '-c', script]);
      const p = s.proc as Process;
      expect(p.run(0)).toEqual({ kind: 'idle' });
      expect(p.listeners().map((l) => [l.port, l.http])).toEqual([
        [script.includes('8080') ? 8080 : 9090, undefined],
      ]);
      p.signal('SIGKILL', 10);
      expect(p.listeners()).toEqual([]);
    }
  });

  it('httpd -p PORT -h DIR serves files and busybox 404 pages', () => {
    const s = start([
      'sh',
      '-c',
      'mkdir -p /www && echo hi > /www/index.html && httpd -p 8000 -h /www && echo started && sleep 3600',
    ]);
    const p = s.proc as Process;
    expect(p.run(0)).toEqual({ kind: 'blocked', wakeAt: 3_600_000 });
    const [l] = p.listeners();
    expect(l!.port).toBe(8000);
    expect(l!.http!({ method: 'GET', path: '/', headers: {} })).toMatchObject({ status: 200, body: 'hi\n' });
    expect(l!.http!({ method: 'GET', path: '/x', headers: {} })).toMatchObject({
      status: 404,
      body: '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n',
    });
  });

  it('wget to a server in the same container over loopback', () => {
    const r = run('httpd -p 8000 -h /etc && wget -q -O - http://127.0.0.1:8000/group | head -n 1');
    expect(r.stdout).toBe('root:x:0:\n');
  });
});
