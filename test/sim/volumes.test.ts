/**
 * emptyDir volumes (src/sim/kubelet/volumes.ts): shared by the containers that mount them,
 * hiding what the image has at the mount point, with subPath, nested mounts and a version
 * that follows every writer.
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/model/k8s.ts';
import { emptyDirVolumes, withMounts } from '../../src/sim/kubelet/volumes.ts';
import { MemFileSystem } from '../../src/sim/runtime/fs.ts';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: {
    containers: [],
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg' }],
  },
} as unknown as Pod;

function image(): MemFileSystem {
  return new MemFileSystem(1 << 20, {
    dirs: ['/usr/share/nginx/html', '/etc'],
    files: { '/usr/share/nginx/html/index.html': 'image page', '/etc/hostname': 'x' },
  });
}

const ctr = (volumeMounts: Container['volumeMounts']) => ({ name: 'c', volumeMounts }) as Container;

describe('emptyDir volumes', () => {
  it('creates only the emptyDir volumes of the Pod', () => {
    expect([...emptyDirVolumes(pod, 1024).keys()]).toEqual(['data']);
  });

  it('shares a volume between containers and hides the image content at the mount point', () => {
    const volumes = emptyDirVolumes(pod, 1024);
    const writer = withMounts(image(), ctr([{ name: 'data', mountPath: '/work-dir' }]), volumes);
    const nginx = withMounts(image(), ctr([{ name: 'data', mountPath: '/usr/share/nginx/html' }]), volumes);
    expect(nginx.readFile('/usr/share/nginx/html/index.html')).toBeUndefined();
    expect(writer.writeFile('/work-dir/index.html', 'from init')).toBe('ok');
    expect(nginx.readFile('/usr/share/nginx/html/index.html')).toBe('from init');
    expect(nginx.list('/usr/share/nginx/html')).toEqual(['index.html']);
    // Outside the mounts each container keeps its own files.
    expect(writer.writeFile('/etc/hostname', 'writer')).toBe('ok');
    expect(nginx.readFile('/etc/hostname')).toBe('x');
    expect(writer.isDirectory('/work-dir')).toBe(true);
    expect(writer.list('/')).toContain('work-dir');
  });

  it('mounts a subPath as a directory of the volume; the longest mount point wins', () => {
    const volumes = emptyDirVolumes(pod, 1024);
    const fs = withMounts(
      image(),
      ctr([
        { name: 'data', mountPath: '/data' },
        { name: 'data', mountPath: '/data/logs/app', subPath: 'app-logs' },
      ]),
      volumes,
    );
    expect(fs.writeFile('/data/logs/app/out.log', 'hi')).toBe('ok');
    expect(fs.readFile('/data/app-logs/out.log')).toBe('hi');
    expect(volumes.get('data')?.readFile('/app-logs/out.log')).toBe('hi');
  });

  it('keeps the mount point itself: rm -r empties it, a plain rm is refused', () => {
    const volumes = emptyDirVolumes(pod, 1024);
    const fs = withMounts(image(), ctr([{ name: 'data', mountPath: '/data' }]), volumes);
    fs.writeFile('/data/a', '1');
    fs.mkdir('/data/d', false);
    expect(fs.remove('/data', false)).toBe('eisdir');
    expect(fs.remove('/data', true)).toBe('ok');
    expect(fs.isDirectory('/data')).toBe(true);
    expect(fs.list('/data')).toEqual([]);
  });

  it('changes its version when another container writes the volume (remembered lookups expire)', () => {
    const volumes = emptyDirVolumes(pod, 1024);
    const a = withMounts(image(), ctr([{ name: 'data', mountPath: '/bin2' }]), volumes);
    const b = withMounts(image(), ctr([{ name: 'data', mountPath: '/shared' }]), volumes);
    const before = a.version;
    b.writeFile('/shared/tool', '#!/bin/sh\n');
    expect(a.version).not.toBe(before);
  });

  it('ignores mounts of volumes that are not simulated', () => {
    const own = image();
    expect(withMounts(own, ctr([{ name: 'cfg', mountPath: '/cfg' }]), emptyDirVolumes(pod, 1024))).toBe(own);
  });
});
