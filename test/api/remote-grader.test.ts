/**
 * The API function grades through the grader function (functions/grader/): every request and
 * answer crosses as JSON. Over a transport that serialises exactly as Lambda Invoke does, the
 * remote Grader must answer byte for byte what the in-process one answers, for every lab.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/grader/lambda.ts';
import { remoteGrader } from '../../functions/grader/remote.ts';
import { realGrader } from '../../functions/service/grader.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const remote = remoteGrader(async (payload) => JSON.stringify(await handler(JSON.parse(payload))));

describe('the grader function behind JSON', () => {
  for (const lab of readdirSync(join(ROOT, 'scenarios')).sort()) {
    it(`${lab}: parse, grade (solution and mistakes) and timeline equal the in-process Grader`, async () => {
      const dir = join(ROOT, 'scenarios', lab);
      const text = readFileSync(join(dir, 'scenario.yaml'), 'utf8');
      const local = await realGrader.parse(text, 'scenario.yaml');
      const far = await remote.parse(text, 'scenario.yaml');
      expect(JSON.stringify(far)).toBe(JSON.stringify(local));
      if (!local.ok || !far.ok) return;
      const files = ['solution.yaml', ...readdirSync(join(dir, 'mistakes')).map((f) => join('mistakes', f))];
      for (const f of files) {
        const submission = readFileSync(join(dir, f), 'utf8');
        const a = await realGrader.grade(local.scenario, local.version, submission);
        const b = await remote.grade(far.scenario, far.version, submission);
        expect(JSON.stringify(b), f).toBe(JSON.stringify(a));
        const ids = local.scenario.checks.map((c) => c.id);
        expect(await remote.timeline(far.scenario, b, submission, ids), f).toEqual(
          await realGrader.timeline(local.scenario, a, submission, ids),
        );
      }
    });
  }

  it('reports an unknown request as an error, as a function error reaches the API', async () => {
    await expect(handler({ op: 'nope' } as never)).rejects.toThrow('unknown grader request "nope"');
  });
});
