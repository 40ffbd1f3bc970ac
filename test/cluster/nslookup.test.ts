import { describe, expect, it } from 'vitest';
import { podNetwork } from '../../src/sim/cluster/index.ts';
import { resolveMode, strictMode, TestCluster } from './fixtures.ts';

const HEADER = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';

function found(name: string, ip: string): string {
  return `${HEADER}Name:\t${name}\nAddress: ${ip}\n\n*** Can't find ${name}: No answer\n\n`;
}
function nx(name: string): string {
  return `${HEADER}** server can't find ${name}: NXDOMAIN\n\n** server can't find ${name}: NXDOMAIN\n\n`;
}
function strictShort(name: string, ns: string): string {
  const d = [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'];
  return (
    `${HEADER}** server can't find ${name}.${d[0]}: NXDOMAIN\n\n` +
    `*** Can't find ${name}.${d[1]}: No answer\n*** Can't find ${name}.${d[2]}: No answer\n` +
    d.map((x) => `*** Can't find ${name}.${x}: No answer\n`).join('') +
    '\n'
  );
}

function cluster() {
  const c = new TestCluster();
  c.addPod({ name: 'web-1', ip: '10.244.0.10', labels: { app: 'web' } });
  c.addService('myservice', '10.96.0.11', { ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }] });
  c.addService('h', 'None', { selector: { app: 'web' }, clusterIP: 'None' });
  c.addService('h0', 'None', { selector: { app: 'none' }, clusterIP: 'None' });
  c.addService('db', '10.96.0.12', {}, 'team');
  c.addService('ext', '', { type: 'ExternalName', externalName: 'db.team.svc.cluster.local' });
  return c;
}

describe('busybox 1.32.0 nslookup (section 10.1)', () => {
  const rows = [
    {
      name: 'FQDN of a ClusterIP Service: A answer, AAAA No answer, exit 0 (both modes)',
      arg: 'myservice.default.svc.cluster.local',
      stdout: found('myservice.default.svc.cluster.local', '10.96.0.11'),
      exitCode: 0,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'FQDN of a missing Service: NXDOMAIN twice, exit 1',
      arg: 'nosuch.default.svc.cluster.local',
      stdout: nx('nosuch.default.svc.cluster.local'),
      exitCode: 1,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'svc.ns is sent verbatim: NXDOMAIN, exit 1 (docker-library/busybox#61)',
      arg: 'myservice.default',
      stdout: nx('myservice.default'),
      exitCode: 1,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'kubernetes.default is sent verbatim: NXDOMAIN, exit 1',
      arg: 'kubernetes.default',
      stdout: nx('kubernetes.default'),
      exitCode: 1,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'trailing dot: queried as typed, answer owner without the dot',
      arg: 'myservice.default.svc.cluster.local.',
      stdout: `${HEADER}Name:\tmyservice.default.svc.cluster.local\nAddress: 10.96.0.11\n\n*** Can't find myservice.default.svc.cluster.local.: No answer\n\n`,
      exitCode: 0,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'headless with ready endpoints: one Name/Address per endpoint',
      arg: 'h.default.svc.cluster.local',
      stdout: found('h.default.svc.cluster.local', '10.244.0.10'),
      exitCode: 0,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'headless without ready endpoints: NODATA twice, exit 0',
      arg: 'h0.default.svc.cluster.local',
      stdout: `${HEADER}*** Can't find h0.default.svc.cluster.local: No answer\n\n*** Can't find h0.default.svc.cluster.local: No answer\n\n`,
      exitCode: 0,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'ExternalName: CNAME for A and AAAA (parse_reply "canonical name"), exit 0',
      arg: 'ext.default.svc.cluster.local',
      stdout: `${HEADER}${'ext.default.svc.cluster.local\tcanonical name = db.team.svc.cluster.local\n\n'.repeat(2)}`,
      exitCode: 0,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'IP literal: PTR of a Service ClusterIP',
      arg: '10.96.0.10',
      stdout: `${HEADER}10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local\n\n`,
      exitCode: 0,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'IP literal without a PTR record: NXDOMAIN, exit 1',
      arg: '10.1.2.3',
      stdout: `${HEADER}** server can't find 3.2.1.10.in-addr.arpa: NXDOMAIN\n\n`,
      exitCode: 1,
      modes: ['resolve', 'strict'],
    },
    {
      name: 'resolve: a short name of an existing Service prints the FQDN answer, exit 0',
      arg: 'myservice',
      stdout: found('myservice.default.svc.cluster.local', '10.96.0.11'),
      exitCode: 0,
      modes: ['resolve'],
    },
    {
      name: 'resolve: a short name of a Service in another namespace fails',
      arg: 'db',
      stdout: nx('db.default.svc.cluster.local'),
      exitCode: 1,
      modes: ['resolve'],
    },
    {
      name: 'strict: a short name never resolves (first reply NXDOMAIN, five unanswered; sandervanvugt/cka#2)',
      arg: 'myservice',
      stdout: strictShort('myservice', 'default'),
      exitCode: 1,
      modes: ['strict'],
    },
    {
      name: 'strict: kubernetes (short) fails the same way',
      arg: 'kubernetes',
      stdout: strictShort('kubernetes', 'default'),
      exitCode: 1,
      modes: ['strict'],
    },
  ];
  for (const row of rows) {
    for (const mode of row.modes) {
      it(`${row.name} [${mode}]`, () => {
        const net = podNetwork(
          cluster(),
          { namespace: 'default' },
          mode === 'strict' ? strictMode : resolveMode,
        );
        const r = net.nslookup(row.arg);
        expect(r.stdout).toBe(row.stdout);
        expect(r.stderr).toBe('');
        expect(r.exitCode).toBe(row.exitCode);
        const waits = mode === 'strict' && !row.arg.includes('.');
        expect(r.durationMs).toBe(waits ? 5000 : 0);
      });
    }
  }
});

describe('course lab initcpod.yml: `until nslookup myservice` in the init container', () => {
  it.each([
    { mode: resolveMode, before: 1, after: 0 },
    { mode: strictMode, before: 1, after: 1 },
  ])(
    '$mode.busyboxShortNameLookup: exit before the Service exists $before, after $after',
    ({ mode, before, after }) => {
      const c = new TestCluster();
      c.addPod({ name: 'myapp-pod', ip: '10.244.0.10', labels: { app: 'myapp' } });
      const net = podNetwork(c, { namespace: 'default', ip: '10.244.0.10', hostname: 'myapp-pod' }, mode);
      const first = net.nslookup('myservice');
      expect(first.exitCode).toBe(before);
      // kubectl apply -f initcservice1.yml: the Service has no endpoints; DNS answers anyway.
      c.addService('myservice', '10.96.0.11', { ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }] });
      const second = net.nslookup('myservice');
      expect(second.exitCode).toBe(after);
      // The FQDN works in both modes once the Service exists.
      expect(net.nslookup('myservice.default.svc.cluster.local').exitCode).toBe(0);
    },
  );

  it('before the Service exists (resolve) the output names the FQDN NXDOMAIN', () => {
    const net = podNetwork(new TestCluster(), { namespace: 'default' }, resolveMode);
    expect(net.nslookup('mydb').stdout).toBe(nx('mydb.default.svc.cluster.local'));
  });
});
