import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, parseScenario } from '../../graders/index.ts';
import { pullError } from '../../src/sim/kubelet/kubelet.ts';

const root = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const parsed = parseScenario(readFileSync(`${root}liveness-exec/scenario.yaml`, 'utf8'), 'scenario.yaml');
if (!parsed.ok) throw new Error('scenario');
const { scenario, version } = parsed;
const solution = readFileSync(`${root}liveness-exec/solution.yaml`, 'utf8');

/** The lab's solution with its image replaced. */
const withImage = (image: string) => solution.replace('image: busybox:1.32.0', `image: ${image}`);

describe('known images that podlab does not simulate (issue 15 §2)', () => {
  it.each([
    ['python:3.12', 'docker.io/library/python'],
    ['docker.io/library/mongo:7', 'docker.io/library/mongo'],
    ['grafana/grafana:11.0.0', 'docker.io/grafana/grafana'],
    ['k8s.gcr.io/echoserver:1.10', 'registry.k8s.io/echoserver'],
    ['registry.k8s.io/coredns/coredns:v1.11.1', 'registry.k8s.io/coredns/coredns'],
    ['quay.io/prometheus/prometheus:v2.53.0', 'quay.io/prometheus/prometheus'],
    ['gcr.io/distroless/java17-debian12', 'gcr.io/distroless/java17-debian12'],
  ])('%s is rejected, naming %s, with the field and its line', (image, repo) => {
    const r = gradeSubmission(scenario, version, withImage(image), { file: 'pod.yaml' });
    expect(r.status).toBe('rejected');
    const e = r.errors.find((x) => x.field === 'spec.containers[0].image')!;
    expect(e.message).toContain(`image "${image}" (${repo}) exists, but podlab does not simulate it`);
    expect(e.message).toContain('podlab runs busybox, registry.k8s.io/busybox');
    expect([e.line, e.file]).toEqual([11, 'pod.yaml']);
  });

  it('a simulated image is graded, without an unknown-image warning', () => {
    const r = gradeSubmission(scenario, version, withImage('registry.k8s.io/busybox:1.27.2'));
    expect(r.status).toBe('graded');
    expect(r.warnings.some((w) => w.message.includes('not one podlab simulates'))).toBe(false);
  });

  it('an unknown name keeps the pull failure and gets a warning with its line', () => {
    const r = gradeSubmission(scenario, version, withImage('ngnix:1.25'));
    expect(r.status).toBe('graded');
    const w = r.warnings.find((x) => x.field === 'spec.containers[0].image')!;
    expect(w.message).toMatch(
      /^image "ngnix:1\.25" is not one podlab simulates: the Pod fails to pull it \(ErrImagePull, then ImagePullBackOff\), as a misspelt image does on a real cluster; if this image exists, podlab does not simulate it/,
    );
    expect(w.line).toBe(11);
    expect(r.transcript).toContain('ErrImagePull');
  });
});

describe('pull errors never call a known image nonexistent', () => {
  it.each([
    ['python:3.12', 'podlab does not simulate this image'],
    ['registry.k8s.io/kube-apiserver:v1.33.0', 'podlab does not simulate this image'],
    ['ngnix:latest', 'pull access denied, repository does not exist'],
    ['nginx:1.99.0', 'docker.io/library/nginx:1.99.0: not found'],
    ['registry.k8s.io/goproxy:0.2', 'registry.k8s.io/goproxy:0.2: not found'],
  ])('%s: %s', (ref, text) => {
    expect(pullError(ref)).toContain(text);
  });
});
