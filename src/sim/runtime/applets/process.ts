/** busybox process and system applets: sleep, kill, date, env, timeout, xargs, ps, uname, which. */

import { type Ctx, err, flags, now, out, sync } from '../applet.ts';
import { normalizePath } from '../fs.ts';
import { type Gen, parseSignal, SIGNAL_NUMBERS } from '../kernel.ts';
import { busyboxApplet } from '../programs.ts';
import { formatDate, VIRTUAL_EPOCH_S } from '../time.ts';
import { lines } from './filters.ts';

/** busybox `sleep` durations: N, N.N, with suffix s/m/h/d; several arguments add up. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) return undefined;
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * mult * 1000);
}

export function* sleep(c: Ctx, argv: string[]): Gen<number> {
  if (argv.length < 2) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n',
    );
    return 1;
  }
  // coreutils/sleep.c: "inf", "infinity" (any case) sleep forever.
  if (argv[1]!.toLowerCase().startsWith('inf')) {
    yield { kind: 'forever' };
    return 0;
  }
  let total = 0;
  for (const a of argv.slice(1)) {
    const ms = parseDuration(a);
    if (ms === undefined) {
      err(c, `sleep: invalid number '${a}'\n`);
      return 1;
    }
    total += ms;
  }
  yield { kind: 'sleep', until: c.k.clock + total };
  return 0;
}

export const kill = sync((c, argv) => {
  const args = argv.slice(1);
  let sig: ReturnType<typeof parseSignal> = 'SIGTERM';
  if (args[0] === '-l') {
    out(
      c,
      `${Object.keys(SIGNAL_NUMBERS)
        .map((s) => s.slice(3))
        .join('\n')}\n`,
    );
    return 0;
  }
  if (args[0] === '-s') {
    args.shift();
    sig = parseSignal(args.shift() ?? '');
  } else if (args[0]?.startsWith('-') && args[0] !== '--') {
    sig = parseSignal(args.shift()!.slice(1));
  }
  if (args[0] === '--') args.shift();
  // `kill -0 PID`: no signal, only whether the process exists.
  if (sig === 'EXIT' && (argv[1] === '-0' || argv[2] === '0')) {
    // PID 1 (the container's main process) exists while anything runs in the container.
    const gone = args.filter(
      (a) => Number(a) !== 1 && !c.k.alive(Number(a)) && !(c.sh && Number(a) === c.sh.pid),
    );
    for (const a of gone) err(c, `${c.msgName ?? 'kill'}: can't kill pid ${a}: No such process\n`);
    return gone.length > 0 ? 1 : 0;
  }
  if (sig === undefined || sig === 'EXIT') {
    err(c, `${c.msgName ?? 'kill'}: bad signal name '${argv[1]}'\n`);
    return 1;
  }
  if (args.length === 0) {
    err(c, `${c.msgName ?? 'kill'}: usage: kill [-s SIGNAL | -SIGNAL] PID...\n`);
    return 1;
  }
  let st = 0;
  for (const a of args) {
    const pid = Number(a);
    if (pid === 1 && c.k.role === 'exec') {
      // PID 1 of the container, seen from an exec'd process in the same PID namespace.
      c.k.signalMain(sig);
      continue;
    }
    const self = c.k.role === 'main' ? pid === 1 : false;
    if (self || (c.sh && pid === c.sh.pid && c.sh.isMain)) {
      c.k.signal(sig, c.k.clock);
      continue;
    }
    if (!Number.isInteger(pid) || !c.k.alive(pid)) {
      err(c, `${c.msgName ?? 'kill'}: can't kill pid ${a}: No such process\n`);
      st = 1;
      continue;
    }
    if (
      sig === 'SIGKILL' ||
      sig === 'SIGTERM' ||
      sig === 'SIGINT' ||
      sig === 'SIGHUP' ||
      sig === 'SIGQUIT' ||
      sig.startsWith('SIGUSR')
    ) {
      c.k.terminate(pid, 128 + SIGNAL_NUMBERS[sig]);
    }
  }
  return st;
});

export const date = sync((c, argv) => {
  const { opts, rest } = flags(argv, 'dDrI');
  const fmt = rest.find((a) => a.startsWith('+'));
  let t = c.k.clock;
  if (opts.has('d')) {
    const v = opts.get('d')!;
    const m = /^@(\d+)$/.exec(v);
    if (!m) {
      err(c, `date: invalid date '${v}'\n`);
      return 1;
    }
    t = (Number(m[1]) - VIRTUAL_EPOCH_S) * 1000;
  }
  out(c, `${formatDate(t, fmt ? fmt.slice(1) : '%a %b %e %H:%M:%S %Z %Y')}\n`);
  return 0;
});

export const env = (c: Ctx, argv: string[]): Gen<number> => {
  const vars = { ...c.env };
  let i = 1;
  if (argv[i] === '-i' || argv[i] === '-') {
    for (const k of Object.keys(vars)) delete vars[k];
    i++;
  }
  for (; i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!); i++) {
    const a = argv[i]!;
    vars[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  }
  if (i >= argv.length) {
    out(
      c,
      Object.entries(vars)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    return now(0);
  }
  return runCommand({ ...c, env: vars }, argv.slice(i));
};

/** The last component of a path (`/bin/[` -> `[`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Runs a command from an applet (`env CMD`, `timeout`): through the shell's lookup. */
function runCommand(c: Ctx, argv: string[]): Gen<number> {
  if (c.sh) return c.sh.external(argv, c.io, c.env);
  const a = busyboxApplet(c.k, baseName(argv[0]!));
  if (!a) {
    err(c, `${argv[0]}: can't execute '${argv[0]}': No such file or directory\n`);
    return now(127);
  }
  return a(c, argv);
}

