/**
 * Field paths of `manifest` checks: `spec.containers[0].livenessProbe.tcpSocket.port`,
 * with `[index]` and `[name=x]` (the list element whose `name` is x; any key works: `[port=80]`).
 */

/** One step of a path. */
export type PathStep =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'match'; key: string; value: string };

/** Parses a path; returns an error message for a malformed one. */
export function parseFieldPath(
  path: string,
): { ok: true; steps: PathStep[] } | { ok: false; message: string } {
  const steps: PathStep[] = [];
  let i = 0;
  const bad = (why: string) => ({ ok: false as const, message: `invalid path "${path}": ${why}` });
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === '[') {
      const end = path.indexOf(']', i);
      if (end === -1) return bad('missing "]"');
      const inner = path.slice(i + 1, end);
      if (/^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else {
        const eq = inner.indexOf('=');
        if (eq <= 0) return bad(`"[${inner}]" is neither [index] nor [key=value]`);
        steps.push({ kind: 'match', key: inner.slice(0, eq), value: inner.slice(eq + 1) });
      }
      i = end + 1;
      if (i < path.length && path[i] === '.') {
        i++;
        if (i === path.length) return bad('ends with "."');
      }
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    const key = path.slice(i, j);
    if (key === '') return bad('empty field name');
    steps.push({ kind: 'key', key });
    i = j;
    if (path[i] === '.') {
      i++;
      if (i === path.length) return bad('ends with "."');
    }
  }
  if (steps.length === 0) return bad('empty path');
  return { ok: true, steps };
}

/** The value at `steps` inside `root`, or `{found: false}` with the longest path that exists. */
export function lookup(
  root: unknown,
  steps: PathStep[],
): { found: true; value: unknown } | { found: false; missingAt: number } {
  let v: unknown = root;
  for (let n = 0; n < steps.length; n++) {
    const step = steps[n]!;
    if (step.kind === 'key') {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, step.key))
        return { found: false, missingAt: n };
      v = (v as Record<string, unknown>)[step.key];
    } else if (step.kind === 'index') {
      if (!Array.isArray(v) || step.index >= v.length) return { found: false, missingAt: n };
      v = v[step.index];
    } else {
      if (!Array.isArray(v)) return { found: false, missingAt: n };
      const hit = v.find(
        (el) =>
          el !== null &&
          typeof el === 'object' &&
          String((el as Record<string, unknown>)[step.key]) === step.value,
      );
      if (hit === undefined) return { found: false, missingAt: n };
      v = hit;
    }
    if (v === undefined) return { found: false, missingAt: n };
  }
  return { found: true, value: v };
}

/** Renders steps back to text (used in messages). */
export function formatSteps(steps: PathStep[]): string {
  let out = '';
  for (const s of steps) {
    if (s.kind === 'key') out += out === '' ? s.key : `.${s.key}`;
    else if (s.kind === 'index') out += `[${s.index}]`;
    else out += `[${s.key}=${s.value}]`;
  }
  return out;
}

/** Deep equality of plain JSON data; numbers and numeric strings stay distinct. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
