/**
 * The operator's `delete` action (scenario-format.md 1.2) on a Pod, Service, ConfigMap or
 * Secret, with kubectl delete's grace-period rules.
 */
import { podKey } from '../model/object-key.ts';
import type { Action } from '../model/trace.ts';
import type { ConfigStore } from './cluster/config-store.ts';
import type { ServiceRegistry } from './cluster/service-registry.ts';
import { lines } from './exec-action.ts';
import type { Kubelet } from './kubelet/kubelet.ts';
import type { PodRt } from './kubelet/types.ts';

/** The resource a `delete` action names in kubectl's NotFound text. */
const RESOURCE_OF = { Pod: 'pods', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets' } as const;

/** What a delete action reads and writes of the run. */
export interface DeleteContext {
  now(): number;
  configs: ConfigStore;
  services: ServiceRegistry;
  kubelet: Kubelet;
  pod(key: string): PodRt | undefined;
  result(index: number, at: number, kind: 'delete', stdout: string, stderr: string, exitCode: number): void;
}

/**
 * `kubectl delete KIND NAME [--grace-period=N] [--force]` at the action's instant, with
 * kubectl's output and NotFound texts.
 */
export function runDeleteAction(
  ctx: DeleteContext,
  a: Extract<Action, { kind: 'delete' }>,
  index: number,
): void {
  const at = ctx.now();
  const ns = a.namespace || 'default';
  const lower = RESOURCE_OF[a.objectKind];
  const notFound = () =>
    ctx.result(
      index,
      at,
      'delete',
      '',
      lines([`Error from server (NotFound): ${lower} "${a.name}" not found`]),
      1,
    );
  if (a.objectKind === 'ConfigMap' || a.objectKind === 'Secret') {
    if (!ctx.configs.delete(a.objectKind, ns, a.name)) {
      notFound();
      return;
    }
    ctx.kubelet.configChanged(a.objectKind, ns, a.name);
    ctx.result(index, at, 'delete', lines([`${a.objectKind.toLowerCase()} "${a.name}" deleted`]), '', 0);
    return;
  }
  if (a.objectKind === 'Service') {
    if (!ctx.services.delete(ns, a.name, at)) {
      notFound();
      return;
    }
    ctx.result(index, at, 'delete', lines([`service "${a.name}" deleted`]), '', 0);
    return;
  }
  const p = ctx.pod(podKey(ns, a.name));
  if (!p) {
    notFound();
    return;
  }
  // kubectl delete.go: --grace-period=0 without --force becomes 1; --force alone means 0.
  let grace = a.gracePeriodSeconds;
  const force = a.force === true;
  if (grace !== undefined && grace < 0) grace = undefined;
  if (force && grace === undefined) grace = 0;
  if (grace === 0 && !force) grace = 1;
  const g = grace ?? p.pod.spec.terminationGracePeriodSeconds;
  // The API server deletes at once (no Terminating) when the effective grace period is 0
  // (pod strategy CheckGracefulDelete: also a spec terminationGracePeriodSeconds of 0).
  const immediate = g === 0;
  ctx.kubelet.deletePod(p, g, immediate);
  if (immediate && force) {
    ctx.result(
      index,
      at,
      'delete',
      lines([`pod "${a.name}" force deleted`]),
      lines([
        'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.',
      ]),
      0,
    );
  } else {
    ctx.result(index, at, 'delete', lines([`pod "${a.name}" deleted`]), '', 0);
  }
}
