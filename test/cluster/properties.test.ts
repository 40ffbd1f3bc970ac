import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { podNetwork } from '../../src/sim/cluster/index.ts';
import { resolveMode, strictMode, TestCluster } from './fixtures.ts';

function cluster() {
  const c = new TestCluster();
  c.addPod({ name: 'a', ip: '10.244.0.10', labels: { app: 'a' } });
  c.addService('a', '10.96.0.11', {
    selector: { app: 'a' },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
  });
  c.addService('h', 'None', { selector: { app: 'a' }, clusterIP: 'None' });
  return c;
}

const nameArb = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc
    .array(fc.constantFrom('a', 'h', 'default', 'svc', 'cluster', 'local', 'pod', '10-244-0-10', 'x', ''), {
      maxLength: 7,
    })
    .map((labels) => labels.join('.')),
);

describe('network properties (fast-check)', () => {
  it('resolve, nslookup and connect are total and deterministic on any input', () => {
    fc.assert(
      fc.property(nameArb, fc.integer({ min: -5, max: 70_000 }), fc.boolean(), (name, port, strict) => {
        const opts = strict ? strictMode : resolveMode;
        const n1 = podNetwork(cluster(), { namespace: 'default' }, opts);
        const n2 = podNetwork(cluster(), { namespace: 'default' }, opts);
        expect(n1.resolve(name)).toBe(n2.resolve(name));
        const r = n1.nslookup(name);
        expect(r).toEqual(n2.nslookup(name));
        expect([0, 1]).toContain(r.exitCode);
        expect(r.stdout.startsWith('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n')).toBe(true);
        const ip = n1.resolve(name);
        if (ip !== undefined) expect(typeof n1.connect(ip, port)).not.toBe('undefined');
      }),
      { numRuns: 300 },
    );
  });

  it('nslookup of a dotted name succeeds only if libc resolution of the same absolute name does', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        fc.pre(name.includes('.') && !/^\d+\.\d+\.\d+\.\d+$/.test(name));
        const n = podNetwork(cluster(), { namespace: 'default' }, resolveMode);
        const abs = name.endsWith('.') ? name : `${name}.`;
        const r = n.nslookup(name);
        if (n.resolve(abs) !== undefined) expect(r.exitCode).toBe(0);
        if (r.stdout.includes("server can't find")) expect(n.resolve(abs)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
