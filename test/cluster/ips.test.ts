import { describe, expect, it } from 'vitest';
import {
  compareIPs,
  KUBE_DNS_IP,
  KUBERNETES_SERVICE_IP,
  podIP,
  serviceIP,
} from '../../src/sim/cluster/index.ts';

describe('deterministic addresses (section 13)', () => {
  it.each([
    { name: 'first pod', got: () => podIP(0), want: '10.244.0.10' },
    { name: 'second pod', got: () => podIP(1), want: '10.244.0.11' },
    { name: 'pod 244 is the last of 10.244.0.x', got: () => podIP(244), want: '10.244.0.254' },
    { name: 'pod 245 skips .255 and .0', got: () => podIP(245), want: '10.244.1.1' },
    { name: 'negative index is clamped', got: () => podIP(-3), want: '10.244.0.10' },
    { name: 'first service after the built-ins', got: () => serviceIP(0), want: '10.96.0.11' },
    { name: 'service 244', got: () => serviceIP(243), want: '10.96.0.254' },
    { name: 'service 245', got: () => serviceIP(244), want: '10.96.1.1' },
    { name: 'kube-dns', got: () => KUBE_DNS_IP, want: '10.96.0.10' },
    { name: 'kubernetes', got: () => KUBERNETES_SERVICE_IP, want: '10.96.0.1' },
  ])('$name', ({ got, want }) => {
    expect(got()).toBe(want);
  });

  it('pod and service addresses never collide and are unique', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      seen.add(podIP(i));
      seen.add(serviceIP(i));
    }
    expect(seen.size).toBe(6000);
    expect(seen.has(KUBE_DNS_IP)).toBe(false);
    expect(seen.has(KUBERNETES_SERVICE_IP)).toBe(false);
  });

  it('sorts numerically', () => {
    expect(['10.244.0.10', '10.244.0.9', '10.244.1.1'].sort(compareIPs)).toEqual([
      '10.244.0.9',
      '10.244.0.10',
      '10.244.1.1',
    ]);
  });
});
