/**
 * What the server images of Docker Hub's library (github.com/docker-library) share: their
 * userland (Debian bookworm-slim or Alpine), library tags, the entrypoint's final `exec "$@"`,
 * and the slow start of a database server behind its entrypoint.
 */
import type { Image, Listener } from '../../model/runtime.ts';
import type { Ctx } from './applet.ts';
import { alpineFiles, debianContent } from './distros.ts';
import type { FsContent } from './fs.ts';
import { busyboxContent, IMAGE_PATH } from './images.ts';
import type { Gen, Kernel } from './kernel.ts';
import { connect, resolveHost } from './net.ts';
import { findCommand } from './programs.ts';
import { runShell } from './shell/interp.ts';

/** The request a simulated HTTP server receives. */
export type Request = Parameters<NonNullable<Listener['http']>>[0];
/** A catalogue entry: the image of a repository for a tag, or undefined for an unknown tag. */
export type Builder = (ref: string, tag: string | undefined) => Image | undefined;

const DEBIAN_OS =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n';

/** The userland of a library image: Debian bookworm-slim, or Alpine for `*-alpine` tags. */
export function userland(alpine: boolean, extra: Record<string, string>, dirs: string[]): FsContent {
  if (alpine) {
    const b = busyboxContent('alpine');
    return { dirs: [...b.dirs, ...dirs], files: { ...b.files, ...alpineFiles('3.22.1'), ...extra } };
  }
  const d = debianContent(DEBIAN_OS, { '/etc/debian_version': '12.11\n', ...extra });
  return { dirs: [...d.dirs, ...dirs], files: d.files };
}

/**
 * A library tag `[version][-variant]`: the version (a tabled full version for a short one) and
 * whether it is the Alpine variant; undefined: not a tag of the repository.
 */
export function libraryTag(
  tag: string | undefined,
  versions: Record<string, string>,
  variants: RegExp,
): { version: string; alpine: boolean } | undefined {
  const t = tag ?? 'latest';
  const m = /^(latest|[a-z]+|\d+(?:\.\d+){0,2})?(?:-?(.*))?$/.exec(t);
  if (!m) return undefined;
  const head = m[1] ?? 'latest';
  const variant = m[2] ?? '';
  if (variant !== '' && !variants.test(variant)) return undefined;
  const alpine = variant.startsWith('alpine') || head === 'alpine';
  const key = head === 'alpine' ? 'latest' : head;
  const version =
    versions[key] ??
    (/^\d+\.\d+\.\d+$/.test(key) && versions[key.split('.').slice(0, 2).join('.')] ? key : undefined);
  return version ? { version, alpine } : undefined;
}

/** A program that runs until it is killed. */
export function* forever(): Gen<number> {
  yield { kind: 'forever' };
  return 0;
}

/** Whether this container's own server (or a Pod peer on loopback) listens on `port`. */
export function reachable(c: Ctx, host: string, port: number): Listener | undefined {
  const ip = resolveHost(c, host);
  if (ip === undefined) return undefined;
  const conn = connect(c, ip, port);
  return typeof conn === 'string' ? undefined : conn;
}

/** The entrypoint's final `exec "$@"` of a command other than the server (bash's error if missing). */
export function* execOther(c: Ctx, args: string[], line: number): Gen<number> {
  const name = args[0] ?? '';
  const found = findCommand(c.k, name, c.cwd, c.env.PATH ?? IMAGE_PATH);
  if (found.kind === 'program') return yield* found.run(c, args);
  if (found.kind === 'script')
    return yield* runShell(c.k, ['sh', found.path, ...args.slice(1)], c.io, c.env, c.cwd, false);
  c.io.err.write(`/usr/local/bin/docker-entrypoint.sh: line ${line}: exec: ${name}: not found\n`);
  return 127;
}

/** A variable or the content of its `_FILE` twin (docker-entrypoint.sh file_env). */
export function fileEnv(c: Ctx, name: string): string {
  const v = c.env[name];
  if (v !== undefined && v !== '') return v;
  const f = c.env[`${name}_FILE`];
  return f !== undefined ? (c.k.host.fs.readFile(f) ?? '').trim() : '';
}

/**
 * A database server started by its entrypoint: `init` lines, then after `startMs` the server
 * listens on its port and prints `ready`. Before that PID 1 is the entrypoint's bash, which
 * ignores SIGTERM (no trap); afterwards the server's own `stop` handles the stop signals.
 */
export function* slowServer(
  c: Ctx,
  o: {
    startMs: number;
    port: number;
    init: (k: Kernel) => void;
    ready: (k: Kernel) => void;
    stop: (k: Kernel, sig: 'SIGTERM' | 'SIGINT' | 'SIGQUIT') => { exitCode: number } | 'ignore';
  },
): Gen<number> {
  const k = c.k;
  o.init(k);
  k.signalPolicy = () => (k.role === 'main' ? 'ignore' : 'default');
  yield { kind: 'sleep', until: k.clock + o.startMs };
  o.ready(k);
  k.listen(k.currentPid(), { port: o.port });
  k.signalPolicy = (sig) => {
    if (sig === 'SIGTERM' || sig === 'SIGINT' || sig === 'SIGQUIT') return o.stop(k, sig);
    return k.role === 'main' ? 'ignore' : 'default';
  };
  return yield* forever();
}
