/**
 * @module cli/jsonl
 * Lines of a text stream, read with backpressure: the async iterator of a stream only reads
 * the next chunk when the consumer asks for it, so a 1 GB input is never held in memory.
 * Lines are yielded per chunk read, so a slow producer's lines are not held back waiting for
 * a full batch.
 */
import type { Readable } from 'node:stream';

/** One line of input: its 1-based number, its text (no line end) and the input bytes consumed so far. */
export interface InputLine {
  number: number;
  text: string;
}

/** The lines that one read of the stream completed, and the bytes read so far. */
export interface LineChunk {
  lines: InputLine[];
  bytesRead: number;
}

/** Yields the complete lines of each chunk read from `stream` (`\n` or `\r\n` line ends). */
export async function* readLineChunks(stream: Readable): AsyncGenerator<LineChunk> {
  stream.setEncoding('utf8'); // the decoder keeps a multi-byte character split across chunks whole
  let carry = '';
  let number = 0;
  let bytesRead = 0;
  for await (const piece of stream as AsyncIterable<string>) {
    bytesRead += Buffer.byteLength(piece);
    const parts = (carry + piece).split('\n');
    carry = parts.pop()!;
    if (parts.length === 0) continue;
    yield { lines: parts.map((text) => ({ number: ++number, text: text.endsWith('\r') ? text.slice(0, -1) : text })), bytesRead };
  }
  if (carry !== '') yield { lines: [{ number: ++number, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry }], bytesRead };
}
