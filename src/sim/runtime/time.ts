/**
 * Wall-clock rendering of virtual time: virtual 0 ms is `VIRTUAL_EPOCH_S` (2025-01-01T00:00:00Z),
 * so `date` and nginx access logs are deterministic. Timezone: UTC.
 */
import { memoize } from '../util.ts';

/** Unix time (seconds) of virtual instant 0. */
export const VIRTUAL_EPOCH_S = 1_735_689_600;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
function civil(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** strftime subset (%Y %m %d %e %H %M %S %s %T %F %D %a %b %h %Z %z %j %y %n %t %%) of virtual `ms`, in UTC. */
export function formatDate(ms: number, fmt: string): string {
  return formatted(`${Math.floor(ms / 1000)}\u0000${fmt}`);
}

/** Recent `formatDate` results: a run formats the same few seconds many times (logs, `..` directories). */
const formatted = memoize((key) => {
  const cut = key.indexOf('\u0000');
  return format(Number(key.slice(0, cut)), key.slice(cut + 1));
}, 512);

function format(second: number, fmt: string): string {
  const unix = VIRTUAL_EPOCH_S + second;
  const days = Math.floor(unix / 86400);
  const secs = unix - days * 86400;
  const { y, m, d } = civil(days);
  const H = Math.floor(secs / 3600);
  const M = Math.floor((secs % 3600) / 60);
  const S = secs % 60;
  const wd = DAYS[(((days + 4) % 7) + 7) % 7]!;
  return fmt.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case 'Y':
        return String(y);
      case 'y':
        return p2(y % 100);
      case 'm':
        return p2(m);
      case 'd':
        return p2(d);
      case 'e':
        return String(d).padStart(2, ' ');
      case 'H':
        return p2(H);
      case 'M':
        return p2(M);
      case 'S':
        return p2(S);
      case 's':
        return String(unix);
      case 'T':
        return `${p2(H)}:${p2(M)}:${p2(S)}`;
      case 'F':
        return `${y}-${p2(m)}-${p2(d)}`;
      case 'D':
        return `${p2(m)}/${p2(d)}/${p2(y % 100)}`;
      case 'a':
        return wd;
      case 'b':
      case 'h':
        return MONTHS[m - 1]!;
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return all;
    }
  });
}
