import { describe, expect, it } from 'vitest';
import { HARD_MAX_BYTES, kubectlOutput, loadManifests, renderError } from '../../src/manifest/index.ts';
import { load, pod } from './helpers.ts';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    - port: 80\n';

describe('documents, kinds and kubectl output', () => {
  it('loads several documents, skipping empty ones, with document index and start line', () => {
    const r = load(`---\n${pod()}---\n---\n# only a comment\n---\n${SVC}`);
    expect(r.objects.map((o) => [o.kind, o.name, o.document, o.line])).toEqual([
      ['Pod', 'web', 0, 2],
      ['Service', 'db', 3, 14],
    ]);
    expect(kubectlOutput(r, { dryRun: true }).stdout).toBe(
      'pod/web created (server dry run)\nservice/db created (server dry run)\n',
    );
  });

  it('expands a kind: List', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: a}\n    spec: {ports: [{port: 80}]}\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: b}\n    spec: {containers: [{name: c, image: busybox, foo: 1}]}\n`;
    const r = load(text);
    expect(r.objects.map((o) => o.name)).toEqual(['a']);
    expect(r.rejected[0]!.text).toContain('unknown field "spec.containers[0].foo"');
    expect([r.errors[0]!.line, r.errors[0]!.column]).toEqual([11, 51]);
  });

  it('missing apiVersion and kind: kubectl client-side words, and the rest of the file is not read', () => {
    const r = load(`metadata:\n  name: x\n---\n${SVC}`);
    expect(r.objects).toEqual([]);
    expect(r.rejected[0]!.text).toBe(
      'error: error validating "x.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false',
    );
    expect(load('apiVersion: v1\nmetadata: {name: x}\n').rejected[0]!.text).toBe(
      'error: error validating "x.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false',
    );
  });

  it('an unknown kind/version pair: resource mapping not found', () => {
    const r = load('apiVersion: v1\nkind: Deployment\nmetadata:\n  name: web\n');
    expect(r.rejected[0]!.text).toBe(
      'error: resource mapping not found for name: "web" namespace: "" from "x.yaml": no matches for kind "Deployment" in version "v1"\nensure CRDs are installed first',
    );
    expect([r.errors[0]!.line, r.errors[0]!.column]).toEqual([2, 1]);
    expect(load('apiVersion: v1\nkind: pod\nmetadata:\n  name: web\n').rejected[0]!.text).toContain(
      'no matches for kind "pod" in version "v1"',
    );
  });

  it('a real kind podlab does not simulate', () => {
    const r = load('apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n');
    expect(r.rejected[0]!.text).toBe(
      'error: podlab simulates Pods, Services, ConfigMaps and Secrets (v1), Jobs (batch/v1), Deployments and ReplicaSets (apps/v1); StatefulSet "web" (apiVersion: apps/v1) from "x.yaml" is a real Kubernetes kind that podlab does not simulate',
    );
    expect(load('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: c\n').rejected[0]!.text).toContain(
      'ServiceAccount "c"',
    );
  });

  it('several failures print one line each, client errors first; valid objects still apply', () => {
    const r = load(
      `${pod({ container: '      foo: 1' })}---\n${SVC}---\napiVersion: v1\nkind: Deployment\nmetadata:\n  name: d\n---\n${pod({ name: 'p2', container: '      restartPolicy: Always' })}`,
    );
    expect(r.objects.map((o) => o.name)).toEqual(['db']);
    expect(kubectlOutput(r).stderr).toBe(
      [
        'resource mapping not found for name: "d" namespace: "" from "x.yaml": no matches for kind "Deployment" in version "v1"',
        'ensure CRDs are installed first',
        'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo"',
        'Error from server (Invalid): error when creating "x.yaml": Pod "p2" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
        '',
      ].join('\n'),
    );
  });

  it('a YAML syntax error: line and column; documents before it still load', () => {
    const r = load(`${SVC}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n`);
    expect(r.objects.map((o) => o.name)).toEqual(['db']);
    expect(r.errors[0]!.line).toBe(12);
    expect(r.errors[0]!.column).toBeGreaterThan(0);
    expect(r.rejected[0]!.text).toMatch(
      /^error: error parsing x\.yaml: error converting YAML to JSON: yaml: line 12: /,
    );
  });

  it('an empty file: no objects passed to apply', () => {
    expect(load('').rejected[0]!.text).toBe('error: no objects passed to apply');
    expect(load('---\n# nothing\n', 'create').rejected[0]!.text).toBe('error: no objects passed to create');
  });

  it('duplicate keys: last value wins (kubectl 1.27+), with a warning', () => {
    const r = load(pod({ container: '      image: busybox:1.32.0' }));
    expect(r.rejected).toEqual([]);
    expect((r.objects[0]!.raw.spec as { containers: { image: string }[] }).containers[0]!.image).toBe(
      'busybox:1.32.0',
    );
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ field: 'spec.containers[0].image', line: 9 });
  });

  it('YAML 1.1 scalars as kubectl reads them: octal, yes/no booleans, merge keys', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  volumes:\n    - name: c\n      configMap: {name: c, defaultMode: 0755}\n  containers:\n    - &base {name: web, image: busybox, stdin: yes}\n    - <<: *base\n      name: two\n`;
    const r = load(text);
    expect(r.rejected).toEqual([]);
    const spec = r.objects[0]!.raw.spec as {
      volumes: { configMap: { defaultMode: number } }[];
      containers: { name: string; stdin: boolean }[];
    };
    expect(spec.volumes[0]!.configMap.defaultMode).toBe(493);
    expect(spec.containers.map((c) => [c.name, c.stdin])).toEqual([
      ['web', true],
      ['two', true],
    ]);
  });
});

