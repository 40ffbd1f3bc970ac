/**
 * busybox 1.32: its applet table, the one place that lists every applet by name (and registers
 * `sh`/`ash`, the shell). Each applet is a generator that yields only when it waits (sleep, a
 * network timeout); everything else takes 0 s.
 */

import { type Applet, out, sync } from './applet.ts';
import { echo, printf } from './applets/echo.ts';
import { basename, copyMove, dirname, find, ls, mkdir, rm, rmdir, touch } from './applets/files.ts';
import { cat, cut, grep, headTail, seq, sort, tee, tr, uniq, wc, yes } from './applets/filters.ts';
import { date, env, kill, printenv, ps, sleep, timeout, uname, which, xargs } from './applets/process.ts';
import { sed } from './applets/sed.ts';
import { expr, testApplet } from './applets/test.ts';
import { nullProto } from './kernel.ts';
import { httpdApplet, ncApplet, nslookupApplet, wgetApplet } from './net.ts';
import { runShell } from './shell/interp.ts';

const noop = sync(() => 0);

/** Every applet podlab's busybox has, by name. */
export const APPLETS: Record<string, Applet> = nullProto<Applet>({
  sh: (c, argv) => runShell(c.k, argv, c.io, c.env, c.cwd, false),
  ash: (c, argv) => runShell(c.k, argv, c.io, c.env, c.cwd, false),
  sleep,
  usleep: (c, argv) => sleep(c, ['sleep', `${Number(argv[1] ?? 0) / 1e6}`]),
  echo,
  printf,
  touch,
  rm,
  rmdir,
  mkdir,
  cat,
  ls,
  test: testApplet,
  '[': testApplet,
  '[[': testApplet,
  true: noop,
  ':': noop,
  false: sync(() => 1),
  kill,
  date,
  hostname: sync((c) => {
    out(c, `${c.k.host.hostname}\n`);
    return 0;
  }),
  env,
  printenv,
  pwd: sync((c) => {
    out(c, `${c.cwd}\n`);
    return 0;
  }),
  id: sync((c) => {
    out(c, 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
    return 0;
  }),
  whoami: sync((c) => {
    out(c, 'root\n');
    return 0;
  }),
  uname,
  head: headTail('head'),
  tail: headTail('tail'),
  grep,
  egrep: (c, argv) => grep(c, ['grep', '-E', ...argv.slice(1)]),
  fgrep: (c, argv) => grep(c, ['grep', '-F', ...argv.slice(1)]),
  wc,
  yes,
  seq,
  expr,
  basename,
  dirname,
  cp: copyMove(false),
  mv: copyMove(true),
  tee,
  sort,
  uniq,
  tr,
  cut,
  which,
  ps,
  timeout,
  sync: noop,
  chmod: noop,
  chown: noop,
  sed,
  find,
  xargs,
  nslookup: nslookupApplet,
  wget: wgetApplet,
  nc: ncApplet,
  httpd: httpdApplet,
});
