/**
 * `npm run gen:schema`: derives the COMPLETE Kubernetes 1.33 Pod and Service schema from the
 * official generated models of `@kubernetes/client-node` 1.3.0 ("OpenAPI spec version: v1.33.0")
 * and writes `src/manifest/k8s-schema.generated.json` (compact, deterministic key order).
 *
 * Each model class has a static `attributeTypeMap` of `{ name, baseName, type, format }`; `baseName`
 * is the JSON field name. The closure of V1Pod and V1Service is walked and every type is
 * translated into a small type language the strict decoder reads:
 *   string | bytes | bool | int32 | int64 | float64 | intstr | quantity | time | any | []T | map[string]T | <Struct>
 * Structs are named as the Go type (`V1Probe` -> `Probe`), because the API server's
 * `json: cannot unmarshal ...` messages name the Go struct.
 *
 * Also written: `kinds`, the group/version of every kind the API serves, read from the generated
 * API classes (`create<Namespaced>X` request paths and the model they deserialize), so that a real
 * kind podlab does not simulate is told apart from a kind that does not exist.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
type ModelClass = { getAttributeTypeMap(): Attribute[] };

/**
 * The generated TypeScript models erase `resource.Quantity` to `string` (the OpenAPI type is a
 * string with a custom unmarshaller that also accepts JSON numbers, so `cpu: 1` is valid). These
 * are the Quantity-typed fields in the Pod/Service closure, per the OpenAPI definitions
 * (`io.k8s.apimachinery.pkg.api.resource.Quantity`); the generator checks each one exists and is
 * string-typed in the models, so a typo or an upstream change fails loudly.
 */
