/**
 * `gradeSubmission`: setup + submission -> simulate with the scenario's actions -> checks ->
 * the full (instructor) grade result. Deterministic: same input, byte-identical JSON.
 */

import { type InternalError, internalError, invariant } from '../src/errors/internal.ts';
import type { ApiObject, Pod, Service } from '../src/model/k8s.ts';
import type { Image } from '../src/model/runtime.ts';
import type { ManifestError, Warning } from '../src/model/source.ts';
import type { Action, ShouldStop, SimOptions, Trace } from '../src/model/trace.ts';
import {
  defaultSimOptions,
  type LoadedObject,
  loadManifests,
  measuredJson,
  resolveImage,
  SHADOW_EXEC_MS,
  SIMULATOR_VERSION,
  simulateWith,
  transcriptOf,
} from './adapters.ts';
import { budgetMessage, REJECTING_BUDGETS } from './budgets.ts';
import { canonicalJson } from './canonical.ts';
import { formatAt } from './duration.ts';
import {
  checkExec,
  type EvalContext,
  type ExecOutcome,
  type ExecRequest,
  type ExecSubject,
  evaluateCheck,
  planExecs,
} from './evaluate.ts';
import { unsimulatedImageErrors } from './images.ts';
import { digest, jsonDigest, type Sha256Factory, utf8 } from './sha256.ts';
import { TraceIndex } from './trace-index.ts';
import type { Check, GradeResult, Scenario, TestResult } from './types.ts';
import { submissionWarnings } from './warnings.ts';

/** Bounds on what a result lists (the checks always see the whole trace). */
const MAX_TRANSCRIPT_LINES = 1000;
const MAX_RESULT_EVENTS = 500;
const MAX_EVENT_MESSAGE = 1024;

/** The first `max` lines of a text (plus its header line), and how many were left out. */
function capLines(text: string, max: number): { text: string; truncated: number } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length <= max + 1) return { text, truncated: 0 };
  return { text: `${lines.slice(0, max + 1).join('\n')}\n…\n`, truncated: lines.length - max - 1 };
}

/** Most instants one windowed exec check is evaluated at. */
const MAX_EXEC_INSTANTS = 16;

