/**
 * client-go's flowcontrol.Backoff as the kubelet uses it for crash loops and image pulls
 * (semantics page 4.2): initial 10 s, doubling, cap 300 s, no jitter for containers; an entry
 * is reset when the new event is more than 2 × cap after the entry's last update.
 * — k/k staging/src/k8s.io/client-go/util/flowcontrol/backoff.go (Next, IsInBackOffSince,
 * IsInBackOffSinceUpdate, hasExpired)
 */

/** Kubelet constants: `backOffPeriod` and `MaxContainerBackOff` (pkg/kubelet/kubelet.go). */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

/** A per-key exponential back-off with the upstream expiry rule. */
export class Backoff {
  private entries = new Map<string, Entry>();

  constructor(
    readonly initialMs = INITIAL_BACKOFF_MS,
    readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  /** backoff.go hasExpired: stable if it was fine for twice the maximum. */
  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > this.maxMs * 2;
  }

  /** The current back-off of `key` (0 without an entry). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** IsInBackOffSince: `now − eventTime < backoff` unless the entry expired. */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return false;
    return now - eventTime < e.backoffMs;
  }

  /** IsInBackOffSinceUpdate: `now − lastUpdate < backoff` unless expired (image pulls). */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(now, e)) return false;
    return now - e.lastUpdate < e.backoffMs;
  }

  /** The instant a back-off that started at `eventTime` ends. */
  expiresAt(key: string, eventTime: number): number {
    return eventTime + this.get(key);
  }

  /** The instant an update-based back-off ends. */
  expiresAtSinceUpdate(key: string): number {
    const e = this.entries.get(key);
    return e ? e.lastUpdate + e.backoffMs : 0;
  }

  /** Next: create the entry (initial) or double it (capped); lastUpdate = now. */
  next(key: string, eventTime: number, now: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
    } else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdate = now;
    }
  }
}
