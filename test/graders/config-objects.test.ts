/**
 * A submission may hold ConfigMaps and Secrets next to its Pod (issue 19 §1): they are graded
 * through the same path (loader, API server store, kubelet), and a broken one is rejected with
 * kubectl's text and its line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, parseScenario } from '../../graders/index.ts';

const root = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const parsed = parseScenario(readFileSync(`${root}liveness-exec/scenario.yaml`, 'utf8'), 'scenario.yaml');
if (!parsed.ok) throw new Error('scenario');
const { scenario, version } = parsed;
const solution = readFileSync(`${root}liveness-exec/solution.yaml`, 'utf8');

const configMap = (data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n${data}\n---\n`;

describe('ConfigMaps and Secrets in a graded submission', () => {
  it('a lab whose allowedKinds leave ConfigMap out rejects one, with the grader text', () => {
    const r = gradeSubmission(scenario, version, configMap('  key: value') + solution);
    expect(r.status).toBe('rejected');
    expect(r.output).toContain('error: kind ConfigMap is not allowed in this lab (allowed: Pod)');
  });

  it('a lab that allows ConfigMaps grades one next to its Pod as the Pod alone', () => {
    const text = readFileSync(`${root}liveness-exec/scenario.yaml`, 'utf8').replace(
      /allowedKinds: \[Pod\]/,
      'allowedKinds: [Pod, ConfigMap]',
    );
    const p = parseScenario(text, 'scenario.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p));
    const alone = gradeSubmission(p.scenario, p.version, solution);
    const withConfig = gradeSubmission(p.scenario, p.version, configMap('  key: value') + solution);
    expect([alone.status, withConfig.status]).toEqual(['graded', 'graded']);
    expect(withConfig.score).toBe(alone.score);
    expect(withConfig.score).toBe(withConfig.max_score);
  });

  it('an invalid ConfigMap key is rejected with kubectl text and its line', () => {
    const r = gradeSubmission(scenario, version, configMap('  "a b": value') + solution, {
      file: 'lab.yaml',
    });
    expect(r.status).toBe('rejected');
    const e = r.errors.find((x) => x.field === 'data[a b]')!;
    expect(e.message).toMatch(
      /^The ConfigMap "extra" is invalid: data\[a b\]: Invalid value: "a b": a valid config key/,
    );
    expect([e.file, e.line]).toEqual(['lab.yaml', 6]);
  });
});