export const printenv = sync((c, argv) => {
  if (argv.length === 1) {
    for (const [k, v] of Object.entries(c.env)) out(c, `${k}=${v}\n`);
    return 0;
  }
  let st = 0;
  for (const n of argv.slice(1)) {
    if (!Object.hasOwn(c.env, n)) st = 1;
    else out(c, `${c.env[n]}\n`);
  }
  return st;
});

export const uname = sync((c, argv) => {
  const { opts } = flags(argv);
  const fields: [string, string][] = [
    ['s', 'Linux'],
    ['n', c.k.host.hostname],
    ['r', '5.15.0'],
    ['v', '#1 SMP'],
    ['m', 'x86_64'],
    ['o', 'GNU/Linux'],
  ];
  const all = opts.has('a');
  const sel = fields.filter(([f]) => all || opts.has(f));
  out(c, `${(sel.length > 0 ? sel : [fields[0]!]).map(([, v]) => v).join(' ')}\n`);
  return 0;
});

export const which = sync((c, argv) => {
  let st = 0;
  for (const n of argv.slice(1)) {
    const dirs = (c.env.PATH ?? '/bin').split(':');
    const hit = dirs
      .map((d) => normalizePath(`${d}/${n}`))
      .find((p) => (c.k.host.fs.readFile(p) ?? '').startsWith('\u007fELF'));
    if (hit) out(c, `${hit}\n`);
    else st = 1;
  }
  return st;
});

export const ps = sync((c) => {
  out(c, 'PID   USER     TIME  COMMAND\n');
  const pids = [c.k.role === 'main' ? 1 : (c.sh?.pid ?? 1), ...c.k.runningBackground()];
  for (const p of [...new Set(pids)].sort((a, b) => a - b))
    out(c, `${String(p).padStart(5)} root      0:00 ${p === 1 ? 'sh' : 'sleep'}\n`);
  return 0;
});

export function* timeout(c: Ctx, argv: string[]): Gen<number> {
  const { opts, rest } = flags(argv, 'st');
  const sig = parseSignal(opts.get('s') ?? 'TERM');
  const limit = parseDuration(rest[0] ?? '');
  if (limit === undefined || rest.length < 2) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: timeout [-s SIG] SECS PROG ARGS\n',
    );
    return 1;
  }
  const deadline = c.k.clock + limit;
  const g = runCommand(c, rest.slice(1));
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    const req = r.value;
    if (req.kind === 'sleep' && req.until <= deadline) {
      yield req;
      continue;
    }
    yield { kind: 'sleep', until: deadline };
    g.return(0);
    // busybox timeout execs the command, which then dies of the signal (128+N).
    return 128 + (sig !== undefined && sig !== 'EXIT' ? SIGNAL_NUMBERS[sig] : 15);
  }
}

export function* xargs(c: Ctx, argv: string[]): Gen<number> {
  // busybox xargs (findutils/xargs.c): options end at the command; -s -E -P -a take a value
  // that the simulation does not use.
  const { opts, rest } = flags(argv, 'nIsEPa');
  const perCall = opts.has('n') ? Math.max(1, Number(opts.get('n')) || 1) : Number.POSITIVE_INFINITY;
  const replace = opts.get('I');
  const cmd = rest.length > 0 ? rest : ['echo'];
  const input = c.io.stdin.readAll();
  const items = replace !== undefined ? lines(input) : input.split(/\s+/).filter((w) => w !== '');
  if (items.length === 0) return opts.has('r') ? 0 : yield* runCommand(c, cmd);
  let st = 0;
  const step = replace !== undefined ? 1 : perCall;
  for (let k = 0; k < items.length; k += step) {
    c.k.step();
    const chunk = items.slice(k, k + step);
    const full =
      replace !== undefined ? cmd.map((a) => a.split(replace!).join(chunk[0]!)) : [...cmd, ...chunk];
    const r = yield* runCommand(c, full);
    if (r !== 0) st = r === 127 || r === 126 ? r : 123;
  }
  return st;
}
