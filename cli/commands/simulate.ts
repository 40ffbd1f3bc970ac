/**
 * `podlab simulate FILE… [--until 300s] [--actions FILE] [--output watch|json|events|describe|logs]`:
 * applies the manifests at t=0 like `kubectl apply -f`, runs the simulator, and prints the
 * transcript (default), the full trace as JSON, the events, `kubectl describe pod`, or the logs.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../../graders/duration.ts';
import { type WorkloadActionDoc, workloadAction } from '../../graders/scenario.ts';
import { kubectlOutput, loadManifests } from '../../src/manifest/index.ts';
import type { ApiObject, Pod } from '../../src/model/k8s.ts';
import type { Action, Trace } from '../../src/model/trace.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';
import {
  deploymentsAt,
  deploymentsTable,
  deploymentView,
  describePod,
  eventsTable,
  podLogs,
  replicaSetsAt,
  replicaSetsTable,
  replicaSetView,
  watchTranscript,
} from '../../src/sim/printers/index.ts';
import { optionString, parseArgs, UsageError } from '../args.ts';

const OUTPUTS = ['watch', 'json', 'events', 'describe', 'logs'] as const;
type Output = (typeof OUTPUTS)[number];

/** Result of reading an actions file: the actions, or errors with their position. */
export interface ActionsFileResult {
  actions: Action[];
  errors: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Record<string, unknown>, allowed: string[], where: string, errors: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) errors.push(`${where}: unknown field "${k}"`);
}

/**
 * Parses an actions file: a YAML list of scenario-format actions (section 1.2), each
 * `{at, apply: <YAML text>}`, `{at, exec: {pod, container?, namespace?, command}}` or
 * `{at, delete: {kind, name, namespace?, gracePeriodSeconds?, force?}}`,
 * `{at, scale: {deployment|replicaset, replicas}}`, `{at, setImage: {deployment, container, image}}`
 * or `{at, rollback: {deployment, toRevision?}}`.
 * Never throws.
 */
