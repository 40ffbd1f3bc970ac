/**
 * A picture of one run: per container a lane of its states over virtual time, probe results,
 * restarts and readiness, the Pod's events, and the grader's check instants and windows.
 * Self-contained SVG (no scripts, no external styles), accessible (`role="img"`, `<title>`,
 * `<desc>`, text labels, a legend, and a `<title>` tooltip on every mark), byte-identical for
 * the same input. Marks that fall on one pixel column are merged (their tooltip counts them),
 * so the size is bounded by the width, not by the length of the run.
 */
import type { Pod } from '../../model/k8s.ts';
import type { ContainerStatus, PodSnapshot } from '../../model/status.ts';
import type { ProbeRecord, Trace } from '../../model/trace.ts';
import { humanDuration } from './duration.ts';

/** A grader check to draw: an instant (`at`) and/or a window, and whether it passed. */
export interface TimelineCheck {
  id: string;
  at?: number;
  window?: [number, number];
  passed: boolean;
}

/** Options of {@link timelineSvg}. */
export interface TimelineOptions {
  checks?: TimelineCheck[];
  /** Total width in px (default 960, at least 480). */
  width?: number;
  /** Prefix of the element ids (`<title id>`), for several pictures on one page. Default `podlab-timeline`. */
  idPrefix?: string;
}

type StateClass = 'waiting' | 'running' | 'terminated' | 'backoff';

/** Colours (Okabe–Ito palette, distinguishable with common colour-vision deficiencies). */
const COLORS = {
  waiting: '#E69F00',
  running: '#0072B2',
  terminated: '#999999',
  backoff: '#D55E00',
  ready: '#009E73',
  success: '#009E73',
  failure: '#D55E00',
  error: '#6F6F6F',
  Normal: '#56B4E9',
  Warning: '#D55E00',
  restart: '#000000',
  passed: '#009E73',
  failed: '#CC79A7',
  endpoints: '#009E73',
  noEndpoints: '#BBBBBB',
  action: '#000000',
} as const;

const PROBES: ProbeRecord['probe'][] = ['liveness', 'readiness', 'startup'];
const BACKOFF_REASONS = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull']);

const LEFT = 190;
const RIGHT = 24;
const LANE_H = 46;
const POD_H = 22;
const EVENTS_H = 18;
const AXIS_H = 34;
const SERVICE_H = 22;
const ACTIONS_H = 18;
const TOP = 30;

const LEGEND_ITEMS: [string, string, 'rect' | 'mark'][] = [
  ['waiting', COLORS.waiting, 'rect'],
  ['running', COLORS.running, 'rect'],
  ['terminated', COLORS.terminated, 'rect'],
  ['back-off', COLORS.backoff, 'rect'],
  ['ready', COLORS.ready, 'rect'],
  ['restart', COLORS.restart, 'mark'],
  ['probe success', COLORS.success, 'mark'],
  ['probe failure', COLORS.failure, 'mark'],
  ['probe error', COLORS.error, 'mark'],
  ['Normal event', COLORS.Normal, 'mark'],
  ['Warning event', COLORS.Warning, 'mark'],
  ['check passed', COLORS.passed, 'mark'],
  ['check failed', COLORS.failed, 'mark'],
  ['ready endpoints', COLORS.endpoints, 'rect'],
  ['no ready endpoints', COLORS.noEndpoints, 'rect'],
  ['operator action', COLORS.action, 'mark'],
];
const LEGEND_ITEM_W = 120;

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '\uFFFD');
}

