/** Shared helpers for the manifest tests. */
import { type LoadResult, loadManifests } from '../../src/manifest/index.ts';

/** A valid Pod whose first container gets `extra` (YAML lines indented under the container). */
export function pod(
  opts: { container?: string; spec?: string; meta?: string; init?: string; name?: string } = {},
): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${opts.name ?? 'web'}`,
    ...(opts.meta ? [opts.meta] : []),
    'spec:',
    '  containers:',
    '    - name: web',
    '      image: nginx:1.17.10-alpine',
    ...(opts.container ? [opts.container] : []),
    ...(opts.init ? ['  initContainers:', opts.init] : []),
    ...(opts.spec ? [opts.spec] : []),
    '',
  ].join('\n');
}

/** Loads `text` as `x.yaml`. */
export function load(text: string, operation: 'apply' | 'create' = 'apply'): LoadResult {
  return loadManifests(text, { file: 'x.yaml', operation });
}

/** kubectl's text for the single rejected document (throws when not exactly one). */
export function rejection(text: string): string {
  const r = load(text);
  if (r.rejected.length !== 1)
    throw new Error(`expected one rejection, got ${r.rejected.length}: ${JSON.stringify(r.rejected)}`);
  return r.rejected[0]!.text;
}
