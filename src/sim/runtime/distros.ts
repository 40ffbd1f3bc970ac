/**
 * Distribution images: `alpine` (busybox userland and an offline `apk`), `debian` and `ubuntu`
 * (bash, dash as /bin/sh, GNU coreutils with their error texts for the commonest messages), and
 * the distroless images without a shell. Also the Debian userland other images build on.
 */

import type { Image } from '../../model/runtime.ts';
import { type Ctx, now } from './applet.ts';
import { APPLETS } from './busybox.ts';
import type { FsContent } from './fs.ts';
import { busyboxContent, IMAGE_PATH, SimImage, shellProgram } from './images.ts';
import type { Io } from './io.ts';
import { exeContent, type Program } from './programs.ts';

// ---- Alpine ----

/** The Alpine release a tag denotes (the newest patch of each branch when the catalogue was written). */
const ALPINE_PATCH: Record<string, string> = {
  '3.22': '3.22.1',
  '3.21': '3.21.4',
  '3.20': '3.20.7',
  '3.19': '3.19.8',
  '3.18': '3.18.12',
  '3.17': '3.17.10',
  '3.16': '3.16.9',
};
const ALPINE_LATEST = '3.22.1';

/** `alpine` tags: `latest`, `3`, `3.N`, `3.N.M`, `edge` (and `-YYYYMMDD` builds); undefined: unknown. */
export function alpineVersion(tag: string | undefined): string | undefined {
  const t = tag ?? 'latest';
  if (t === 'latest' || t === '3') return ALPINE_LATEST;
  if (t === 'edge') return '3.23.0_alpha20250612';
  const m = /^3\.(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return undefined;
  const branch = `3.${m[1]}`;
  return m[2] !== undefined ? `${branch}.${m[2]}` : (ALPINE_PATCH[branch] ?? `${branch}.0`);
}

function alpineBranch(version: string): string {
  return version.includes('_alpha') ? 'edge' : `v${version.split('.').slice(0, 2).join('.')}`;
}

/** Alpine's own files on top of the busybox layout (alpine-baselayout, apk-tools). */
export function alpineFiles(version: string): Record<string, string> {
  const branch = alpineBranch(version);
  const short = version.split('.').slice(0, 2).join('.');
  const repo = branch === 'edge' ? 'edge' : branch;
  return {
    '/etc/alpine-release': `${version}\n`,
    '/etc/os-release': `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${version}\nPRETTY_NAME="Alpine Linux ${branch === 'edge' ? 'edge' : `v${short}`}"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n`,
    '/etc/apk/repositories': `https://dl-cdn.alpinelinux.org/alpine/${repo}/main\nhttps://dl-cdn.alpinelinux.org/alpine/${repo}/community\n`,
    '/etc/apk/arch': 'x86_64\n',
    '/sbin/apk': exeContent('apk'),
  };
}

/**
 * apk-tools 2.14 without a network (podlab has no Internet): every repository index fetch fails
 * in DNS, so `apk add PKG…` cannot select the packages (texts of apk-tools src/database.c
 * "fetching %s: %s" and src/solver.c "unable to select packages"); exit 1.
 */
const apkProgram: Program = (c, argv) => {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const sub = args[0];
  if (sub === undefined || argv.includes('--version') || argv.includes('-V')) {
    c.io.out.write('apk-tools 2.14.9, compiled for x86_64.\n');
    return now(0);
  }
  const repos = (c.k.host.fs.readFile('/etc/apk/repositories') ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const fetchAll = () => {
    for (const r of repos) {
      c.io.out.write(`fetch ${r}/x86_64/APKINDEX.tar.gz\n`);
      c.io.err.write(`WARNING: fetching ${r}: DNS lookup error\n`);
    }
  };
  if (sub === 'update') {
    fetchAll();
    c.io.out.write(`${repos.length} unavailable, 0 stale; 15 distinct packages available\n`);
    return now(repos.length);
  }
  if (sub === 'add') {
    const pkgs = args.slice(1);
    if (pkgs.length === 0) return now(0);
    fetchAll();
    c.io.err.write('ERROR: unable to select packages:\n');
    for (const p of pkgs) c.io.err.write(`  ${p} (no such package):\n    required by: world[${p}]\n`);
    return now(1);
  }
  if (sub === 'info' || sub === 'list') {
    c.io.out.write(
      'alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nmusl\nmusl-utils\n',
    );
    return now(0);
  }
  c.io.err.write(`ERROR: unable to select packages:\n  ${sub} (no such package)\n`);
  return now(1);
};

function alpineImage(ref: string, version: string): SimImage {
  const base = busyboxContent('alpine');
  return new SimImage(
    ref,
    [],
    ['/bin/sh'],
    false,
    {
      dirs: [...base.dirs, '/etc/apk', '/sbin', '/var/cache/apk'],
      files: { ...base.files, ...alpineFiles(version) },
    },
    { PATH: IMAGE_PATH },
    { apk: apkProgram },
  );
}

// ---- Debian userland (dash, bash, GNU coreutils) ----

/** Commands a Debian/Ubuntu base image has (coreutils, grep, sed, findutils, debianutils, hostname). */
const GNU_COMMANDS =
  'cat ls echo printf touch rm rmdir mkdir test [ true false sleep date env printenv pwd id whoami uname head tail wc seq expr yes basename dirname cp mv tee sort uniq tr cut timeout sync chmod chown grep egrep fgrep sed find xargs hostname which'.split(
    ' ',
  );

/**
 * GNU's texts for the commonest file errors, in place of busybox's (coreutils' quote() in the C
 * locale gives 'F'): `cat: F: No such file or directory`, `rm: cannot remove 'F': …`,
 * `ls: cannot access 'F': …`, `mkdir: cannot create directory 'F': …`, `touch: cannot touch 'F': …`.
 */
const GNU_TEXTS: [RegExp, string][] = [
  [/^(cat|head|tail|wc|sort|uniq|grep|cut|tr): can't open '([^']*)': /, '$1: $2: '],
  [/^rm: can't remove '([^']*)': /, "rm: cannot remove '$1': "],
  [/^ls: (.*): No such file or directory/, "ls: cannot access '$1': No such file or directory"],
  [/^mkdir: can't create directory '([^']*)': /, "mkdir: cannot create directory '$1': "],
  [/^touch: (.*): No such file or directory/, "touch: cannot touch '$1': No such file or directory"],
  [/^rmdir: '([^']*)': /, "rmdir: failed to remove '$1': "],
];

function gnuText(line: string): string {
  for (const [re, to] of GNU_TEXTS) if (re.test(line)) return line.replace(re, to);
  return line;
}

/** A GNU command: the busybox applet's behaviour, GNU's error texts. */
function gnuProgram(name: string): Program {
  const applet = APPLETS[name]!;
  return (c: Ctx, argv: string[]) => {
    const err = c.io.err;
    const io: Io = {
      ...c.io,
      err: { write: (t: string) => err.write(t.split('\n').map(gnuText).join('\n')) },
    };
    return applet({ ...c, io }, argv);
  };
}

/** Programs of the Debian userland, by executable name. */
export const DEBIAN_PROGRAMS: Record<string, Program> = Object.assign(
  Object.create(null) as Record<string, Program>,
  Object.fromEntries(GNU_COMMANDS.map((n) => [`gnu-${n}`, gnuProgram(n)])),
  { bash: shellProgram, dash: shellProgram },
);

/**
 * Debian's merged-/usr layout (bookworm and later; Ubuntu alike): each command in /usr/bin and,
 * as /bin is a link to usr/bin there, in /bin; /bin/sh is dash; bash; no wget, nc, nslookup,
 * ps or curl (not in the base images).
 */
export function debianContent(osRelease: string, extra: Record<string, string> = {}): FsContent {
  const files: Record<string, string> = {
    '/etc/passwd':
      'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    '/etc/group':
      'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\nwww-data:x:33:\nstaff:x:50:\nusers:x:100:\nnogroup:x:65534:\n',
    '/etc/os-release': osRelease,
  };
  for (const dir of ['/bin', '/usr/bin']) {
    for (const n of GNU_COMMANDS) files[`${dir}/${n}`] = exeContent(`gnu-${n}`);
    files[`${dir}/bash`] = exeContent('bash');
    files[`${dir}/dash`] = exeContent('dash');
    files[`${dir}/sh`] = exeContent('dash');
  }
  Object.assign(files, extra);
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
      '/usr/bin',
      '/usr/sbin',
      '/usr/local/bin',
      '/var/tmp',
      '/var/lib',
    ],
    files,
  };
}

/** What Debian and Ubuntu tags denote: their /etc/os-release (and /etc/debian_version). */
interface DebianRelease {
  osRelease: string;
  debianVersion: string;
}

function debianRelease(n: string, codename: string, point: string): DebianRelease {
  return {
    osRelease: `PRETTY_NAME="Debian GNU/Linux ${n} (${codename})"\nNAME="Debian GNU/Linux"\nVERSION_ID="${n}"\nVERSION="${n} (${codename})"\nVERSION_CODENAME=${codename}\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n`,
    debianVersion: `${point}\n`,
  };
}

const DEBIAN: Record<string, DebianRelease> = {
  '12': debianRelease('12', 'bookworm', '12.11'),
  '11': debianRelease('11', 'bullseye', '11.11'),
  '13': debianRelease('13', 'trixie', '13.0'),
};
const DEBIAN_NAMES: Record<string, string> = {
  bookworm: '12',
  bullseye: '11',
  trixie: '13',
  stable: '12',
  latest: '12',
};

/** Debian tags: `latest`, `12`, `12.11`, `bookworm`, `stable`, with `-slim` or `-YYYYMMDD`. */
function debianTag(tag: string | undefined): DebianRelease | undefined {
  const t = (tag ?? 'latest').replace(/-slim$/, '').replace(/-\d{8}$/, '');
  const major = DEBIAN_NAMES[t] ?? /^(\d+)(?:\.\d+)?$/.exec(t)?.[1];
  return major !== undefined ? DEBIAN[major] : undefined;
}

function ubuntuRelease(
  version: string,
  point: string,
  codename: string,
  name: string,
  lts: boolean,
): DebianRelease {
  const title = `${point}${lts ? ' LTS' : ''}`;
  return {
    osRelease: `PRETTY_NAME="Ubuntu ${title}"\nNAME="Ubuntu"\nVERSION_ID="${version}"\nVERSION="${title} (${name})"\nVERSION_CODENAME=${codename}\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=${codename}\nLOGO=ubuntu-logo\n`,
    debianVersion: `${codename}/sid\n`,
  };
}

const UBUNTU: Record<string, DebianRelease> = {
  '24.04': ubuntuRelease('24.04', '24.04.2', 'noble', 'Noble Numbat', true),
  '22.04': ubuntuRelease('22.04', '22.04.5', 'jammy', 'Jammy Jellyfish', true),
  '20.04': ubuntuRelease('20.04', '20.04.6', 'focal', 'Focal Fossa', true),
  '25.04': ubuntuRelease('25.04', '25.04', 'plucky', 'Plucky Puffin', false),
};
const UBUNTU_NAMES: Record<string, string> = {
  latest: '24.04',
  noble: '24.04',
  jammy: '22.04',
  focal: '20.04',
  plucky: '25.04',
  rolling: '25.04',
};

/** Ubuntu tags: `latest`, `24.04`, `noble`, `rolling`, with `-YYYYMMDD` builds. */
function ubuntuTag(tag: string | undefined): DebianRelease | undefined {
  const t = (tag ?? 'latest').replace(/-\d{8}(\.\d+)?$/, '');
  return UBUNTU[UBUNTU_NAMES[t] ?? t];
}

/**
 * A Debian or Ubuntu base image: CMD `["bash"]` (debuerreotype's Dockerfile for debian) or
 * `["/bin/bash"]` (Ubuntu's), no ENTRYPOINT.
 */
function debianFamilyImage(ref: string, release: DebianRelease, cmd: string[]): SimImage {
  return new SimImage(
    ref,
    [],
    cmd,
    false,
    debianContent(release.osRelease, { '/etc/debian_version': release.debianVersion }),
    { PATH: IMAGE_PATH },
    DEBIAN_PROGRAMS,
  );
}

// ---- distroless ----

/**
 * gcr.io/distroless/static and base (GoogleContainerTools/distroless): no shell, no package
 * manager, no ENTRYPOINT or CMD; `/etc/passwd` with root, nobody and nonroot (65532); `:nonroot`
 * tags run as 65532.
 */
function distrolessImage(ref: string, tag: string | undefined): SimImage {
  const nonroot = (tag ?? '').includes('nonroot');
  return new SimImage(
    ref,
    [],
    [],
    false,
    {
      dirs: ['/dev', '/etc', '/home/nonroot', '/proc', '/root', '/sys', '/tmp', '/var'],
      files: {
        '/etc/passwd':
          'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n',
        '/etc/group': 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n',
        '/etc/os-release':
          'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\nVERSION="Debian GNU/Linux 12 (bookworm)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n',
      },
    },
    { PATH: IMAGE_PATH, SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' },
    {},
    {},
    nonroot ? { user: '65532', workingDir: '/home/nonroot' } : { user: '0' },
  );
}

const distroless = (ref: string, tag: string | undefined) => distrolessImage(ref, tag);

/** Catalogue entries of the distribution images, by repository. */
export const DISTRO_IMAGES: Record<string, (ref: string, tag: string | undefined) => Image | undefined> = {
  // docker-library alpine: FROM scratch, ADD alpine-minirootfs, CMD ["/bin/sh"].
  'docker.io/library/alpine': (ref, tag) => {
    const v = alpineVersion(tag?.replace(/-\d{8}$/, ''));
    return v ? alpineImage(ref, v) : undefined;
  },
  'docker.io/library/debian': (ref, tag) => {
    const r = debianTag(tag);
    return r ? debianFamilyImage(ref, r, ['bash']) : undefined;
  },
  'docker.io/library/ubuntu': (ref, tag) => {
    const r = ubuntuTag(tag);
    return r ? debianFamilyImage(ref, r, ['/bin/bash']) : undefined;
  },
  'gcr.io/distroless/static': distroless,
  'gcr.io/distroless/static-debian11': distroless,
  'gcr.io/distroless/static-debian12': distroless,
  'gcr.io/distroless/base': distroless,
  'gcr.io/distroless/base-debian11': distroless,
  'gcr.io/distroless/base-debian12': distroless,
  'gcr.io/distroless/base-nossl-debian12': distroless,
  'gcr.io/distroless/cc': distroless,
  'gcr.io/distroless/cc-debian12': distroless,
};
