/**
 * Images as `Image`s: OCI config (ENTRYPOINT/CMD, Env, WorkingDir…), filesystem content, and
 * `spawn`; the busybox and nginx images and scenario-defined images. The rest of the catalogue
 * and reference resolution are in `catalogue.ts`.
 */
import type { Image, ProcessHost, Signal } from '../../model/runtime.ts';
import type { ImageDefinition, ImageListener } from '../../model/trace.ts';
import type { Ctx } from './applet.ts';
import { APPLETS } from './busybox.ts';
import { curlProgram } from './curl.ts';
import { type FsContent, MemFileSystem, normalizePath } from './fs.ts';
import { type Io, noInput } from './io.ts';
import { type Gen, Kernel, parseSignal } from './kernel.ts';
import { REASONS } from './net.ts';
import { DEFAULT_CONF, ERROR_50X, NGINX_CONF, nginxProgram, WELCOME_NEW, WELCOME_OLD } from './nginx.ts';
import { EXE_MARK, exeContent, findCommand, installPrograms, type Program } from './programs.ts';
import { runShell } from './shell/interp.ts';

/** The PATH of the catalogue images (their OCI `Env`). */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A parsed image reference: repository name without registry/library prefix, tag, digest. */
export interface ImageRef {
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Parses `[registry/][library/]name[:tag][@digest]`; undefined if malformed. */
export function parseImageRef(ref: string): ImageRef | undefined {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return undefined;
  }
  for (const prefix of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/']) {
    if (rest.startsWith(prefix)) rest = rest.slice(prefix.length);
  }
  if (rest.startsWith('library/')) rest = rest.slice('library/'.length);
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(rest)) {
    // Registry hosts may carry ports and upper-case letters are invalid in repository names.
    if (!/^[a-zA-Z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/.test(rest)) return undefined;
  }
  return { name: rest, tag, digest };
}

/** Applets that Alpine installs outside /bin (busybox 1.32 `//applet:` install directories). */
const USR_BIN = new Set(
  '[ [[ basename cut dirname env expr find head id nc nslookup printf seq sort tail tee test timeout tr uniq wc wget which whoami xargs yes'.split(
    ' ',
  ),
);
const USR_SBIN = new Set(['httpd']);

/**
 * Files every catalogue image has (busybox userland): the busybox image installs every applet
 * in /bin; Alpine (`alpine` layout) installs each where busybox's applet table says.
 */
export function busyboxContent(layout: 'busybox' | 'alpine'): FsContent {
  let c = busyboxContents.get(layout);
  if (c === undefined) {
    c = buildBusyboxContent(layout);
    busyboxContents.set(layout, c);
  }
  return c;
}

/** The two layouts' content, built once (images only read it: `MemFileSystem` copies it into its tree). */
const busyboxContents = new Map<'busybox' | 'alpine', FsContent>();

function buildBusyboxContent(layout: 'busybox' | 'alpine'): FsContent {
  const files: Record<string, string> = {
    '/bin/busybox': exeContent('busybox'),
    '/etc/passwd':
      'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
    '/etc/group':
      'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnogroup:x:65534:\n',
  };
  for (const name of Object.keys(APPLETS)) {
    if (name === ':') continue;
    const dir =
      layout === 'busybox'
        ? '/bin'
        : USR_BIN.has(name)
          ? '/usr/bin'
          : USR_SBIN.has(name)
            ? '/usr/sbin'
            : '/bin';
    files[`${dir}/${name}`] = exeContent('busybox');
  }
  return {
    dirs: [
      '/bin',
      '/dev',
      '/etc',
      '/home',
      '/proc',
      '/root',
      '/sys',
      '/tmp',
      '/usr/sbin',
      '/usr/bin',
      '/var/spool/mail',
      '/var/www',
    ],
    files,
  };
}

/**
 * Sets one variable as an object spread would (an own data property, even for `__proto__`).
 * The process environment is built this way rather than with a spread: V8 (Node 20) takes a
 * slow path of several microseconds when a spread repeats keys, once per spawned process.
 */
function putEnv(env: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__')
    Object.defineProperty(env, name, { value, writable: true, enumerable: true, configurable: true });
  else env[name] = value;
}

/** Copies `from`'s own variables into `env` in their order, later ones replacing values. */
function copyEnv(env: Record<string, string>, from: Record<string, string>): void {
  for (const name of Object.keys(from)) putEnv(env, name, from[name]!);
}

