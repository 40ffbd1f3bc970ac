/**
 * The API function grades through the grader function (functions/grader/): every request and
 * answer crosses as JSON. Over a transport that serialises exactly as Lambda Invoke does, the
 * remote Grader must answer byte for byte what the in-process one answers, for every lab.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graderHandler, handler } from '../../functions/grader/lambda.ts';
import { remoteGrader } from '../../functions/grader/remote.ts';
import { localGrader, realGrader } from '../../functions/service/grader.ts';
import { InternalError, inputDigest } from '../../graders/index.ts';
import { brokenSpawn, INJECTED_FAULT } from '../graders/broken-image.ts';

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

  it('carries an internal failure back as an InternalError with its stage, digest and cause, never as a result', async () => {
    const dir = join(ROOT, 'scenarios', readdirSync(join(ROOT, 'scenarios')).sort()[0]!);
    const parsed = await realGrader.parse(readFileSync(join(dir, 'scenario.yaml'), 'utf8'), 'scenario.yaml');
    if (!parsed.ok) throw new Error('the first lab does not parse');
    const broken = graderHandler(localGrader({ resolveImage: brokenSpawn() }));
    const far = remoteGrader(async (payload) => JSON.stringify(await broken(JSON.parse(payload))));
    const submission = readFileSync(join(dir, 'solution.yaml'), 'utf8');
    const err = await far.grade(parsed.scenario, parsed.version, submission).then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InternalError);
    expect(err).toMatchObject({
      stage: 'simulator',
      inputDigest: inputDigest(parsed.version, submission),
      scenario: parsed.scenario.name,
      scenarioVersion: parsed.version,
      causeName: 'TypeError',
    });
    expect((err as InternalError).detail).toContain(INJECTED_FAULT);
  });
});
