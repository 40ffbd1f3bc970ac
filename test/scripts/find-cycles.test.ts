import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph, tsFiles } from '../../scripts/find-cycles.ts';

describe('findCycles', () => {
  const cases: { name: string; edges: [string, string[]][]; want: string[][] }[] = [
    {
      name: 'a chain has none',
      edges: [
        ['a', ['b']],
        ['b', ['c']],
        ['c', []],
      ],
      want: [],
    },
    {
      name: 'two files importing each other',
      edges: [
        ['b', ['a']],
        ['a', ['b']],
      ],
      want: [['a', 'b']],
    },
    {
      name: 'a three-file ring, reported once from its smallest file',
      edges: [
        ['c', ['a']],
        ['a', ['b']],
        ['b', ['c']],
      ],
      want: [['a', 'b', 'c']],
    },
    { name: 'a self import', edges: [['a', ['a']]], want: [['a']] },
  ];
  for (const { name, edges, want } of cases) {
    it(name, () => expect(findCycles(new Map(edges))).toEqual(want));
  }
});

describe('src/manifest', () => {
  it('has no import cycle (yaml.ts and fastyaml.ts share yaml-types.ts)', () => {
    const root = resolve(import.meta.dirname, '../../src/manifest');
    expect(findCycles(importGraph(tsFiles(root)))).toEqual([]);
  });
});
