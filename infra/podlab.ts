/**
 * Builds the podlab stacks of one stage into a CDK App: the stateful data stack and the
 * stateless API stack that depends on it. Shared by infra/app.ts and the assertion tests.
 */
import type { App } from 'aws-cdk-lib';
import { PodlabApiStack } from './api-stack.ts';
import type { PodlabConfig } from './config.ts';
import { PodlabDataStack } from './data-stack.ts';

/** The two stacks of one stage. */
export interface PodlabStacks {
  readonly data: PodlabDataStack;
  readonly api: PodlabApiStack;
}

/** Stack names of a stage (also their construct ids, so `cdk deploy podlab-dev-api` selects one). */
export function stackNames(stage: string): { data: string; api: string } {
  return { data: `podlab-${stage}-data`, api: `podlab-${stage}-api` };
}

/** Adds the stacks of `config.stage` to `app`. Environment-agnostic: no account or region is pinned. */
export function addPodlabStacks(app: App, config: PodlabConfig): PodlabStacks {
  const names = stackNames(config.stage);
  const tags = { project: 'podlab', stage: config.stage };
  const data = new PodlabDataStack(app, names.data, {
    stackName: names.data,
    description: `podlab ${config.stage}: data (DynamoDB table, retained)`,
    stage: config.stage,
    terminationProtection: config.stage === 'prod',
    tags,
  });
  const api = new PodlabApiStack(app, names.api, {
    stackName: names.api,
    description: `podlab ${config.stage}: HTTP API, functions, queues, alarms`,
    config,
    table: data.table,
    tags,
  });
  return { data, api };
}
