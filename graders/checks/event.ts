import { formatAt } from '../duration.ts';
import { podKey } from '../trace-index.ts';
import type { CheckSubject, CountSpec, When } from '../types.ts';
import { countHolds, type EvalContext, formatCount, type Verdict } from './context.ts';

/** Evaluates a `event` check. */
export function evaluateEvent(
  ctx: EvalContext,
  s: Extract<CheckSubject, { kind: 'event' }>,
  w: When,
): Verdict {
  const from = w.kind === 'at' ? w.at : w.from;
  const to = w.kind === 'at' ? w.at : w.to;
  const regex = s.messageRegex !== undefined ? new RegExp(s.messageRegex) : undefined;
  const all = ctx.index.eventsOf(podKey(s.namespace, s.pod));
  const matches = (e: (typeof all)[number]) =>
    e.reason === s.reason &&
    (s.type === undefined || e.type === s.type) &&
    (s.container === undefined || e.container === s.container) &&
    (s.message === undefined || e.message.includes(s.message)) &&
    (regex === undefined || regex.test(e.message));
  // A window is closed: an event exactly at a bound counts.
  const inWindow = all.filter((e) => e.at >= from && e.at <= to && matches(e));
  const want: CountSpec = s.count ?? { min: 1 };
  const plural = !['1', 'at least 1', 'at most 1'].includes(formatCount(want));
  const what = `${s.reason} event${plural ? 's' : ''}${s.message !== undefined ? ` with message containing "${s.message}"` : ''}${regex ? ` with message matching /${s.messageRegex}/` : ''} for Pod ${s.pod}${s.container ? ` (container ${s.container})` : ''}`;
  const when = w.kind === 'at' ? `at ${formatAt(w.at)}` : `between ${formatAt(from)} and ${formatAt(to)}`;
  const times =
    inWindow
      .slice(0, 6)
      .map((e) => formatAt(e.at))
      .join(', ') + (inWindow.length > 6 ? ', …' : '');
  if (countHolds(want, inWindow.length)) {
    return {
      passed: true,
      output:
        inWindow.length === 0
          ? `observed no ${what} ${when}`
          : `observed ${inWindow.length} ${s.reason} event${inWindow.length === 1 ? '' : 's'} ${when} (at ${times})`,
    };
  }
  let why = '';
  const outside = all.filter(matches).filter((e) => e.at < from || e.at > to);
  const sameReason = all.filter((e) => e.reason === s.reason && !matches(e));
  if (inWindow.length < (typeof want === 'number' ? want : (want.min ?? 0))) {
    if (outside.length > 0) {
      why = `: such events happened outside the window, at ${outside
        .slice(0, 6)
        .map((e) => formatAt(e.at))
        .join(', ')}`;
    } else if (sameReason.length > 0) {
      why = `: the ${s.reason} events had other messages, e.g. at ${formatAt(sameReason[0]!.at)}: "${sameReason[0]!.message.slice(0, 160)}"`;
    } else if (!ctx.index.records(podKey(s.namespace, s.pod)).length) {
      why = `: no Pod named ${s.pod} was created`;
    } else if (inWindow.length === 0) {
      const reasons = [...new Set(all.filter((e) => e.at <= to).map((e) => e.reason))];
      why =
        reasons.length > 0
          ? `: the Pod's events up to ${formatAt(to)} were ${reasons.join(', ')}`
          : `: the Pod had no events up to ${formatAt(to)}`;
    }
  }
  const seen = inWindow.length > 0 ? ` (at ${times})` : '';
  return {
    passed: false,
    output: `expected ${formatCount(want)} ${what} ${when}; observed ${inWindow.length}${seen}${why}`,
  };
}
