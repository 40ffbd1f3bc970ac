import { describe, expect, it } from 'vitest';
import type { Process } from '../../src/model/runtime.ts';
import { drive, start } from './harness.ts';

function proc(script: string, role: 'main' | 'exec' = 'main') {
  const s = start(['sh', '-c', script], { role });
  return { p: s.proc as Process, out: s.out };
}

describe('signals', () => {
  it('PID 1 sh ignores SIGTERM without a trap; SIGKILL ends it with 137', () => {
    const { p } = proc('sleep 3600');
    expect(p.run(0)).toEqual({ kind: 'blocked', wakeAt: 3_600_000 });
    p.signal('SIGTERM', 1000);
    expect(p.run(1000)).toEqual({ kind: 'blocked', wakeAt: 3_600_000 });
    p.signal('SIGKILL', 31_000);
    expect(p.run(31_000)).toEqual({ kind: 'exited', exitCode: 137, signal: 'SIGKILL' });
  });

  it('PID 1 sleep (exec form) ignores SIGTERM and SIGINT', () => {
    const p = start(['sleep', '100']).proc as Process;
    p.run(0);
    p.signal('SIGTERM', 1);
    p.signal('SIGINT', 2);
    expect(p.run(2)).toEqual({ kind: 'blocked', wakeAt: 100_000 });
  });

  it('exec role: SIGTERM kills with 143', () => {
    const { p } = proc('sleep 3600', 'exec');
    p.run(0);
    p.signal('SIGTERM', 500);
    expect(p.run(500)).toEqual({ kind: 'exited', exitCode: 143, signal: 'SIGTERM' });
  });

  it('trap runs after the foreground command completes (ash), then the script continues', () => {
    const { p, out } = proc("trap 'echo caught' TERM; sleep 10; echo after; sleep 100");
    p.run(0);
    p.signal('SIGTERM', 3000);
    expect(p.run(3000)).toEqual({ kind: 'blocked', wakeAt: 10_000 });
    expect(p.run(10_000)).toEqual({ kind: 'blocked', wakeAt: 110_000 });
    expect(out.map((o) => [o.at, o.text])).toEqual([
      [10_000, 'caught\n'],
      [10_000, 'after\n'],
    ]);
  });

  it('trap handler that exits ends the shell', () => {
    const { p } = proc('trap "echo bye; exit 0" SIGTERM; while true; do sleep 1; done');
    p.run(0);
    p.signal('SIGTERM', 2500);
    expect(p.run(3000)).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('wait is interrupted by a trapped signal', () => {
    const { p, out } = proc("trap 'echo term; exit 7' TERM; sleep 3600 & wait");
    expect(p.run(0)).toEqual({ kind: 'blocked', wakeAt: 3_600_000 });
    p.signal('SIGTERM', 4000);
    expect(p.run(4000)).toEqual({ kind: 'exited', exitCode: 7 });
    expect(out.map((o) => [o.at, o.text])).toEqual([[4000, 'term\n']]);
  });

  it("trap - TERM restores the default; trap '' TERM ignores", () => {
    const a = proc("trap 'echo x' TERM; trap - TERM; sleep 50", 'exec');
    a.p.run(0);
    a.p.signal('SIGTERM', 1);
    expect(a.p.run(1)).toEqual({ kind: 'exited', exitCode: 143, signal: 'SIGTERM' });
    const b = proc("trap '' TERM; sleep 50", 'exec');
    b.p.run(0);
    b.p.signal('SIGTERM', 1);
    expect(b.p.run(1)).toEqual({ kind: 'blocked', wakeAt: 50_000 });
  });

  it('kill $$ with a trap runs the handler', () => {
    const { p, out } = proc("trap 'echo self' USR1; kill -USR1 $$; echo next");
    expect(p.run(0)).toEqual({ kind: 'exited', exitCode: 0 });
    expect(out.map((o) => o.text).join('')).toBe('self\nnext\n');
  });

  it('kill -9 $$ ends the process at once', () => {
    const { p, out } = proc('echo a; kill -9 $$; echo never');
    expect(p.run(0)).toEqual({ kind: 'exited', exitCode: 137, signal: 'SIGKILL' });
    expect(out.map((o) => o.text).join('')).toBe('a\n');
  });

  it('signal catches up virtual time before delivery', () => {
    const { p, out } = proc("trap 'echo t' TERM; while true; do echo tick; sleep 1; done");
    p.run(0);
    p.signal('SIGTERM', 2500);
    p.run(2500);
    p.run(3000);
    expect(out.map((o) => [o.at, o.text])).toEqual([
      [0, 'tick\n'],
      [1000, 'tick\n'],
      [2000, 'tick\n'],
      [3000, 't\n'],
      [3000, 'tick\n'],
    ]);
  });

  it('exec sh: the new shell receives the signals', () => {
    const { p, out } = proc(
      `echo first; exec sh -c "trap 'echo t; exit 5' TERM; while true; do sleep 1; done"`,
    );
    p.run(0);
    p.signal('SIGTERM', 1500);
    expect(p.run(2000)).toEqual({ kind: 'exited', exitCode: 5 });
    expect(out.map((o) => o.text).join('')).toBe('first\nt\n');
  });

  it('the last command of sh -c replaces the shell (ash EV_EXIT): a nested sh gets the signals', () => {
    const { p, out } = proc(`echo x; sh -c "trap 'echo inner; exit 4' TERM; while true; do sleep 1; done"`);
    p.run(0);
    p.signal('SIGTERM', 1500);
    expect(p.run(2000)).toEqual({ kind: 'exited', exitCode: 4 });
    expect(out.map((o) => o.text).join('')).toBe('x\ninner\n');
  });

  it('with a trap set, the last command is not exec-ed', () => {
    const { p } = proc(`trap 'echo outer' USR1; sh -c "trap 'exit 4' TERM; while true; do sleep 1; done"`);
    p.run(0);
    p.signal('SIGTERM', 1500);
    expect(p.run(2000)).toEqual({ kind: 'blocked', wakeAt: 3000 });
  });

  it('a nested sh (not the last command) does not receive PID 1 signals', () => {
    const { p } = proc(`sh -c "trap 'exit 5' TERM; while true; do sleep 1; done"; echo after`);
    p.run(0);
    p.signal('SIGTERM', 1500);
    expect(p.run(2000)).toEqual({ kind: 'blocked', wakeAt: 3000 });
  });

  it('kill 1 from an exec process signals PID 1 from inside its namespace', () => {
    const main = start(['nginx', '-g', 'daemon off;'], { image: 'nginx:1.17.10-alpine' });
    const p = main.proc as Process;
    p.run(0);
    const sent: string[] = [];
    const exec = (script: string, at: number) =>
      drive(
        start(['sh', '-c', script], {
          image: 'nginx:1.17.10-alpine',
          fs: main.fs,
          role: 'exec',
          at,
          signalMain: (sig, now) => {
            sent.push(`${sig}@${now}`);
            p.signal(sig, now);
          },
        }).proc as Process,
        at,
      );
    exec('kill -9 1; kill -HUP 1', 1000);
    expect(sent).toEqual(['SIGHUP@1000']);
    expect(p.run(1000)).toEqual({ kind: 'idle' });
    expect(exec('nginx -s stop', 2000).end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(sent).toEqual(['SIGHUP@1000', 'SIGTERM@2000']);
    expect(p.run(2000)).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('nginx -s without a running master', () => {
    const s = start(['nginx', '-s', 'quit'], { image: 'nginx:1.17.10-alpine', role: 'exec' });
    expect(drive(s.proc as Process).end).toEqual({ kind: 'exited', exitCode: 1 });
    expect(s.out.map((o) => o.text).join('')).toBe(
      'nginx: [error] open() "/var/run/nginx.pid" failed (2: No such file or directory)\n',
    );
  });

  it('after exit, signals and runs are no-ops', () => {
    const { p } = proc('exit 2');
    expect(p.run(0)).toEqual({ kind: 'exited', exitCode: 2 });
    p.signal('SIGKILL', 5);
    expect(p.run(10)).toEqual({ kind: 'exited', exitCode: 2 });
  });
});
