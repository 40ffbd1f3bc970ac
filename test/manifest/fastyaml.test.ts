import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fastReadYaml } from '../../src/manifest/fastyaml.ts';
import { LIMITS } from '../../src/manifest/index.ts';
import { positionFinder, readYamlWith, type YamlResult } from '../../src/manifest/yaml.ts';
import { pod } from './helpers.ts';

const dir = new URL('../fixtures/course/', import.meta.url);
const course = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));

function normal(r: YamlResult): unknown {
  return {
    problem: r.problem,
    documents: r.documents.map((d) => ({
      index: d.index,
      value: d.value,
      start: d.start,
      positions: Object.fromEntries([...d.positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      duplicates: d.duplicates,
    })),
  };
}

/** The fast reader must give exactly what the yaml package gives, or step aside. */
function same(text: string): boolean {
  const fast = readYamlWith(text, LIMITS, true);
  const slow = readYamlWith(text, LIMITS, false);
  expect(normal(fast)).toEqual(normal(slow));
  return fastReadYaml(text, LIMITS, positionFinder(text)) !== undefined;
}

const samples = [
  ...course,
  pod({
    container:
      "      ports:\n        - {name: http, containerPort: 80}\n      env: [{name: A, value: \"x: y\"}, {name: B, value: 'it''s'}]",
  }),
  'a: 1\nb:\n- x\n- y\nc: {d: [1, -2, "3"], e: yes, f: ~}\n# comment\n---\n---\n- - a\n  - b\n- k: v\n  l: w # trailing\n',
  'key:   spaced   \n"quoted key": \'v\'\nurl: http://example.com:8080/a#b\nn: 0\nneg: -7\nempty:\n',
  'a: "\\u00e9\\n\\t\\"x\\""\nb: \'a\'\'b\'\n',
  'x: [a, [b, {c: d}], {}]\ny: []\n',
  'r:\n  limits: {cpu: 500m, memory: 128Mi}\nv: 1.17.10\n',
];

// Inputs where the two readers once differed (kept as regressions).
const regressions = [
  'ports:\n    - protocol: TCP\n      port: - 80\n',
  '    z: [1, 2]\n    z: [1, 2]\n',
  '- e1: null\n- null\n- - {}\n',
  '- ""#x\n',
  "a: 'b'#c\n",
  'a: [b]#c\n',
];

const atoms = [
  'a',
  'b',
  ':',
  ': ',
  ' ',
  '  ',
  '\n',
  '- ',
  '-',
  '#',
  ' #',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '1',
  '0',
  '-1',
  'yes',
  '~',
  'e1',
  '\\',
  'é',
  '---\n',
  '.5',
  '_',
  'x y',
  '\n  ',
  '\n    ',
  '\n- ',
  '?',
  '*',
  '&',
  '!',
  '|',
  '>',
  '%',
];

const fragments = [
  'a: 1\n',
  'b:\n',
  '  c: 2\n',
  '- x\n',
  '  - y\n',
  '- k: v\n',
  '    z: [1, 2]\n',
  'd: {e: f}\n',
  '---\n',
  '# c\n',
  'e: "q"\n',
  "f: 'q'\n",
  'g: yes\n',
  'h: 012\n',
  'i: 1.5\n',
  'j: &a x\n',
  'k: *a\n',
  'l: |\n  text\n',
  'm: a b\n  c\n',
  '  \n',
  'n: [a,\n  b]\n',
  'o: a: b\n',
  '? p\n',
  'q: -\n',
  '-\n',
  'r: {s}\n',
  't: [u: v]\n',
  '"w": 1\n',
  'x:y\n',
  'y: b #c\n',
  '<<: {a: 1}\n',
  'z: ~\n',
];

describe('fast YAML reader', () => {
  it('reads the course manifests and typical manifests itself, exactly as the yaml package', () => {
    for (const s of samples) expect(same(s)).toBe(true);
    for (const s of regressions) same(s);
  });

  it('equals the yaml package (or steps aside) on token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { maxLength: 40 }), (parts) => {
        same(parts.join(''));
      }),
      { numRuns: 1000 },
    );
  });

  it('equals the yaml package (or steps aside) on generated block YAML', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 12 }), (parts) => {
        same(parts.join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('equals the yaml package on stringified JSON values', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), { minKeys: 1 }),
        (obj) => {
          same(stringify(obj));
          same(stringify(obj, { collectionStyle: 'flow' }));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('equals the yaml package on mutated course manifests', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...course),
        fc.nat(),
        fc.constantFrom('', ' ', '  ', '- ', ': ', '#', '"', "'", '[', '{', ',', '\n', 'x'),
        (src, at, ins) => {
          const k = at % (src.length + 1);
          same(src.slice(0, k) + ins + src.slice(k));
          same(src.slice(0, k) + src.slice(k + 1));
        },
      ),
      { numRuns: 300 },
    );
  });
});