/** The OCI config fields beyond ENTRYPOINT/CMD/Env (image-spec config.md). */
export interface OciExtras {
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
  /** The image's STOPSIGNAL (absent: SIGTERM). */
  stopSignal?: string;
}

/** An `Image` built from OCI-like data. */
export class SimImage implements Image {
  constructor(
    readonly ref: string,
    readonly entrypoint: string[],
    readonly cmd: string[],
    readonly handlesStopSignal: boolean,
    private readonly content: FsContent,
    private readonly env: Record<string, string>,
    private readonly programs: Record<string, Program>,
    private readonly main: { listens?: ImageListener[]; stopSignal?: Signal } = {},
    readonly config: OciExtras = {},
  ) {}

  /** The PATH of the image's `Env`. */
  get path(): string | undefined {
    return this.env.PATH;
  }

  /** The image's `Env` (PATH and the variables its Dockerfile sets). */
  get imageEnv(): Readonly<Record<string, string>> {
    return this.env;
  }

  /** The environment of processes per host environment (one per container instance). */
  private readonly envs = new WeakMap<
    Record<string, string>,
    { hostname: string; env: Record<string, string> }
  >();

  /**
   * The image's variables, HOSTNAME and HOME, then the host's; built once per container
   * instance and shared, frozen, by its processes (which copy what they change).
   */
  private processEnv(host: ProcessHost): Record<string, string> {
    const hit = this.envs.get(host.env);
    if (hit && hit.hostname === host.hostname) return hit.env;
    const env: Record<string, string> = {};
    copyEnv(env, this.env);
    putEnv(env, 'HOSTNAME', host.hostname);
    putEnv(env, 'HOME', '/root');
    copyEnv(env, host.env);
    Object.freeze(env);
    this.envs.set(host.env, { hostname: host.hostname, env });
    return env;
  }

  newFilesystem(maxFsBytes: number): MemFileSystem {
    return new MemFileSystem(maxFsBytes, this.content);
  }

  hasExecutable(path: string): boolean {
    const isExe = (p: string) =>
      (this.content.files[normalizePath(p)] ?? '').startsWith(EXE_MARK) ||
      (this.content.files[normalizePath(p)] ?? '').startsWith('#!');
    if (path.includes('/')) return isExe(path);
    return (this.env.PATH ?? IMAGE_PATH).split(':').some((d) => isExe(`${d}/${path}`));
  }

  spawn(
    argv: string[],
    host: ProcessHost,
    now: number,
    role: 'main' | 'exec',
  ): Kernel | { startError: string } {
    if (argv.length === 0) return { startError: 'no command specified' };
    const k = new Kernel(host, now, role);
    installPrograms(k, APPLETS, this.programs);
    const env = this.processEnv(host);
    const name = argv[0]!;
    const found = findCommand(k, name, '/', env.PATH ?? IMAGE_PATH);
    // runc's exec errors (libcontainer standard_init_linux.go / exec.LookPath texts).
    if (found.kind === 'missing') {
      return {
        startError: name.includes('/')
          ? `exec: "${name}": stat ${name}: no such file or directory`
          : `exec: "${name}": executable file not found in $PATH`,
      };
    }
    if (found.kind === 'denied') {
      return {
        startError: `exec: "${name}": ${host.fs.isDirectory(found.path) ? 'is a directory' : 'permission denied'}`,
      };
    }
    // The kubelet bind-mounts /etc/hostname into every container (kubelet_pods.go makeMounts).
    if (role === 'main' && !host.fs.isDirectory('/etc/hostname'))
      host.fs.writeFile('/etc/hostname', `${host.hostname}\n`);
    const io: Io = { stdin: noInput(), out: k.sink('stdout'), err: k.sink('stderr') };
    const cwd = this.config.workingDir ?? '/';
    const ctx: Ctx = { k, io, env, cwd };
    let gen: Gen<number>;
    if (found.kind === 'script') gen = runShell(k, ['sh', found.path, ...argv.slice(1)], io, env, cwd, true);
    else if (isShellExecutable(found.path, host.fs.readFile(found.path) ?? '')) {
      gen = runShell(k, argv, io, env, cwd, true);
    } else gen = found.run(ctx, argv);
    const pid = k.spawn(gen);
    if (role === 'main') {
      for (const l of this.main.listens ?? []) {
        const table = l.http;
        k.listen(
          pid,
          table ? { port: l.port, http: (req) => staticHttp(table, req.path) } : { port: l.port },
        );
      }
      const stop = this.main.stopSignal;
      if (stop) k.signalPolicy = (sig) => (sig === stop || sig === 'SIGTERM' ? { exitCode: 0 } : 'default');
    }
    return k;
  }
}

