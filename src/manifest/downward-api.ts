/**
 * The Downward API's field values, shared by the kubelet (a container's environment, env.ts) and
 * kubectl describe: Pod metadata fields (k/k pkg/fieldpath ExtractFieldPathAsString) and
 * container resource fields (pkg/api/v1/resource ExtractContainerResourceValue).
 */
import type { Container, Pod } from '../model/k8s.ts';
import { parseQuantity, type Quantity } from './quantity.ts';

/**
 * A metadata field of the Pod as fieldpath.ExtractFieldPathAsString reads it (name, namespace,
 * uid, a label or an annotation); empty for any other path. kubectl describe resolves only these.
 */
export function metadataField(pod: Pod, path: string): string {
  const meta = pod.metadata;
  if (path === 'metadata.name') return meta.name;
  if (path === 'metadata.namespace') return meta.namespace;
  if (path === 'metadata.uid') return meta.uid ?? '';
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)?.[m[2]!] ?? '';
  return '';
}

/**
 * A `resourceFieldRef` of container `c` (resource.ExtractContainerResourceValue): the quantity
 * over the divisor, rounded up. Unset requests were defaulted to the limits by the API server,
 * else they are zero; an unset limit is `unsetLimits[name]` (the kubelet passes the node's
 * allocatable: defaultPodLimitsForDownwardAPI), else zero.
 */
export function resourceFieldValue(
  ref: { resource: string; divisor?: string | number },
  c: Container,
  unsetLimits: Readonly<Record<string, string>> = {},
): string {
  const [kind, name] = ref.resource.split('.', 2) as [string, string | undefined];
  if (name === undefined || (kind !== 'limits' && kind !== 'requests')) return '';
  const limits = c.resources?.limits ?? {};
  const set = kind === 'limits' ? limits[name] : (c.resources?.requests?.[name] ?? limits[name]);
  const amount = parseQuantity(set ?? (kind === 'limits' ? (unsetLimits[name] ?? '0') : '0'));
  const divisor = parseQuantity(ref.divisor ?? '1');
  if (!amount || !divisor) return '';
  // convertResourceCPUToString / ...MemoryToString: ceil(float64(value) / float64(divisor)),
  // CPU in millicores (MilliValue), everything else in units (Value).
  const scale = name === 'cpu' ? -3 : 0;
  const d = scaledValue(divisor, scale);
  if (d === 0) return '';
  return formatInt64(Math.ceil(scaledValue(amount, scale) / d));
}

/** int64's bound, as a double. */
const INT64_BOUND = 2 ** 63;

/** Quantity.ScaledValue: the value in units of 10^scale, rounded up, saturating at int64's range. */
function scaledValue(q: Quantity, scale: number): number {
  const v = Math.ceil(Number(q.num) * 10 ** (q.exp10 - scale) * 2 ** q.exp2);
  return Number.isNaN(v) ? 0 : Math.max(-INT64_BOUND, Math.min(INT64_BOUND, v));
}

/** strconv.FormatInt of a value converted to int64 (saturating). */
function formatInt64(n: number): string {
  if (Number.isNaN(n)) return '0';
  if (n >= INT64_BOUND) return '9223372036854775807';
  if (n <= -INT64_BOUND) return '-9223372036854775808';
  return BigInt(Math.trunc(n)).toString();
}
