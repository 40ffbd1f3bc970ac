/**
 * Cost of the cluster network and the probe worker on a busy cluster: one nslookup, libc
 * resolve and ClusterIP connect per call, with 200 Pods and 50 Services; one probe step.
 */
import type { Probe, Service } from '../src/model/k8s.ts';
import type { ClusterOptions } from '../src/model/trace.ts';
import {
  type ClusterView,
  type PodEntry,
  podIP,
  podNetwork,
  type ServiceEntry,
  serviceIP,
} from '../src/sim/cluster/index.ts';
import { newProbeWorker, probeDue, recordOutcome } from '../src/sim/kubelet/probe-worker.ts';
import { ms, quantile, table, timeRuns } from './stats.ts';

function cluster(pods: number, services: number): ClusterView {
  const podList: PodEntry[] = [];
  for (let i = 0; i < pods; i++) {
    podList.push({
      namespace: 'default',
      name: `p${i}`,
      ip: podIP(i),
      labels: { app: `a${i % services}` },
      ready: i % 3 !== 0,
      terminating: false,
      listeners: () => [{ port: 80, http: () => ({ status: 200, body: '' }) }],
    });
  }
  const serviceList: ServiceEntry[] = [];
  for (let i = 0; i < services; i++) {
    const service: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `s${i}`, namespace: 'default' },
      spec: {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        selector: { app: `a${i}` },
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
      },
    };
    serviceList.push({ service, clusterIP: serviceIP(i) });
  }
  return { pods: () => podList, services: () => serviceList };
}

export async function bench(): Promise<void> {
  const view = cluster(200, 50);
  const options: ClusterOptions = { busyboxShortNameLookup: 'resolve', imagePullMs: 0 };
  const strict: ClusterOptions = { busyboxShortNameLookup: 'strict', imagePullMs: 0 };
  const net = podNetwork(view, { namespace: 'default' }, options);
  const strictNet = podNetwork(view, { namespace: 'default' }, strict);
  const probe: Probe = {
    exec: { command: ['true'] },
    initialDelaySeconds: 0,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  };
  const worker = newProbeWorker('liveness', 'c', probe, 0);
  let t = 0;
  const cases: [string, () => unknown][] = [
    ['nslookup s49 (resolve mode)', () => net.nslookup('s49')],
    ['nslookup s49 (strict mode)', () => strictNet.nslookup('s49')],
    ['nslookup s49.default.svc.cluster.local', () => net.nslookup('s49.default.svc.cluster.local')],
    ['resolve s49.default (libc search path)', () => net.resolve('s49.default')],
    ['connect ClusterIP of s49:80', () => net.connect(serviceIP(49), 80)],
    [
      'probe step (probeDue + recordOutcome)',
      () => {
        t += 10_000;
        probeDue(
          worker,
          t,
          { terminal: false, deleting: false },
          {
            id: 'containerd://a',
            running: true,
            startedAt: 0,
            started: true,
            terminatedForGood: false,
          },
        );
        return recordOutcome(worker, { kind: 'success' });
      },
    ],
  ];
  const rows = cases.map(([name, fn]) => {
    const runs = timeRuns(fn, 2000);
    return [name, ms(quantile(runs, 0.5)), ms(quantile(runs, 0.99))];
  });
  console.log('Cluster network and prober, 200 Pods / 50 Services');
  table(['operation', 'p50', 'p99'], rows);
}