function keyOf(o: ApiObject): string {
  return `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
}

function roundPoints(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function testName(c: Check): string {
  return c.title ?? c.id;
}

function simOptions(scenario: Scenario, shouldStop?: ShouldStop): SimOptions {
  const base = defaultSimOptions();
  return {
    ...base,
    ...(shouldStop ? { shouldStop } : {}),
    budgets: { ...base.budgets, horizonMs: scenario.durationMs },
    cluster: {
      busyboxShortNameLookup: scenario.cluster.busyboxShortNameLookup,
      imagePullMs: scenario.cluster.imagePullMs,
    },
    images: scenario.images,
  };
}

function rejected(
  scenario: Scenario,
  version: string,
  errors: ManifestError[],
  warnings: Warning[],
  kubectlText?: string,
  options: { output?: string } = {},
): GradeResult {
  const reason = errors[0]?.message.split('\n')[0] ?? 'the submission was rejected';
  const tests: TestResult[] = scenario.checks.map((c) => ({
    id: c.id,
    name: testName(c),
    score: 0,
    max_score: c.points,
    status: 'failed',
    visibility: c.visibility,
    output: `not graded: the submission was rejected (${reason})`,
    ...(c.hint !== undefined ? { hint: c.hint } : {}),
  }));
  return {
    scenario: scenario.name,
    scenario_version: version,
    status: 'rejected',
    score: 0,
    max_score: roundPoints(scenario.checks.reduce((s, c) => s + c.points, 0)),
    output:
      options.output ??
      `Your submission was rejected; kubectl would print:\n${kubectlText || errors.map((e) => e.message).join('\n')}`,
    visibility: 'visible',
    tests,
    errors,
    warnings,
    transcript: '',
    events: [],
    // Nothing was simulated: the digest covers what the run produced, the rejection itself.
    simulator: { version: SIMULATOR_VERSION, kubernetes: '1.33', digest: digest(canonicalJson(errors)) },
  };
}

/**
 * The run a graded submission made, replayed without its exec checks (they leave no trace, so
 * the trace is the graded one: same digest): the trace and the Pod specs in force, for
 * pictures of a stored result. Undefined when the submission does not load.
 */
export function replaySubmission(
  scenario: Scenario,
  submission: string,
  options: GradeOptions = {},
): { trace: Trace; pods: Pod[] } | undefined {
  const loaded = loadManifests(submission, {
    file: options.file ?? 'submission.yaml',
    maxBytes: scenario.submission.maxBytes,
  });
  if (loaded.errors.length > 0) return undefined;
  const objects = [...scenario.setup, ...loaded.objects.map((o) => o.object)];
  const trace = runSimulator(
    objects,
    scenario.actions,
    simOptions(scenario),
    options.resolveImage ?? resolveImage,
  );
  return { trace, pods: [...specsOf(objects, scenario.actions, trace).pods.values()] };
}

/** Collects the Pod and Service specs of the run, later applies replacing earlier ones. */
function specsOf(
  objects: ApiObject[],
  actions: Action[],
  trace: Trace,
): { pods: Map<string, Pod>; services: Map<string, Service> } {
  const pods = new Map<string, Pod>();
  const services = new Map<string, Service>();
  const add = (o: ApiObject) => {
    if (o.kind === 'Pod') pods.set(keyOf(o), o);
    else if (o.kind === 'Service') services.set(keyOf(o), o);
  };
  objects.forEach(add);
  for (const a of [...actions].sort((x, y) => x.at - y.at)) if (a.kind === 'apply') a.objects.forEach(add);
  for (const p of trace.createdPods ?? []) add(p);
  return { pods, services };
}

function lineFinder(o: LoadedObject): (path: string) => number | undefined {
  return (path: string) => o.positionOf(path).line;
}

/** The image catalogue the simulator resolves references with (scenario images, then built-ins). */
export type ImageResolver = (ref: string, images: SimOptions['images']) => Image | undefined;

/** Options of `gradeSubmission` and `replaySubmission`. */
export interface GradeOptions {
  /** The submission's file name in kubectl's messages (default `submission.yaml`). */
  file?: string;
  /** The simulator's image catalogue (default: the runtime's; tests pass scripted images). */
  resolveImage?: ImageResolver;
  /** Asked every few thousand events: true ends the run with the `time` budget (the adapter's wall-clock guard). */
  shouldStop?: ShouldStop;
  /** A faster SHA-256 for the trace's digest (adapters pass node:crypto's; the digest is the same). */
  sha256?: Sha256Factory;
}

/** `sha256:` digest of what was graded: the scenario version and the submission text. */
export function inputDigest(version: string, submission: string): string {
  return digest(canonicalJson([version, submission]));
}

/** Runs the simulator; what it throws is a failure of the simulator (an InternalError). */
function runSimulator(
  objects: ApiObject[],
  actions: Action[],
  options: SimOptions,
  resolver: ImageResolver,
): Trace {
  try {
    return simulateWith(objects, actions, options, resolver);
  } catch (err) {
    throw internalError('simulator', err);
  }
}

/** `err` as the InternalError of grading this input (stage `grader` unless it knows better). */
function gradingFailure(
  err: unknown,
  scenario: Scenario,
  version: string,
  submission: string,
): InternalError {
  const e = internalError('grader', err);
  e.inputDigest ??= inputDigest(version, submission);
  e.scenario ??= scenario.name;
  e.scenarioVersion ??= version;
  return e;
}

/**
 * Grades a submission against a scenario. Returns the full (instructor) view; use
 * `studentView` before showing it to a student. A submission that cannot be applied gives a
 * `rejected` result with kubectl's error text; it never throws for bad input. A failure of
 * podlab itself (loader, simulator or graders) throws an `InternalError` carrying the input's
 * digest, never a result: it is not the student's mistake. Exhausted budgets stay results.
 */
export function gradeSubmission(
  scenario: Scenario,
  version: string,
  submission: string,
  options: GradeOptions = {},
): GradeResult {
  try {
    return grade(scenario, version, submission, options);
  } catch (err) {
    throw gradingFailure(err, scenario, version, submission);
  }
}

/** Admission → run → plan → run → judge → result. */
function grade(scenario: Scenario, version: string, submission: string, options: GradeOptions): GradeResult {
  const admission = admit(scenario, version, submission, options.file ?? 'submission.yaml');
  if ('rejected' in admission) return admission.rejected;
  const run = runAndPlan(scenario, version, admission, options);
  if ('rejected' in run) return run.rejected;
  return graded(scenario, version, admission, run, judge(scenario, admission, run), options.sha256);
}

/** A submission the lab admits: its loaded objects and the loader's warnings. */
interface Admitted {
  file: string;
  loaded: ReturnType<typeof loadManifests>;
  warnings: Warning[];
}

/** What the graded run produced: its trace, the specs in force and the exec outcomes planned. */
interface Run {
  trace: Trace;
  index: TraceIndex;
  pods: Map<string, Pod>;
  services: Map<string, Service>;
  execResults: ReadonlyMap<string, ExecOutcome>;
}

/** Size, kubectl's validation, allowed and required kinds, simulated images: rejected, or admitted. */
function admit(
  scenario: Scenario,
  version: string,
  submission: string,
  file: string,
): Admitted | { rejected: GradeResult } {
  const max = scenario.submission.maxBytes;
  const size = utf8(submission).length;
  if (size > max) {
    const message = `error: the submission is ${size} bytes; this lab accepts at most ${max} bytes`;
    return { rejected: rejected(scenario, version, [{ message, file }], []) };
  }
  const loaded = loadManifests(submission, { file, maxBytes: max });
  const warnings: Warning[] = (loaded.warnings ?? []).map((w: Warning) => ({ ...w }));
  if (loaded.errors.length > 0) {
    const errors = loaded.errors.map((e) => ({ ...e }));
    const kubectl = loaded.rejected.map((r) => r.text).join('\n');
    return { rejected: rejected(scenario, version, errors, warnings, kubectl) };
  }

  const errors: ManifestError[] = [];
  for (const o of loaded.objects) {
    if (!scenario.submission.allowedKinds.includes(o.kind)) {
      errors.push({
        message: `error: kind ${o.kind} is not allowed in this lab (allowed: ${scenario.submission.allowedKinds.join(', ')})`,
        field: 'kind',
        file,
        line: o.line,
        column: o.column,
      });
    }
  }
  for (const r of scenario.submission.required) {
    if (!loaded.objects.some((o) => o.kind === r.kind && o.name === r.name && o.namespace === r.namespace)) {
      const present = loaded.objects.filter((o) => o.kind === r.kind).map((o) => o.name);
      errors.push({
        message: `error: the submission must contain a ${r.kind} named "${r.name}"${present.length > 0 ? ` (found ${r.kind} ${present.map((n) => `"${n}"`).join(', ')})` : ''}`,
        file,
      });
    }
  }
  // Known images that podlab does not simulate (issue 15 §2): rejected, never "does not exist".
  errors.push(
    ...unsimulatedImageErrors(
      loaded.objects.map((o) => ({ raw: o.raw, lineOf: lineFinder(o) })),
      scenario.images,
      file,
    ),
  );
  if (loaded.objects.length === 0 && errors.length === 0) {
    errors.push({ message: `error: no objects passed to apply`, file });
  }
  if (errors.length > 0) return { rejected: rejected(scenario, version, errors, warnings) };
  return { file, loaded, warnings };
}

/**
 * Runs the submission with the exec checks' up-front instants (`at`, a window's start), then
 * plans the windows' later change instants from its trace and runs them in at most one more run
 * (the same run again: shadow execs change nothing in it). A run that outgrew a rejecting
 * budget is rejected.
 */
function runAndPlan(
  scenario: Scenario,
  version: string,
  admitted: Admitted,
  options: GradeOptions,
): Run | { rejected: GradeResult } {
  const resolver = options.resolveImage ?? resolveImage;
  const objects = [...scenario.setup, ...admitted.loaded.objects.map((o) => o.object)];
  const simulation = simOptions(scenario, options.shouldStop);
  const execResults = new Map<string, ExecOutcome>();
  const upFront: ExecRequest[] = [];
  for (const c of scenario.checks) {
    const subject = checkExec(c);
    if (subject === undefined || c.when === undefined) continue;
    upFront.push({ subject, at: c.when.kind === 'at' ? c.when.at : c.when.from });
  }
  const trace = simulateWithExecs(objects, scenario.actions, simulation, resolver, upFront, execResults);
  const { pods, services } = specsOf(objects, scenario.actions, trace);
  if (trace.endReason.kind === 'budget' && REJECTING_BUDGETS.has(trace.endReason.budget)) {
    const message = budgetMessage(
      trace,
      [...pods.values()],
      scenario.durationMs,
      simulation.budgets.maxEvents,
    );
    const output = `Your submission was not graded: its run grew too large to grade.\n${message}`;
    return {
      rejected: rejected(
        scenario,
        version,
        [{ message, file: admitted.file }],
        admitted.warnings,
        undefined,
        {
          output,
        },
      ),
    };
  }
  const index = new TraceIndex(trace);
  const later = planExecs(scenario.checks, index, MAX_EXEC_INSTANTS).filter(
    (r) => !execResults.has(execKey(r.subject, r.at)),
  );
  if (later.length > 0)
    simulateWithExecs(objects, scenario.actions, simulation, resolver, later, execResults);
  return { trace, index, pods, services, execResults };
}

/** Each check's verdict against the run, looking exec outcomes up (pure: runs nothing). */
function judge(scenario: Scenario, admitted: Admitted, run: Run): TestResult[] {
  const ctx: EvalContext = {
    index: run.index,
    pods: run.pods,
    services: run.services,
    submitted: new Map(
      admitted.loaded.objects.map((o) => [keyOf(o.object), { object: o.object, raw: o.raw }]),
    ),
    images: scenario.images,
    execOutcome: (s, at) => {
      const outcome = run.execResults.get(execKey(s, at));
      invariant(outcome, 'grader', `the exec check at ${at} ms was not planned`);
      return outcome;
    },
    maxExecInstants: MAX_EXEC_INSTANTS,
  };
  return scenario.checks.map((c) => {
    const v = evaluateCheck(c, ctx);
    return {
      id: c.id,
      name: testName(c),
      score: v.passed ? c.points : 0,
      max_score: c.points,
      status: v.passed ? 'passed' : 'failed',
      visibility: c.visibility,
      output: v.output,
      ...(!v.passed && c.hint !== undefined ? { hint: c.hint } : {}),
    };
  });
}

/** The graded result: score, tests, warnings, and the run's transcript and events, capped. */
function graded(
  scenario: Scenario,
  version: string,
  admitted: Admitted,
  run: Run,
  tests: TestResult[],
  sha256?: Sha256Factory,
): GradeResult {
  const { trace, pods } = run;
  const warnings: Warning[] = [...admitted.warnings];
  const positioned = admitted.loaded.objects.map((o) => ({
    object: o.object,
    raw: o.raw,
    lineOf: lineFinder(o),
  }));
  for (const w of submissionWarnings(positioned, [...pods.values()], scenario.images, trace)) {
    if (
      !warnings.some(
        (x) => x.message === w.message || (w.field !== undefined && x.field === w.field && x.line === w.line),
      )
    )
      warnings.push(w);
  }
  if (trace.endReason.kind === 'budget') {
    warnings.push({
      message: `the simulation stopped early at ${formatAt(trace.endAt)}: ${trace.endReason.budget} budget exhausted (${trace.endReason.detail}); later checks see the state at that instant`,
    });
  }

  // A result is stored and sent back whole: long runs keep their first rows and events only.
  const transcript = capLines(transcriptOf(trace, [...pods.values()]), MAX_TRANSCRIPT_LINES);
  const listed = trace.events.slice(0, MAX_RESULT_EVENTS);
  if (transcript.truncated > 0 || trace.events.length > listed.length) {
    warnings.push({
      message: `the run is long: the result lists the first ${MAX_TRANSCRIPT_LINES} transcript rows and ${MAX_RESULT_EVENTS} events (${transcript.truncated} rows and ${trace.events.length - listed.length} events left out); the checks saw everything`,
    });
  }
  const score = roundPoints(tests.reduce((s, t) => s + t.score, 0));
  const maxScore = roundPoints(tests.reduce((s, t) => s + t.max_score, 0));
  const passed = tests.filter((t) => t.status === 'passed').length;
  return {
    scenario: scenario.name,
    scenario_version: version,
    status: 'graded',
    score,
    max_score: maxScore,
    output: `Score ${score}/${maxScore}: ${passed} of ${tests.length} checks passed.`,
    visibility: 'visible',
    tests,
    errors: [],
    warnings,
    transcript: transcript.text,
    events: listed.map((e) => ({
      at: formatAt(e.at),
      object: e.object,
      type: e.type,
      reason: e.reason,
      message: e.message.length > MAX_EVENT_MESSAGE ? `${e.message.slice(0, MAX_EVENT_MESSAGE)}…` : e.message,
    })),
    // The simulator builds its trace in a fixed order, so its JSON text is stable; it is hashed
    // member by member (a 24 h trace would not fit one string).
    simulator: {
      version: SIMULATOR_VERSION,
      kubernetes: '1.33',
      digest: jsonDigest(trace, { sha256, knownItems: measuredJson }),
    },
  };
}

function execKey(s: ExecSubject, at: number): string {
  return canonicalJson([s.namespace, s.pod, s.container ?? null, s.command, at]);
}

/**
 * Simulates the run with each requested exec as a shadow exec action (after the scenario's own
 * actions of its instant; its effects discarded, the simulator bounds it to SHADOW_EXEC_MS of
 * virtual time), stores the outcomes in `cache` and returns the run's trace without them.
 */
function simulateWithExecs(
  objects: ApiObject[],
  actions: Action[],
  options: SimOptions,
  resolver: ImageResolver,
  requests: ExecRequest[],
  cache: Map<string, ExecOutcome>,
): Trace {
  const shadows: Action[] = [];
  const keys: string[] = [];
  for (const r of requests) {
    const key = execKey(r.subject, r.at);
    if (cache.has(key) || keys.includes(key)) continue;
    keys.push(key);
    shadows.push({
      at: r.at,
      kind: 'exec',
      pod: r.subject.pod,
      namespace: r.subject.namespace,
      ...(r.subject.container !== undefined ? { container: r.subject.container } : {}),
      command: r.subject.command,
      shadow: true,
    });
  }
  const trace = runSimulator(objects, [...actions, ...shadows], options, resolver);
  const own: Trace['actions'] = [];
  for (const r of trace.actions) {
    if (r.index < actions.length) {
      own.push(r);
      continue;
    }
    const key = keys[r.index - actions.length];
    invariant(key !== undefined, 'simulator', `action result ${r.index} answers no requested exec`);
    cache.set(
      key,
      r.unfinishedAt !== undefined
        ? {
            error: `the command did not finish by ${formatAt(r.unfinishedAt)} (exec checks may take ${SHADOW_EXEC_MS / 1000}s of virtual time)`,
          }
        : { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr },
    );
  }
  trace.actions = own;
  return trace;
}