/** A number for an attribute: at most one decimal, no `-0`. */
function n(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function classify(st: ContainerStatus['state']): { cls: StateClass; label: string } {
  if (st.kind === 'running') return { cls: 'running', label: 'Running' };
  if (st.kind === 'terminated')
    return { cls: 'terminated', label: `Terminated: ${st.reason || `exit ${st.exitCode}`}` };
  if (BACKOFF_REASONS.has(st.reason)) return { cls: 'backoff', label: `Waiting: ${st.reason}` };
  return { cls: 'waiting', label: st.reason ? `Waiting: ${st.reason}` : 'Waiting' };
}

interface Segment {
  from: number;
  to: number;
  cls: StateClass;
  label: string;
}

interface Lane {
  container: string;
  init: boolean;
  segments: Segment[];
  ready: { from: number; to: number }[];
  restarts: { at: number; count: number }[];
  probes: ProbeRecord[];
}

interface PodLanes {
  namespace: string;
  name: string;
  lanes: Lane[];
}

/** Builds the lanes of every Pod that appears in the records, in order of first appearance. */
function buildLanes(trace: Trace, pods: Pod[]): PodLanes[] {
  const order: string[] = [];
  const byKey = new Map<
    string,
    { records: { at: number; snap: PodSnapshot | undefined }[]; ns: string; name: string }
  >();
  for (const r of trace.records) {
    if (!r.key.startsWith('Pod/')) continue;
    let entry = byKey.get(r.key);
    if (!entry) {
      const [, ns = '', name = ''] = r.key.split('/');
      entry = { records: [], ns, name };
      byKey.set(r.key, entry);
      order.push(r.key);
    }
    entry.records.push({ at: r.at, snap: r.exists && r.snapshot.kind === 'Pod' ? r.snapshot : undefined });
  }
  const end = trace.endAt;
  const out: PodLanes[] = [];
  for (const key of order) {
    const entry = byKey.get(key)!;
    const records = entry.records.map((r, i) => ({ ...r, i })).sort((a, b) => a.at - b.at || a.i - b.i);
    const spec = pods.find((p) => p.metadata.namespace === entry.ns && p.metadata.name === entry.name);
    const names: { name: string; init: boolean }[] = [];
    const seen = new Set<string>();
    const add = (name: string, init: boolean) => {
      if (seen.has(name)) return;
      seen.add(name);
      names.push({ name, init });
    };
    for (const c of spec?.spec.initContainers ?? []) add(c.name, true);
    for (const c of spec?.spec.containers ?? []) add(c.name, false);
    const extra: { name: string; init: boolean }[] = [];
    for (const r of records) {
      for (const s of r.snap?.status.initContainerStatuses ?? [])
        if (!seen.has(s.name)) extra.push({ name: s.name, init: true });
      for (const s of r.snap?.status.containerStatuses ?? [])
        if (!seen.has(s.name)) extra.push({ name: s.name, init: false });
    }
    extra.sort((a, b) => Number(b.init) - Number(a.init) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of extra) add(e.name, e.init);

    const lanes: Lane[] = names.map(({ name, init }) => {
      const lane: Lane = { container: name, init, segments: [], ready: [], restarts: [], probes: [] };
      let cur: { cls: StateClass; label: string; since: number } | undefined;
      let readySince: number | undefined;
      let lastCount: { uid: string; count: number } | undefined;
      const close = (t: number) => {
        if (cur && t > cur.since)
          lane.segments.push({ from: cur.since, to: t, cls: cur.cls, label: cur.label });
        cur = undefined;
        if (readySince !== undefined && t > readySince) lane.ready.push({ from: readySince, to: t });
        readySince = undefined;
      };
      for (const r of records) {
        const t = Math.min(Math.max(r.at, 0), end);
        const list = init ? r.snap?.status.initContainerStatuses : r.snap?.status.containerStatuses;
        const cs = list?.find((s) => s.name === name);
        if (!r.snap || !cs) {
          close(t);
          if (!r.snap) lastCount = undefined;
          continue;
        }
        const { cls, label } = classify(cs.state);
        if (!cur || cur.cls !== cls || cur.label !== label) {
          if (cur && t > cur.since)
            lane.segments.push({ from: cur.since, to: t, cls: cur.cls, label: cur.label });
          cur = { cls, label, since: t };
        }
        if (cs.ready && readySince === undefined) readySince = t;
        if (!cs.ready && readySince !== undefined) {
          if (t > readySince) lane.ready.push({ from: readySince, to: t });
          readySince = undefined;
        }
        if (lastCount && lastCount.uid === r.snap.uid && cs.restartCount > lastCount.count) {
          lane.restarts.push({ at: t, count: cs.restartCount });
        }
        lastCount = { uid: r.snap.uid, count: cs.restartCount };
      }
      close(end);
      lane.probes = trace.probes.filter(
        (p) => p.pod === entry.name && p.namespace === entry.ns && p.container === name,
      );
      return lane;
    });
    out.push({ namespace: entry.ns, name: entry.name, lanes });
  }
  return out;
}

interface ServiceLane {
  namespace: string;
  name: string;
  segments: { from: number; to: number; ready: string[] }[];
}

/** Ready endpoints of every Service over time, in order of first appearance. */
function buildServiceLanes(trace: Trace): ServiceLane[] {
  const lanes = new Map<string, ServiceLane & { cur?: { since: number; ready: string[] } }>();
  const end = trace.endAt;
  const close = (lane: ServiceLane & { cur?: { since: number; ready: string[] } }, t: number) => {
    if (lane.cur && t > lane.cur.since)
      lane.segments.push({ from: lane.cur.since, to: t, ready: lane.cur.ready });
    lane.cur = undefined;
  };
  const records = trace.records
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.key.startsWith('Service/'))
    .sort((a, b) => a.r.at - b.r.at || a.i - b.i);
  for (const { r } of records) {
    let lane = lanes.get(r.key);
    if (!lane) {
      const [, ns = '', name = ''] = r.key.split('/');
      lane = { namespace: ns, name, segments: [] };
      lanes.set(r.key, lane);
    }
    const t = Math.min(Math.max(r.at, 0), end);
    if (!r.exists || r.snapshot.kind !== 'Service') {
      close(lane, t);
      continue;
    }
    const ready = r.snapshot.readyAddresses;
    if (!lane.cur || lane.cur.ready.join(',') !== ready.join(',')) {
      close(lane, t);
      lane.cur = { since: t, ready };
    }
  }
  for (const lane of lanes.values()) close(lane, end);
  return [...lanes.values()].map(({ namespace, name, segments }) => ({ namespace, name, segments }));
}

