/**
 * The hostile corpus: inputs built to exhaust a parser, a simulator or a grader (alias bombs,
 * 10 MB bodies, 10^5 levels of nesting, invalid UTF-8, NUL bytes, huge and negative numbers,
 * day-long durations, fork-bomb-like shell loops, long lines, many documents, unicode names).
 * Each entry is built on demand by name, so an isolated child process can rebuild it without
 * shipping 10 MB over IPC.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** The text of a file of a scenario folder under `scenarios/`. */
export function labFile(lab: string, file: string): string {
  return readFileSync(join(ROOT, 'scenarios', lab, file), 'utf8');
}

/** A busybox Pod whose only container runs `sh -c SCRIPT`. */
export function shellPod(script: string, name = 'p', restartPolicy = 'Always'): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  restartPolicy: ${restartPolicy}`,
    '  containers:',
    '  - name: c',
    '    image: busybox:1.32.0',
    `    command: ["sh", "-c", ${JSON.stringify(script)}]`,
    '',
  ].join('\n');
}

/** A valid busybox Pod with one field line added under the container (`    key: value`). */
function podWith(containerLines: string[], specLines: string[] = [], name = 'p'): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    'spec:',
    ...specLines.map((l) => `  ${l}`),
    '  containers:',
    '  - name: c',
    '    image: busybox:1.32.0',
    '    command: ["sh", "-c", "sleep 3600"]',
    ...containerLines.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

function billionLaughs(levels: number, fanout: number): string {
  const lines = [`l0: &l0 [${Array(fanout).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(fanout)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
}

/** Latin-1 decoding of bytes that are not UTF-8, as a server that skips decoding would see them. */
function invalidUtf8(): string {
  const bytes = Buffer.from([
    ...Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p'),
    0xff,
    0xfe,
    0xc3,
    0x28,
    0xed,
    0xa0,
    0x80,
    ...Buffer.from('\nspec:\n  containers: []\n'),
  ]);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes) + bytes.toString('latin1');
}

/** Shell scripts that never stop on their own, or fill memory, or flood output. */
export const SHELL_BOMBS: Record<string, string> = {
  'busy-loop': 'while true; do :; done',
  'fork-bomb': ':(){ :|:& };:',
  'yes-to-file': 'yes > /tmp/x',
  'yes-to-stdout': 'yes',
  'nested-loops': 'while true; do while true; do echo x; done; done',
  'sleep-forever': 'sleep 999999999',
  'append-forever': 'i=0; while true; do i=$((i+1)); echo $i >> /tmp/f; done',
  'doubling-string': 'x=a; while true; do x=$x$x; done',
  'infinite-recursion': 'f(){ f; }; f',
  'background-loops': 'while true; do :; done & while true; do :; done & wait',
  'cat-dev-zero': 'cat /dev/zero > /tmp/z',
  'odd-sleeps': 'sleep -5; sleep 1e309; sleep inf; sleep NaN; sleep 86401',
  'arith-edges': 'echo $((2**63)) $((-9223372036854775808 / -1)) $((1/0)) $((1%0))',
  'until-false': 'until false; do sleep 0; done',
  'long-argv': `echo ${'x'.repeat(100_000)}`,
  'deep-subshells': `${'('.repeat(2000)}true${')'.repeat(2000)}`,
  'many-pipes': Array(2000).fill('cat').join(' | '),
  'glob-bomb':
    'mkdir -p /tmp/a; cd /tmp/a; for i in 1 2 3 4 5 6 7 8 9 10; do touch $i; done; echo /*/*/*/*/*/*/*/*/*',
};

/** Hostile manifest files (a student's submission), by name. */
export const MANIFESTS: Record<string, () => string> = {
  'billion-laughs': () => billionLaughs(10, 9),
  'alias-bomb-in-pod': () =>
    `${billionLaughs(8, 8)}\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {x: *l7}}\n`,
  'body-10MB': () => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${'a'.repeat(10 * 1024 * 1024)}\n`,
  'body-10MB-newlines': () => '\n'.repeat(10 * 1024 * 1024),
  'deep-flow-seq-1e5': () => '['.repeat(100_000),
  'deep-flow-map-1e5': () => '{a: '.repeat(100_000),
  'deep-block-seq-60KB': () => '- '.repeat(30_000),
  'deep-block-seq-256KB': () => '- '.repeat(130_000),
  'deep-compact-keys': () => '? '.repeat(30_000),
  'deep-indented-maps': () => Array.from({ length: 340 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
  'deep-indented-maps-256KB': () => Array.from({ length: 720 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
  'invalid-utf8': invalidUtf8,
  'nul-bytes': () => podWith([], [], 'p\u0000q').replace('kind: Pod', 'kind: Pod\u0000'),
  'bom-and-crlf': () => `\ufeff${podWith([]).replace(/\n/g, '\r\n')}`,
  'lone-surrogates': () => podWith([`env: [{name: "X\ud800", value: "\udfff"}]`]),
  'huge-numbers': () =>
    podWith(
      [
        'livenessProbe: {exec: {command: ["true"]}, periodSeconds: 1e309, timeoutSeconds: 9223372036854775808}',
      ],
      ['terminationGracePeriodSeconds: 9223372036854775807', 'activeDeadlineSeconds: 1e309'],
    ),
  'nan-and-negative-zero': () =>
    podWith(
      ['readinessProbe: {exec: {command: ["true"]}, periodSeconds: .nan, initialDelaySeconds: -0}'],
      ['terminationGracePeriodSeconds: "NaN"'],
    ),
  'negative-durations': () =>
    podWith(
      [
        'livenessProbe: {exec: {command: ["true"]}, periodSeconds: -1, initialDelaySeconds: -5, failureThreshold: -3}',
      ],
      ['terminationGracePeriodSeconds: -1', 'activeDeadlineSeconds: -10'],
    ),
  'day-long-durations': () =>
    podWith(
      [
        'livenessProbe: {exec: {command: ["true"]}, periodSeconds: 2147483647, initialDelaySeconds: 100000}',
        'lifecycle: {preStop: {sleep: {seconds: 999999999}}}',
      ],
      ['terminationGracePeriodSeconds: 999999999', 'activeDeadlineSeconds: 100000'],
    ),
  'long-line': () => podWith([`args: ["${'x'.repeat(60_000)}"]`]),
  'many-documents': () => '---\na: 1\n'.repeat(7000),
  'many-pods': () =>
    Array.from({ length: 50 }, (_, i) => shellPod('echo hi; sleep 5; exit 3', `p${i}`)).join('---\n'),
  'unicode-names': () => podWith([], [], 'ünïcødé-💥-\u202e-ｆｕｌｌ'),
  'unicode-everywhere': () =>
    podWith(['env: [{name: "ÉMOJI", value: "💥\u0301\u200d"}]']).replace('- name: c', '- name: "çé"'),
  'yaml-tags': () => '!!binary aGVsbG8=\n--- !!set {a, b}\n--- !<tag:yaml.org,2002:js/function> x\n',
  'merge-keys': () => 'base: &b {apiVersion: v1, kind: Pod}\nx: {<<: *b, <<: *b}\n',
  'many-containers': () =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${Array.from(
      { length: 400 },
      (_, i) => `  - {name: c${i}, image: busybox:1.32.0, command: [sh, -c, "sleep ${i}; exit ${i % 3}"]}`,
    ).join('\n')}\n`,
  'many-probes-fast': () =>
    podWith([
      'livenessProbe: {exec: {command: [sh, -c, "while true; do :; done"]}, periodSeconds: 1, timeoutSeconds: 1}',
      'readinessProbe: {exec: {command: [sh, -c, "yes"]}, periodSeconds: 1}',
    ]),
  ...Object.fromEntries(Object.entries(SHELL_BOMBS).map(([k, s]) => [`shell-${k}`, () => shellPod(s)])),
};

