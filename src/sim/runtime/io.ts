/** Standard streams of a simulated command: an input cursor and output sinks. */
import type { FileSystem } from '../../model/runtime.ts';
import { BudgetExceeded, type Kernel, type Sink } from './kernel.ts';

/** A command's standard input: text read once, front to back. */
export class Input {
  constructor(
    private readonly text: string,
    private pos = 0,
  ) {}

  /** Everything not read yet. */
  readAll(): string {
    const rest = this.text.slice(this.pos);
    this.pos = this.text.length;
    return rest;
  }

  /** The next line without its newline, or undefined at end of input. */
  readLine(): string | undefined {
    if (this.pos >= this.text.length) return undefined;
    const nl = this.text.indexOf('\n', this.pos);
    const end = nl < 0 ? this.text.length : nl;
    const line = this.text.slice(this.pos, end);
    this.pos = nl < 0 ? this.text.length : nl + 1;
    return line;
  }
}

/** An empty input (a container has no stdin). */
export function noInput(): Input {
  return new Input('');
}

/** The three standard streams of a command. */
export interface Io {
  stdin: Input;
  out: Sink;
  err: Sink;
}

/** Discards what is written (`/dev/null`). */
export const NULL_SINK: Sink = { write: () => undefined };

/** Appends to a file of the container filesystem; running out of space is the fsBytes budget. */
export class FileSink implements Sink {
  constructor(
    private readonly fs: FileSystem,
    private readonly path: string,
    private readonly maxBytes: number,
  ) {}

  write(text: string): void {
    if (text === '') return;
    if (this.fs.writeFile(this.path, text, true) === 'budget') {
      throw new BudgetExceeded(
        'fsBytes',
        `filesystem content exceeded ${this.maxBytes} bytes writing ${this.path}`,
      );
    }
  }
}

/** Collects output in memory (command substitution, pipelines), bounded by the output budget. */
export class BufferSink implements Sink {
  private readonly chunks: string[] = [];
  private size = 0;

  constructor(private readonly kernel: Kernel) {}

  write(text: string): void {
    this.size += text.length;
    const max = this.kernel.host.limits.maxOutputBytes;
    if (this.size > max) throw new BudgetExceeded('logBytes', `captured output exceeded ${max} bytes`);
    this.chunks.push(text);
  }

  /** Everything written so far. */
  text(): string {
    return this.chunks.join('');
  }
}
