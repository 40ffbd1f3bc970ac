/**
 * API defaulting of apps/v1 Deployments and ReplicaSets (k/k pkg/apis/apps/v1/defaults.go,
 * SetDefaults_Deployment and SetDefaults_ReplicaSet), and of their Pod template: defaulter-gen
 * runs SetDefaults_PodSpec and the container/volume defaulters on `spec.template.spec`, but not
 * SetDefaults_Pod (enableServiceLinks, requests copied from limits), which only a Pod gets.
 * Every function copies: the input is never changed.
 */

import { defaultedJson } from './defaults.ts';
import { cloneJson } from './json.ts';

type Obj = Record<string, unknown>;

/** The kinds of apps/v1 that podlab decodes. */
export type AppsKind = 'Deployment' | 'ReplicaSet';

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

/** The template's spec with the PodSpec defaults, without the Pod-only ones of SetDefaults_Pod. */
function defaultTemplate(template: Obj): Obj {
  const spec = obj(template.spec) ?? {};
  const before = cloneJson(spec) as Obj;
  const defaulted = obj(defaultedJson('Pod', { spec }).spec) ?? {};
  if (absent(before.enableServiceLinks)) delete defaulted.enableServiceLinks;
  for (const key of ['containers', 'initContainers']) {
    const original = Array.isArray(before[key]) ? (before[key] as unknown[]) : [];
    const out = Array.isArray(defaulted[key]) ? (defaulted[key] as unknown[]) : [];
    out.forEach((c, i) => {
      const resources = obj(obj(c)?.resources);
      const had = obj(obj(original[i])?.resources);
      if (resources && absent(had?.requests)) delete resources.requests;
    });
  }
  return { ...template, spec: defaulted };
}

/** SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
function applyDeploymentDefaults(spec: Obj): void {
  if (absent(spec.replicas)) spec.replicas = 1;
  const strategy = obj(spec.strategy) ?? {};
  spec.strategy = strategy;
  if (absent(strategy.type) || strategy.type === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = obj(strategy.rollingUpdate) ?? {};
    strategy.rollingUpdate = rolling;
    if (absent(rolling.maxUnavailable)) rolling.maxUnavailable = '25%';
    if (absent(rolling.maxSurge)) rolling.maxSurge = '25%';
  }
  if (absent(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (absent(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
}

/** A defaulted copy of a decoded Deployment or ReplicaSet (plain JSON), for the manifest loader. */
export function defaultedAppsJson(kind: AppsKind, decoded: Obj): Obj {
  const copy = cloneJson(decoded) as Obj;
  const spec = obj(copy.spec) ?? {};
  copy.spec = spec;
  if (kind === 'Deployment') applyDeploymentDefaults(spec);
  else if (absent(spec.replicas)) spec.replicas = 1; // SetDefaults_ReplicaSet
  spec.template = defaultTemplate(obj(spec.template) ?? {});
  return copy;
}