/** A tick step (ms) giving at most ~10 ticks over `span`. */
function tickStep(span: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  for (const s of steps) if (span / (s * 1000) <= 10) return s * 1000;
  return Math.ceil(span / 10 / 86_400_000) * 86_400_000;
}

/** Merges marks that land on the same pixel column and category. */
function bucket<T>(
  items: T[],
  x: (t: T) => number,
  cat: (t: T) => string,
): { x: number; cat: string; items: T[] }[] {
  const map = new Map<string, { x: number; cat: string; items: T[] }>();
  for (const it of items) {
    const px = Math.round(x(it));
    const c = cat(it);
    const k = `${px}|${c}`;
    const b = map.get(k);
    if (b) b.items.push(it);
    else map.set(k, { x: px, cat: c, items: [it] });
  }
  return [...map.values()];
}

function timeSpan(items: { at: number }[]): string {
  const first = humanDuration(items[0]!.at);
  const last = humanDuration(items[items.length - 1]!.at);
  return first === last ? first : `${first}–${last}`;
}

/** A label that fits the left margin: clipped with `…`, the full text in a tooltip. */
function fitLabel(text: string, max: number): string {
  if (text.length <= max) return esc(text);
  return `${esc(`${text.slice(0, max - 1)}…`)}<title>${esc(text)}</title>`;
}

