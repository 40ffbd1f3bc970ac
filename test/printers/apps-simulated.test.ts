/**
 * `kubectl get deploy`, `get rs` and `rollout status` over a simulated rollout: the printers
 * read the Deployment and ReplicaSet records of the trace at an instant.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Action } from '../../src/model/trace.ts';
import {
  deploymentsTableAt,
  replicaSetsAt,
  replicaSetsTableAt,
  rolloutStatusAt,
} from '../../src/sim/printers/index.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';

function deployment(path: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  progressDeadlineSeconds: 30
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          readinessProbe:
            httpGet: {path: ${path}, port: 80}
`;
}

const objects = (yaml: string) => loadManifests(yaml, { file: 'd.yaml' }).objects.map((o) => o.object);
const options = defaultSimOptions();
options.budgets.horizonMs = 90_000;
const actions: Action[] = [{ at: 10_000, kind: 'apply', objects: objects(deployment('/healthz')) }];
const trace = simulate(objects(deployment('/')), actions, options);

describe('printers over a stalled rollout', () => {
  it('kubectl get deploy: READY ready/desired, UP-TO-DATE the new ReplicaSet’s Pods', () => {
    expect(deploymentsTableAt(trace, 5_000)).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           5s\n',
    );
    expect(deploymentsTableAt(trace, 20_000)).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     1            3           20s\n',
    );
    expect(deploymentsTableAt(trace, 20_000, 'other')).toBe('No resources found in other namespace.\n');
  });

  it('kubectl get rs: both ReplicaSets, the new one 1 desired and not ready', () => {
    const [a, b] = replicaSetsAt(trace, 20_000).map((r) => r.name);
    const rows = replicaSetsTableAt(trace, 20_000).split('\n');
    expect(rows[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/);
    expect(rows.slice(1, 3).map((r) => r.split(/\s+/))).toEqual(
      [
        [a, '3', '3', '3', '20s'],
        [b, '1', '1', '0', '10s'],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
  });

  it('kubectl rollout status: done, then waiting on the update, then the deadline error', () => {
    expect(rolloutStatusAt(trace, 'web', 5_000)).toEqual({
      text: 'deployment "web" successfully rolled out\n',
      done: true,
    });
    expect(rolloutStatusAt(trace, 'web', 20_000).text).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n',
    );
    expect(rolloutStatusAt(trace, 'web', 41_000).error).toBe(
      'error: deployment "web" exceeded its progress deadline\n',
    );
    expect(rolloutStatusAt(trace, 'api', 41_000).error).toBe(
      'Error from server (NotFound): deployments.apps "api" not found\n',
    );
  });
});
