import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type LoadResult, loadManifests, renderError } from '../../src/manifest/index.ts';

const dir = new URL('../fixtures/course/', import.meta.url);
const course = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));

/** Loads and checks the invariants every result must keep. */
function check(text: string): LoadResult {
  const r = loadManifests(text, { file: 'p.yaml' });
  expect(r.objects.length + r.rejected.length).toBeGreaterThan(0);
  expect(r.objects.length).toBeLessThanOrEqual(50);
  for (const e of r.errors) {
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(typeof renderError(e, text)).toBe('string');
  }
  for (const o of r.objects) {
    expect(['Pod', 'Service']).toContain(o.kind);
    expect(o.positionOf('spec.containers[0].livenessProbe.exec').line).toBeGreaterThanOrEqual(1);
  }
  return r;
}

type Mutation = { at: number; op: 'delete' | 'insert' | 'dupLine' | 'indent' | 'dedent'; text: string };

function mutate(src: string, ms: Mutation[]): string {
  let s = src;
  for (const m of ms) {
    const at = s.length === 0 ? 0 : m.at % s.length;
    const lineStart = s.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = s.indexOf('\n', at) === -1 ? s.length : s.indexOf('\n', at);
    if (m.op === 'delete') s = s.slice(0, at) + s.slice(at + 1 + (m.text.length % 5));
    else if (m.op === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.op === 'dupLine')
      s = `${s.slice(0, lineEnd)}\n${s.slice(lineStart, lineEnd)}${s.slice(lineEnd)}`;
    else if (m.op === 'indent') s = `${s.slice(0, lineStart)}  ${s.slice(lineStart)}`;
    else s = s.slice(0, lineStart) + s.slice(lineStart).replace(/^ {1,2}/, '');
  }
  return s;
}

const yamlChars = fc.constantFrom(
  ...' \n-:[]{},&*!|>#\'"%@`?abcxyz019.'.split(''),
  'apiVersion: v1\n',
  'kind: Pod\n',
  '<<: ',
  '---\n',
);
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('delete', 'insert', 'dupLine', 'indent', 'dedent'),
  text: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('- ', ': ', '\n', '"', '&a ', '*a', '[', '{', '0x1F', 'yes', '~'),
  ),
});

describe('loadManifests never throws and stays bounded', () => {
  it('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        check(s);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary YAML-ish text', () => {
    fc.assert(
      fc.property(fc.array(yamlChars, { maxLength: 200 }), (parts) => {
        check(parts.join(''));
      }),
      { numRuns: 200 },
    );
  });

  it('mutated course manifests', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...course),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (src, ms) => {
          check(mutate(src, ms));
        },
      ),
      { numRuns: 250 },
    );
  });

  it('Pods built from arbitrary JSON values, as the API server sees them', () => {
    const value = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('containers', 'initContainers', 'restartPolicy', 'volumes', 'dnsPolicy', 'foo'),
          value,
        ),
        fc.array(
          fc.dictionary(
            fc.constantFrom(
              'name',
              'image',
              'ports',
              'livenessProbe',
              'lifecycle',
              'env',
              'restartPolicy',
              'x',
            ),
            value,
          ),
          { maxLength: 3 },
        ),
        (spec, containers) => {
          const doc = {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p' },
            spec: { ...spec, containers },
          };
          check(stringify(doc));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same text gives the same result', () => {
    fc.assert(
      fc.property(fc.constantFrom(...course), fc.array(mutation, { maxLength: 3 }), (src, ms) => {
        const text = mutate(src, ms);
        const a = loadManifests(text, { file: 'p.yaml' });
        const b = loadManifests(text, { file: 'p.yaml' });
        expect(JSON.stringify({ ...a, objects: a.objects.map((o) => o.raw) })).toBe(
          JSON.stringify({ ...b, objects: b.objects.map((o) => o.raw) }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('pathological inputs end with a limit error, not a crash', () => {
    const cases = [
      '['.repeat(100000),
      '{a: '.repeat(20000),
      '- '.repeat(50000),
      `a: &a ${'[*a, '.repeat(10)}`,
      `k: "${'\\u0041'.repeat(20000)}"`,
      Array.from({ length: 3000 }, () => '---').join('\n'),
      `a:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}b${i}:`).join('\n')}`,
    ];
    for (const text of cases) {
      const r = loadManifests(text, { file: 'p.yaml', maxBytes: 262144 });
      expect(r.rejected.length + r.objects.length).toBeGreaterThan(0);
    }
  });
});
