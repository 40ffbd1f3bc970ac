/**
 * Concurrency: 200 submissions at once from 20 students, with retries of the same
 * Idempotency-Key racing each other. Exactly one stored record per key, exact attempt
 * numbers, nothing acknowledged and lost; at an attempt limit, exactly the limit is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, quickScenario, startHarness } from './harness.ts';

let h: Harness;
let students: { user: string; token: string }[];
const SOLUTION = fixture('quick.solution.yaml');
const WRONG = fixture('quick.wrong.yaml');

beforeAll(async () => {
  h = await startHarness();
  const teacher = await h.token('instructor', 'tina', 'conc');
  for (const [name, policy] of [
    ['quick', undefined],
    ['limited', '{maxAttempts: 3}'],
  ] as const) {
    const body = quickScenario({ name, ...(policy ? { policy } : {}) });
    expect(
      (await h.json('PUT', `/v1/scenarios/${name}`, { token: teacher, type: 'text/yaml', body })).status,
    ).toBe(201);
  }
  students = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => ({
      user: `st${i}`,
      token: await h.token('student', `st${i}`, 'conc'),
    })),
  );
});
afterAll(async () => {
  await h?.close();
});

type Shot = { student: number; key?: string; body: string };

function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed;
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function fire(scenario: string, shots: Shot[]) {
  return Promise.all(
    shots.map(async (s) => {
      const r = await h.json('POST', `/v1/scenarios/${scenario}/submissions`, {
        token: students[s.student]!.token,
        type: 'text/yaml',
        body: s.body,
        ...(s.key ? { headers: { 'idempotency-key': s.key } } : {}),
      });
      return {
        shot: s,
        status: r.status,
        id: r.body?.id as string | undefined,
        attempt: r.body?.attempt as number,
      };
    }),
  );
}

async function stored(scenario: string, student: number) {
  const r = await h.json<{ attempts_used: number; items: { id: string; attempt: number | null }[] }>(
    'GET',
    `/v1/me/submissions?scenario=${scenario}&limit=500`,
    { token: students[student]!.token },
  );
  return r.body;
}

describe('200 parallel submissions with racing retries', () => {
  it('stores exactly one record per key and counts attempts exactly', async () => {
    const shots: Shot[] = [];
    for (let st = 0; st < 20; st++) {
      for (let k = 0; k < 7; k++) shots.push({ student: st, key: `k${k}`, body: k % 2 ? WRONG : SOLUTION });
      shots.push({ student: st, key: 'k0', body: SOLUTION }, { student: st, key: 'k1', body: WRONG });
      shots.push({ student: st, body: SOLUTION });
    }
    expect(shots).toHaveLength(200);
    const results = await fire('quick', shuffle(shots, 42));
    expect(results.filter((r) => r.status !== 201)).toEqual([]);
    for (let st = 0; st < 20; st++) {
      const mine = results.filter((r) => r.shot.student === st);
      for (const key of ['k0', 'k1']) {
        const ids = new Set(mine.filter((r) => r.shot.key === key).map((r) => r.id));
        expect(ids.size, `${st}/${key}`).toBe(1);
      }
      const s = await stored('quick', st);
      expect(s.items).toHaveLength(8);
      expect(s.attempts_used).toBe(8);
      expect(s.items.map((i) => i.attempt).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(s.items.map((i) => i.id))).toEqual(new Set(mine.map((r) => r.id)));
    }
    const all = await h.json<{ items: unknown[] }>('GET', '/v1/scenarios/quick/submissions?limit=500', {
      token: await h.token('instructor', 'tina2', 'conc'),
    });
    expect(all.body.items).toHaveLength(160);
  });

  it('stores exactly maxAttempts records under a racing limit, consistently per key', async () => {
    const shots: Shot[] = [];
    for (let st = 0; st < 20; st++) {
      for (let k = 0; k < 4; k++) shots.push({ student: st, key: `L${k}`, body: SOLUTION });
      shots.push({ student: st, key: 'L0', body: SOLUTION });
    }
    const results = await fire('limited', shuffle(shots, 7));
    for (let st = 0; st < 20; st++) {
      const mine = results.filter((r) => r.shot.student === st);
      const byKey = new Map<string, Set<number>>();
      for (const r of mine) byKey.set(r.shot.key!, (byKey.get(r.shot.key!) ?? new Set()).add(r.status));
      for (const [key, statuses] of byKey) expect([...statuses].length, `${st}/${key}`).toBe(1);
      const okKeys = [...byKey].filter(([, s]) => s.has(201)).map(([k]) => k);
      expect(okKeys).toHaveLength(3);
      expect([...byKey].filter(([, s]) => s.has(429))).toHaveLength(1);
      const s = await stored('limited', st);
      expect(s.attempts_used).toBe(3);
      expect(s.items.map((i) => i.attempt).sort()).toEqual([1, 2, 3]);
    }
  });
});
