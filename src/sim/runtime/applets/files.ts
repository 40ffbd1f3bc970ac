/** busybox file applets: touch, rm, rmdir, mkdir, ls, cp, mv, find, basename, dirname. */

import { type Applet, abs, err, flags, out, sync } from '../applet.ts';
import { normalizePath } from '../fs.ts';
import { patternRegex } from '../shell/pattern.ts';
import { formatDate } from '../time.ts';

/** strerror(EROFS): a write to a read-only mount (configMap, secret and token volumes). */
const EROFS = 'Read-only file system';

export const touch = sync((c, argv) => {
  const { rest } = flags(argv, 'dtr');
  let st = 0;
  for (const f of rest) {
    const p = abs(c, f);
    if (c.k.host.fs.exists(p)) continue;
    const r = c.k.host.fs.writeFile(p, '', false);
    if (r === 'enoent' || r === 'erofs') {
      err(c, `touch: ${f}: ${r === 'erofs' ? EROFS : 'No such file or directory'}\n`);
      st = 1;
    }
  }
  return st;
});

export const rm = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const force = opts.has('f');
  const rec = opts.has('r') || opts.has('R');
  const fs = c.k.host.fs;
  let st = 0;
  for (const f of rest) {
    const p = abs(c, f);
    if (!fs.exists(p)) {
      if (!force) {
        err(c, `rm: can't remove '${f}': No such file or directory\n`);
        st = 1;
      }
      continue;
    }
    if (p === '/' && rec) {
      err(c, "rm: can't remove '/'\n");
      st = 1;
      continue;
    }
    const r = fs.remove(p, rec);
    if (r === 'eisdir') {
      err(c, `rm: '${f}' is a directory\n`);
      st = 1;
    } else if (r === 'erofs') {
      err(c, `rm: can't remove '${f}': ${EROFS}\n`);
      st = 1;
    }
  }
  if (rest.length === 0 && !force) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: rm [-irf] FILE...\n\nRemove (unlink) FILEs\n',
    );
    return 1;
  }
  return st;
});

export const rmdir = sync((c, argv) => {
  const { rest } = flags(argv);
  const fs = c.k.host.fs;
  let st = 0;
  for (const f of rest) {
    const p = abs(c, f);
    const list = fs.list(p);
    if (list === undefined) {
      err(c, `rmdir: '${f}': ${fs.exists(p) ? 'Not a directory' : 'No such file or directory'}\n`);
      st = 1;
    } else if (list.length > 0) {
      err(c, `rmdir: '${f}': Directory not empty\n`);
      st = 1;
    } else fs.remove(p, true);
  }
  return st;
});

export const mkdir = sync((c, argv) => {
  const { opts, rest } = flags(argv, 'm');
  const fs = c.k.host.fs;
  let st = 0;
  for (const f of rest) {
    const r = fs.mkdir(abs(c, f), opts.has('p'));
    if (r === 'eexist' && !(opts.has('p') && fs.isDirectory(abs(c, f)))) {
      err(c, `mkdir: can't create directory '${f}': File exists\n`);
      st = 1;
    } else if (r === 'enoent' || r === 'erofs') {
      err(
        c,
        `mkdir: can't create directory '${f}': ${r === 'erofs' ? EROFS : 'No such file or directory'}\n`,
      );
      st = 1;
    }
  }
  return st;
});

export const ls = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const fs = c.k.host.fs;
  const targets = rest.length > 0 ? rest : ['.'];
  let st = 0;
  const long = opts.has('l');
  const all = opts.has('a');
  // -L follows symbolic links (stat); else ls shows a link itself (lstat) as `name -> target`.
  const follow = opts.has('L');
  const line = (name: string, path: string) => {
    if (!long) return `${name}\n`;
    const date = formatDate(c.k.clock, '%b %e %H:%M');
    const link = follow ? undefined : fs.linkTarget?.(path);
    if (link !== undefined) {
      return `lrwxrwxrwx    1 root     root     ${String(link.length).padStart(9)} ${date} ${name} -> ${link}\n`;
    }
    const dir = fs.isDirectory(path);
    const size = dir ? 4096 : (fs.readFile(path) ?? '').length;
    const bits = fs.modeOf?.(path);
    const exe = (fs.readFile(path) ?? '').startsWith('\u007fELF');
    const mode =
      bits !== undefined ? modeString(dir, bits) : dir ? 'drwxr-xr-x' : exe ? '-rwxr-xr-x' : '-rw-r--r--';
    return `${mode}    ${dir ? 2 : 1} root     root     ${String(size).padStart(9)} ${date} ${name}\n`;
  };
  const files: string[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const p = abs(c, t);
    if (!fs.exists(p)) {
      err(c, `ls: ${t}: No such file or directory\n`);
      st = 1;
    } else if (
      fs.isDirectory(p) &&
      !opts.has('d') &&
      // A trailing slash makes the path walk follow a link to a directory (`ls -l ..data/`).
      (follow || !long || t.endsWith('/') || fs.linkTarget?.(p) === undefined)
    )
      dirs.push(t);
    else files.push(t);
  }
  for (const f of files) out(c, line(f, abs(c, f)));
  dirs.forEach((d, i) => {
    const p = abs(c, d);
    if (targets.length > 1) out(c, `${files.length > 0 || i > 0 ? '\n' : ''}${d}:\n`);
    let names = fs.list(p) ?? [];
    if (!all) names = names.filter((n) => !n.startsWith('.'));
    else names = ['.', '..', ...names];
    if (long) out(c, `total ${names.length * 4}\n`);
    for (const n of names) out(c, line(n, normalizePath(n, p)));
  });
  return st;
});

