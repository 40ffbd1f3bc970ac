/**
 * The keys of objects in the Trace (`ObjectRecord.key`, the graders' indexes): `<Kind>/<namespace>/<name>`,
 * as in SimEvent.object without the namespace. One definition for the simulator, its queries and the graders.
 */

/** `Pod/<namespace>/<name>`. */
export function podKey(namespace: string, name: string): string {
  return `Pod/${namespace}/${name}`;
}

/** `Service/<namespace>/<name>`. */
export function serviceKey(namespace: string, name: string): string {
  return `Service/${namespace}/${name}`;
}
