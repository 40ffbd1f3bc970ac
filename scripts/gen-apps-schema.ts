/**
 * `node --import ./bin/typescript.mjs scripts/gen-apps-schema.ts`: the apps/v1 Deployment and ReplicaSet schema, from the same
 * `@kubernetes/client-node` 1.3.0 models as `gen-k8s-schema.ts` (OpenAPI v1.33.0), written to
 * `src/manifest/apps-schema.generated.json`. A file of its own, so the core schema (Pod, Service
 * and the kinds other chapters add) is not regenerated for it. `kinds` is left empty: the core
 * file lists what the API serves.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GeneratedSchema, renderSchema, walkTypes } from './gen-k8s-schema.ts';

/** Builds the apps/v1 schema document (deterministic). */
export function generateAppsSchema(): GeneratedSchema {
  // V1Pod too: the Quantity check of walkTypes expects the whole Pod closure (ContainerStatus).
  const types = walkTypes(['V1Deployment', 'V1ReplicaSet', 'V1Pod']);
  const sorted: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(types).sort()) {
    const fields = types[name]!;
    const sortedFields: Record<string, string> = {};
    for (const f of Object.keys(fields).sort()) sortedFields[f] = fields[f]!;
    sorted[name] = sortedFields;
  }
  return {
    source: '@kubernetes/client-node 1.3.0 generated models (OpenAPI spec version: v1.33.0)',
    roots: { Deployment: 'Deployment', ReplicaSet: 'ReplicaSet' },
    types: sorted,
    kinds: {},
  };
}

/** Where the generated file lives. */
export const APPS_SCHEMA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'manifest',
  'apps-schema.generated.json',
);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderSchema(generateAppsSchema());
  writeFileSync(APPS_SCHEMA_PATH, text);
  console.log(`wrote ${APPS_SCHEMA_PATH} (${text.length} bytes)`);
}
