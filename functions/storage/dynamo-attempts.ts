/**
 * Attempt reservations in the DynamoDB table: one counter item per (course, scenario,
 * student) with the claims {id: n} and the pending ones' claim times {id: ms}. Exact and
 * idempotent per submission id with single-item conditional updates (docs/storage.md,
 * "Submitting exactly once without transactions").
 */
import { key } from './codec.ts';
import type { Item, Table } from './dynamo-table.ts';
import { type AttemptReservation, ConflictError, type Repository, RetryableError } from './types.ts';

/** Rounds of one attempt reservation (a round retries only after a lost race). */
const RESERVE_TRIES = 20;
/** Stale pending reservations checked against their records per call (bounds the reads). */
const ORPHAN_CHECKS = 10;

const attemptsKey = (course: string, scenario: string, student: string) => ({
  pk: key('ATT', course, scenario, student),
  sk: 'ATT',
});

/** The attempt methods of the repository. */
export function attemptStore(
  table: Table,
): Pick<Repository, 'reserveAttempt' | 'confirmAttempt' | 'releaseAttempt' | 'attemptsUsed'> {
  const { send, get, now, graceMs: grace } = table;

  /**
   * The pending reservations (in `claimedAt`; confirmed ones leave it) older than the grace
   * period, oldest number first, at most ORPHAN_CHECKS of them, each judged by its record:
   * `orphans` were never stored with their number (the writer crashed between reserving and
   * storing), `stored` were (only their confirmation was lost).
   */
  async function stalePending(
    claims: Record<string, number>,
    claimedAt: Record<string, number>,
    t: number,
  ): Promise<{ orphans: { id: string; n: number }[]; stored: { id: string; n: number }[] }> {
    const stale = Object.entries(claimedAt)
      .filter(([id, at]) => claims[id] !== undefined && t - Number(at) > grace)
      .map(([id]) => ({ id, n: Number(claims[id]) }))
      .sort((a, b) => a.n - b.n)
      .slice(0, ORPHAN_CHECKS);
    const orphans: { id: string; n: number }[] = [];
    const stored: { id: string; n: number }[] = [];
    for (const claim of stale) {
      const sub = await get(key('SUB', claim.id), 'SUB', ['attempt']);
      (sub && sub.attempt === claim.n ? stored : orphans).push(claim);
    }
    return { orphans, stored };
  }

  /** Marks the reservation of `id` (number `n`) as stored: it leaves the pending map. */
  async function confirmClaim(Key: Item, id: string, n: number): Promise<void> {
    try {
      await send('Update', {
        Key,
        UpdateExpression: 'REMOVE claimedAt.#id',
        ConditionExpression: 'claims.#id = :n',
        ExpressionAttributeNames: { '#id': id },
        ExpressionAttributeValues: { ':n': n },
      });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }

  /**
   * One atomic update claiming the next number: both SET operands read the old `next`, so the
   * claim gets exactly the new value of the counter. `noPending` adds the condition of the
   * fast path: no reservation is pending, so none can be an orphan to reclaim first.
   */
  async function claimNext(
    Key: Item,
    id: string,
    max: number | undefined,
    t: number,
    noPending: boolean,
  ): Promise<AttemptReservation> {
    const conditions = ['attribute_exists(claims)', 'attribute_not_exists(claims.#id)'];
    if (max !== undefined) conditions.push('size(claims) < :max');
    if (noPending) conditions.push('(attribute_not_exists(claimedAt) OR size(claimedAt) = :zero)');
    const out = await send<{ Attributes?: Item }>('Update', {
      Key,
      UpdateExpression:
        'SET #next = if_not_exists(#next, :zero) + :one, claims.#id = if_not_exists(#next, :zero) + :one, claimedAt.#id = :t',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#next': 'next', '#id': id },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':one': 1,
        ':t': t,
        ...(max === undefined ? {} : { ':max': max }),
      },
      ReturnValues: 'ALL_NEW',
    });
    const claims = (out.Attributes?.claims ?? {}) as Record<string, number>;
    return { ok: true, attempt: Number(claims[id]), used: Object.keys(claims).length };
  }

  return {
    async reserveAttempt(course, scenario, student, id, max): Promise<AttemptReservation> {
      const Key = attemptsKey(course, scenario, student);
      for (let round = 0; round < RESERVE_TRIES; round++) {
        const t = now();
        try {
          // The common case, one call: nothing pending, a number below the limit.
          return await claimNext(Key, id, max, t, true);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
        const item = await get(Key.pk, Key.sk);
        if (!item) {
          try {
            await send('Put', {
              Item: { ...Key, course, scenario, student, next: 0, claims: {}, claimedAt: {} },
              ConditionExpression: 'attribute_not_exists(pk)',
            });
          } catch (err) {
            if (!(err instanceof ConflictError)) throw err;
          }
          continue;
        }
        const claims = (item.claims ?? {}) as Record<string, number>;
        const used = Object.keys(claims).length;
        if (claims[id] !== undefined) return { ok: true, attempt: Number(claims[id]), used };
        // A reservation pending past the grace period whose submission was never stored is
        // reclaimed, at the limit or not: the new submission takes over its number, so
        // attempt numbers stay dense and the count exact.
        const { orphans, stored } = await stalePending(
          claims,
          (item.claimedAt ?? {}) as Record<string, number>,
          t,
        );
        for (const claim of stored) await confirmClaim(Key, claim.id, claim.n);
        const orphan = orphans[0];
        if (orphan) {
          try {
            await send('Update', {
              Key,
              UpdateExpression:
                'REMOVE claims.#old, claimedAt.#old SET claims.#new = :n, claimedAt.#new = :t',
              ConditionExpression: 'claims.#old = :n AND attribute_not_exists(claims.#new)',
              ExpressionAttributeNames: { '#old': orphan.id, '#new': id },
              ExpressionAttributeValues: { ':n': orphan.n, ':t': t },
            });
            return { ok: true, attempt: orphan.n, used };
          } catch (err) {
            if (!(err instanceof ConflictError)) throw err;
          }
          continue;
        }
        if (max !== undefined && used >= max) return { ok: false, used, max };
        try {
          // Pending reservations that are not (yet) orphans: claim the next number beside them.
          return await claimNext(Key, id, max, t, false);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
      }
      throw new RetryableError('attempt counter contended; retry');
    },

    async confirmAttempt(course, scenario, student, id, attempt) {
      await confirmClaim(attemptsKey(course, scenario, student), id, attempt);
    },

    async releaseAttempt(course, scenario, student, id, attempt) {
      try {
        await send('Update', {
          Key: attemptsKey(course, scenario, student),
          UpdateExpression: 'REMOVE claims.#id, claimedAt.#id',
          ConditionExpression: 'claims.#id = :n',
          ExpressionAttributeNames: { '#id': id },
          ExpressionAttributeValues: { ':n': attempt },
        });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    },

    async attemptsUsed(course, scenario, student) {
      const Key = attemptsKey(course, scenario, student);
      const item = await get(Key.pk, Key.sk);
      const claims = (item?.claims ?? {}) as Record<string, number>;
      // Orphans past the grace period no longer count: the next submission reclaims them.
      const { orphans } = await stalePending(
        claims,
        (item?.claimedAt ?? {}) as Record<string, number>,
        now(),
      );
      return Object.keys(claims).length - orphans.length;
    },
  };
}
