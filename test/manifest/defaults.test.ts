import { describe, expect, it } from 'vitest';
import { SCHEMA } from '../../src/manifest/decode.ts';
import { defaultPullPolicy, VOLUME_SOURCES } from '../../src/manifest/defaults.ts';
import type { Pod, Service } from '../../src/model/k8s.ts';
import { load, pod } from './helpers.ts';

function loadPod(text: string): Pod {
  const r = load(text);
  expect(r.rejected).toEqual([]);
  return r.objects[0]!.object as Pod;
}

describe('API defaults (kubernetes-semantics.md section 1)', () => {
  it('Pod and container defaults', () => {
    const p = loadPod(pod({ container: '      ports:\n        - containerPort: 80' }));
    expect(p.metadata.namespace).toBe('default');
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    });
    expect((p.spec as unknown as Record<string, unknown>).securityContext).toEqual({});
    expect(p.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
  });

  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.32.0', 'IfNotPresent'],
    ['nginx:1.17.10-alpine', 'IfNotPresent'],
    ['registry.example.com:5000/team/app', 'Always'],
    ['registry.example.com:5000/team/app:2', 'IfNotPresent'],
    [`busybox@sha256:${'0'.repeat(64)}`, 'IfNotPresent'],
    [`busybox:latest@sha256:${'0'.repeat(64)}`, 'Always'],
  ])('imagePullPolicy of %s is %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
    expect(loadPod(pod().replace('nginx:1.17.10-alpine', image)).spec.containers[0]!.imagePullPolicy).toBe(
      policy,
    );
  });

  it('keeps an explicit pull policy', () => {
    expect(
      loadPod(pod({ container: '      imagePullPolicy: Never' })).spec.containers[0]!.imagePullPolicy,
    ).toBe('Never');
  });

  it('probe defaults, 0 counting as unset, httpGet path and scheme', () => {
    const p = loadPod(
      pod({
        container:
          '      livenessProbe:\n        httpGet:\n          port: 80\n        periodSeconds: 0\n        failureThreshold: 5',
      }),
    );
    expect(p.spec.containers[0]!.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 5,
    });
  });

  it('init containers, sidecars and lifecycle handlers are defaulted too', () => {
    const p = loadPod(
      pod({
        init: '    - name: init\n      image: busybox\n    - name: proxy\n      image: envoy:1.0\n      restartPolicy: Always\n      startupProbe:\n        tcpSocket:\n          port: 9901',
        container: '      lifecycle:\n        preStop:\n          httpGet:\n            port: 80',
      }),
    );
    const [init, proxy] = p.spec.initContainers!;
    expect(init).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePolicy: 'File' });
    expect(proxy).toMatchObject({ imagePullPolicy: 'IfNotPresent', restartPolicy: 'Always' });
    expect(proxy!.startupProbe).toMatchObject({
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(p.spec.containers[0]!.lifecycle!.preStop!.httpGet).toEqual({
      port: 80,
      path: '/',
      scheme: 'HTTP',
    });
  });

  it('keeps terminationGracePeriodSeconds 0 and explicit values', () => {
    expect(
      loadPod(pod({ spec: '  terminationGracePeriodSeconds: 0' })).spec.terminationGracePeriodSeconds,
    ).toBe(0);
    expect(loadPod(pod({ spec: '  restartPolicy: Never' })).spec.restartPolicy).toBe('Never');
  });

  it('requests default to limits', () => {
    const p = loadPod(
      pod({
        container:
          '      resources:\n        limits:\n          cpu: 500m\n        requests:\n          memory: 64Mi',
      }),
    );
    expect((p.spec.containers[0] as unknown as Record<string, unknown>).resources).toEqual({
      limits: { cpu: '500m' },
      requests: { memory: '64Mi', cpu: '500m' },
    });
  });

  it('Service defaults: type, sessionAffinity, protocol, targetPort = port', () => {
    const r = load(
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    - port: 80\n    - port: 53\n      name: dns\n      protocol: UDP\n      targetPort: 5353\n'.replace(
        '    - port: 80\n',
        '    - port: 80\n      name: web\n',
      ),
    );
    expect(r.rejected).toEqual([]);
    const s = r.objects[0]!.object as Service;
    expect(s.metadata.namespace).toBe('default');
    expect(s.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None' });
    expect(s.spec.ports).toEqual([
      { name: 'web', port: 80, protocol: 'TCP', targetPort: 80 },
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
    ]);
    expect(r.objects[0]!.raw.spec).toMatchObject({ internalTrafficPolicy: 'Cluster' });
  });
});

describe('volume sources', () => {
  it('are exactly the v1 Volume fields of the generated 1.33 schema, besides name', () => {
    const volume = (SCHEMA.types as Record<string, Record<string, string>>).Volume;
    expect(
      Object.keys(volume ?? {})
        .filter((f) => f !== 'name')
        .sort(),
    ).toEqual([...VOLUME_SOURCES].sort());
  });
});
