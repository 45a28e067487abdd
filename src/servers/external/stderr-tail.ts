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

  /** The last `count` lines (with a line still being written), or undefined when there are none. */
  last(count = 5): string | undefined {
    const lines = this.#partial.trim() === '' ? this.#lines.slice(-count) : [...this.#lines.slice(-(count - 1)), this.#partial];
    return lines.length === 0 ? undefined : lines.join('\n');
  }
}
