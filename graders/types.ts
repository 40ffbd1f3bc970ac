/**
 * The scenario (scenario-format.md, section 1) as the graders hold it after parsing, and the
 * grade result (section 2, a superset of Gradescope's results.json).
 */
import type { ApiObject } from '../src/model/k8s.ts';
import type { ManifestError, Warning } from '../src/model/source.ts';
import type { Action, ImageDefinition } from '../src/model/trace.ts';

/** A count or a range: `3` or `{min: 1, max: 3}`. */
export type CountSpec = number | { min?: number; max?: number };

/** Temporal forms, in virtual milliseconds (at most one is set). */
export type When = { kind: 'at'; at: number } | { kind: 'within' | 'throughout'; from: number; to: number };

/** Expectations on one container (init containers too). */
export interface ContainerExpect {
  state?: 'waiting' | 'running' | 'terminated';
  reason?: string;
  exitCode?: number;
  ready?: boolean;
  started?: boolean;
  restarts?: CountSpec;
}

/** Expectations of a `pod` check; every listed key must hold at the same instant. */
export interface PodExpect {
  exists?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  status?: string;
  ready?: string | boolean;
  restarts?: CountSpec;
  conditions?: Record<string, 'True' | 'False' | 'Unknown'>;
  containers?: Record<string, ContainerExpect>;
}

/** The subject of one check. */
export type CheckSubject =
  | { kind: 'pod'; pod: string; namespace: string; expect: PodExpect }
  | {
      kind: 'event';
      pod: string;
      namespace: string;
      container?: string;
      type?: 'Normal' | 'Warning';
      reason: string;
      message?: string;
      messageRegex?: string;
      count?: CountSpec;
    }
  | {
      kind: 'exec';
      pod: string;
      namespace: string;
      container?: string;
      command: string[];
      exitCode?: number;
      stdout?: string;
      stderr?: string;
    }
  | {
      /** The value of an env var a container sees (issue 19 §4): `printenv NAME` in it. */
      kind: 'env';
      pod: string;
      namespace: string;
      container?: string;
      name: string;
      value?: string;
      exists?: boolean;
    }
  | {
      /** The content of a file a container sees (issue 19 §4): `cat PATH` in it. */
      kind: 'file';
      pod: string;
      namespace: string;
      container?: string;
      path: string;
      content?: string;
      contains?: string;
      exists?: boolean;
    }
  | { kind: 'service'; name: string; namespace: string; readyEndpoints?: CountSpec; exists?: boolean }
  | {
      kind: 'job';
      name: string;
      namespace: string;
      condition?: 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget';
      reason?: string;
      succeeded?: CountSpec;
      failed?: CountSpec;
      active?: CountSpec;
    }
  | {
      /** A Deployment's status, a condition, its revision, its rollout (issue 19 §2). */
      kind: 'deployment';
      name: string;
      namespace: string;
      exists?: boolean;
      replicas?: CountSpec;
      readyReplicas?: CountSpec;
      updatedReplicas?: CountSpec;
      availableReplicas?: CountSpec;
      condition?: 'Available' | 'Progressing' | 'ReplicaFailure';
      status?: 'True' | 'False' | 'Unknown';
      reason?: string;
      revision?: number;
      rolloutComplete?: boolean;
      rolloutStatus?: string;
    }
  | {
      kind: 'manifest';
      objectKind: string;
      name: string;
      namespace: string;
      path: string;
      equals?: unknown;
      hasEquals: boolean;
      exists?: boolean;
      oneOf?: unknown[];
      matches?: string;
    };

/** One check, compiled from the scenario file. */
export interface Check {
  id: string;
  title?: string;
  points: number;
  visibility: 'visible' | 'hidden' | 'after_due_date';
  hint?: string;
  /** Absent for `manifest` checks, which are static. */
  when?: When;
  subject: CheckSubject;
}

/** Optional publication policy (a podlab extension used by the HTTP API and the LMS). */
export interface ScenarioPolicy {
  maxAttempts?: number;
  scorePolicy: 'best' | 'latest';
  dueDate?: string;
  published?: boolean;
  /**
   * Whether a student sees the summed score of the checks concealed from them (`show`, the
   * default when absent) or not even that (`hide`: the student's totals then count the visible
   * checks only).
   */
  hiddenScore?: 'show' | 'hide';
}

/** A parsed, validated scenario. `source` is the document as written (canonical JSON form). */
export interface Scenario {
  name: string;
  title: string;
  labels: Record<string, string>;
  instructions: string;
  submission: {
    allowedKinds: string[];
    maxBytes: number;
    required: { kind: string; name: string; namespace: string }[];
  };
  /** Setup manifests, loaded and defaulted; applied at t=0 before the submission. */
  setup: ApiObject[];
  /** Operator actions with their manifests loaded, in file order. */
  actions: Action[];
  durationMs: number;
  cluster: { busyboxShortNameLookup: 'resolve' | 'strict'; imagePullMs: number };
  images: Record<string, ImageDefinition>;
  checks: Check[];
  policy: ScenarioPolicy;
  /** The document as parsed from YAML (plain data), for `publicScenario` and the version digest. */
  source: Record<string, unknown>;
}

/** A problem in a scenario file, with its path in the document and its place in the file. */
export interface ScenarioError {
  message: string;
  path: string;
  line?: number;
  column?: number;
}

/**
 * One graded check in a result (Gradescope `tests[]` entry plus podlab's `id` and `hint`).
 * A student view holds no entry for a concealed check (`studentView`).
 */
export interface TestResult {
  id: string;
  name?: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  visibility: 'visible' | 'hidden' | 'after_due_date';
  output?: string;
  hint?: string;
}

/** An event as listed in a result. */
export interface ResultEvent {
  at: string;
  object: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** The grade result (scenario-format.md, section 2). */
export interface GradeResult {
  scenario: string;
  scenario_version: string;
  status: 'graded' | 'rejected';
  score: number;
  max_score: number;
  /** Gradescope: a short summary shown above the tests. */
  output: string;
  /** Gradescope: visibility of the whole result. */
  visibility: 'visible';
  tests: TestResult[];
  errors: ManifestError[];
  warnings: Warning[];
  transcript: string;
  events: ResultEvent[];
  simulator: { version: string; kubernetes: '1.33'; digest: string };
}

/**
 * The one `tests[]` entry of a student view that stands for every check concealed from the
 * student (hidden ones, and after_due_date ones before the due date): a plain Gradescope test
 * with no `id` and nothing of any check's wording. `score`, `max_score` and `status` are absent
 * when the scenario hides the score (`spec.policy.hiddenScore: hide`).
 */
export interface ConcealedChecksEntry {
  name: string;
  score?: number;
  max_score?: number;
  status?: 'passed' | 'failed';
  visibility: 'visible';
  output: string;
}

/** What a student view says of its concealed checks, beside their `tests[]` entry. */
export interface ConcealedChecksSummary {
  count: number;
  max_score: number;
  /** Absent when the scenario hides the score. */
  score?: number;
  /** Whether the view's `score` and `max_score` include these checks (false when hidden). */
  in_total: boolean;
}

/**
 * The student view of a grade result (`studentView`): still a Gradescope results.json
 * superset, with the visible checks and at most one entry for the concealed ones.
 */
export interface StudentGradeResult extends Omit<GradeResult, 'tests'> {
  tests: (TestResult | ConcealedChecksEntry)[];
  /** Gradescope's free `extra_data`: what is concealed, present when checks are. */
  extra_data?: { hidden_checks: ConcealedChecksSummary };
}
