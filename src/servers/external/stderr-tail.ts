/**
 * @module servers/external/stderr-tail
 * Keeps the last lines a child process wrote to stderr, for health reports (`lastError`) and
 * for the error a failed start reports. The child's stderr is read here and never forwarded
 * to this process's stdout, which the stdio gateway owns.
 */
import type { Stream } from 'node:stream';

/** Lines kept. */
const MAX_LINES = 20;
/** Characters kept of one line, so a child that prints a huge line cannot grow memory. */
const MAX_LINE = 1_000;
/** A stack frame line (`    at f (file:1:2)`). */
const STACK_FRAME = /^\s+at\s/;
/** Lines that say nothing about the failure: a lone brace of an inspected error, Node's version footer. */
const NOISE = /^\s*[{}]\s*$|^Node\.js v\d/;
/** A line that states an error (`Error: ...`, `TypeError: ...`, `error: ...`). */
const ERROR_LINE = /(^|\s)(\w*Error|error|ERROR|fatal|FATAL)\b:?/;

/** The last lines of a stream, kept as they arrive. */
export class StderrTail {
  readonly #lines: string[] = [];
  #partial = '';

  /** Starts reading `stream` (a child's piped stderr); reading it also keeps the child from blocking on a full pipe. */
  follow(stream: Stream | null): void {
    if (stream === null) return;
    stream.on('data', (chunk: Buffer | string) => this.#push(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    // An error on the pipe means the child is gone; the transport reports that.
    stream.on('error', () => undefined);
  }

  #push(text: string): void {
    const parts = (this.#partial + text).split(/\r?\n/);
    this.#partial = (parts.pop() ?? '').slice(-MAX_LINE);
    for (const line of parts) {
      if (line.trim() === '') continue;
      this.#lines.push(line.slice(0, MAX_LINE));
      if (this.#lines.length > MAX_LINES) this.#lines.shift();
    }
  }

  /**
   * What a failure report should quote: the last error line and what follows it, without stack
   * frames (Node's "Error: Cannot find module X" sits above a stack that would push it out of the
   * last few lines), or the last lines when none looks like an error.
   */
  failure(count = 6): string | undefined {
    const lines = [...this.#lines, ...(this.#partial.trim() === '' ? [] : [this.#partial])].filter((line) => !STACK_FRAME.test(line) && !NOISE.test(line));
    let start = -1;
    for (let i = lines.length - 1; i >= 0; i--) {
      if (ERROR_LINE.test(lines[i]!)) {
        start = i;
        break;
      }
    }
    const picked = start < 0 ? lines.slice(-count) : lines.slice(start, start + count);
    return picked.length === 0 ? undefined : picked.join('\n');
  }

  /** The last `count` lines (with a line still being written), or undefined when there are none. */
  last(count = 5): string | undefined {
    const lines = this.#partial.trim() === '' ? this.#lines.slice(-count) : [...this.#lines.slice(-(count - 1)), this.#partial];
    return lines.length === 0 ? undefined : lines.join('\n');
  }
}
