/**
 * The isolated runner of one hostile case (a child process, see isolate.ts): rebuilds the input
 * by name, runs it twice through the real code and answers with each run's wall time, the
 * SHA-256 of its JSON output and a one-line summary. A crash or hang here cannot take the test
 * worker down with it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeSubmission, parseScenario } from '../../graders/index.ts';
import { loadManifests } from '../../src/manifest/index.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';
import { hostileSubmissions, MANIFESTS, ROOT, SCENARIOS, SHELL_BOMBS, shellPod } from './corpus.ts';
import { type CaseRequest, PER_RUN_MS, type RunOutcome } from './isolate.ts';

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0]!.slice(0, 200);
}

function runOnce(req: CaseRequest): { json: string; summary: string } {
  switch (req.kind) {
    case 'manifest': {
      const r = loadManifests(MANIFESTS[req.name]!(), { file: 'hostile.yaml', maxBytes: req.maxBytes });
      return {
        json: JSON.stringify(r),
        summary: `${r.objects.length} objects, ${r.errors.length} errors: ${firstLine(r.errors[0]?.message)}`,
      };
    }
    case 'scenario': {
      const r = parseScenario(SCENARIOS[req.name]!(), 'scenario.yaml');
      return {
        json: JSON.stringify(r),
        summary: r.ok ? `ok ${r.version}` : `${r.errors.length} errors: ${firstLine(r.errors[0]?.message)}`,
      };
    }
    case 'grade': {
      const entry = hostileSubmissions().find(([lab, name]) => lab === req.lab && name === req.name)!;
      const parsed = parseScenario(
        readFileSync(join(ROOT, 'scenarios', req.lab!, 'scenario.yaml'), 'utf8'),
        'scenario.yaml',
      );
      if (!parsed.ok) throw new Error(`lab ${req.lab} does not parse`);
      const r = gradeSubmission(parsed.scenario, parsed.version, entry[2](), { file: 'submission.yaml' });
      return {
        json: JSON.stringify(r),
        summary: `${r.status} ${r.score}/${r.max_score}: ${firstLine(r.errors[0]?.message)}`,
      };
    }
    case 'simulate': {
      const loaded = loadManifests(shellPod(SHELL_BOMBS[req.name]!), { file: 'pod.yaml' });
      if (loaded.errors.length > 0) return { json: JSON.stringify(loaded.errors), summary: 'rejected' };
      const options = defaultSimOptions();
      options.budgets.horizonMs = req.horizonMs ?? 300_000;
      const trace = simulate(
        loaded.objects.map((o) => o.object),
        [],
        options,
      );
      return {
        json: JSON.stringify(trace),
        summary: `${trace.endReason.kind}${trace.endReason.kind === 'budget' ? ` ${trace.endReason.budget}` : ''} at ${trace.endAt} ms, ${trace.logs.length} log lines`,
      };
    }
  }
}

process.on('message', (req: CaseRequest) => {
  const runs: RunOutcome[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const { json, summary } = runOnce(req);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      runs.push({
        ms,
        cpuMs,
        bytes: json.length,
        sha: createHash('sha256').update(json).digest('hex'),
        summary,
        heapMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      });
      // Over the safety net already: the case fails, a second run would only cost time.
      if (cpuMs > PER_RUN_MS) break;
    }
    process.send!({ kind: 'result', runs });
  } catch (err) {
    process.send!({
      kind: 'threw',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});
process.send!({ kind: 'ready' });
