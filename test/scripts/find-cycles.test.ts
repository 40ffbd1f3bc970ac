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

// Issue 17: no import cycle in the pure core (the runtime's applets, kernel and shell included).
describe('the pure core', () => {
  for (const dir of ['src', 'graders']) {
    it(`${dir}/ has no import cycle`, () => {
      const root = resolve(import.meta.dirname, '../..', dir);
      expect(findCycles(importGraph(tsFiles(root)))).toEqual([]);
    });
  }
});
