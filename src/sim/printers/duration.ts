/**
 * Duration formatting as kubectl and Go print it. Inputs are virtual milliseconds.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * kubectl's `HumanDuration` (k8s.io/apimachinery/pkg/util/duration/duration.go), exactly:
 * whole units, truncated toward zero; `<invalid>` for less than -1 s (the 2 s clock-skew
 * tolerance), `0s` for small negatives, then s / m s / m / h m / h / d h / d / y d / y forms.
 * Non-finite input prints `<invalid>`.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * Go's `time.Duration.String()` for millisecond-precision durations: `0s`, `500ms`, `10s`,
 * `1.5s`, `1m20s`, `2m40s`, `5m0s`, `1h0m0s` (as in the kubelet's back-off message
 * `back-off 1m20s restarting failed container`). Fractions of a millisecond are truncated.
 */
export function goDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  let v = Math.trunc(ms);
  if (v === 0) return '0s';
  const sign = v < 0 ? '-' : '';
  v = Math.abs(v);
  if (v < SECOND) return `${sign}${v}ms`;
  const frac = v % SECOND;
  let secs = Math.trunc(v / SECOND);
  const fracText = frac === 0 ? '' : `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  if (secs < 60) return `${sign}${secs}${fracText}s`;
  let mins = Math.trunc(secs / 60);
  secs %= 60;
  if (mins < 60) return `${sign}${mins}m${secs}${fracText}s`;
  const hours = Math.trunc(mins / 60);
  mins %= 60;
  return `${sign}${hours}h${mins}m${secs}${fracText}s`;
}

/**
 * A virtual instant, printed where kubectl prints an RFC 1123 date (describe's Start Time,
 * Started, Finished): the offset from virtual time 0 as a Go duration (`0s`, `1m9s`), exact to
 * the millisecond. podlab has no wall-clock dates (kubernetes-semantics.md, section 13).
 */
export function formatInstant(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '<unknown>';
  return goDuration(ms);
}

/**
 * An instant as the API server stores it in a `metav1.Time` (RFC 3339, whole seconds):
 * truncated to the second. kubectl computes ages from these, so a container that finished at
 * 69.8 s is `1s ago` at 70.5 s.
 */
export function apiTime(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