function clip(s: string, max = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * The run as an SVG picture (see the module comment). `pods` gives container order (init
 * containers first); without a spec, containers come from the statuses.
 */
export function timelineSvg(trace: Trace, pods: Pod[], opts: TimelineOptions = {}): string {
  const width = Math.max(480, Math.round(opts.width ?? 960));
  const id = (opts.idPrefix ?? 'podlab-timeline').replace(/[^A-Za-z0-9_-]/g, '-');
  const end = Math.max(trace.endAt, 1);
  const plotW = width - LEFT - RIGHT;
  const x = (t: number) => LEFT + (Math.min(Math.max(t, 0), end) / end) * plotW;
  const podLanes = buildLanes(trace, pods);
  const serviceLanes = buildServiceLanes(trace);
  const checks = opts.checks ?? [];

  const body: string[] = [];
  const perRow = Math.max(1, Math.floor((width - 16) / LEGEND_ITEM_W));
  // Legend rows, then room for the check labels above the plot.
  let y = TOP + Math.ceil(LEGEND_ITEMS.length / perRow) * 16 + 24;
  const plotTop = y;
  let totalRestarts = 0;
  if (trace.actions.length > 0) {
    body.push('<g class="actions" aria-label="operator actions">');
    body.push(`<text x="8" y="${n(y + 13)}" font-weight="bold">actions</text>`);
    for (const b of bucket(
      trace.actions,
      (a) => x(a.at),
      () => 'action',
    )) {
      const lines = b.items
        .slice(0, 8)
        .map(
          (a) =>
            `${humanDuration(a.at)} ${a.kind}: ${clip(`${a.stdout}${a.stderr}`, 120) || `exit ${a.exitCode}`}`,
        );
      if (b.items.length > 8) lines.push(`… and ${b.items.length - 8} more`);
      body.push(
        `<path class="action" d="M${n(b.x - 5)} ${n(y + 4)}L${n(b.x + 5)} ${n(y + 4)}L${n(b.x)} ${n(y + 14)}Z" fill="${COLORS.action}" fill-opacity="0.6"><title>${esc(lines.join('\n'))}</title></path>`,
      );
    }
    body.push('</g>');
    y += ACTIONS_H;
  }
  for (const p of podLanes) {
    body.push(`<g class="pod" aria-label="${esc(`Pod ${p.namespace}/${p.name}`)}">`);
    body.push(
      `<text x="8" y="${n(y + 15)}" font-weight="bold">${fitLabel(`Pod ${p.namespace}/${p.name}`, 24)}</text>`,
    );
    body.push(
      `<line x1="${LEFT}" y1="${n(y + POD_H - 2)}" x2="${width - RIGHT}" y2="${n(y + POD_H - 2)}" stroke="#DDDDDD"/>`,
    );
    y += POD_H;
    for (const lane of p.lanes) {
      const laneName = `${lane.init ? 'init: ' : ''}${lane.container}`;
      body.push(`<g class="lane" aria-label="${esc(`container ${laneName}`)}">`);
      body.push(`<text x="16" y="${n(y + 31)}">${fitLabel(laneName, 24)}</text>`);
      const present = PROBES.filter((k) => lane.probes.some((pr) => pr.probe === k));
      present.forEach((kind, row) => {
        const py = y + 2 + row * 6;
        body.push(`<text x="${LEFT - 6}" y="${n(py + 5)}" font-size="7" text-anchor="end">${kind}</text>`);
        for (const b of bucket(
          lane.probes.filter((pr) => pr.probe === kind),
          (pr) => x(pr.at),
          (pr) => pr.result,
        )) {
          const count = b.items.length;
          const lastOut = b.items[b.items.length - 1]!.output;
          const tip =
            count === 1
              ? `${kind} probe ${b.cat} at ${humanDuration(b.items[0]!.at)}${lastOut ? `: ${clip(lastOut)}` : ''}`
              : `${count} ${kind} probe results (${b.cat}) ${timeSpan(b.items)}${lastOut ? `; last: ${clip(lastOut)}` : ''}`;
          const color = COLORS[b.cat as 'success' | 'failure' | 'error'];
          body.push(
            `<rect class="probe probe-${b.cat}" x="${n(b.x - 1)}" y="${n(py)}" width="2" height="5" fill="${color}"><title>${esc(tip)}</title></rect>`,
          );
        }
      });
      for (const s of lane.segments) {
        const x1 = x(s.from);
        const w = Math.max(x(s.to) - x1, 0.5);
        const tip = `${laneName}: ${s.label} from ${humanDuration(s.from)} to ${humanDuration(s.to)}`;
        body.push(
          `<rect class="state state-${s.cls}" x="${n(x1)}" y="${n(y + 20)}" width="${n(w)}" height="14" fill="${COLORS[s.cls]}"><title>${esc(tip)}</title></rect>`,
        );
      }
      for (const r of lane.ready) {
        const x1 = x(r.from);
        const tip = `${laneName} ready from ${humanDuration(r.from)} to ${humanDuration(r.to)}`;
        body.push(
          `<rect class="ready" x="${n(x1)}" y="${n(y + 36)}" width="${n(Math.max(x(r.to) - x1, 0.5))}" height="4" fill="${COLORS.ready}"><title>${esc(tip)}</title></rect>`,
        );
      }
      totalRestarts += lane.restarts.length;
      for (const b of bucket(
        lane.restarts,
        (r) => x(r.at),
        () => 'restart',
      )) {
        const last = b.items[b.items.length - 1]!;
        const tip =
          b.items.length === 1
            ? `${laneName} restarted (restart #${last.count}) at ${humanDuration(last.at)}`
            : `${laneName} restarted ${b.items.length} times ${timeSpan(b.items)} (up to restart #${last.count})`;
        const cx = b.x;
        body.push(
          `<path class="restart" d="M${n(cx - 4)} ${n(y + 12)}L${n(cx + 4)} ${n(y + 12)}L${n(cx)} ${n(y + 19)}Z" fill="${COLORS.restart}"><title>${esc(tip)}</title></path>`,
        );
      }
      body.push('</g>');
      y += LANE_H;
    }
    const events = trace.events
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.object === `Pod/${p.name}` && e.namespace === p.namespace)
      .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
      .map(({ e }) => ({ ...e }));
    body.push(`<g class="events" aria-label="${esc(`events of Pod ${p.namespace}/${p.name}`)}">`);
    body.push(`<text x="16" y="${n(y + 12)}">events</text>`);
    for (const b of bucket(
      events,
      (e) => x(e.at),
      (e) => e.type,
    )) {
      const lines = b.items
        .slice(0, 8)
        .map((e) => `${humanDuration(e.at)} ${e.type} ${e.reason}: ${clip(e.message, 120)}`);
      if (b.items.length > 8) lines.push(`… and ${b.items.length - 8} more`);
      const cy = y + 8;
      body.push(
        `<path class="event event-${b.cat}" d="M${n(b.x)} ${n(cy - 5)}L${n(b.x + 4)} ${n(cy)}L${n(b.x)} ${n(cy + 5)}L${n(b.x - 4)} ${n(cy)}Z" fill="${COLORS[b.cat as 'Normal' | 'Warning']}"><title>${esc(lines.join('\n'))}</title></path>`,
      );
    }
    body.push('</g>', '</g>');
    y += EVENTS_H;
  }
  if (podLanes.length === 0) {
    body.push(`<text x="${LEFT}" y="${n(y + 16)}">No Pod was created in this run.</text>`);
    y += 24;
  }
  for (const sv of serviceLanes) {
    const svcName = `Service ${sv.namespace}/${sv.name}`;
    body.push(`<g class="service" aria-label="${esc(`ready endpoints of ${svcName}`)}">`);
    body.push(`<text x="8" y="${n(y + 15)}">${fitLabel(svcName, 26)}</text>`);
    for (const seg of sv.segments) {
      const x1 = x(seg.from);
      const count = seg.ready.length;
      const what =
        count === 0
          ? 'no ready endpoints'
          : `${count} ready endpoint${count === 1 ? '' : 's'} (${seg.ready.slice(0, 8).join(', ')}${count > 8 ? ', …' : ''})`;
      const tip = `${svcName}: ${what} from ${humanDuration(seg.from)} to ${humanDuration(seg.to)}`;
      body.push(
        `<rect class="endpoints endpoints-${count === 0 ? 'none' : 'ready'}" x="${n(x1)}" y="${n(y + 6)}" width="${n(Math.max(x(seg.to) - x1, 0.5))}" height="10" fill="${count === 0 ? COLORS.noEndpoints : COLORS.endpoints}"><title>${esc(tip)}</title></rect>`,
      );
    }
    body.push('</g>');
    y += SERVICE_H;
  }
  const plotBottom = y;

  // Checks: windows shaded, instants as dashed lines, labelled at the top of the plot.
  const checkParts: string[] = [];
  checks.forEach((c, i) => {
    const color = c.passed ? COLORS.passed : COLORS.failed;
    const verdict = c.passed ? 'passed' : 'failed';
    const parts: string[] = [];
    if (c.window) {
      const [a, b] = c.window[0] <= c.window[1] ? c.window : [c.window[1], c.window[0]];
      const x1 = x(a);
      parts.push(
        `<rect class="check-window" x="${n(x1)}" y="${n(plotTop)}" width="${n(Math.max(x(b) - x1, 1))}" height="${n(plotBottom - plotTop)}" fill="${color}" fill-opacity="0.12" stroke="${color}" stroke-opacity="0.5"><title>${esc(`check ${c.id} ${verdict}: window ${humanDuration(a)}–${humanDuration(b)}`)}</title></rect>`,
      );
    }
    if (c.at !== undefined) {
      const cx = x(c.at);
      parts.push(
        `<line class="check-at" x1="${n(cx)}" y1="${n(plotTop)}" x2="${n(cx)}" y2="${n(plotBottom)}" stroke="${color}" stroke-width="2" stroke-dasharray="4 3"><title>${esc(`check ${c.id} ${verdict} at ${humanDuration(c.at)}`)}</title></line>`,
      );
    }
    const lx = c.at !== undefined ? x(c.at) : c.window ? x(Math.min(c.window[0], c.window[1])) : LEFT;
    parts.push(
      `<text x="${n(lx + 3)}" y="${n(plotTop - 4 - (i % 2) * 10)}" font-size="9" fill="${color}">${esc(`${c.passed ? '✓' : '✗'} ${c.id}`)}</text>`,
    );
    checkParts.push(
      `<g class="check check-${verdict}" aria-label="${esc(`check ${c.id} ${verdict}`)}">${parts.join('')}</g>`,
    );
  });

  // Time axis.
  const axis: string[] = [];
  const axisY = plotBottom + 6;
  axis.push(`<line x1="${LEFT}" y1="${n(axisY)}" x2="${width - RIGHT}" y2="${n(axisY)}" stroke="#333333"/>`);
  const step = tickStep(end);
  for (let t = 0; t <= end; t += step) {
    const tx = x(t);
    axis.push(`<line x1="${n(tx)}" y1="${n(axisY)}" x2="${n(tx)}" y2="${n(axisY + 5)}" stroke="#333333"/>`);
    axis.push(
      `<text x="${n(tx)}" y="${n(axisY + 17)}" font-size="10" text-anchor="middle">${esc(humanDuration(t))}</text>`,
    );
  }
  axis.push(`<text x="8" y="${n(axisY + 17)}" font-size="10">virtual time</text>`);

  // Legend.

  const legend: string[] = ['<g class="legend" aria-label="legend">'];
  LEGEND_ITEMS.forEach(([name, color, shape], i) => {
    const lx = 8 + (i % perRow) * LEGEND_ITEM_W;
    const ly = TOP + 4 + Math.floor(i / perRow) * 16;
    legend.push(
      shape === 'rect'
        ? `<rect x="${lx}" y="${ly}" width="14" height="10" fill="${color}"/>`
        : `<rect x="${lx + 5}" y="${ly}" width="4" height="10" fill="${color}"/>`,
      `<text x="${lx + 18}" y="${ly + 9}" font-size="10">${esc(name)}</text>`,
    );
  });
  legend.push('</g>');

  const height = axisY + AXIS_H;
  const containers = podLanes.reduce((s, p) => s + p.lanes.length, 0);
  const title = `Timeline of the run: ${podLanes.length} Pod${podLanes.length === 1 ? '' : 's'}, 0s to ${humanDuration(trace.endAt)}`;
  const desc =
    `${containers} container lane${containers === 1 ? '' : 's'}, ` +
    (serviceLanes.length > 0
      ? `${serviceLanes.length} Service endpoint lane${serviceLanes.length === 1 ? '' : 's'}, `
      : '') +
    (trace.actions.length > 0
      ? `${trace.actions.length} operator action${trace.actions.length === 1 ? '' : 's'}, `
      : '') +
    `${totalRestarts} restart${totalRestarts === 1 ? '' : 's'}, ` +
    `${trace.events.length} event${trace.events.length === 1 ? '' : 's'}, ${trace.probes.length} probe result${trace.probes.length === 1 ? '' : 's'}` +
    (checks.length > 0
      ? `, ${checks.filter((c) => c.passed).length} of ${checks.length} checks passed`
      : '') +
    '. Each lane shows the container state over virtual time; hover a mark for details.';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" width="${width}" height="${n(height)}" viewBox="0 0 ${width} ${n(height)}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="${id}-title">${esc(title)}</title>`,
    `<desc id="${id}-desc">${esc(desc)}</desc>`,
    `<rect x="0" y="0" width="${width}" height="${n(height)}" fill="#FFFFFF"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...legend,
    ...body,
    ...checkParts,
    ...axis,
    '</svg>',
    '',
  ].join('\n');
}
