import { describe, expect, it } from 'vitest';
import { resolveImage } from '../../src/sim/runtime/index.ts';
import { run, start } from './harness.ts';

describe('distribution images: OCI config', () => {
  it.each([
    ['alpine', [], ['/bin/sh']],
    ['alpine:3.21', [], ['/bin/sh']],
    ['docker.io/library/alpine:3.19.1', [], ['/bin/sh']],
    ['debian:bookworm-slim', [], ['bash']],
    ['debian:12', [], ['bash']],
    ['ubuntu:24.04', [], ['/bin/bash']],
    ['ubuntu:jammy', [], ['/bin/bash']],
    ['gcr.io/distroless/static-debian12', [], []],
  ])('%s: ENTRYPOINT %j CMD %j', (ref, entrypoint, cmd) => {
    const img = resolveImage(ref, {})!;
    expect([img.entrypoint, img.cmd]).toEqual([entrypoint, cmd]);
  });

  it.each(['alpine:2.7', 'alpine:foo', 'debian:sid-foo', 'ubuntu:12.04'])(
    '%s is not a catalogue tag',
    (ref) => {
      expect(resolveImage(ref, {})).toBeUndefined();
    },
  );
});

describe('files and tools', () => {
  it.each([
    ['alpine:3.21', 'sh', true],
    ['alpine:3.21', 'apk', true],
    ['alpine:3.21', 'wget', true],
    ['alpine:3.21', 'curl', false],
    ['alpine:3.21', 'bash', false],
    ['debian:12', 'bash', true],
    ['debian:12', 'sh', true],
    ['debian:12', 'wget', false],
    ['debian:12', 'curl', false],
    ['debian:12', 'nslookup', false],
    ['ubuntu:24.04', 'ps', false],
    ['busybox', 'curl', false],
    ['gcr.io/distroless/static', 'sh', false],
    ['gcr.io/distroless/base-debian12', 'ls', false],
  ])('%s has %s: %s', (ref, bin, has) => {
    expect(resolveImage(ref, {})!.hasExecutable(bin)).toBe(has);
  });

  it.each([
    ['alpine:3.21', '/etc/alpine-release', '3.21.4\n'],
    ['alpine', '/etc/alpine-release', '3.22.1\n'],
    ['debian:bookworm', '/etc/debian_version', '12.11\n'],
  ])('%s: %s', (ref, file, content) => {
    expect(run(['cat', file], { image: ref }).stdout).toBe(content);
  });

  it('ubuntu /etc/os-release names the release', () => {
    expect(run(['sh', '-c', 'grep VERSION_CODENAME /etc/os-release'], { image: 'ubuntu:22.04' }).stdout).toBe(
      'VERSION_CODENAME=jammy\n',
    );
  });

  it('distroless: no shell to exec into', () => {
    expect(start(['sh', '-c', 'true'], { image: 'gcr.io/distroless/static:nonroot' }).proc).toEqual({
      startError: 'exec: "sh": executable file not found in $PATH',
    });
  });
});

describe('apk without a network (apk-tools 2.14 texts)', () => {
  it('apk add fails to fetch the indexes and to select the package, exit 1', () => {
    const r = run(['sh', '-c', 'apk add --no-cache curl'], { image: 'alpine:3.22' });
    expect(r.stdout).toBe(
      'fetch https://dl-cdn.alpinelinux.org/alpine/v3.22/main/x86_64/APKINDEX.tar.gz\nfetch https://dl-cdn.alpinelinux.org/alpine/v3.22/community/x86_64/APKINDEX.tar.gz\n',
    );
    expect(r.stderr).toBe(
      'WARNING: fetching https://dl-cdn.alpinelinux.org/alpine/v3.22/main: DNS lookup error\nWARNING: fetching https://dl-cdn.alpinelinux.org/alpine/v3.22/community: DNS lookup error\nERROR: unable to select packages:\n  curl (no such package):\n    required by: world[curl]\n',
    );
    expect(r.end).toEqual({ kind: 'exited', exitCode: 1 });
  });
});

describe('GNU coreutils error texts (debian, ubuntu)', () => {
  it.each([
    ['cat /x', 'cat: /x: No such file or directory\n'],
    ['rm /x', "rm: cannot remove '/x': No such file or directory\n"],
    ['ls /x', "ls: cannot access '/x': No such file or directory\n"],
    ['mkdir /a/b', "mkdir: cannot create directory '/a/b': No such file or directory\n"],
    ['touch /a/b', "touch: cannot touch '/a/b': No such file or directory\n"],
  ])('%s', (cmd, err) => {
    expect(run(['sh', '-c', cmd], { image: 'debian:12' }).stderr).toBe(err);
    expect(run(['bash', '-c', cmd], { image: 'ubuntu:24.04' }).stderr).toBe(err);
  });

  it('busybox keeps its own texts', () => {
    expect(run(['sh', '-c', 'cat /x'], { image: 'alpine:3.21' }).stderr).toBe(
      "cat: can't open '/x': No such file or directory\n",
    );
  });
});