const QUANTITY_FIELDS: Record<string, string[]> = {
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V1PodSpec: ['overhead'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1ResourceFieldSelector: ['divisor'],
  V1ContainerStatus: ['allocatedResources'],
};

/** Go type name of a generated model: `V1Probe` -> `Probe`, `CoreV1EndpointPort` -> `EndpointPort`. */
function goName(model: string): string {
  return model.replace(/^(Core)?V\d+((alpha|beta)\d+)?/, '');
}

/** The schema document written to `src/manifest/k8s-schema.generated.json`. */
export interface GeneratedSchema {
  source: string;
  roots: Record<string, string>;
  types: Record<string, Record<string, string>>;
  kinds: Record<string, string[]>;
}

function modelClass(name: string): ModelClass {
  const cls = (k8s as unknown as Record<string, ModelClass | undefined>)[name];
  if (!cls || typeof cls.getAttributeTypeMap !== 'function') throw new Error(`no generated model ${name}`);
  return cls;
}

function translate(owner: string, attr: Attribute, queue: string[]): string {
  const quantity = QUANTITY_FIELDS[owner]?.includes(attr.baseName) ?? false;
  const t = attr.type;
  const scalar = (type: string, format: string): string => {
    if (type === 'string') {
      // []byte in Go (Secret.data, ConfigMap.binaryData): base64 text in JSON.
      if (format === 'byte') return 'bytes';
      return quantity ? 'quantity' : 'string';
    }
    if (type === 'boolean') return 'bool';
    if (type === 'number') {
      if (format === 'int32') return 'int32';
      if (format === 'int64') return 'int64';
      if (format === 'double' || format === 'float') return 'float64';
      throw new Error(`${owner}.${attr.baseName}: number without known format "${format}"`);
    }
    if (type === 'Date') return 'time';
    if (type === 'IntOrString') return 'intstr';
    // FieldsV1 (managedFields[].fieldsV1) is free-form JSON in the API.
    if (type === 'any') return 'any';
    if (/^[A-Za-z0-9]+$/.test(type) && /^(Core)?V\d/.test(type)) {
      queue.push(type);
      return goName(type);
    }
    throw new Error(`${owner}.${attr.baseName}: unsupported type "${type}"`);
  };
  const arr = /^Array<(.+)>$/.exec(t);
  if (arr) return `[]${scalar(arr[1]!, attr.format)}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  if (map) return `map[string]${scalar(map[1]!, attr.format)}`;
  if (quantity && t !== 'string')
    throw new Error(`${owner}.${attr.baseName} is listed as Quantity but typed ${t}`);
  return scalar(t, attr.format);
}

export function walkTypes(roots: string[]): Record<string, Record<string, string>> {
  const types: Record<string, Record<string, string>> = {};
  const owners: Record<string, string> = {};
  const queue = [...roots];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const model = queue.shift()!;
    if (seen.has(model)) continue;
    seen.add(model);
    const name = goName(model);
    if (owners[name] && owners[name] !== model)
      throw new Error(`Go name collision: ${model} and ${owners[name]}`);
    owners[name] = model;
    const fields: Record<string, string> = {};
    for (const attr of modelClass(model).getAttributeTypeMap())
      fields[attr.baseName] = translate(model, attr, queue);
    types[name] = fields;
  }
  for (const [model, fields] of Object.entries(QUANTITY_FIELDS)) {
    if (!seen.has(model)) throw new Error(`QUANTITY_FIELDS names ${model}, which is not in the closure`);
    for (const f of fields) {
      const t = types[goName(model)]![f];
      if (!t?.includes('quantity')) throw new Error(`QUANTITY_FIELDS: ${model}.${f} is not a string field`);
    }
  }
  return types;
}

/** group/version -> sorted kinds, from the generated API classes' create requests. */
function servedKinds(): Record<string, string[]> {
  const require = createRequire(import.meta.url);
  const pkgMain = require.resolve('@kubernetes/client-node');
  const apiDir = join(dirname(pkgMain), 'gen', 'apis');
  const out: Record<string, Set<string>> = {};
  for (const file of readdirSync(apiDir).sort()) {
    if (!/V\d+((alpha|beta)\d+)?Api\.js$/.test(file)) continue;
    const src = readFileSync(join(apiDir, file), 'utf8');
    const request =
      /async (create(?:Namespaced)?\w+?)\([^)]*\)\s*\{[\s\S]*?localVarPath = '(\/(?:api|apis\/([^/]+))\/(v[^/]+)\/[^']*)'/g;
    for (const m of src.matchAll(request)) {
      const method = m[1]!;
      // Subresource requests (pods/{name}/eviction, .../binding, .../token) create other kinds.
      if (m[2]!.includes('{name}')) continue;
      const group = m[3] ?? '';
      const version = m[4]!;
      const resp = new RegExp(
        `${method}WithHttpInfo\\(response\\)[\\s\\S]*?deserialize\\(.*?, "([A-Za-z0-9]+)", ""\\)`,
      ).exec(src);
      if (!resp) continue;
      const model = resp[1]!;
      const kind = model.replace(/^[A-Za-z]*?V\d+((alpha|beta)\d+)?(?=[A-Z])/, '');
      const gv = group ? `${group}/${version}` : version;
      const set = out[gv] ?? new Set<string>();
      set.add(kind);
      out[gv] = set;
    }
  }
  const sorted: Record<string, string[]> = {};
  for (const gv of Object.keys(out).sort()) sorted[gv] = [...out[gv]!].sort();
  return sorted;
}

/** Builds the schema document from the installed models (deterministic). */
export function generateSchema(): GeneratedSchema {
  const types = walkTypes(['V1Pod', 'V1Service', 'V1ConfigMap', 'V1Secret', 'V1Job']);
  const sortedTypes: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(types).sort()) {
    const fields = types[name]!;
    const sortedFields: Record<string, string> = {};
    for (const f of Object.keys(fields).sort()) sortedFields[f] = fields[f]!;
    sortedTypes[name] = sortedFields;
  }
  return {
    source: '@kubernetes/client-node 1.3.0 generated models (OpenAPI spec version: v1.33.0)',
    roots: { Pod: 'Pod', Service: 'Service', ConfigMap: 'ConfigMap', Secret: 'Secret', Job: 'Job' },
    types: sortedTypes,
    kinds: servedKinds(),
  };
}

/** The file text: one type per line, so diffs stay readable. */
export function renderSchema(schema: GeneratedSchema): string {
  const lines = [
    '{',
    `"source":${JSON.stringify(schema.source)},`,
    `"roots":${JSON.stringify(schema.roots)},`,
    '"types":{',
    Object.entries(schema.types)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(',\n'),
    '},',
    '"kinds":{',
    Object.entries(schema.kinds)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(',\n'),
    '}',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** Where the generated file lives. */
export const SCHEMA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'manifest',
  'k8s-schema.generated.json',
);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderSchema(generateSchema());
  writeFileSync(SCHEMA_PATH, text);
  console.log(`wrote ${SCHEMA_PATH} (${text.length} bytes)`);
}
