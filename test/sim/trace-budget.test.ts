/** The trace budgets (issue 20): each ends a run early, at the same instant every time. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../graders/index.ts';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Budgets, SimOptions } from '../../src/model/trace.ts';
import { STOP_POLL_EVENTS } from '../../src/sim/engine.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';
import { measuredJson } from '../../src/sim/trace-budget.ts';
import { ctr, pod, probe, run } from './helpers.ts';

/** Ten containers probed every second by a liveness and a readiness exec probe. */
function probedPods() {
  const containers = Array.from({ length: 10 }, (_, i) =>
    ctr(`c${i}`, ['script', 'idle'], {
      livenessProbe: probe({ exec: { command: ['true'] }, periodSeconds: 1 }),
      readinessProbe: probe({ exec: { command: ['true'] }, periodSeconds: 1 }),
    }),
  );
  return [pod('p', containers)];
}

/** One container whose liveness probe fails every second: an Unhealthy event each time. */
function failingPod() {
  return [
    pod('p', [
      ctr('c', ['script', 'idle'], {
        livenessProbe: probe({ exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1_000_000 }),
      }),
    ]),
  ];
}

const rows: {
  name: string;
  objects: () => ReturnType<typeof probedPods>;
  budgets: Partial<Budgets>;
  budget: string;
}[] = [
  { name: 'trace entries', objects: probedPods, budgets: { maxTraceEntries: 5_000 }, budget: 'traceEntries' },
  { name: 'trace bytes', objects: probedPods, budgets: { maxTraceBytes: 200_000 }, budget: 'traceBytes' },
  { name: 'probe executions', objects: probedPods, budgets: { maxProbeRuns: 3_000 }, budget: 'probes' },
  {
    name: 'events per container',
    objects: failingPod,
    budgets: { maxEventsPerContainer: 500 },
    budget: 'containerEvents',
  },
];

describe('trace budgets', () => {
  for (const row of rows) {
    it(`${row.name}: the run stops early with budget ${row.budget}, byte-identically`, () => {
      const tweak = (o: SimOptions) => Object.assign(o.budgets, row.budgets);
      const a = run(row.objects(), 86_400, [], tweak);
      const b = run(row.objects(), 86_400, [], tweak);
      expect(a.endReason).toMatchObject({ kind: 'budget', budget: row.budget });
      expect(a.endAt).toBeLessThan(3_600_000);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    });
  }

  it('the default budgets leave a short probed run alone', () => {
    const t = run(probedPods(), 300);
    expect(t.endReason).toEqual({ kind: 'horizon' });
    expect(t.probes.length).toBeGreaterThan(5_000);
  });

  it('shouldStop is polled every STOP_POLL_EVENTS events and ends the run with the time budget', () => {
    let polls = 0;
    const t = run(probedPods(), 86_400, [], (o) => {
      o.shouldStop = () => ++polls >= 3;
    });
    expect(t.endReason).toMatchObject({ kind: 'budget', budget: 'time' });
    expect(polls).toBe(3);
    expect(STOP_POLL_EVENTS).toBeGreaterThan(0);
  });
});

describe("a successful probe's output in the trace", () => {
  // prober.go keeps only a probe's result; podlab keeps the first 160 characters of a success
  // (what explanations and timeline tooltips show), a failure's whole text (its event's message).
  it('is cut to 160 characters; a failure keeps all of it', () => {
    const loaded = loadManifests(
      `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: nginx
      image: nginx:1.27
      livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
      readinessProbe: {httpGet: {path: /missing, port: 80}, periodSeconds: 1, failureThreshold: 100}
`,
      { file: 'web.yaml' },
    );
    const o = defaultSimOptions();
    o.budgets.horizonMs = 5_000;
    const trace = simulate(
      loaded.objects.map((x) => x.object),
      [],
      o,
    );
    const ok = trace.probes.find((p) => p.probe === 'liveness' && p.result === 'success');
    const bad = trace.probes.find((p) => p.probe === 'readiness' && p.result === 'failure');
    expect(ok?.output.startsWith('<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>')).toBe(
      true,
    );
    expect(ok?.output).toHaveLength(160);
    expect(bad?.output).toMatch(/^HTTP probe failed with statuscode: 404/);
  });
});

describe("the trace meter's texts", () => {
  // The digest writes each entry as the meter measured it, so every text must be exactly
  // JSON.stringify of its entry, also when the meter reused an earlier entry's text.
  const lists = ['records', 'events', 'probes', 'logs', 'notes'] as const;
  const root = fileURLToPath(new URL('../../scenarios/', import.meta.url));
  const labs = readdirSync(root).filter((n) => existsSync(join(root, n, 'scenario.yaml')));

  it.each(labs)('are JSON.stringify of every entry in lab %s, solution and mistakes', (lab) => {
    const parsed = parseScenario(readFileSync(join(root, lab, 'scenario.yaml'), 'utf8'), lab);
    if (!parsed.ok) throw new Error(`${lab} does not parse`);
    const s = parsed.scenario;
    const files = [join(root, lab, 'solution.yaml')];
    const mistakes = join(root, lab, 'mistakes');
    if (existsSync(mistakes)) for (const f of readdirSync(mistakes)) files.push(join(mistakes, f));
    for (const file of files) {
      const objects = loadManifests(readFileSync(file, 'utf8'), { file }).objects.map((o) => o.object);
      const o = defaultSimOptions();
      const trace = simulate([...s.setup, ...objects], s.actions, {
        ...o,
        budgets: { ...o.budgets, horizonMs: s.durationMs },
        cluster: { ...s.cluster },
        images: s.images,
      });
      for (const name of lists) {
        const list = trace[name] as unknown[];
        const texts = measuredJson(list) ?? [];
        expect(texts.length).toBe(list.length);
        for (let i = 0; i < list.length; i++) expect(texts[i]).toBe(JSON.stringify(list[i]));
      }
    }
  });

  it('reuses the text of an entry that differs only in its instant, and never across a changed value', () => {
    const t = run(probedPods(), 30);
    const texts = measuredJson(t.probes)!;
    expect(t.probes.length).toBeGreaterThan(100);
    for (const [i, p] of t.probes.entries()) expect(texts[i]).toBe(JSON.stringify(p));
    const f = run(failingPod(), 30);
    const events = measuredJson(f.events)!;
    for (const [i, e] of f.events.entries()) expect(events[i]).toBe(JSON.stringify(e));
  });
});