export function parseActionsFile(text: string, file: string): ActionsFileResult {
  const errors: string[] = [];
  const actions: Action[] = [];
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    return { actions, errors: [`${file}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (data === null || data === undefined) return { actions, errors };
  if (!Array.isArray(data)) return { actions, errors: [`${file}: expected a list of actions`] };
  data.forEach((item, i) => {
    const where = `${file}: actions[${i}]`;
    if (!isRecord(item)) {
      errors.push(`${where}: expected a mapping`);
      return;
    }
    checkKeys(item, ACTION_KEYS, where, errors);
    const at = parseDuration(item.at ?? 0);
    if (!at.ok) {
      errors.push(`${where}.at: ${at.message}`);
      return;
    }
    const kinds = ACTION_KEYS.slice(1).filter((k) => item[k] !== undefined);
    if (kinds.length !== 1) {
      errors.push(`${where}: an action is exactly one of apply, exec, delete, scale, setImage, rollback`);
      return;
    }
    if (item.scale !== undefined || item.rollback !== undefined || item.setImage !== undefined) {
      const a = appsAction(item, at.ms, where, errors);
      if (a) actions.push(a);
      return;
    }
    if (item.apply !== undefined) {
      if (typeof item.apply !== 'string') {
        errors.push(`${where}.apply: expected a YAML text`);
        return;
      }
      const r = loadManifests(item.apply, { file: `${file} (actions[${i}].apply)` });
      for (const rej of r.rejected) errors.push(rej.text);
      actions.push({ at: at.ms, kind: 'apply', objects: r.objects.map((o) => o.object) });
      return;
    }
    if (item.exec !== undefined) {
      const e = item.exec;
      if (
        !isRecord(e) ||
        typeof e.pod !== 'string' ||
        !Array.isArray(e.command) ||
        !e.command.every((c) => typeof c === 'string')
      ) {
        errors.push(`${where}.exec: needs pod (string) and command (list of strings)`);
        return;
      }
      checkKeys(e, ['pod', 'container', 'namespace', 'command'], `${where}.exec`, errors);
      actions.push({
        at: at.ms,
        kind: 'exec',
        pod: e.pod,
        namespace: typeof e.namespace === 'string' ? e.namespace : 'default',
        ...(typeof e.container === 'string' ? { container: e.container } : {}),
        command: e.command as string[],
      });
      return;
    }
    const d = item.delete;
    const deleteKinds = ['Pod', 'Service', 'ConfigMap', 'Secret'] as const;
    const kind = isRecord(d) ? deleteKinds.find((k) => k === d.kind) : undefined;
    if (!isRecord(d) || kind === undefined || typeof d.name !== 'string') {
      errors.push(`${where}.delete: needs kind (Pod, Service, ConfigMap or Secret) and name`);
      return;
    }
    checkKeys(d, ['kind', 'name', 'namespace', 'gracePeriodSeconds', 'force'], `${where}.delete`, errors);
    actions.push({
      at: at.ms,
      kind: 'delete',
      objectKind: kind,
      name: d.name,
      namespace: typeof d.namespace === 'string' ? d.namespace : 'default',
      ...(typeof d.gracePeriodSeconds === 'number' ? { gracePeriodSeconds: d.gracePeriodSeconds } : {}),
      ...(typeof d.force === 'boolean' ? { force: d.force } : {}),
    });
  });
  return { actions, errors };
}

const ACTION_KEYS = ['at', 'apply', 'exec', 'delete', 'scale', 'setImage', 'rollback'];

/**
 * A scale, setImage or rollback item of an actions file as an action, or undefined with its
 * errors pushed. The shapes are the scenario format's (graders/schema.ts); `workloadAction`
 * maps them for both.
 */
function appsAction(
  item: Record<string, unknown>,
  at: number,
  where: string,
  errors: string[],
): Action | undefined {
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  // As for exec and delete: a namespace that is not a string is the default one.
  const namespace = (o: Record<string, unknown>) =>
    typeof o.namespace === 'string' ? o.namespace : undefined;
  const before = errors.length;
  if (item.scale !== undefined) {
    const s = item.scale;
    const names = isRecord(s)
      ? (['deployment', 'replicaset'] as const).filter((k) => s[k] !== undefined)
      : [];
    if (!isRecord(s) || names.length !== 1 || typeof s[names[0]!] !== 'string' || !count(s.replicas)) {
      errors.push(
        `${where}.scale: needs deployment or replicaset (a name) and replicas (a whole number >= 0)`,
      );
      return undefined;
    }
    checkKeys(s, ['deployment', 'replicaset', 'replicas', 'namespace'], `${where}.scale`, errors);
    const scale = { ...(s as NonNullable<WorkloadActionDoc['scale']>), namespace: namespace(s) };
    return errors.length > before ? undefined : workloadAction({ scale }, at);
  }
  if (item.setImage !== undefined) {
    const s = item.setImage;
    if (
      !isRecord(s) ||
      typeof s.deployment !== 'string' ||
      typeof s.container !== 'string' ||
      typeof s.image !== 'string'
    ) {
      errors.push(`${where}.setImage: needs deployment, container and image (strings)`);
      return undefined;
    }
    checkKeys(s, ['deployment', 'container', 'image', 'namespace'], `${where}.setImage`, errors);
    const setImage = { ...(s as NonNullable<WorkloadActionDoc['setImage']>), namespace: namespace(s) };
    return errors.length > before ? undefined : workloadAction({ setImage }, at);
  }
  const r = item.rollback;
  if (
    !isRecord(r) ||
    typeof r.deployment !== 'string' ||
    (r.toRevision !== undefined && !count(r.toRevision))
  ) {
    errors.push(`${where}.rollback: needs deployment (a name) and, optionally, toRevision (a whole number)`);
    return undefined;
  }
  checkKeys(r, ['deployment', 'toRevision', 'namespace'], `${where}.rollback`, errors);
  const rollback = { ...(r as NonNullable<WorkloadActionDoc['rollback']>), namespace: namespace(r) };
  return errors.length > before ? undefined : workloadAction({ rollback }, at);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Renders a trace in one of the output formats. */
export function renderOutput(trace: Trace, pods: Pod[], output: Output): string {
  switch (output) {
    case 'json':
      return `${JSON.stringify(trace, null, 2)}\n`;
    case 'events':
      return eventsTable(trace);
    case 'describe':
      return pods.map((p) => describePod(p, trace, trace.endAt)).join('\n');
    case 'logs':
      return pods
        .map((p) => {
          const names = [...(p.spec.initContainers ?? []), ...p.spec.containers].map((c) => c.name);
          return names
            .map(
              (c) =>
                `==> ${p.metadata.name}/${c} <==\n${podLogs(trace, p.metadata.name, { container: c, namespace: p.metadata.namespace, spec: p })}`,
            )
            .join('\n');
        })
        .join('\n');
    default:
      return watchTranscript(trace, pods) + appsTables(trace);
  }
}

/** `kubectl get deploy` and `kubectl get rs` at the end of the run, for each namespace that has them. */
function appsTables(trace: Trace): string {
  const namespaces = new Set<string>();
  for (const r of trace.records)
    if (r.key.startsWith('Deployment/') || r.key.startsWith('ReplicaSet/'))
      namespaces.add(r.key.split('/')[1]!);
  let out = '';
  for (const ns of [...namespaces].sort()) {
    const deployments = deploymentsAt(trace, trace.endAt, ns).map(deploymentView);
    const sets = replicaSetsAt(trace, trace.endAt, ns).map(replicaSetView);
    if (deployments.length > 0) out += `\n${deploymentsTable(deployments, trace.endAt)}`;
    if (sets.length > 0) out += `\n${replicaSetsTable(sets, trace.endAt)}`;
  }
  return out;
}

/** Runs `podlab simulate`. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { valued: ['until', 'actions', 'output'] });
  if (args.positionals.length === 0) throw new UsageError('give at least one manifest file');
  const output = (optionString(args, 'output', 'watch') ?? 'watch') as Output;
  if (!OUTPUTS.includes(output)) throw new UsageError(`--output must be one of ${OUTPUTS.join(', ')}`);
  const until = parseDuration(optionString(args, 'until', '300s'));
  if (!until.ok) throw new UsageError(`--until: ${until.message}`);

  const objects: ApiObject[] = [];
  let stdout = '';
  let stderr = '';
  for (const file of args.positionals) {
    const r = loadManifests(readText(file), { file });
    const k = kubectlOutput(r);
    stdout += k.stdout;
    stderr += k.stderr;
    objects.push(...r.objects.map((o) => o.object));
  }
  let actions: Action[] = [];
  const actionsFile = optionString(args, 'actions');
  if (actionsFile !== undefined) {
    const r = parseActionsFile(readText(actionsFile), actionsFile);
    if (r.errors.length > 0) {
      process.stderr.write(`${r.errors.join('\n')}\n`);
      return 2;
    }
    actions = r.actions;
  }
  if (stderr !== '') process.stderr.write(stderr);
  if (objects.length === 0 && actions.length === 0) {
    // Every object was rejected: kubectl's words are the result (scenario-format.md section 3:
    // exit 0 whenever a result was produced, a rejection included; 1 is an internal fault).
    if (stderr !== '') return 0;
    throw new UsageError('no objects to simulate (kubectl: "error: no objects passed to apply")');
  }
  if (output !== 'json' && stdout !== '') process.stderr.write(stdout);

  const options = defaultSimOptions();
  options.budgets.horizonMs = until.ms;
  const trace = simulate(objects, actions, options);
  const pods = [
    ...[...objects, ...actions.flatMap((a) => (a.kind === 'apply' ? a.objects : []))].filter(
      (o): o is Pod => o.kind === 'Pod',
    ),
    ...(trace.createdPods ?? []),
  ];
  process.stdout.write(renderOutput(trace, pods, output));
  if (output !== 'json') {
    for (const a of trace.actions) {
      process.stderr.write(`[action ${a.index} at ${a.at / 1000}s] ${a.stdout}${a.stderr}`);
    }
    if (trace.endReason.kind === 'budget')
      process.stderr.write(`podlab: the run stopped early: ${trace.endReason.detail}\n`);
    for (const n of trace.notes) process.stderr.write(`note: ${n.message}\n`);
  }
  return 0;
}