/** bash or dash as a program (the interpreter is the ash subset: docs/runtime.md, docs/deviations.md). */
export const shellProgram: Program = (c, argv) => runShell(c.k, argv, c.io, c.env, c.cwd, false);

/** Whether an executable is a shell the interpreter runs (busybox sh/ash; bash and dash, approximated by ash). */
function isShellExecutable(path: string, content: string): boolean {
  if (content.startsWith(exeContent('busybox'))) return path.endsWith('/sh') || path.endsWith('/ash');
  return content === exeContent('bash') || content === exeContent('dash');
}

function staticHttp(table: Record<string, number>, path: string): { status: number; body: string } {
  const p = path.split('?')[0]!;
  const status = Object.hasOwn(table, p) ? table[p]! : 404;
  return { status, body: `${status} ${REASONS[status] ?? ''}\n` };
}

// ---- catalogue ----

const NGINX_PATCH: Record<string, string> = {
  '1.14': '1.14.2',
  '1.15': '1.15.12',
  '1.16': '1.16.1',
  '1.17': '1.17.10',
  '1.18': '1.18.0',
  '1.19': '1.19.10',
  '1.20': '1.20.2',
  '1.21': '1.21.6',
  '1.22': '1.22.1',
  '1.23': '1.23.4',
  '1.24': '1.24.0',
  '1.25': '1.25.5',
  '1.26': '1.26.3',
  '1.27': '1.27.5',
  '1.28': '1.28.0',
  '1.29': '1.29.1',
};
/** What `nginx`, `nginx:latest` and `nginx:mainline` are taken to be (mainline at the time of writing). */
const NGINX_MAINLINE = '1.29.1';
const NGINX_STABLE = '1.28.0';

/** An nginx tag's meaning: version, Alpine or Debian base, and image variant. */
export interface NginxTag {
  version: string;
  alpine: boolean;
  /** `slim` (Alpine only: no curl, no modules), `perl`, `otel`; absent: the plain image. */
  variant?: 'slim' | 'perl' | 'otel';
}

/**
 * The nginx version a tag denotes, its base and variant (docker-nginx's tag scheme:
 * `[version-][alpine[3.N]|bookworm][-slim|-perl|-otel]`); undefined: not a catalogue tag.
 */
export function nginxTag(tag: string | undefined): NginxTag | undefined {
  const parts = (tag ?? 'latest').split('-');
  let i = 0;
  let version = NGINX_MAINLINE;
  const v = /^(?:latest|mainline|stable|(\d+)(?:\.(\d+))?(?:\.(\d+))?)$/.exec(parts[0]!);
  if (v) {
    i = 1;
    if (parts[0] === 'stable') version = NGINX_STABLE;
    else if (v[1] !== undefined) version = nginxVersion(v[1], v[2], v[3]);
  }
  let alpine = false;
  if (i < parts.length && /^alpine(?:3\.\d+)?$/.test(parts[i]!)) {
    alpine = true;
    i++;
  } else if (i < parts.length && /^(?:bookworm|bullseye|buster)$/.test(parts[i]!)) i++;
  let variant: NginxTag['variant'];
  if (i < parts.length && /^(?:slim|perl|otel)$/.test(parts[i]!)) {
    variant = parts[i] as NginxTag['variant'];
    if (variant === 'slim' && !alpine) return undefined;
    i++;
  }
  if (i !== parts.length || (i === 0 && parts.length > 0)) return undefined;
  return variant ? { version, alpine, variant } : { version, alpine };
}

function nginxVersion(major: string, minor: string | undefined, patch: string | undefined): string {
  if (minor === undefined) return major === '1' ? NGINX_MAINLINE : `${major}.0.0`;
  const mm = `${major}.${minor}`;
  return patch !== undefined ? `${mm}.${patch}` : (NGINX_PATCH[mm] ?? `${mm}.0`);
}

function versionAtLeast(v: string, major: number, minor: number, patch = 0): boolean {
  const [a, b, c] = v.split('.').map(Number);
  if (a !== major) return a! > major;
  if (b !== minor) return b! > minor;
  return (c ?? 0) >= patch;
}

