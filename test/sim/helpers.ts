/** Builders for simulator tests. */

import { defaultPod } from '../../src/manifest/defaults.ts';
import type { Container, Pod, Probe } from '../../src/model/k8s.ts';
import type { Action, SimOptions, Trace } from '../../src/model/trace.ts';
import { defaultSimOptions, simulateWith } from '../../src/sim/simulation.ts';
import { fakeResolver } from './fake-image.ts';

/** A container with defaults. */
export function ctr(name: string, command: string[], extra: Partial<Container> = {}): Container {
  return {
    name,
    image: 'fake:1',
    command,
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...extra,
  };
}

/** A probe with API defaults. */
export function probe(p: Partial<Probe>): Probe {
  return {
    initialDelaySeconds: 0,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
    ...p,
  };
}

/** A Pod with defaults. */
export function pod(
  name: string,
  containers: Container[],
  spec: Partial<Pod['spec']> = {},
  labels?: Record<string, string>,
): Pod {
  return defaultPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: {
      containers,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      schedulerName: 'default-scheduler',
      ...spec,
    },
  });
}

/** Runs with the scripted images for `seconds` of virtual time. */
export function run(
  objects: Pod[],
  seconds: number,
  actions: Action[] = [],
  tweak?: (o: SimOptions) => void,
): Trace {
  const o = defaultSimOptions();
  o.budgets.horizonMs = seconds * 1000;
  tweak?.(o);
  return simulateWith(objects, actions, o, fakeResolver);
}

/** Start instants (s) of a container: Started events. */
export function starts(t: Trace, container: string): number[] {
  return t.events.filter((e) => e.reason === 'Started' && e.container === container).map((e) => e.at / 1000);
}
