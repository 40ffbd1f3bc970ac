/**
 * Golden transcripts: `test/golden/<case>.yaml` (manifests; header comment `# until: 240s`)
 * with optional `<case>.actions.yaml` (scenario-format actions) and `<case>.images.yaml`
 * (scenario images) -> `<case>.txt` (the watch transcript, then every record, event and
 * action result). `UPDATE_GOLDEN=1` rewrites the files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseActionsFile } from '../../cli/commands/simulate.ts';
import { parseDuration } from '../../graders/duration.ts';
import { loadManifests } from '../../src/manifest/index.ts';
import type { ApiObject, Pod } from '../../src/model/k8s.ts';
import type { Action, ImageDefinition, Trace } from '../../src/model/trace.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';
import { watchTranscript } from '../../src/sim/printers/index.ts';
import { renderTrace } from './render.ts';

export const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden');

/** One golden case, loaded and run. */
export interface GoldenCase {
  name: string;
  objects: ApiObject[];
  actions: Action[];
  trace: Trace;
  text: string;
}

/** Case names: every `<case>.yaml` that is not an actions/images file. */
export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.actions.yaml') && !f.endsWith('.images.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Loads and runs one case. */
export function runGolden(name: string): GoldenCase {
  const file = join(GOLDEN_DIR, `${name}.yaml`);
  const text = readFileSync(file, 'utf8');
  const until = /^# until: (\S+)/m.exec(text)?.[1] ?? '300s';
  const d = parseDuration(until);
  if (!d.ok) throw new Error(`${name}: bad until: ${d.message}`);
  const loaded = loadManifests(text, { file: `${name}.yaml` });
  if (loaded.rejected.length > 0)
    throw new Error(`${name}: rejected: ${loaded.rejected.map((r) => r.text).join('; ')}`);
  const objects = loaded.objects.map((o) => o.object);
  let actions: Action[] = [];
  const actionsFile = join(GOLDEN_DIR, `${name}.actions.yaml`);
  if (existsSync(actionsFile)) {
    const r = parseActionsFile(readFileSync(actionsFile, 'utf8'), `${name}.actions.yaml`);
    if (r.errors.length > 0) throw new Error(r.errors.join('\n'));
    actions = r.actions;
  }
  const options = defaultSimOptions();
  options.budgets.horizonMs = d.ms;
  const imagesFile = join(GOLDEN_DIR, `${name}.images.yaml`);
  if (existsSync(imagesFile))
    options.images = parseYaml(readFileSync(imagesFile, 'utf8')) as Record<string, ImageDefinition>;
  const trace = simulate(objects, actions, options);
  const pods = [
    ...[...objects, ...actions.flatMap((a) => (a.kind === 'apply' ? a.objects : []))].filter(
      (o): o is Pod => o.kind === 'Pod',
    ),
    ...(trace.createdPods ?? []),
  ];
  const out = `${watchTranscript(trace, pods)}\n${renderTrace(trace)}`;
  return { name, objects, actions, trace, text: out };
}