describe('limits', () => {
  it('bytes: 64 KiB by default, configurable up to the 256 KiB hard cap', () => {
    const big = `${pod()}# ${'x'.repeat(70000)}\n`;
    expect(load(big).rejected[0]!.text).toMatch(
      /^error: x\.yaml is too large: \d+ bytes \(podlab reads at most 65536 bytes\)$/,
    );
    expect(loadManifests(big, { file: 'x.yaml', maxBytes: 100000 }).rejected).toEqual([]);
    const huge = `${pod()}# ${'x'.repeat(300000)}\n`;
    expect(loadManifests(huge, { file: 'x.yaml', maxBytes: 10_000_000 }).rejected[0]!.text).toContain(
      `at most ${HARD_MAX_BYTES} bytes`,
    );
  });

  it('documents: at most 50', () => {
    const many = Array.from({ length: 51 }, (_, i) => SVC.replace('name: db', `name: s${i}`)).join('---\n');
    const r = loadManifests(many, { file: 'x.yaml', maxBytes: HARD_MAX_BYTES });
    expect(r.objects).toHaveLength(50);
    expect(r.rejected[0]!.text).toBe(
      'error: error parsing x.yaml: too many documents: more than 50 in one file',
    );
  });

  it('aliases: at most 100 (no billion laughs)', () => {
    const lol = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 9; i++)
      lol.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    const r = load(`${lol.join('\n')}\n`);
    expect(r.rejected[0]!.text).toBe(
      'error: error parsing x.yaml: too many YAML aliases: more than 100 in one file',
    );
  });

  it('nesting depth and scalar length', () => {
    expect(load(`a: ${'['.repeat(5000)}`).rejected[0]!.text).toBe(
      'error: error parsing x.yaml: the document is nested too deeply (more than 64 levels)',
    );
    const deep = `apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 2)}k${i}:`).join('\n')} x\n`;
    expect(loadManifests(deep, { file: 'x.yaml' }).rejected[0]!.text).toContain('nested too deeply');
    const long = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "${'a'.repeat(70000)}"\n`;
    expect(loadManifests(long, { file: 'x.yaml', maxBytes: HARD_MAX_BYTES }).rejected[0]!.text).toBe(
      'error: error parsing x.yaml: a string is too long: more than 65536 characters',
    );
  });
});

describe('renderError', () => {
  it('kubectl text, then file:line:col, the line and a caret under the key', () => {
    const text = pod({ container: '      restartPolicy: Always' });
    const r = load(text);
    expect(renderError(r.errors[0]!, text)).toBe(
      [
        'The Pod "web" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
        '  --> x.yaml:9:7',
        '  |',
        '9 |       restartPolicy: Always',
        '  |       ^',
      ].join('\n'),
    );
  });

  it('a message without position renders alone; long lines are cut around the column', () => {
    expect(renderError({ message: 'error: x' }, '')).toBe('error: x');
    const line = `${'a'.repeat(300)}b`;
    const out = renderError({ message: 'm', file: 'f', line: 1, column: 301 }, line).split('\n');
    const src = out[3]!.slice('1 | '.length);
    const caret = out[4]!.indexOf('^') - '  | '.length;
    expect(src[caret]).toBe('b');
  });
});

describe('YAML syntax errors in go-yaml words (what kubectl prints)', () => {
  it.each([
    [
      'a key after a value on one line',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web: x\n',
      4,
      'mapping values are not allowed in this context',
    ],
    [
      'a tab in the indentation',
      'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n',
      4,
      'found character that cannot start any token',
    ],
    [
      'an unclosed quote',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\n',
      5,
      'found unexpected end of stream',
    ],
    [
      'an unclosed flow sequence',
      'apiVersion: v1\nkind: Pod\nspec:\n  args: [a, b\n',
      5,
      "did not find expected ',' or ']'",
    ],
    [
      'a missing space after a colon',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name:web\n  labels: {}\n',
      4,
      "could not find expected ':'",
    ],
    [
      'a key indented less than its siblings',
      'apiVersion: v1\nkind: Pod\nmetadata:\n    name: web\n  labels: {}\n',
      5,
      'did not find expected key',
    ],
  ])('%s', (_name, text, line, words) => {
    const r = load(text);
    expect(r.objects).toEqual([]);
    expect(r.rejected[0]!.text).toBe(
      `error: error parsing x.yaml: error converting YAML to JSON: yaml: line ${r.errors[0]!.line}: ${words}`,
    );
    expect(r.errors[0]!.line).toBe(line);
  });
});
