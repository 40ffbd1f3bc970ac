/**
 * API validation of a v1 ConfigMap and Secret after decoding and conversion, with the words of
 * k/k:pkg/apis/core/validation/validation.go (release-1.33): ValidateConfigMap, ValidateSecret,
 * and apimachinery's validation.IsConfigMapKey. Go walks the data maps in random order; podlab
 * walks keys sorted, so the causes come in one order (docs/deviations.md).
 */
import { type FieldError, invalid, required, tooLong } from '../../errors/field.ts';
import { base64Decode, utf8Bytes } from '../base64.ts';
import {
  isDNS1123Subdomain,
  type Obj,
  obj,
  str,
  type ValidationResult,
  validateObjectMeta,
} from './common.ts';
import { isConfigMapKey } from './containers.ts';

/** core.MaxSecretSize: 1 MiB, the limit of a ConfigMap's and a Secret's data together. */
export const MAX_SECRET_SIZE = 1024 * 1024;

function stringMap(v: unknown): [string, string][] {
  const m = obj(v) ?? {};
  return Object.keys(m)
    .sort()
    .map((k) => [k, str(m[k])]);
}

function keyErrors(field: string, key: string): FieldError[] {
  return isConfigMapKey(key).map((m) => invalid(`${field}[${key}]`, key, m));
}

/** ValidateConfigMap: metadata, keys of data and binaryData, no key in both, 1 MiB in all. */
export function validateConfigMap(cm: Obj): ValidationResult {
  const errors = validateObjectMeta(obj(cm.metadata) ?? {}, isDNS1123Subdomain);
  const binary = obj(cm.binaryData) ?? {};
  let total = 0;
  for (const [key, value] of stringMap(cm.data)) {
    errors.push(...keyErrors('data', key));
    if (key in binary) errors.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += utf8Bytes(value).length;
  }
  for (const [key, value] of stringMap(cm.binaryData)) {
    errors.push(...keyErrors('binaryData', key));
    total += base64Decode(value).length;
  }
  // field.TooLong(field.NewPath(""), cfg, ...): the empty path, the error is the object's.
  if (total > MAX_SECRET_SIZE) errors.push(tooLong('', MAX_SECRET_SIZE));
  return { errors, warnings: [] };
}

/** The keys each built-in Secret type requires (ValidateSecret's switch on secret.Type). */
function typedSecretErrors(type: string, data: Map<string, number>, meta: Obj): FieldError[] {
  const req = (key: string) => required(`data[${key}]`);
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const annotations = obj(meta.annotations) ?? {};
      const name = 'kubernetes.io/service-account.name';
      return str(annotations[name]) === '' ? [required(`metadata.annotations[${name}]`)] : [];
    }
    case 'kubernetes.io/dockercfg':
      return data.has('.dockercfg') ? [] : [req('.dockercfg')];
    case 'kubernetes.io/dockerconfigjson':
      return data.has('.dockerconfigjson') ? [] : [req('.dockerconfigjson')];
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be present.
      return data.has('username') || data.has('password') ? [] : [req('username'), req('password')];
    case 'kubernetes.io/ssh-auth':
      return (data.get('ssh-privatekey') ?? 0) > 0 ? [] : [req('ssh-privatekey')];
    case 'kubernetes.io/tls':
      return ['tls.crt', 'tls.key'].filter((k) => !data.has(k)).map(req);
    default:
      return [];
  }
}

/**
 * ValidateSecret (on the object after conversion: stringData merged into data): metadata, keys,
 * the 1 MiB limit of data, the keys each built-in type requires. Not checked: that `.dockercfg`
 * and `.dockerconfigjson` hold JSON (docs/deviations.md).
 */
export function validateSecret(secret: Obj): ValidationResult {
  const meta = obj(secret.metadata) ?? {};
  const errors = validateObjectMeta(meta, isDNS1123Subdomain);
  const sizes = new Map<string, number>();
  let total = 0;
  for (const [key, value] of stringMap(secret.data)) {
    errors.push(...keyErrors('data', key));
    const size = base64Decode(value).length;
    sizes.set(key, size);
    total += size;
  }
  if (total > MAX_SECRET_SIZE) errors.push(tooLong('data', MAX_SECRET_SIZE));
  errors.push(...typedSecretErrors(str(secret.type), sizes, meta));
  return { errors, warnings: [] };
}
