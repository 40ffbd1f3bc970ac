/**
 * The arithmetic of the Deployment controller (k/k release-1.33): the pod-template-hash
 * (pkg/controller/controller_utils.go ComputeHash), the rolling-update fence posts and the new
 * ReplicaSet's size (pkg/controller/deployment/util/deployment_util.go ResolveFenceposts,
 * MaxSurge, MaxUnavailable, NewRSNewReplicas), and the names the controllers give.
 * Pure functions over plain JSON; the controllers in virtual time call them.
 */
import type { LabelSelector } from '../../model/k8s.ts';
import { stableJson } from '../util.ts';

type Obj = Record<string, unknown>;

/** utilrand's alphabet: no vowels, no 0/1/3 (k8s.io/apimachinery/pkg/util/rand). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character mapped into the alphabet by its code modulo 27. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length];
  return out;
}

/** FNV-1a 32 over the UTF-8 bytes of `text`, continuing from `h`. */
function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  let out = h >>> 0;
  for (const b of bytes) {
    out ^= b;
    out = Math.imul(out, 0x01000193) >>> 0;
  }
  return out;
}

/**
 * ComputeHash: fnv32a of the Pod template, then of `collisionCount` as 8 little-endian bytes
 * (only the low 4 set) when given, printed in decimal and SafeEncodeString'd. Upstream hashes
 * go-spew's rendering of the Go struct (hashutil.DeepHashObject); podlab hashes the template's
 * JSON with sorted keys, so the value differs from a real cluster's (deviations.md).
 */
export function computeHash(template: Obj, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(stableJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    const c = collisionCount >>> 0;
    for (let i = 0; i < 4; i++) bytes[i] = (c >>> (8 * i)) & 0xff;
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/** The ReplicaSet a Deployment makes for a template: `<deployment>-<hash>` (deployment/sync.go getNewReplicaSet). */
export function replicaSetName(deployment: string, hash: string): string {
  return `${deployment}-${hash}`;
}

/**
 * The name the API server gives a Pod the ReplicaSet controller creates with
 * `generateName: <rs>-`: the base cut to 58 characters, then 5 characters of the alphabet
 * (SimpleNameGenerator). Random upstream; here derived from `seed` (the ReplicaSet and a serial),
 * so the same run gives the same names.
 */
export function podNameFor(rsName: string, seed: string): string {
  const base = `${rsName}-`;
  let h = fnv32a(new TextEncoder().encode(seed));
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += ALPHANUMS[h % ALPHANUMS.length];
    h = (Math.floor(h / ALPHANUMS.length) ^ Math.imul(h, 31)) >>> 0;
  }
  return `${base.length > 58 ? base.slice(0, 58) : base}${suffix}`;
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is; a percent of `total`, rounded up or
 * down. Undefined for a string that is not `<digits>%` (validation rejects it first).
 */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return undefined;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * ResolveFenceposts: maxSurge rounded up, maxUnavailable rounded down; both 0 gives
 * maxUnavailable 1 ("Validation should never allow the user to explicitly use zero values
 * for both maxSurge maxUnavailable", so this happens only by rounding).
 */
export function resolveFenceposts(
  maxSurge: number | string,
  maxUnavailable: number | string,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true) ?? 0;
  let unavailable = scaledValue(maxUnavailable, desired, false) ?? 0;
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** The parts of a defaulted Deployment spec the arithmetic reads. */
export interface RolloutSpec {
  replicas: number;
  strategy: { type: string; rollingUpdate?: { maxSurge: number | string; maxUnavailable: number | string } };
}

function fenceposts(spec: RolloutSpec): { surge: number; unavailable: number } | undefined {
  const ru = spec.strategy.rollingUpdate;
  if (spec.strategy.type !== 'RollingUpdate' || !ru) return undefined;
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, spec.replicas);
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas > 0; never more than replicas. */
export function maxUnavailable(spec: RolloutSpec): number {
  const f = fenceposts(spec);
  if (!f || spec.replicas === 0) return 0;
  return Math.min(f.unavailable, spec.replicas);
}

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(spec: RolloutSpec): number {
  return fenceposts(spec)?.surge ?? 0;
}

/**
 * NewRSNewReplicas: Recreate jumps to `replicas`; RollingUpdate grows the new ReplicaSet by
 * at most what keeps every ReplicaSet's total within replicas + maxSurge, and never past replicas.
 */
export function newRSNewReplicas(spec: RolloutSpec, allReplicas: number[], newReplicas: number): number {
  if (spec.strategy.type !== 'RollingUpdate') return spec.replicas;
  const current = allReplicas.reduce((a, b) => a + b, 0);
  const maxTotal = spec.replicas + maxSurge(spec);
  if (current >= maxTotal) return newReplicas;
  const scaleUp = Math.min(maxTotal - current, spec.replicas - newReplicas);
  return newReplicas + scaleUp;
}

/**
 * rolling.go reconcileOldReplicaSets: how many old Pods may go now, keeping
 * `replicas - maxUnavailable` available and not counting the new ReplicaSet's unavailable Pods
 * as removable (maxScaledDown = allPods - minAvailable - newRSUnavailable).
 */
export function maxScaledDown(
  spec: RolloutSpec,
  allPods: number,
  newRSReplicas: number,
  newRSAvailable: number,
): number {
  const minAvailable = spec.replicas - maxUnavailable(spec);
  const newRSUnavailable = newRSReplicas - newRSAvailable;
  return allPods - minAvailable - newRSUnavailable;
}

/** Go's %#v of a matchLabels selector, for the immutable-field message. */
export function goSelector(selector: LabelSelector): string {
  const labels = selector.matchLabels ?? {};
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`);
  const exprs = selector.matchExpressions
    ? '[]v1.LabelSelectorRequirement{...}'
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:map[string]string{${pairs.join(', ')}}, MatchExpressions:${exprs}}`;
}
