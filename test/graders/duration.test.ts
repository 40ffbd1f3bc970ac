import { describe, expect, it } from 'vitest';
import { formatAt, parseDuration } from '../../graders/duration.ts';

describe('parseDuration', () => {
  const ok: [string | number, number][] = [
    ['500ms', 500],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['2s500ms', 2500],
    [45, 45_000],
    ['45', 45_000],
    ['0s', 0],
    ['24h', 86_400_000],
  ];
  for (const [input, ms] of ok) {
    it(`${JSON.stringify(input)} = ${ms} ms`, () => expect(parseDuration(input)).toEqual({ ok: true, ms }));
  }
  const bad: (string | number | null)[] = [
    '',
    'abc',
    '30s2m',
    '1x',
    '1.5',
    -3,
    1.5,
    '25h',
    '24h1s',
    '0.0001s',
    null,
    '1s1s',
  ];
  for (const input of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => expect(parseDuration(input).ok).toBe(false));
  }
});

describe('formatAt', () => {
  it('prints whole and fractional seconds', () => {
    expect(formatAt(36_000)).toBe('36s');
    expect(formatAt(1500)).toBe('1.5s');
    expect(formatAt(250)).toBe('0.25s');
    expect(formatAt(0)).toBe('0s');
  });
});
