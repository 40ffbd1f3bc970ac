/**
 * The contract between the kubelet (src/sim/kubelet) and the container userland
 * (src/sim/runtime: images, filesystem, busybox shell, nginx). Every process runs in virtual
 * time: it computes until it blocks (sleep, a DNS timeout) or exits, and never reads a clock.
 */

/** An HTTP answer from a simulated server. */
export interface HttpResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A TCP server inside a container; `http` absent means it accepts connections but speaks no HTTP. */
export interface Listener {
  port: number;
  http?: (request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    /** Virtual ms of the request; with `remoteAddr`, lets servers write access logs (nginx). Optional. */
    now?: number;
    /** The client's IPv4 as the server sees it (a probe: the node's address). Optional. */
    remoteAddr?: string;
  }) => HttpResponse;
  /**
   * A grpc.health.v1 server: the status `Check` answers for a service name (`NOT_FOUND`: the
   * server knows no such service). Absent: a gRPC probe takes any listener as SERVING.
   */
  grpc?: (service: string) => 'SERVING' | 'NOT_SERVING' | 'NOT_FOUND';
  /** A line protocol for raw TCP clients (`nc`, `redis-cli`): the answer to what they send. */
  tcp?: (input: string) => string;
}

/** Connection outcomes as the Go/busybox clients report them. */
export type ConnectError = 'refused' | 'timeout';

/** The cluster network as seen from inside one Pod (section 10 of the semantics page). */
export interface PodNetwork {
  /** libc-style resolution with the Pod's search path and ndots:5 (wget, nc): an IPv4, or undefined. */
  resolve(name: string): string | undefined;
  /** busybox 1.32 `nslookup NAME` (section 10.1): its output, exit code and the time it takes. */
  nslookup(name: string): { stdout: string; stderr: string; exitCode: number; durationMs: number };
  /** TCP connect from this Pod to ip:port now. */
  connect(ip: string, port: number): Listener | ConnectError;
}

/** The signals the kubelet and `kill` send. */
export type Signal = 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGQUIT' | 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2';

/** What a process does next. */
export type ProcessStep =
  /** Blocked until `wakeAt` (virtual ms); call `run(wakeAt)` then. */
  | { kind: 'blocked'; wakeAt: number }
  /** Blocked until something external happens (e.g. `sh` reading an empty stdin never blocks; `nc -l` waits forever). */
  | { kind: 'idle' }
  | { kind: 'exited'; exitCode: number; signal?: Signal }
  /** A budget ran out inside the process; the kubelet ends the run with this reason. */
  | { kind: 'budget'; budget: 'shellSteps' | 'logBytes' | 'fsBytes'; detail: string };

/** A running process tree (PID 1 of a container, an exec probe, a hook, `kubectl exec`). */
export interface Process {
  /** Computes from instant `now` until the process blocks or exits. */
  run(now: number): ProcessStep;
  /**
   * Delivers a signal at `now`. PID 1 ignores signals it has no handler for (busybox sh and
   * sleep ignore SIGTERM); a `trap` is honoured; SIGKILL always ends it (exit 137).
   * Call `run(now)` afterwards to see its effect.
   */
  signal(signal: Signal, now: number): void;
  /** Servers this process listens on now. */
  listeners(): readonly Listener[];
}

/** A container's filesystem: fresh from the image on every container start. */
export interface FileSystem {
  /** A file's content; symbolic links on the way are followed. */
  readFile(path: string): string | undefined;
  /** `erofs`: the path is on a read-only mount (EROFS, "Read-only file system"). */
  writeFile(path: string, content: string, append?: boolean): 'ok' | 'enoent' | 'eisdir' | 'budget' | 'erofs';
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  mkdir(path: string, parents: boolean): 'ok' | 'enoent' | 'eexist' | 'erofs';
  remove(path: string, recursive: boolean): 'ok' | 'enoent' | 'eisdir' | 'erofs';
  list(path: string): string[] | undefined;
  /**
   * readlink(2): the target of the symbolic link at `path` (its last component is not
   * followed), or undefined when it is none. Optional; absent, the filesystem has no links.
   */
  linkTarget?(path: string): string | undefined;
  /** The permission bits (e.g. 0o644) of what `path` leads to, when the filesystem keeps them. */
  modeOf?(path: string): number | undefined;
  /** Whether `path` is on a read-only mount (writes there fail with `erofs`). */
  readOnly?(path: string): boolean;
  /** Bytes of file content held. */
  size(): number;
  /**
   * Changes whenever the content may have changed, so that lookups can be remembered until
   * then (PATH searches). Absent: unknown, nothing is remembered.
   */
  readonly version?: number;
}

/** Where a process runs and where its output goes. */
export interface ProcessHost {
  fs: FileSystem;
  net: PodNetwork;
  env: Record<string, string>;
  hostname: string;
  /** Output, in order; the kubelet sends PID 1's to the container log and captures exec output. */
  write(stream: 'stdout' | 'stderr', text: string, now: number): void;
  /**
   * For exec'd processes (hooks, probes, kubectl exec): writes to the container's PID 1
   * stdout/stderr, i.e. the container log (`echo x > /proc/1/fd/1`). Optional; absent, such
   * writes are discarded.
   */
  mainOutput?: (stream: 'stdout' | 'stderr', text: string, now: number) => void;
  /**
   * For exec'd processes: sends a signal to the container's PID 1 from inside its PID
   * namespace (`kill 1`, `nginx -s stop`). The runtime never sends SIGKILL this way (the kernel
   * protects a namespace's init from it). Optional; absent, such signals are lost.
   */
  signalMain?: (signal: Signal, now: number) => void;
  limits: { maxShellSteps: number; maxOutputBytes: number; maxFsBytes: number };
}

/** An image the node can run. */
export interface Image {
  /** The reference as written in the Pod (`busybox:1.32.0`). */
  ref: string;
  /** ENTRYPOINT and CMD, as the OCI config gives them. */
  entrypoint: string[];
  cmd: string[];
  /** The PATH of the image's OCI `Env`, when it sets one. */
  path?: string;
  /** Compressed size as the registry reports it, for the kubelet's `Pulled` event (`Image size: N bytes.`). */
  sizeBytes?: number;
  /** The image's main-process behaviour on its stop signal: true if it exits at once on SIGTERM. */
  handlesStopSignal: boolean;
  /** A fresh filesystem with the image's content. */
  newFilesystem(maxFsBytes: number): FileSystem;
  /**
   * Starts `argv` (already resolved from command/args and ENTRYPOINT/CMD) in a container of
   * this image. A missing executable is a start error with containerd's message
   * (`exec: "foo": executable file not found in $PATH`): the container ends StartError, exit 128.
   */
  spawn(
    argv: string[],
    host: ProcessHost,
    now: number,
    role: 'main' | 'exec',
  ): Process | { startError: string };
  /** Whether the image has this executable (for exec probes on binaries it lacks). */
  hasExecutable(path: string): boolean;
}
