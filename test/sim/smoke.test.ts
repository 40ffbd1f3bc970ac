import { describe, expect, it } from 'vitest';
import { stateAt } from '../../src/sim/query.ts';
import { ctr, pod, run, starts } from './helpers.ts';

describe('smoke', () => {
  it('runs a crash-looping pod', () => {
    const t = run([pod('p', [ctr('c', ['false'])])], 700);
    console.log(starts(t, 'c'));
    console.log(t.events.slice(0, 12));
    console.log(JSON.stringify(stateAt(t, 'Pod/default/p', 5), null, 1));
    expect(t.endReason.kind).toBe('horizon');
  });
});
