import { describe, expect, it } from 'vitest';
import type { Listener } from '../../src/model/runtime.ts';
import { podNetwork } from '../../src/sim/cluster/index.ts';
import { resolveMode, TestCluster, web } from './fixtures.ts';

function describeTarget(t: Listener | 'refused' | 'timeout'): string {
  return typeof t === 'string' ? t : `listener:${t.port}`;
}

function cluster() {
  const c = new TestCluster();
  c.addPod({
    name: 'web-b',
    ip: '10.244.0.11',
    labels: { app: 'web' },
    listens: [web(8080)],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  });
  c.addPod({
    name: 'web-a',
    ip: '10.244.0.10',
    labels: { app: 'web' },
    listens: [web(9090)],
    ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }],
  });
  c.addPod({ name: 'unready', ip: '10.244.0.12', labels: { app: 'slow' }, ready: false, listens: [web(80)] });
  c.addPod({ name: 'nolisten', ip: '10.244.0.13', labels: { app: 'idle' } });
  c.addPod({ name: 'done', ip: '10.244.0.14', labels: {}, terminal: true, listens: [web(80)] });
  c.addService('web-num', '10.96.0.11', {
    selector: { app: 'web' },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 9090 }],
  });
  c.addService('web-named', '10.96.0.12', {
    selector: { app: 'web' },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 'http' }],
  });
  c.addService('slow', '10.96.0.13', {
    selector: { app: 'slow' },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
  });
  c.addService('idle', '10.96.0.14', {
    selector: { app: 'idle' },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
  });
  c.addService('h', 'None', { selector: { app: 'web' }, clusterIP: 'None' });
  return c;
}

describe('connect (section 10: kube-proxy iptables, Pod network)', () => {
  const net = podNetwork(
    cluster(),
    { namespace: 'default', ip: '10.244.0.10', hostname: 'web-a' },
    resolveMode,
  );
  it.each([
    { name: 'pod IP with a listener', ip: '10.244.0.11', port: 8080, want: 'listener:8080' },
    { name: 'pod IP, closed port: RST', ip: '10.244.0.11', port: 81, want: 'refused' },
    { name: 'pod IP of a terminal pod: no host', ip: '10.244.0.14', port: 80, want: 'timeout' },
    { name: 'unknown IP', ip: '10.1.2.3', port: 80, want: 'timeout' },
    { name: 'not an IP', ip: 'web', port: 80, want: 'timeout' },
    { name: 'loopback reaches the own pod', ip: '127.0.0.1', port: 9090, want: 'listener:9090' },
    { name: 'loopback, closed port', ip: '127.0.0.1', port: 80, want: 'refused' },
    {
      name: 'ClusterIP -> first ready endpoint by IP (10.244.0.10), numeric targetPort',
      ip: '10.96.0.11',
      port: 80,
      want: 'listener:9090',
    },
    {
      name: 'ClusterIP with a named targetPort resolved on the endpoint pod',
      ip: '10.96.0.12',
      port: 80,
      want: 'listener:9090',
    },
    { name: 'ClusterIP on an undeclared port: no rule matches', ip: '10.96.0.11', port: 81, want: 'timeout' },
    { name: 'ClusterIP without ready endpoints: REJECT', ip: '10.96.0.13', port: 80, want: 'refused' },
    { name: 'ClusterIP whose endpoint does not listen: RST', ip: '10.96.0.14', port: 80, want: 'refused' },
    { name: 'kubernetes Service -> API server', ip: '10.96.0.1', port: 443, want: 'listener:6443' },
    { name: 'kube-dns Service -> CoreDNS', ip: '10.96.0.10', port: 53, want: 'listener:53' },
    { name: 'CoreDNS pod IP', ip: '10.244.0.2', port: 53, want: 'listener:53' },
  ])('$name', ({ ip, port, want }) => {
    expect(describeTarget(net.connect(ip, port))).toBe(want);
  });

  it('the view is read at each call (a pod becoming unready leaves the Service)', () => {
    const c = cluster();
    const n = podNetwork(c, { namespace: 'default' }, resolveMode);
    expect(describeTarget(n.connect('10.96.0.11', 80))).toBe('listener:9090');
    c.podList = c.podList.map((p) => (p.name === 'web-a' ? { ...p, ready: false } : p));
    // web-b listens on 8080 only, so numeric targetPort 9090 is refused there.
    expect(describeTarget(n.connect('10.96.0.11', 80))).toBe('refused');
    expect(describeTarget(n.connect('10.96.0.12', 80))).toBe('listener:8080');
  });
});
