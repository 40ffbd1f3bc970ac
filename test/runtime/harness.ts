/** Test harness: a host with captured output, a tiny Pod network, and a virtual-time driver. */
import type {
  FileSystem,
  Listener,
  PodNetwork,
  Process,
  ProcessStep,
  Signal,
} from '../../src/model/runtime.ts';
import { resolveImage } from '../../src/sim/runtime/index.ts';

export interface Out {
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** A network with named services (name -> ip), servers by ip:port, and a DNS answer switch. */
export class TestNet implements PodNetwork {
  services = new Map<string, string>();
  servers = new Map<string, Listener | 'refused' | 'timeout'>();
  nslookupMs = 0;

  resolve(name: string): string | undefined {
    return this.services.get(name) ?? this.services.get(name.split('.')[0]!);
  }

  nslookup(name: string) {
    const ip = this.resolve(name);
    const head = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
    const fqdn = name.includes('.') ? name : `${name}.default.svc.cluster.local`;
    if (ip)
      return {
        stdout: `${head}Name:\t${fqdn}\nAddress: ${ip}\n\n`,
        stderr: '',
        exitCode: 0,
        durationMs: this.nslookupMs,
      };
    return {
      stdout: `${head}** server can't find ${fqdn}: NXDOMAIN\n\n`,
      stderr: '',
      exitCode: 1,
      durationMs: this.nslookupMs,
    };
  }

  connect(ip: string, port: number): Listener | 'refused' | 'timeout' {
    return this.servers.get(`${ip}:${port}`) ?? 'refused';
  }
}

export interface RunResult {
  out: Out[];
  stdout: string;
  stderr: string;
  end: ProcessStep;
  endAt: number;
  fs: FileSystem;
}

export const LIMITS = { maxShellSteps: 100_000, maxOutputBytes: 64 * 1024, maxFsBytes: 256 * 1024 };

/** Starts argv in an image and returns the process and its captured output. */
export function start(
  argv: string[],
  opts: {
    image?: string;
    net?: TestNet;
    role?: 'main' | 'exec';
    fs?: FileSystem;
    limits?: Partial<typeof LIMITS>;
    env?: Record<string, string>;
    mainOutput?: (stream: 'stdout' | 'stderr', text: string, now: number) => void;
    signalMain?: (signal: Signal, now: number) => void;
    /** Virtual ms of the spawn (default 0). */
    at?: number;
  } = {},
): { proc: Process | { startError: string }; out: Out[]; fs: FileSystem } {
  const image = resolveImage(opts.image ?? 'busybox:1.32.0', {})!;
  const limits = { ...LIMITS, ...opts.limits };
  const fs = opts.fs ?? image.newFilesystem(limits.maxFsBytes);
  const out: Out[] = [];
  const proc = image.spawn(
    argv,
    {
      fs,
      net: opts.net ?? new TestNet(),
      env: opts.env ?? {},
      hostname: 'pod-1',
      write: (stream, text, at) => out.push({ at, stream, text }),
      ...(opts.mainOutput ? { mainOutput: opts.mainOutput } : {}),
      ...(opts.signalMain ? { signalMain: opts.signalMain } : {}),
      limits,
    },
    opts.at ?? 0,
    opts.role ?? 'main',
  );
  return { proc, out, fs };
}

/** Drives a process in virtual time until it ends, idles, or passes `horizon`. */
export function drive(
  proc: Process,
  from = 0,
  horizon = 3_600_000,
  onWake?: (t: number) => void,
): { end: ProcessStep; endAt: number } {
  let t = from;
  for (let i = 0; i < 1_000_000; i++) {
    onWake?.(t);
    const s = proc.run(t);
    if (s.kind !== 'blocked') return { end: s, endAt: t };
    if (s.wakeAt > horizon) return { end: s, endAt: t };
    t = s.wakeAt;
  }
  throw new Error('drive: too many wakes');
}

/** Runs `sh -c script` (or argv) to its end. */
export function run(
  script: string | string[],
  opts: Parameters<typeof start>[1] & { horizon?: number } = {},
): RunResult {
  const argv = typeof script === 'string' ? ['sh', '-c', script] : script;
  const s = start(argv, opts);
  if ('startError' in s.proc) throw new Error(s.proc.startError);
  const { end, endAt } = drive(s.proc, 0, opts.horizon);
  return {
    out: s.out,
    stdout: s.out
      .filter((o) => o.stream === 'stdout')
      .map((o) => o.text)
      .join(''),
    stderr: s.out
      .filter((o) => o.stream === 'stderr')
      .map((o) => o.text)
      .join(''),
    end,
    endAt,
    fs: s.fs,
  };
}
