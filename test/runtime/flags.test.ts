import { describe, expect, it } from 'vitest';
import { type FlagSpec, flags } from '../../src/sim/runtime/applet.ts';

describe('flags(), the runtime’s one option parser', () => {
  const rows: {
    name: string;
    argv: string[];
    spec?: string | FlagSpec;
    opts?: [string, string][];
    rest: string[];
    unknown?: string;
  }[] = [
    {
      name: 'a cluster',
      argv: ['ls', '-la', 'x'],
      opts: [
        ['l', ''],
        ['a', ''],
      ],
      rest: ['x'],
    },
    { name: 'attached value', argv: ['nc', '-p8080'], spec: 'p', opts: [['p', '8080']], rest: [] },
    {
      name: 'value in the next argument',
      argv: ['nc', '-p', '80', 'h'],
      spec: 'p',
      opts: [['p', '80']],
      rest: ['h'],
    },
    { name: 'options end at the first operand', argv: ['x', 'a', '-b'], rest: ['a', '-b'] },
    { name: '-- ends the options', argv: ['x', '--', '-a'], rest: ['-a'] },
    { name: 'a lone - is an operand', argv: ['x', '-', '-a'], rest: ['-', '-a'] },
    {
      name: 'permutation keeps scanning after an operand',
      argv: ['nc', 'h', '-z', '80'],
      spec: { permute: true },
      opts: [['z', '']],
      rest: ['h', '80'],
    },
    {
      name: 'an unknown letter stops',
      argv: ['nc', '-zq'],
      spec: { known: 'z' },
      opts: [['z', '']],
      rest: [],
      unknown: 'q',
    },
    {
      name: 'a long alias',
      argv: ['curl', '--output', 'f', 'u'],
      spec: { value: 'o', long: { '--output': 'o' }, permute: true },
      opts: [['o', 'f']],
      rest: ['u'],
    },
    {
      name: 'an unknown long option, whole',
      argv: ['curl', '--max-time=5'],
      spec: { long: { '--max-time': 'm' } },
      rest: [],
      unknown: '--max-time=5',
    },
  ];
  for (const r of rows)
    it(r.name, () => {
      const got = flags(r.argv, r.spec);
      expect([...got.opts]).toEqual(r.opts ?? []);
      expect(got.rest).toEqual(r.rest);
      expect(got.unknown).toBe(r.unknown);
    });

  it('keeps every occurrence in order (-vv, repeated -H)', () => {
    const got = flags(['c', '-vv', '-H', 'a: 1', '-H', 'b: 2'], 'H');
    expect(got.seen).toEqual([
      { flag: 'v', value: '' },
      { flag: 'v', value: '' },
      { flag: 'H', value: 'a: 1' },
      { flag: 'H', value: 'b: 2' },
    ]);
  });
});