const ENTRYPOINT_SH = `#!/bin/sh
# vim:sw=4:ts=4:et

set -e

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    echo "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    echo "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/"
    echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"
    echo "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf"
    echo "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"
    echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"
    echo "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh"
    echo "/docker-entrypoint.sh: Configuration complete; ready for start up"
fi

exec "$@"
`;

/**
 * An nginx image (nginxinc/docker-nginx): STOPSIGNAL SIGQUIT from 1.19.5 on (commit 3fb70dd,
 * 2020-11-24, "Use SIGQUIT instead of SIGTERM for graceful shutdown of nginx"), SIGTERM before;
 * ENTRYPOINT /docker-entrypoint.sh from 1.19 on (commit e36b4f5).
 */
export function nginxImage(
  ref: string,
  version: string,
  alpine: boolean,
  variant?: NginxTag['variant'],
): SimImage {
  const base = busyboxContent('alpine');
  const modern = versionAtLeast(version, 1, 19);
  const files: Record<string, string> = {
    ...base.files,
    '/usr/sbin/nginx': exeContent('nginx'),
    '/etc/nginx/nginx.conf': NGINX_CONF,
    '/etc/nginx/conf.d/default.conf': DEFAULT_CONF,
    '/usr/share/nginx/html/index.html': versionAtLeast(version, 1, 21) ? WELCOME_NEW : WELCOME_OLD,
    '/usr/share/nginx/html/50x.html': ERROR_50X,
  };
  if (alpine) files['/etc/alpine-release'] = versionAtLeast(version, 1, 19) ? '3.22.1\n' : '3.11.6\n';
  else files['/etc/debian_version'] = versionAtLeast(version, 1, 19) ? '12.11\n' : '10.3\n';
  if (modern) files['/docker-entrypoint.sh'] = ENTRYPOINT_SH;
  // "Provide curl inside images" (docker-nginx 87f9340, 2020-04-21: 1.18.0 on); not in alpine-slim.
  const withCurl = versionAtLeast(version, 1, 18) && variant !== 'slim';
  if (withCurl) files['/usr/bin/curl'] = exeContent('curl');
  return new SimImage(
    ref,
    modern ? ['/docker-entrypoint.sh'] : [],
    ['nginx', '-g', 'daemon off;'],
    true,
    { dirs: [...base.dirs, '/var/cache/nginx', '/var/log/nginx', '/docker-entrypoint.d'], files },
    { PATH: IMAGE_PATH, NGINX_VERSION: version },
    withCurl ? { nginx: nginxProgram(version), curl: curlProgram(alpine) } : { nginx: nginxProgram(version) },
    {},
    {
      exposedPorts: ['80/tcp'],
      stopSignal: versionAtLeast(version, 1, 19, 5) ? 'SIGQUIT' : 'SIGTERM',
    },
  );
}

export function busyboxImage(ref: string): SimImage {
  return new SimImage(ref, [], ['sh'], false, busyboxContent('busybox'), { PATH: IMAGE_PATH }, {});
}

export function* serveForever(): Gen<number> {
  yield { kind: 'forever' };
  return 0;
}

export function scenarioImage(ref: string, def: ImageDefinition): SimImage {
  const base = busyboxContent('busybox');
  const files: Record<string, string> = { ...base.files };
  for (const [p, c] of Object.entries(def.files ?? {})) files[normalizePath(p)] = c;
  // The image's own program (its default command's executable) if busybox does not provide it.
  const prog = def.command?.[0];
  if (prog !== undefined && !(prog.split('/').pop()! in APPLETS)) {
    const path = prog.includes('/') ? normalizePath(prog) : `/usr/local/bin/${prog}`;
    if (files[path] === undefined) files[path] = exeContent('image-main');
  }
  const stop = def.stopSignal ? parseSignal(def.stopSignal) : undefined;
  const main: { listens?: ImageListener[]; stopSignal?: Signal } = {};
  if (def.listens) main.listens = def.listens;
  if (stop && stop !== 'EXIT') main.stopSignal = stop;
  return new SimImage(
    ref,
    [],
    def.command ?? [],
    main.stopSignal !== undefined,
    { dirs: base.dirs, files },
    { PATH: IMAGE_PATH },
    { 'image-main': () => serveForever() },
    main,
  );
}
