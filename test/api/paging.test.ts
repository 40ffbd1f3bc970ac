/** Page sizes are one set of constants (functions/storage/paging.ts) used by every layer (issue 17 §4). */
import { describe, expect, it } from 'vitest';
import { PageQuery } from '../../functions/api/http.ts';
import { openApiDocument } from '../../functions/api/openapi.ts';
import {
  clampPage,
  DEFAULT_PAGE_SIZE,
  MAX_LIMIT_PARAM,
  MAX_PAGE_SIZE,
  MAX_STORE_PAGE,
} from '../../functions/storage/paging.ts';

describe('clampPage', () => {
  const cases: { name: string; limit: number | undefined; max?: number; want: number }[] = [
    { name: 'no limit: the default', limit: undefined, want: DEFAULT_PAGE_SIZE },
    { name: 'not a number: the default', limit: Number.NaN, want: DEFAULT_PAGE_SIZE },
    { name: 'a fraction: rounded down', limit: 7.9, want: 7 },
    { name: 'zero: one', limit: 0, want: 1 },
    { name: 'over the API page: clamped', limit: 800, want: MAX_PAGE_SIZE },
    { name: 'over the store page: clamped to it', limit: 5000, max: MAX_STORE_PAGE, want: MAX_STORE_PAGE },
  ];
  for (const { name, limit, max, want } of cases) {
    it(name, () => expect(clampPage(limit, max)).toBe(want));
  }
});

describe('the limit query parameter', () => {
  const cases: { name: string; limit: string; ok: boolean }[] = [
    { name: 'the largest accepted value', limit: String(MAX_LIMIT_PARAM), ok: true },
    { name: 'one more is a 400', limit: String(MAX_LIMIT_PARAM + 1), ok: false },
    { name: 'zero is a 400', limit: '0', ok: false },
  ];
  for (const { name, limit, ok } of cases) {
    it(name, () => expect(PageQuery.safeParse({ limit }).success).toBe(ok));
  }

  it('is documented with the page size the service clamps to', () => {
    const text = JSON.stringify(openApiDocument());
    expect(text).toContain(
      `{"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":${MAX_PAGE_SIZE}}}`,
    );
  });
});