/** Hostile scenario files (an instructor's upload), by name. */
export const SCENARIOS: Record<string, () => string> = {
  ...Object.fromEntries(
    [
      'billion-laughs',
      'body-10MB',
      'deep-flow-seq-1e5',
      'deep-flow-map-1e5',
      'deep-block-seq-60KB',
      'deep-compact-keys',
      'deep-indented-maps',
      'invalid-utf8',
      'nul-bytes',
      'many-documents',
      'yaml-tags',
      'merge-keys',
    ].map((k) => [`manifest-${k}`, MANIFESTS[k]!]),
  ),
  'deep-flow-seq-1MB': () => '['.repeat(1_000_000),
  'deep-flow-seq-300KB': () => '['.repeat(300_000),
  'deep-block-seq-1MB': () => '- '.repeat(500_000),
  'deep-mixed-1MB': () => '- ? [- '.repeat(150_000),
  'deep-indented-maps-1MB': () => Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
  'duration-25h': () => labFile('liveness-exec', 'scenario.yaml').replace('duration: 150s', 'duration: 25h'),
  'duration-24h': () => labFile('liveness-exec', 'scenario.yaml').replace('duration: 150s', 'duration: 24h'),
  'duration-negative': () =>
    labFile('liveness-exec', 'scenario.yaml').replace('duration: 150s', 'duration: -1s'),
  'duration-1e309': () =>
    labFile('liveness-exec', 'scenario.yaml').replace('duration: 150s', 'duration: 1e309'),
  'duration-nan': () => labFile('liveness-exec', 'scenario.yaml').replace('duration: 150s', 'duration: .nan'),
  'duration-2^63': () =>
    labFile('liveness-exec', 'scenario.yaml').replace('duration: 150s', 'duration: 9223372036854775808'),
  'check-at-25h': () => labFile('liveness-exec', 'scenario.yaml').replace('at: 60s', 'at: 25h'),
  'many-checks': () => {
    const base = labFile('pod-phases', 'scenario.yaml');
    const checks = Array.from(
      { length: 2000 },
      (_, i) => `    - id: c${i}\n      at: ${i % 30}s\n      pod: x\n      expect: {phase: Running}\n`,
    ).join('');
    return base.replace(/\n {2}checks:\n/, `\n  checks:\n${checks}`);
  },
  'instructions-1MB': () =>
    labFile('pod-phases', 'scenario.yaml').replace(
      'instructions: |',
      `instructions: "${'x'.repeat(1_000_000)}"\n  x: |`,
    ),
  'redos-message-regex': () =>
    labFile('liveness-exec', 'scenario.yaml').replace(
      'message: failed liveness probe, will be restarted',
      'messageRegex: "^(a|a?)+(.*.*)*$x"',
    ),
  'unicode-name': () => labFile('pod-phases', 'scenario.yaml').replace(/name: [a-z-]+\n/, 'name: "💥"\n'),
};

/** Submissions against real labs: [lab, name, text]. */
export function hostileSubmissions(): [string, string, () => string][] {
  const out: [string, string, () => string][] = [];
  for (const [k, gen] of Object.entries(MANIFESTS)) out.push(['liveness-exec', k, gen]);
  const solution = labFile('liveness-exec', 'solution.yaml');
  const cmd = /command: \[.*\]\n/.exec(solution.split('livenessProbe')[0]!)![0];
  for (const [k, script] of Object.entries(SHELL_BOMBS)) {
    out.push([
      'liveness-exec',
      `solution-running-${k}`,
      () => solution.replace(cmd, `command: ["sh", "-c", ${JSON.stringify(script)}]\n`),
    ]);
  }
  return out;
}
