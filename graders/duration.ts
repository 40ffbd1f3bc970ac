/**
 * Durations in scenario files (`500ms`, `90s`, `2m`, `1m30s`, `1h`, or a bare integer of
 * seconds) and their rendering in grade results (`36s`, `1.5s`).
 */

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** The largest duration a scenario may use: 24 h. */
export const MAX_DURATION_MS = 24 * 3_600_000;

/**
 * Parses a scenario duration into milliseconds. Units must appear in decreasing order
 * (`1h30m`, `1m30s`, `2s500ms`); numbers are non-negative integers or decimals.
 * Returns an error message instead of throwing.
 */
export function parseDuration(value: unknown): { ok: true; ms: number } | { ok: false; message: string } {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      return { ok: false, message: `invalid duration ${value}: a bare number is a whole number of seconds` };
    }
    return bounded(value * 1000, String(value));
  }
  if (typeof value !== 'string')
    return { ok: false, message: 'a duration must be a string like "90s" or a number of seconds' };
  const text = value.trim();
  if (/^\d+$/.test(text)) return bounded(Number(text) * 1000, value);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  let lastRank = -1;
  const order = ['h', 'm', 's', 'ms'];
  if (text.length === 0) return { ok: false, message: 'empty duration' };
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) break;
    const rank = order.indexOf(m[2]!);
    if (rank <= lastRank) break;
    lastRank = rank;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== text.length) {
    return { ok: false, message: `invalid duration "${value}": use forms like 500ms, 90s, 2m, 1m30s, 1h` };
  }
  if (!Number.isInteger(total)) {
    return { ok: false, message: `invalid duration "${value}": the simulator counts whole milliseconds` };
  }
  return bounded(total, value);
}

function bounded(ms: number, written: string): { ok: true; ms: number } | { ok: false; message: string } {
  if (ms > MAX_DURATION_MS) return { ok: false, message: `duration ${written} is longer than 24h` };
  return { ok: true, ms };
}

/** Renders virtual milliseconds for messages: `36s`, `1.5s`, `0.25s`. */
export function formatAt(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Number((ms / 1000).toFixed(3))}s`;
}
