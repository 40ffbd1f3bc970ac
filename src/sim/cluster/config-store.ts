/**
 * The API server's ConfigMaps and Secrets: created by the submission and by `apply` actions,
 * updated by a later `apply` (refused for an `immutable` one, as ValidateConfigMapUpdate and
 * ValidateSecretUpdate of k/k pkg/apis/core/validation/validation.go refuse it), removed by
 * `delete`. Objects arrive validated and defaulted by the manifest loader.
 */
import { type FieldError, forbidden, invalid, invalidText } from '../../errors/field.ts';
import { base64Decode, utf8Text } from '../../manifest/base64.ts';
import type { ConfigMap, Secret } from '../../model/k8s.ts';
import { stableJson } from '../util.ts';

/** A stored ConfigMap or Secret. */
export type ConfigObject = ConfigMap | Secret;

/** What a kubelet reads: the object's keys with their values as text (a Secret's bytes decoded). */
export interface ConfigData {
  kind: 'ConfigMap' | 'Secret';
  /** `data` (ConfigMap: text; Secret: the decoded bytes as UTF-8 text), in key order. */
  data: Map<string, string>;
  /** ConfigMap `binaryData` decoded (volumes only; env never reads it). */
  binaryData: Map<string, Uint8Array>;
}

const IMMUTABLE = 'field is immutable when `immutable` is set';

function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The causes ValidateConfigMapUpdate / ValidateSecretUpdate give for `next` replacing `old`. */
function updateErrors(next: ConfigObject, old: ConfigObject): FieldError[] {
  const errors: FieldError[] = [];
  if (next.kind === 'Secret' && old.kind === 'Secret' && next.type !== old.type) {
    errors.push(invalid('type', next.type, 'field is immutable'));
  }
  if (old.immutable !== true) return errors;
  if (next.immutable !== true) errors.push(forbidden('immutable', IMMUTABLE));
  if (stableJson(next.data ?? {}) !== stableJson(old.data ?? {})) errors.push(forbidden('data', IMMUTABLE));
  if (
    next.kind === 'ConfigMap' &&
    old.kind === 'ConfigMap' &&
    stableJson(next.binaryData ?? {}) !== stableJson(old.binaryData ?? {})
  ) {
    errors.push(forbidden('binaryData', IMMUTABLE));
  }
  return errors;
}

/** The store of ConfigMaps and Secrets by kind, namespace and name. */
export class ConfigStore {
  private objects = new Map<string, ConfigObject>();

  /** kubectl apply: `configmap/x created|configured|unchanged`, or kubectl's Invalid text. */
  apply(obj: ConfigObject): { out?: string; err?: string } {
    const { name, namespace } = obj.metadata;
    const key = keyOf(obj.kind, namespace, name);
    const resource = `${obj.kind.toLowerCase()}/${name}`;
    const old = this.objects.get(key);
    if (!old) {
      this.objects.set(key, obj);
      return { out: `${resource} created` };
    }
    const errors = updateErrors(obj, old);
    if (errors.length > 0) return { err: invalidText(obj.kind, name, errors) };
    if (stableJson(obj) === stableJson(old)) return { out: `${resource} unchanged` };
    this.objects.set(key, obj);
    return { out: `${resource} configured` };
  }

  /** kubectl delete: true when it existed. */
  delete(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): boolean {
    return this.objects.delete(keyOf(kind, namespace, name));
  }

  /** The object's keys now, or undefined when it does not exist. */
  read(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): ConfigData | undefined {
    const o = this.objects.get(keyOf(kind, namespace, name));
    if (!o) return undefined;
    const data = new Map<string, string>();
    const binaryData = new Map<string, Uint8Array>();
    for (const k of Object.keys(o.data ?? {}).sort()) {
      const v = o.data![k]!;
      data.set(k, o.kind === 'Secret' ? utf8Text(base64Decode(v)) : v);
    }
    if (o.kind === 'ConfigMap') {
      for (const k of Object.keys(o.binaryData ?? {}).sort())
        binaryData.set(k, base64Decode(o.binaryData![k]!));
    }
    return { kind: o.kind, data, binaryData };
  }
}
