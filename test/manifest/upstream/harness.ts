/**
 * Shared harness of the upstream-derived validation suites: a row names its upstream test
 * function and case (`TestValidateVolumes/"secret without secretName"`), builds a small
 * manifest (a JS object written as JSON, which is YAML) and gives the exact causes kubectl
 * prints, or none when the API server accepts it. Upstream's tables check the error type and
 * field; the texts here come from validation.go (release-1.33).
 */
import { expect, it } from 'vitest';
import { type LoadResult, loadManifests } from '../../../src/manifest/index.ts';

type Json = Record<string, unknown>;

/** One case: name, manifest, the causes in order ([] = accepted). */
export type Row = [name: string, manifest: Json, causes: string[]];

/** A valid Pod (upstream's podtest.MakePod shape: one container, defaults filled in later). */
export function pod(spec: Json = {}, meta: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: '123', namespace: 'ns', ...meta },
    spec: {
      containers: [
        { name: 'ctr', image: 'image', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' },
      ],
      ...spec,
    },
  };
}

/** A valid Pod whose first container gets `fields`. */
export function podWithContainer(fields: Json, spec: Json = {}): Json {
  const p = pod(spec);
  const c = (p.spec as Json).containers as Json[];
  c[0] = { ...c[0], ...fields };
  return p;
}

/** A Pod with one volume (and nothing mounting it). */
export function podWithVolume(volume: Json): Json {
  return pod({ volumes: [volume] });
}

/** upstream's makeValidService: a ClusterIP Service `valid` in `valid` with one TCP port. */
export function service(spec: Json = {}, meta: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'valid', namespace: 'valid', ...meta },
    spec: {
      selector: { key: 'val' },
      ports: [{ name: 'p', protocol: 'TCP', port: 8675, targetPort: 8675 }],
      ...spec,
    },
  };
}

/** Loads the manifests as one file `x.yaml` (a real apply unless `dryRun`). */
export function loadJson(docs: Json[], dryRun = false): LoadResult {
  const text = docs.map((d) => JSON.stringify(d)).join('\n---\n');
  return loadManifests(text, { file: 'x.yaml', operation: 'apply', dryRun });
}

/** kubectl's text for a 422 with these causes (helpers.go: one on the line, several as `* `). */
export function invalidText(kind: string, name: string, causes: string[]): string {
  const head = `The ${kind} "${name}" is invalid: `;
  return causes.length === 1 ? head + causes[0] : [head, ...causes.map((c) => `* ${c}`)].join('\n');
}

/** What loading the manifest gives: `accepted`, or kubectl's text for the one rejection. */
export function outcome(manifest: Json, dryRun = false): string {
  const r = loadJson([manifest], dryRun);
  if (r.rejected.length === 0) return 'accepted';
  return r.rejected.map((x) => x.text).join('\n');
}

/** Registers the rows as tests. */
export function rows(list: Row[], dryRun = false): void {
  for (const [name, manifest, causes] of list) {
    it(name, () => {
      const meta = manifest.metadata as Json;
      const want =
        causes.length === 0 ? 'accepted' : invalidText(String(manifest.kind), String(meta.name), causes);
      expect(outcome(manifest, dryRun)).toBe(want);
    });
  }
}

/** validation.go's message texts the Pod tables share (k8s.io/apimachinery/pkg/util/validation). */
export const MSG = {
  labelValue:
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  qualifiedNamePart:
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  dnsLabel:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  dnsSubdomain:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ip: 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  idRange: 'must be between 0 and 2147483647, inclusive',
};
