/**
 * cdk-nag's AWS Solutions checks over the synthesized podlab app: no finding may stand
 * unacknowledged, and every acknowledgement carries its reason next to the construct in infra/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/config.ts';
import { addPodlabStacks } from '../../infra/podlab.ts';
import { cdkJsonContext } from './synth.ts';

const outdirs: string[] = [];
afterAll(() => {
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

/** A podlab app (bundling skipped) with the AWS Solutions pack as a validation plugin. */
function nagApp(extraContext: Record<string, unknown> = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'podlab-nag-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), ...extraContext, 'aws:cdk:bundling-stacks': [] },
  });
  addPodlabStacks(
    app,
    parseConfig((key) => app.node.tryGetContext(key)),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** Every acknowledgement recorded in the tree: rule id and reason, by construct path. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

describe('GIVEN the podlab app under cdk-nag AwsSolutionsChecks', () => {
  it.each([
    ['dev, default context', {}],
    [
      'prod with alarms by e-mail and CORS',
      { stage: 'prod', alarmEmail: 'ops@example.edu', corsOrigins: 'https://lms.example.edu' },
    ],
  ])('WHEN %s is synthesized THEN no finding stands unacknowledged', (_name, context) => {
    expect(() => nagApp(context).synth()).not.toThrow();
  });

  it('THEN the only acknowledged rules are the runtime pin and the app-level authorization, each with its reason', () => {
    const app = nagApp();
    app.synth();
    const acks = acknowledgements(app);
    expect([...new Set(acks.map((a) => a.id))].sort()).toEqual([
      'AwsSolutions::AwsSolutions-APIG4',
      'AwsSolutions::AwsSolutions-L1',
    ]);
    for (const a of acks) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(40);
  });

  it('a wildcard IAM grant or an AWS managed policy is a finding (the check can fail)', () => {
    const app = nagApp();
    const stack = new Stack(app, 'nag-canary');
    const role = new Role(stack, 'Wide', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Action::dynamodb:\*\]/);
  });
});
