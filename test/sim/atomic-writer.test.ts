/**
 * The atomic writer's layout (src/sim/kubelet/atomic-writer.ts, pkg/volume/util/atomic_writer.go):
 * `..<timestamp>` directory, `..data` link, a link per first path component, payload modes,
 * read-only, updates swapping `..data`, and a subPath mount pinned at container start
 * (volumes.ts withMounts).
 */
import { describe, expect, it } from 'vitest';
import type { Container } from '../../src/model/k8s.ts';
import { AtomicWriterVolume, type Payload, timestampDirName } from '../../src/sim/kubelet/atomic-writer.ts';
import { OverlayFileSystem } from '../../src/sim/kubelet/overlay-fs.ts';
import { withMounts } from '../../src/sim/kubelet/volumes.ts';
import { MemFileSystem } from '../../src/sim/runtime/fs.ts';

const payload = (entries: [string, string, number?][]): Payload =>
  new Map(entries.map(([path, content, mode]) => [path, { content, mode: mode ?? 0o644 }]));

const TS = timestampDirName(0, 'seed');

describe('atomic writer layout', () => {
  const v = new AtomicWriterVolume(
    payload([
      ['color', 'red'],
      ['conf/level', '3', 0o400],
    ]),
    TS,
  );
  const rows: { name: string; got: () => unknown; want: unknown }[] = [
    {
      name: 'the directory name is the UTC instant with a decimal suffix',
      got: () => /^\.\.2025_01_01_00_00_00\.\d+$/.test(TS),
      want: true,
    },
    {
      name: 'the same seed and instant give the same name',
      got: () => timestampDirName(0, 'seed'),
      want: TS,
    },
    {
      name: 'another instant gives another name',
      got: () => timestampDirName(61_000, 'seed').slice(0, 22),
      want: '..2025_01_01_00_01_01.',
    },
    {
      name: 'the root lists the payload dir, ..data and one link per first component',
      got: () => v.list('/'),
      want: [TS, '..data', 'color', 'conf'].sort(),
    },
    { name: '..data points at the payload directory', got: () => v.linkTarget('/..data'), want: TS },
    { name: 'a key is a link into ..data', got: () => v.linkTarget('/color'), want: '..data/color' },
    {
      name: 'a nested path links its first component only',
      got: () => v.linkTarget('/conf'),
      want: '..data/conf',
    },
    { name: 'reads follow the links', got: () => v.readFile('/conf/level'), want: '3' },
    {
      name: 'the real file is under the payload directory',
      got: () => v.readFile(`/${TS}/color`),
      want: 'red',
    },
    { name: 'a file has its payload mode', got: () => v.modeOf('/conf/level'), want: 0o400 },
    { name: 'directories are 0755', got: () => v.modeOf('/conf'), want: 0o755 },
    { name: 'the volume root is the emptyDir wrapper 0777', got: () => v.modeOf('/'), want: 0o777 },
    { name: 'a file is no link', got: () => v.linkTarget(`/${TS}/color`), want: undefined },
    { name: 'writes fail read-only', got: () => v.writeFile(), want: 'erofs' },
    { name: 'removals fail read-only', got: () => v.remove(), want: 'erofs' },
    { name: 'a missing key reads nothing', got: () => v.readFile('/other'), want: undefined },
  ];
  for (const r of rows) it(r.name, () => expect(r.got()).toEqual(r.want));
});

describe('atomic writer updates', () => {
  it('moves ..data to a new directory and drops the old one; an unchanged payload writes nothing', () => {
    const v = new AtomicWriterVolume(payload([['color', 'red']]), TS);
    expect(v.update(payload([['color', 'red']]), 'ignored')).toBe(false);
    expect(v.version).toBe(0);
    const next = timestampDirName(60_000, 'seed');
    expect(v.update(payload([['color', 'blue']]), next)).toBe(true);
    expect(v.version).toBe(1);
    expect(v.readFile('/color')).toBe('blue');
    expect(v.linkTarget('/..data')).toBe(next);
    expect(v.list('/')).toEqual([next, '..data', 'color'].sort());
  });

  it('removes the link of a key the update drops', () => {
    const v = new AtomicWriterVolume(
      payload([
        ['a', '1'],
        ['b', '2'],
      ]),
      TS,
    );
    v.update(payload([['a', '1']]), timestampDirName(60_000, 'seed'));
    expect(v.exists('/b')).toBe(false);
  });
});

describe('atomic writer volumes mounted in a container', () => {
  const ctr = (volumeMounts: Container['volumeMounts']) => ({ name: 'c', volumeMounts }) as Container;
  const own = () => new MemFileSystem(1 << 20, { dirs: ['/etc'], files: {} });

  it('a mount sees updates, a subPath mount keeps what it resolved at the start', () => {
    const v = new AtomicWriterVolume(payload([['color', 'red']]), TS);
    const fs = withMounts(
      own(),
      ctr([
        { name: 'cfg', mountPath: '/etc/app' },
        { name: 'cfg', mountPath: '/etc/color.conf', subPath: 'color' },
      ]),
      new Map([['cfg', v]]),
    );
    v.update(payload([['color', 'blue']]), timestampDirName(60_000, 'seed'));
    expect(fs.readFile('/etc/app/color')).toBe('blue');
    expect(fs.readFile('/etc/color.conf')).toBe('red');
    // The bind-mounted file is the resolved file, not the link.
    expect(fs.linkTarget?.('/etc/color.conf')).toBeUndefined();
    expect(fs.linkTarget?.('/etc/app/color')).toBe('..data/color');
  });

  it('writes through the mount and through a shadow exec overlay fail read-only', () => {
    const v = new AtomicWriterVolume(payload([['color', 'red']]), TS);
    const fs = withMounts(own(), ctr([{ name: 'cfg', mountPath: '/etc/app' }]), new Map([['cfg', v]]));
    const rows: [string, () => string][] = [
      ['write a key', () => fs.writeFile('/etc/app/color', 'x')],
      ['create a file', () => fs.writeFile('/etc/app/new', 'x')],
      ['remove a key', () => fs.remove('/etc/app/color', false)],
      ['remove the mount point recursively', () => fs.remove('/etc/app', true)],
      ['overlay write', () => new OverlayFileSystem(fs, 1 << 20).writeFile('/etc/app/color', 'x')],
      ['overlay remove', () => new OverlayFileSystem(fs, 1 << 20).remove('/etc/app/color', false)],
    ];
    for (const [name, act] of rows) expect(act(), name).toBe('erofs');
    expect(fs.readFile('/etc/app/color')).toBe('red');
    expect(fs.writeFile('/etc/other', 'ok')).toBe('ok');
  });
});
