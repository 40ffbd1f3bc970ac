/**
 * Scripted images for kubelet unit tests, independent of the busybox/nginx userland: a
 * process is a list of steps (`sleep:<ms>`, `out:<text>`, `touch:<path>`, `rm:<path>`,
 * `exit:<n>`, `serve:<port>`, `idle`) given as argv; `cat <path>`, `true`, `false` and
 * `sleep <s>` exist as commands. Image `fake-term` exits 0 on SIGTERM; `fake` ignores it.
 */
import type {
  FileSystem,
  Image,
  Listener,
  Process,
  ProcessHost,
  ProcessStep,
  Signal,
} from '../../src/model/runtime.ts';

class MapFs implements FileSystem {
  files = new Map<string, string>();
  readFile(path: string) {
    return this.files.get(path);
  }
  writeFile(path: string, content: string, append?: boolean) {
    this.files.set(path, append ? (this.files.get(path) ?? '') + content : content);
    return 'ok' as const;
  }
  exists(path: string) {
    return this.files.has(path);
  }
  isDirectory() {
    return false;
  }
  mkdir() {
    return 'ok' as const;
  }
  remove(path: string) {
    return this.files.delete(path) ? ('ok' as const) : ('enoent' as const);
  }
  list() {
    return [...this.files.keys()];
  }
  size() {
    return 0;
  }
}

const COMMANDS = new Set(['script', 'true', 'false', 'sleep', 'cat', 'sh']);

class ScriptProcess implements Process {
  private i = 0;
  private wakeAt: number | undefined;
  private done: ProcessStep | undefined;
  private serving: number[] = [];
  private idle = false;
  constructor(
    private steps: string[],
    private host: ProcessHost,
    now: number,
    private handlesTerm: boolean,
    private pid1: boolean,
  ) {
    void now;
  }
  run(now: number): ProcessStep {
    if (this.done) return this.done;
    if (this.wakeAt !== undefined) {
      if (now < this.wakeAt) return { kind: 'blocked', wakeAt: this.wakeAt };
      this.wakeAt = undefined;
    }
    if (this.idle) return { kind: 'idle' };
    while (this.i < this.steps.length) {
      const s = this.steps[this.i++]!;
      const [op, ...rest] = s.split(':');
      const arg = rest.join(':');
      if (op === 'sleep') {
        this.wakeAt = now + Number(arg);
        return { kind: 'blocked', wakeAt: this.wakeAt };
      }
      if (op === 'out') this.host.write('stdout', `${arg}\n`, now);
      if (op === 'err') this.host.write('stderr', `${arg}\n`, now);
      if (op === 'touch') this.host.fs.writeFile(arg, 'x');
      if (op === 'rm') this.host.fs.remove(arg, false);
      if (op === 'exit') return this.end(Number(arg));
      if (op === 'serve') this.serving.push(Number(arg));
      if (op === 'idle') {
        this.idle = true;
        return { kind: 'idle' };
      }
      if (op === 'test') {
        if (!this.host.fs.exists(arg)) {
          this.host.write('stdout', `cat: can't open '${arg}': No such file or directory\n`, now);
          return this.end(1);
        }
      }
    }
    return this.end(0);
  }
  private end(code: number, signal?: Signal): ProcessStep {
    this.serving = [];
    this.done = signal ? { kind: 'exited', exitCode: code, signal } : { kind: 'exited', exitCode: code };
    return this.done;
  }
  signal(sig: Signal): void {
    if (this.done) return;
    if (sig === 'SIGKILL') this.end(137, 'SIGKILL');
    else if (sig === 'SIGTERM' && (this.handlesTerm || !this.pid1)) this.end(this.pid1 ? 0 : 143);
  }
  listeners(): Listener[] {
    return this.serving.map((port) => ({ port, http: () => ({ status: 200, body: 'ok' }) }));
  }
}

/** Converts a command line into script steps. */
function toSteps(argv: string[]): string[] | { startError: string } {
  const [cmd, ...args] = argv;
  if (!cmd || !COMMANDS.has(cmd)) return { startError: `exec: "${cmd}": executable file not found in $PATH` };
  if (cmd === 'script' || cmd === 'sh') return args;
  if (cmd === 'true') return ['exit:0'];
  if (cmd === 'false') return ['exit:1'];
  if (cmd === 'sleep') return [`sleep:${Number(args[0]) * 1000}`];
  return [`test:${args[0]}`];
}

/** The scripted image catalogue: `fake`, `fake-term`, `fake:<tag>`; anything else is unknown. */
export function fakeResolver(ref: string): Image | undefined {
  const name = ref.split(':')[0];
  if (name !== 'fake' && name !== 'fake-term') return undefined;
  const handlesTerm = name === 'fake-term';
  return {
    ref,
    entrypoint: [],
    cmd: ['true'],
    handlesStopSignal: handlesTerm,
    newFilesystem: () => new MapFs(),
    spawn(argv, host, now, role) {
      const steps = toSteps(argv);
      if (!Array.isArray(steps)) return steps;
      return new ScriptProcess(steps, host, now, handlesTerm, role === 'main');
    },
    hasExecutable: (p) => COMMANDS.has(p),
  };
}
