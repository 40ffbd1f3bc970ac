/** `podlab serve` as a child process on a free port, for end-to-end tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/podlab.mjs');

/** A running server: its URL, the demo tokens, and its output so far. */
export interface Server {
  child: ChildProcess;
  url: string;
  student: string;
  instructor: string;
  stdout: () => string;
  /** Its stderr so far (warnings and internal-error log lines). */
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `podlab serve --data dataDir` (and `extra` arguments) and waits for its banner. */
export async function startServer(dataDir: string, extra: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir, ...extra], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (!/demo instructor token: +\S+/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`serve did not start:\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: /listening on (\S+)/.exec(out)![1]!,
    student: /demo student token: +(\S+)/.exec(out)![1]!,
    instructor: /demo instructor token: +(\S+)/.exec(out)![1]!,
    stdout: () => out,
    stderr: () => err,
    exited,
  };
}

/** SIGTERM, then its exit code. */
export async function stop(s: Server): Promise<number | null> {
  s.child.kill('SIGTERM');
  return s.exited;
}