/** bb_mode_string: `drwxr-xr-x`, with the sticky bit as `t` (a tmpfs volume's `drwxrwxrwt`). */
function modeString(dir: boolean, bits: number): string {
  let out = dir ? 'd' : '-';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const b = (bits >> shift) & 7;
    out += `${b & 4 ? 'r' : '-'}${b & 2 ? 'w' : '-'}${b & 1 ? 'x' : '-'}`;
  }
  if (bits & 0o1000) out = `${out.slice(0, 9)}${bits & 1 ? 't' : 'T'}`;
  return out;
}

export const basename = sync((c, argv) => {
  const a = argv[1];
  if (a === undefined) return 1;
  let b = a.replace(/\/+$/, '').split('/').pop() || '/';
  if (argv[2] && b.endsWith(argv[2]) && b !== argv[2]) b = b.slice(0, -argv[2].length);
  out(c, `${b}\n`);
  return 0;
});

export const dirname = sync((c, argv) => {
  const a = argv[1];
  if (a === undefined) return 1;
  const t = a.replace(/\/+$/, '');
  const i = t.lastIndexOf('/');
  out(c, `${i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i)}\n`);
  return 0;
});

export function copyMove(move: boolean): Applet {
  const name = move ? 'mv' : 'cp';
  return sync((c, argv) => {
    const { opts, rest } = flags(argv);
    const fs = c.k.host.fs;
    if (rest.length < 2) {
      err(
        c,
        `BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: ${name} [OPTIONS] SOURCE... DEST\n`,
      );
      return 1;
    }
    const dest = rest.pop()!;
    const destP = abs(c, dest);
    let st = 0;
    const copy = (from: string, to: string): boolean => {
      if (fs.isDirectory(from)) {
        if (!move && !opts.has('r') && !opts.has('R') && !opts.has('a')) {
          err(c, `cp: omitting directory '${from}'\n`);
          return false;
        }
        fs.mkdir(to, true);
        for (const n of fs.list(from) ?? []) copy(`${from}/${n}`, `${to}/${n}`);
        return true;
      }
      const r = fs.writeFile(to, fs.readFile(from) ?? '', false);
      if (r === 'budget') throw new FsFull();
      if (r !== 'ok') {
        err(
          c,
          `${name}: can't create '${to}': ${r === 'eisdir' ? 'Is a directory' : r === 'erofs' ? EROFS : 'No such file or directory'}\n`,
        );
        return false;
      }
      return true;
    };
    for (const s of rest) {
      const sp = abs(c, s);
      if (!fs.exists(sp)) {
        err(c, `${name}: can't stat '${s}': No such file or directory\n`);
        st = 1;
        continue;
      }
      const target = fs.isDirectory(destP) ? normalizePath(sp.split('/').pop()!, destP) : destP;
      try {
        if (!copy(sp, target)) st = 1;
        else if (move) fs.remove(sp, true);
      } catch (e) {
        if (e instanceof FsFull) {
          err(c, `${name}: write error: No space left on device\n`);
          return 1;
        }
        throw e;
      }
    }
    return st;
  });
}

class FsFull {}

export const find = sync((c, argv) => {
  const paths: string[] = [];
  let i = 1;
  for (; i < argv.length && !argv[i]!.startsWith('-') && argv[i] !== '!' && argv[i] !== '('; i++)
    paths.push(argv[i]!);
  if (paths.length === 0) paths.push('.');
  const preds: ((path: string, name: string, depth: number) => boolean)[] = [];
  let maxDepth = Number.POSITIVE_INFINITY;
  let minDepth = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if ((a === '-name' || a === '-iname') && v !== undefined) {
      const re = patternRegex([{ t: v, q: false }]);
      const ire = new RegExp(re.source, 'si');
      preds.push((_p, n) => (a === '-name' ? re : ire).test(n));
      i++;
    } else if (a === '-type' && v !== undefined) {
      preds.push((p) =>
        v === 'd' ? c.k.host.fs.isDirectory(p) : v === 'f' ? !c.k.host.fs.isDirectory(p) : false,
      );
      i++;
    } else if (a === '-maxdepth' && v !== undefined) {
      maxDepth = Number(v);
      i++;
    } else if (a === '-mindepth' && v !== undefined) {
      minDepth = Number(v);
      i++;
    } else if (a === '-print') continue;
    else {
      err(c, `find: unrecognized: ${a}\n`);
      return 1;
    }
  }
  let st = 0;
  const walk = (shown: string, path: string, depth: number) => {
    c.k.step();
    const name = depth === 0 ? shown : shown.split('/').pop()!;
    if (depth >= minDepth && preds.every((p) => p(path, name, depth))) out(c, `${shown}\n`);
    if (depth >= maxDepth) return;
    for (const n of c.k.host.fs.list(path) ?? [])
      walk(`${shown.replace(/\/$/, '')}/${n}`, normalizePath(n, path), depth + 1);
  };
  for (const p of paths) {
    const ap = abs(c, p);
    if (!c.k.host.fs.exists(ap)) {
      err(c, `find: ${p}: No such file or directory\n`);
      st = 1;
      continue;
    }
    walk(p, ap, 0);
  }
  return st;
});
