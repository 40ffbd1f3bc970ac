import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../src/model/k8s.ts';
import { endpointsOf } from '../../src/sim/cluster/index.ts';
import { TestCluster } from './fixtures.ts';

describe('endpointsOf (EndpointSlice controller, section 9)', () => {
  function cluster() {
    const c = new TestCluster();
    c.addPod({ name: 'a', ip: '10.244.0.11', labels: { app: 'web' } });
    c.addPod({ name: 'b', ip: '10.244.0.9', labels: { app: 'web' } });
    c.addPod({ name: 'c', ip: '10.244.0.12', labels: { app: 'web' }, ready: false });
    c.addPod({ name: 'd', ip: '10.244.0.13', labels: { app: 'web' }, terminating: true });
    c.addPod({ name: 'e', ip: '10.244.0.14', labels: { app: 'web' }, terminal: true });
    c.addPod({ name: 'f', ip: '10.244.0.15', labels: { app: 'db' } });
    c.addPod({ name: 'g', ip: '10.244.0.16', labels: { app: 'web' }, namespace: 'other' });
    c.addPod({ name: 'h', ip: '', labels: { app: 'web' } });
    return c;
  }

  it.each<{ name: string; spec: Partial<ServiceSpec>; want: { ready: string[]; notReady: string[] } }>([
    {
      name: 'ready = Ready and not terminating; sorted numerically; other namespaces, labels, terminal pods and pods without IP excluded',
      spec: { selector: { app: 'web' } },
      want: { ready: ['10.244.0.9', '10.244.0.11'], notReady: ['10.244.0.12', '10.244.0.13'] },
    },
    {
      name: 'publishNotReadyAddresses makes every matching pod ready',
      spec: { selector: { app: 'web' }, publishNotReadyAddresses: true },
      want: { ready: ['10.244.0.9', '10.244.0.11', '10.244.0.12', '10.244.0.13'], notReady: [] },
    },
    { name: 'no selector: no endpoints', spec: {}, want: { ready: [], notReady: [] } },
    { name: 'empty selector: no endpoints', spec: { selector: {} }, want: { ready: [], notReady: [] } },
    {
      name: 'all selector pairs must match',
      spec: { selector: { app: 'web', tier: 'x' } },
      want: { ready: [], notReady: [] },
    },
  ])('$name', ({ spec, want }) => {
    const c = cluster();
    const svc = c.addService('web', '10.96.0.11', spec);
    expect(endpointsOf(svc, c)).toEqual(want);
  });
});
