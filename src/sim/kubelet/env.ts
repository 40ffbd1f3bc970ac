/**
 * A container's environment as the kubelet builds it at container creation
 * (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables), and the `$(VAR)` expansion of its
 * command and args (pkg/kubelet/container ExpandContainerCommandAndArgs).
 */
import { metadataField, resourceFieldValue } from '../../manifest/downward-api.ts';
import type { Container, EnvFromSource, EnvVar, Pod } from '../../model/k8s.ts';
import type { ConfigData } from '../cluster/config-store.ts';
import type { ServiceEntry } from '../cluster/endpoints.ts';

/** What the kubelet knows of the Pod when it creates a container. */
export interface EnvContext {
  pod: Pod;
  container: Container;
  uid: string;
  podIP: string;
  nodeName: string;
  hostIP: string;
  /** The cluster's Services now (built-in ones included). */
  services: readonly ServiceEntry[];
  /** A ConfigMap or Secret of the Pod's namespace now (undefined: not found). */
  config(kind: 'ConfigMap' | 'Secret', name: string): ConfigData | undefined;
  /** Records a Warning event on the Pod (InvalidEnvironmentVariableNames). */
  warn(reason: string, message: string): void;
}

/** Names and values in order, or why the container cannot be created (`CreateContainerConfigError`). */
export type EnvResult = { env: [name: string, value: string][] } | { error: string };

/**
 * The node's allocatable resources, which a `resourceFieldRef` to an unset limit reports
 * (kubelet defaultPodLimitsForDownwardAPI). podlab's node is fixed at 2 CPUs and 8 GiB.
 */
export const NODE_ALLOCATABLE: Readonly<Record<string, string>> = {
  cpu: '2',
  memory: '8Gi',
  'ephemeral-storage': '100Gi',
};

/**
 * The variables the kubelet passes to the runtime: `envFrom` sources, then `env` in order (a
 * value's `$(VAR)` references expand against the variables declared before it, then the
 * Service variables), then the Service variables not overridden. Go builds this from a map, so
 * a real container sees them in a random order; podlab keeps this one. A ConfigMap or Secret is
 * read as it is now: a missing one (or key) that is not optional fails with the kubelet's text.
 */
export function containerEnv(ctx: EnvContext): EnvResult {
  const declared = new Map<string, string>();
  const serviceEnv = serviceEnvVars(
    ctx.services,
    ctx.pod.metadata.namespace,
    ctx.pod.spec.enableServiceLinks !== false,
  );
  const services = new Map(serviceEnv);
  for (const from of ctx.container.envFrom ?? []) {
    const error = envFromSource(from, ctx, declared);
    if (error) return { error };
  }
  for (const v of ctx.container.env ?? []) {
    const value = envValue(v, ctx, (name) => declared.get(name) ?? services.get(name));
    if (typeof value === 'object') return value;
    if (value !== undefined) declared.set(v.name, value);
  }
  const env: [string, string][] = [...declared];
  for (const [name, value] of serviceEnv) if (!declared.has(name)) env.push([name, value]);
  return { env };
}

/** One `env` entry's value; undefined when an optional source is missing (the variable is skipped). */
function envValue(
  v: EnvVar,
  ctx: EnvContext,
  lookup: (name: string) => string | undefined,
): string | undefined | { error: string } {
  const from = v.valueFrom;
  if (!from) return expand(v.value ?? '', lookup);
  if (from.fieldRef) return fieldValue(from.fieldRef.fieldPath, ctx);
  if (from.resourceFieldRef) {
    const ref = from.resourceFieldRef;
    const containers = [...(ctx.pod.spec.initContainers ?? []), ...ctx.pod.spec.containers];
    const c = ref.containerName ? containers.find((x) => x.name === ref.containerName) : ctx.container;
    return c ? resourceFieldValue(ref, c, NODE_ALLOCATABLE) : '';
  }
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (ref) {
    // makeEnvironmentVariables, cases ConfigMapKeyRef/SecretKeyRef: never `$(VAR)`-expanded.
    const kind = from.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const name = ref.name ?? '';
    const optional = ref.optional === true;
    const source = ctx.config(kind, name);
    if (!source) return optional ? undefined : { error: `${kind.toLowerCase()} "${name}" not found` };
    const value = source.data.get(ref.key);
    if (value !== undefined) return value;
    if (optional) return undefined;
    return { error: `couldn't find key ${ref.key} in ${kind} ${ctx.pod.metadata.namespace}/${name}` };
  }
  return '';
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, on by default since 1.32). */
function isEnvVarName(name: string): boolean {
  return name !== '' && [...name].every((ch) => ch >= ' ' && ch <= '~' && ch !== '=');
}

