import { describe, expect, it } from 'vitest';
import { quantityError } from '../../src/manifest/decode.ts';
import { canonicalQuantity, compareQuantity, parseQuantity } from '../../src/manifest/quantity.ts';

describe('resource.Quantity', () => {
  it.each([
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1000m', '1'],
    ['2000', '2k'],
    ['1500', '1500'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['512Ki', '512Ki'],
    ['100', '100'],
    ['1e3', '1e3'],
    ['0', '0'],
    ['-0.5', '-500m'],
  ])('%s is written %s', (input, canonical) => {
    expect(canonicalQuantity(parseQuantity(input)!)).toBe(canonical);
  });

  it('compares exactly across suffixes', () => {
    const c = (a: string, b: string) => compareQuantity(parseQuantity(a)!, parseQuantity(b)!);
    expect([c('1', '1000m'), c('1Gi', '1000Mi'), c('500m', '0.6'), c('1G', '1Gi')]).toEqual([0, 1, -1, -1]);
  });

  it('ParseQuantity errors', () => {
    expect(quantityError('128Mi')).toBeUndefined();
    expect(quantityError('128 MB')).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(quantityError('1.2.3')).toBe('unable to parse numeric part of quantity');
    expect(quantityError('1Mii')).toBe("unable to parse quantity's suffix");
  });
});
