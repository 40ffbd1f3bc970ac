import { describe, expect, it } from 'vitest';
import { run } from './harness.ts';

describe('budgets end runaway processes', () => {
  it.each([
    ['while true; do :; done', 'shellSteps'],
    ['while :; do true; done', 'shellSteps'],
    ['f() { :; }; while true; do f; done', 'shellSteps'],
    ['i=0; while true; do i=$((i+1)); done', 'shellSteps'],
    ['for i in $(seq 1000000); do :; done', 'logBytes'],
    ['yes > /tmp/x', 'fsBytes'],
    ['while true; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx >> /tmp/log; done', 'fsBytes'],
    ['yes', 'logBytes'],
    ['X=ab; while true; do X="$X$X"; done', 'shellSteps'],
    ['while true; do echo x; done', 'logBytes'],
    ['x=$(yes)', 'logBytes'],
    ['yes | head -n 1', 'logBytes'],
  ])('%s -> %s', (script, budget) => {
    const r = run(script, {
      limits: { maxShellSteps: 30_000, maxOutputBytes: 16 * 1024, maxFsBytes: 64 * 1024 },
    });
    expect(r.end.kind).toBe('budget');
    expect(r.end.kind === 'budget' && r.end.budget).toBe(budget);
    expect(r.endAt).toBe(0);
  });

  it('background jobs are bounded (fork fails)', () => {
    const r = run('while true; do sleep 100 & done');
    expect(r.end).toEqual({ kind: 'exited', exitCode: 2 });
    expect(r.stderr).toBe("sh: can't fork: Resource temporarily unavailable\n");
  });

  it('a loop that sleeps is bounded only by time', () => {
    const r = run('while true; do sleep 1; done', { horizon: 60_000 });
    expect(r.end).toEqual({ kind: 'blocked', wakeAt: 61_000 });
  });

  it('a loop that never lets time pass ends after MAX_STEPS_PER_INSTANT steps, whatever the whole budget', () => {
    for (const script of [
      'until false; do sleep 0; done',
      'while true; do sleep 0.0001; done',
      'while :; do :; done',
    ]) {
      const r = run(script, { limits: { maxShellSteps: 10_000_000 } });
      expect(r.end.kind === 'budget' && r.end.detail, script).toMatch(/without virtual time passing/);
    }
  });

  it('a loop that sleeps may take more steps than one instant allows, over time', () => {
    const r = run('i=0; while true; do i=$((i+1)); sleep 1; done', {
      horizon: 40_000_000,
      limits: { maxShellSteps: 1_000_000 },
    });
    expect(r.end).toEqual({ kind: 'blocked', wakeAt: 40_001_000 });
  });

  it('output up to the limit is kept', () => {
    const r = run('while true; do echo x; done', { limits: { maxOutputBytes: 10 } });
    expect(r.stdout).toBe('x\nx\nx\nx\nx\n');
  });

  it('file content removed frees budget', () => {
    const r = run(
      'i=0; while [ $i -lt 50 ]; do yes | head -c 1 > /dev/null; echo 0123456789 > /tmp/f; rm /tmp/f; i=$((i+1)); done; echo ok',
      {
        limits: { maxFsBytes: 20, maxOutputBytes: 1_000_000 },
      },
    );
    expect(r.end.kind).toBe('budget');
  });
});