/**
 * One `envFrom` source into `declared` (makeEnvironmentVariables): every `data` key, prefixed;
 * keys that are no valid variable name are skipped with an InvalidEnvironmentVariableNames
 * event. Returns the error when a non-optional source is missing.
 */
function envFromSource(
  from: EnvFromSource,
  ctx: EnvContext,
  declared: Map<string, string>,
): string | undefined {
  const ref = from.configMapRef ?? from.secretRef;
  if (!ref) return undefined;
  const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
  const name = ref.name ?? '';
  const source = ctx.config(kind, name);
  if (!source) return ref.optional === true ? undefined : `${kind.toLowerCase()} "${name}" not found`;
  const invalidKeys: string[] = [];
  for (const [key, value] of source.data) {
    const variable = (from.prefix ?? '') + key;
    if (!isEnvVarName(variable)) invalidKeys.push(variable);
    else declared.set(variable, value);
  }
  if (invalidKeys.length > 0) {
    const what = kind === 'ConfigMap' ? 'configMap' : 'secret';
    ctx.warn(
      'InvalidEnvironmentVariableNames',
      `Keys [${invalidKeys.sort().join(', ')}] from the EnvFrom ${what} ${ctx.pod.metadata.namespace}/${name} were skipped since they are considered invalid environment variable names.`,
    );
  }
  return undefined;
}

/** The Downward API fields an env var may name (podFieldSelectorRuntimeValue, fieldpath.ExtractFieldPathAsString). */
function fieldValue(path: string, ctx: EnvContext): string {
  if (path === 'metadata.uid') return ctx.uid;
  switch (path) {
    case 'spec.nodeName':
    case 'spec.host':
      return ctx.nodeName;
    case 'spec.serviceAccountName':
      // The ServiceAccount admission plugin sets `default` when the Pod names none.
      return (ctx.pod.spec as { serviceAccountName?: string }).serviceAccountName ?? 'default';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP;
  }
  return metadataField(ctx.pod, path);
}

/**
 * The Service variables (pkg/kubelet/envvars FromServices) of the Services the container may
 * see: `kubernetes` of `default` always, and with `enableServiceLinks` every Service of the
 * Pod's namespace; headless and IP-less Services have none. Services in name order.
 */
export function serviceEnvVars(
  services: readonly ServiceEntry[],
  namespace: string,
  enableServiceLinks: boolean,
): [string, string][] {
  const visible = new Map<string, ServiceEntry>();
  for (const s of services) {
    const { name, namespace: ns } = s.service.metadata;
    if (s.clusterIP === '' || s.clusterIP === 'None') continue;
    if (ns === 'default' && name === 'kubernetes') {
      if (!visible.has(name)) visible.set(name, s);
    } else if (ns === namespace && enableServiceLinks) visible.set(name, s);
  }
  const out: [string, string][] = [];
  for (const name of [...visible.keys()].sort()) {
    const s = visible.get(name)!;
    const ports = s.service.spec.ports ?? [];
    const prefix = envName(name);
    const ip = s.clusterIP;
    out.push([`${prefix}_SERVICE_HOST`, ip]);
    if (ports[0]) out.push([`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
    for (const p of ports)
      if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    // Docker link variables; the first port also gets the bare `<NAME>_PORT`.
    ports.forEach((p, i) => {
      const proto = p.protocol.toLowerCase();
      const url = `${proto}://${ip}:${p.port}`;
      if (i === 0) out.push([`${prefix}_PORT`, url]);
      const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.push([pp, url], [`${pp}_PROTO`, proto], [`${pp}_PORT`, String(p.port)], [`${pp}_ADDR`, ip]);
    });
  }
  return out;
}

/** envvars makeEnvVariableName: upper case, `-` to `_`. */
function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase();
}

/**
 * `$(VAR)` expansion (third_party/forked/golang/expansion): a known name becomes its value, an
 * unknown one stays `$(VAR)`, `$$` is a literal `$`, an unclosed `$(` and any other `$x` stay.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  if (!input.includes('$')) return input;
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1]!;
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close === -1) {
        out += '$(';
        i += 2;
      } else {
        const name = input.slice(i + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}

/** The container's command and args with `$(VAR)` expanded against `env` (the image's entrypoint and cmd are not). */
export function expandCommand(
  container: Container,
  env: readonly (readonly [string, string])[],
): { command?: string[]; args?: string[] } {
  const vars = new Map(env);
  const lookup = (name: string) => vars.get(name);
  const out: { command?: string[]; args?: string[] } = {};
  if (container.command) out.command = container.command.map((s) => expand(s, lookup));
  if (container.args) out.args = container.args.map((s) => expand(s, lookup));
  return out;
}
