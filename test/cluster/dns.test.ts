import { describe, expect, it } from 'vitest';
import { dnsQuery, podNetwork } from '../../src/sim/cluster/index.ts';
import { resolveMode, TestCluster } from './fixtures.ts';

function cluster() {
  const c = new TestCluster();
  c.addPod({ name: 'web-1', ip: '10.244.0.10', labels: { app: 'web' } });
  c.addPod({ name: 'web-2', ip: '10.244.0.11', labels: { app: 'web' }, hostname: 'w2', subdomain: 'web-h' });
  c.addPod({ name: 'other', ip: '10.244.0.12', labels: { app: 'x' }, namespace: 'team' });
  c.addService('web', '10.96.0.11', { selector: { app: 'web' } });
  c.addService('empty', '10.96.0.12', { selector: { app: 'none' } });
  c.addService('web-h', 'None', { selector: { app: 'web' }, clusterIP: 'None' });
  c.addService('empty-h', 'None', { selector: { app: 'none' }, clusterIP: 'None' });
  c.addService('db', '10.96.0.13', { selector: { app: 'x' } }, 'team');
  c.addService('ext', '', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' });
  return c;
}

describe('libc resolve from a Pod in default (search path, ndots:5; section 10)', () => {
  const net = podNetwork(
    cluster(),
    { namespace: 'default', ip: '10.244.0.10', hostname: 'web-1' },
    resolveMode,
  );
  it.each([
    { name: 'web', want: '10.96.0.11', why: 'short name via <ns>.svc.cluster.local' },
    { name: 'web.default', want: '10.96.0.11', why: 'svc.ns via svc.cluster.local' },
    { name: 'web.default.svc', want: '10.96.0.11', why: 'svc.ns.svc via cluster.local' },
    { name: 'web.default.svc.cluster.local', want: '10.96.0.11', why: 'FQDN' },
    { name: 'web.default.svc.cluster.local.', want: '10.96.0.11', why: 'trailing dot: absolute' },
    { name: 'WEB.Default.svc.cluster.local', want: '10.96.0.11', why: 'DNS is case-insensitive' },
    { name: 'empty', want: '10.96.0.12', why: 'ClusterIP resolves without endpoints' },
    { name: 'web-h', want: '10.244.0.10', why: 'headless: first ready endpoint (sorted)' },
    { name: 'empty-h', want: undefined, why: 'headless without ready endpoints: NODATA' },
    { name: 'w2.web-h', want: '10.244.0.11', why: 'hostname.subdomain of a headless service' },
    {
      name: '10-244-0-10.web-h.default.svc.cluster.local',
      want: '10.244.0.10',
      why: 'headless endpoint by dashed IP',
    },
    { name: 'db', want: undefined, why: 'other namespace needs svc.ns' },
    { name: 'db.team', want: '10.96.0.13', why: 'svc.otherns' },
    { name: 'kubernetes.default', want: '10.96.0.1', why: 'built-in kubernetes Service' },
    { name: 'kubernetes', want: '10.96.0.1', why: 'built-in, short' },
    { name: 'kube-dns.kube-system', want: '10.96.0.10', why: 'built-in kube-dns Service' },
    {
      name: '10-244-0-99.default.pod.cluster.local',
      want: '10.244.0.99',
      why: 'pod A record (pods insecure)',
    },
    { name: '10-244-0-99.default.pod', want: '10.244.0.99', why: 'pod A record via search cluster.local' },
    { name: '10.1.2.3', want: '10.1.2.3', why: 'IP literal' },
    { name: 'localhost', want: '127.0.0.1', why: '/etc/hosts' },
    { name: 'web-1', want: '10.244.0.10', why: 'own hostname from /etc/hosts' },
    { name: 'ext', want: '10.96.0.11', why: 'ExternalName CNAME followed' },
    { name: 'nosuch', want: undefined, why: 'unknown' },
    { name: 'google.com', want: undefined, why: 'no upstream resolver in podlab' },
    { name: 'web.default.svc.cluster.local.x', want: undefined, why: 'not in the zone' },
    { name: '', want: undefined, why: 'empty' },
  ])('$name -> $want ($why)', ({ name, want }) => {
    expect(net.resolve(name)).toBe(want);
  });
});

describe('CoreDNS answers (kubernetes/dns specification)', () => {
  const c = cluster();
  it.each([
    { q: 'web.default.svc.cluster.local', t: 'A', rcode: 'NOERROR', n: 1 },
    { q: 'web.default.svc.cluster.local', t: 'AAAA', rcode: 'NOERROR', n: 0 },
    { q: 'nosuch.default.svc.cluster.local', t: 'A', rcode: 'NXDOMAIN', n: 0 },
    { q: 'empty-h.default.svc.cluster.local', t: 'A', rcode: 'NOERROR', n: 0 },
    { q: 'web-h.default.svc.cluster.local', t: 'A', rcode: 'NOERROR', n: 2 },
    { q: 'default.svc.cluster.local', t: 'A', rcode: 'NOERROR', n: 0 },
    { q: 'nons.svc.cluster.local', t: 'A', rcode: 'NXDOMAIN', n: 0 },
    { q: 'web.default', t: 'A', rcode: 'NXDOMAIN', n: 0 },
    { q: '11.0.96.10.in-addr.arpa', t: 'PTR', rcode: 'NOERROR', n: 1 },
    { q: '99.0.96.10.in-addr.arpa', t: 'PTR', rcode: 'NXDOMAIN', n: 0 },
  ] as const)('$t $q -> $rcode with $n records', ({ q, t, rcode, n }) => {
    const r = dnsQuery(c, q, t);
    expect(r.rcode).toBe(rcode);
    expect(r.records.length).toBe(n);
  });
});
