/** Shell benchmarks: steps per second of a busy loop, and each course command over its life. */
import type { Process, ProcessHost } from '../src/model/runtime.ts';
import { resolveImage } from '../src/sim/runtime/index.ts';
import { ms, quantile, table, timeRuns } from './stats.ts';

const limits = { maxShellSteps: 1_000_000, maxOutputBytes: 1 << 20, maxFsBytes: 1 << 20 };

function host(image: string, dns: (t: number) => boolean, clock: { t: number }): ProcessHost {
  const img = resolveImage(image, {})!;
  return {
    fs: img.newFilesystem(limits.maxFsBytes),
    net: {
      resolve: () => (dns(clock.t) ? '10.96.0.5' : undefined),
      nslookup: (name) =>
        dns(clock.t)
          ? {
              stdout: `Name:\t${name}.default.svc.cluster.local\nAddress: 10.96.0.5\n`,
              stderr: '',
              exitCode: 0,
              durationMs: 0,
            }
          : {
              stdout: `** server can't find ${name}.default.svc.cluster.local: NXDOMAIN\n`,
              stderr: '',
              exitCode: 1,
              durationMs: 0,
            },
      connect: () => 'refused',
    },
    env: {},
    hostname: 'bench',
    write: () => undefined,
    limits,
  };
}

/** Runs argv from 0 to `horizon` virtual ms (or its end); returns the number of wakes. */
function life(
  image: string,
  argv: string[],
  horizon: number,
  dns: (t: number) => boolean = () => false,
): number {
  const clock = { t: 0 };
  const p = resolveImage(image, {})!.spawn(argv, host(image, dns, clock), 0, 'main') as Process;
  let wakes = 0;
  for (;;) {
    const s = p.run(clock.t);
    wakes++;
    if (s.kind !== 'blocked' || s.wakeAt > horizon) return wakes;
    clock.t = s.wakeAt;
  }
}

/** Prints the figures. */
export async function bench(): Promise<void> {
  const steps = 200_000;
  const busy = timeRuns(
    () => {
      const p = resolveImage('busybox', {})!.spawn(
        ['sh', '-c', 'while true; do :; done'],
        { ...host('busybox', () => false, { t: 0 }), limits: { ...limits, maxShellSteps: steps } },
        0,
        'main',
      ) as Process;
      p.run(0);
    },
    10,
    2,
  );
  const med = quantile(busy, 0.5);
  table(
    ['busy loop', 'steps', 'median', 'steps/s'],
    [['while true; do :; done', steps, ms(med), Math.round(steps / (med / 1000)).toLocaleString('en')]],
  );
  console.log();
  const course: [string, string, string[], number, ((t: number) => boolean)?][] = [
    [
      'liveness (1 h)',
      'busybox:1.32.0',
      ['/bin/sh', '-c', 'touch /tmp/livenesspod ; sleep 30; rm -rf /tmp/livenesspod; sleep 3600'],
      3_700_000,
    ],
    [
      'init-myservice (resolves at 10 min)',
      'busybox:1.32.0',
      ['sh', '-c', 'until nslookup myservice; do echo waiting for myservice; sleep 2; done;'],
      3_600_000,
      (t) => t >= 600_000,
    ],
    ['myapp (1 h)', 'busybox:1.32.0', ['sh', '-c', 'echo The app is running! && sleep 3600'], 3_600_000],
    ['lifecycle postStart', 'busybox:1.32.0', ['mkdir', '-p', '/lagou/k8s/index.html'], 0],
    ['nginx main', 'nginx:1.17.10-alpine', ['nginx', '-g', 'daemon off;'], 3_600_000],
    ['exec probe test -e', 'busybox:1.32.0', ['test', '-e', '/tmp/livenesspod'], 0],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, image, argv, horizon, dns] of course) {
    let wakes = 0;
    const t = timeRuns(
      () => {
        wakes = life(image, argv, horizon, dns);
      },
      50,
      5,
    );
    rows.push([name, wakes, ms(quantile(t, 0.5)), ms(quantile(t, 0.95))]);
  }
  table(['course command', 'wakes', 'p50', 'p95'], rows);
}
