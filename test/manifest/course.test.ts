import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kubectlOutput, loadManifests } from '../../src/manifest/index.ts';
import type { Pod, Service } from '../../src/model/k8s.ts';

function course(name: string) {
  const text = readFileSync(new URL(`../fixtures/course/${name}`, import.meta.url), 'utf8');
  return loadManifests(text, { file: name });
}

const BAD = (file: string) =>
  `Error from server (BadRequest): error when creating "${file}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: `;

describe('the course manifests on Kubernetes 1.33', () => {
  it('initcpod.yml loads: two init containers, defaults applied', () => {
    const r = course('initcpod.yml');
    expect(r.rejected).toEqual([]);
    const o = r.objects[0]!;
    expect([o.kind, o.name, o.namespace, o.document, o.line, o.column]).toEqual([
      'Pod',
      'myapp-pod',
      'default',
      0,
      1,
      1,
    ]);
    const p = o.object as Pod;
    expect(p.spec.initContainers!.map((c) => [c.name, c.imagePullPolicy])).toEqual([
      ['init-myservice', 'IfNotPresent'],
      ['init-mydb', 'IfNotPresent'],
    ]);
    expect(p.spec.restartPolicy).toBe('Always');
    expect(o.positionOf('spec.initContainers[1].command')).toEqual({
      file: 'initcpod.yml',
      line: 20,
      column: 7,
    });
    expect(o.positionOf('spec.initContainers[1].command[2]')).toEqual({
      file: 'initcpod.yml',
      line: 20,
      column: 29,
    });
    // A path that is not in the file resolves to its nearest existing parent.
    expect(o.positionOf('spec.initContainers[1].livenessProbe.exec')).toEqual({
      file: 'initcpod.yml',
      line: 18,
      column: 7,
    });
    expect(kubectlOutput(r, { dryRun: true }).stdout).toBe('pod/myapp-pod created (server dry run)\n');
  });

  it.each([
    ['initcservice1.yml', 'myservice', 9376],
    ['initcservice2.yml', 'mydb', 9377],
  ])('%s loads as Service %s', (file, name, targetPort) => {
    const r = course(file);
    expect(r.rejected).toEqual([]);
    const s = r.objects[0]!.object as Service;
    expect(s.metadata.name).toBe(name);
    expect(s.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ protocol: 'TCP', port: 80, targetPort }],
    });
    expect(kubectlOutput(r).stdout).toBe(`service/${name} created\n`);
  });

  it('lifecyclepod.yml is rejected: command under postStart', () => {
    const r = course('lifecyclepod.yml');
    expect(r.objects).toEqual([]);
    expect(r.rejected[0]!.text).toBe(
      `${BAD('lifecyclepod.yml')}unknown field "spec.containers[0].lifecycle.postStart.command"`,
    );
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([[17, 11]]);
  });

  it('livenessprobepod.yml is rejected: initialDelaySeconds and periodSeconds under exec', () => {
    const r = course('livenessprobepod.yml');
    expect(r.rejected[0]!.text).toBe(
      `${BAD('livenessprobepod.yml')}unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds", unknown field "spec.containers[0].livenessProbe.exec.periodSeconds"`,
    );
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [16, 11],
      [17, 11],
    ]);
  });

  it('livenessprobenginxpod.yml is rejected: probe settings under httpGet', () => {
    const r = course('livenessprobenginxpod.yml');
    expect(r.rejected[0]!.text).toBe(
      `${BAD('livenessprobenginxpod.yml')}unknown field "spec.containers[0].livenessProbe.httpGet.initialDelaySeconds", unknown field "spec.containers[0].livenessProbe.httpGet.periodSeconds", unknown field "spec.containers[0].livenessProbe.httpGet.timeoutSeconds"`,
    );
    expect(r.errors.map((e) => e.line)).toEqual([19, 20, 21]);
  });

  it.each([
    ['livenessprobenginxpod2.yml', 'livenessprobenginx-pod2', 19],
    ['readinessprobepod.yml', 'readinessprobe-pod', 18],
  ])('%s is rejected: restartPolicy on the container', (file, name, line) => {
    const r = course(file);
    expect(r.rejected[0]!.text).toBe(
      `The Pod "${name}" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers`,
    );
    expect(r.errors).toEqual([
      {
        message: r.rejected[0]!.text,
        field: 'spec.containers[0].restartPolicy',
        file,
        line,
        column: 7,
      },
    ]);
  });

  it('the corrected readiness manifest loads with its probe', () => {
    const text = readFileSync(
      new URL('../fixtures/course/readinessprobepod.yml', import.meta.url),
      'utf8',
    ).replace('      restartPolicy: Always\n', '');
    const r = loadManifests(text, { file: 'fixed.yml' });
    expect(r.rejected).toEqual([]);
    expect((r.objects[0]!.object as Pod).spec.containers[0]!.readinessProbe).toEqual({
      httpGet: { port: 80, path: '/index1.html', scheme: 'HTTP' },
      initialDelaySeconds: 1,
      periodSeconds: 3,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });
});
