/**
 * Test helper: synthesizes the podlab stacks once per test file, fast. It uses the context of
 * cdk.json (the feature flags `cdk synth` runs with), skips bundling (`aws:cdk:bundling-stacks`
 * empty) and CloudFormation's built-in validation; the real bundling runs in CI's `cdk synth`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../infra/config.ts';
import { missingEntries, missingEntriesMessage, REPO_ROOT } from '../../infra/entries.ts';
import { addPodlabStacks, type PodlabStacks } from '../../infra/podlab.ts';

/** The `context` object of cdk.json. */
export function cdkJsonContext(): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return json.context ?? {};
}

/** The synthesized stacks and their templates. */
export interface Synthesized {
  readonly stacks: PodlabStacks;
  readonly data: Template;
  readonly api: Template;
}

/** Synthesizes one stage with extra context (as `-c key=value` would give it). */
export function synth(extraContext: Record<string, unknown> = {}): Synthesized {
  const missing = missingEntries();
  if (missing.length > 0) throw new Error(missingEntriesMessage(missing));
  const context = { ...cdkJsonContext(), ...extraContext, 'aws:cdk:bundling-stacks': [] };
  const app = new App({ context, builtinCloudFormationValidation: false, treeMetadata: false });
  const stacks = addPodlabStacks(
    app,
    parseConfig((key) => app.node.tryGetContext(key)),
  );
  return { stacks, data: Template.fromStack(stacks.data), api: Template.fromStack(stacks.api) };
}
