import { describe, expect, it } from 'vitest';
import type { Probe } from '../../src/model/k8s.ts';
import { describeProbe } from '../../src/sim/printers/index.ts';
import { DESCRIBE_LAYOUT, escapeTerminal, GET_LAYOUT, tabwrite } from '../../src/sim/printers/tabwriter.ts';
import { probe } from './helpers.ts';

describe('describeProbe (kubectl describe.go DescribeProbe)', () => {
  const attrs = 'delay=5s timeout=1s period=5s #success=1 #failure=3';
  const base = { initialDelaySeconds: 5, periodSeconds: 5 };
  const cases: [string, Partial<Probe>, string][] = [
    ['exec', { exec: { command: ['cat', '/tmp/healthy'] } }, `exec [cat /tmp/healthy] ${attrs}`],
    ['exec sh -c', { exec: { command: ['sh', '-c', 'test -f /x'] } }, `exec [sh -c test -f /x] ${attrs}`],
    [
      'http-get without host',
      { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' } },
      `http-get http://:8080/healthz ${attrs}`,
    ],
    [
      'http-get named port, HTTPS, host',
      { httpGet: { path: '/ready', port: 'web', scheme: 'HTTPS', host: 'example.com' } },
      `http-get https://example.com:web/ready ${attrs}`,
    ],
    [
      'http-get IPv6 host, query escaped',
      { httpGet: { path: '/redirect?loc=/healthz', port: 8080, scheme: 'HTTP', host: '::1' } },
      `http-get http://[::1]:8080/redirect%3Floc=/healthz ${attrs}`,
    ],
    [
      'http-get relative path gets a slash',
      { httpGet: { path: 'healthz', port: 80, scheme: 'HTTP' } },
      `http-get http://:80/healthz ${attrs}`,
    ],
    ['tcp-socket', { tcpSocket: { port: 8080 } }, `tcp-socket :8080 ${attrs}`],
    [
      'tcp-socket with host',
      { tcpSocket: { port: 'db', host: '10.0.0.1' } },
      `tcp-socket 10.0.0.1:db ${attrs}`,
    ],
    ['grpc with service', { grpc: { port: 5000, service: 'health' } }, `grpc <pod>:5000 health ${attrs}`],
    ['grpc without service', { grpc: { port: 2333 } }, `grpc <pod>:2333  ${attrs}`],
    ['no handler', {}, `unknown ${attrs}`],
  ];
  it.each(cases)('%s', (_name, p, want) => {
    expect(describeProbe(probe({ ...base, ...p }))).toBe(want);
  });
});

describe('tabwrite (Go text/tabwriter)', () => {
  it('aligns a column block, leaves the trailing cell unpadded, honours minwidth', () => {
    expect(tabwrite('A\tB\tC\nlong\tx\ty', GET_LAYOUT)).toBe('A      B     C\nlong   x     y');
  });
  it('a line without a cell in a column ends that column block', () => {
    expect(tabwrite('a:\t1\nbreak\nlonger:\t2', DESCRIBE_LAYOUT)).toBe('a:  1\nbreak\nlonger:  2');
  });
  it('nested blocks: inner columns sized per run of lines', () => {
    expect(tabwrite('x\ty\tz\nxx\ty\nxxx\tyyyy\tz', DESCRIBE_LAYOUT)).toBe('x    y  z\nxx   y\nxxx  yyyy  z');
  });
  it('counts code points, not UTF-16 units', () => {
    expect(tabwrite('é\t1\nab\t2', DESCRIBE_LAYOUT)).toBe('é   1\nab  2');
  });
  it('survives thousands of tabs in one line (bounded recursion)', () => {
    const out = tabwrite(`a\tb\n${'x\t'.repeat(20_000)}end`, DESCRIBE_LAYOUT);
    expect(out.startsWith('a  b\nx  ')).toBe(true);
    expect(out.endsWith('end')).toBe(true);
  });
  it('escapes terminal control characters like kubectl', () => {
    expect(escapeTerminal('a\x1b[31mb\rc')).toBe('a^[[31mb\\rc');
  });
});
