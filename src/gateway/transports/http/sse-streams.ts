/**
 * @module gateway/transports/http/sse-streams
 * Resumable SSE streams of the session era (MCP 2025-11-25, SEP-1699): every event on a POST's
 * response stream or a GET stream carries an id (`<stream>-<seq>`, unique in the session), the
 * events are kept in a bounded per-session buffer, and a GET with `Last-Event-ID` replays what
 * came after that event on that stream (never another stream's) and then carries the stream on.
 * A stream starts with a priming event (an id, a `retry` and empty data) for clients of
 * 2025-11-25 or later, so the client holds a cursor from the first byte; older clients cannot
 * read an empty event and get ids on their messages only.
 *
 * A stream whose connection drops while the client holds a cursor is detached, not cancelled
 * (the specification asks that a disconnection not be taken as cancellation): its calls go on,
 * their messages are buffered, and it waits `replayMs` to be resumed before its calls are
 * cancelled. The gateway may also close a stream itself (polling, `sseCloseAfterMs`).
 *
 * Why not the SDK's `EventStore`: the gateway's HTTP transport is its own (the SDK's transport
 * is several times slower per call, see dispatcher.ts), so the SDK's store has nothing to plug
 * into; and sessions live in this process's memory, so a pluggable (persistent) store would
 * outlive the sessions it serves. A bounded in-memory buffer per session is what is needed.
 */
import type { ServerResponse } from 'node:http';
import { ChurnMap } from '../../../engine/churn.js';
import { SSE_HEADERS } from './http-io.js';

/** How a session's streams behave. */
export interface SseOptions {
  /** The `retry` (ms) of the priming event: how soon a client reconnects. */
  retryMs: number;
  /** How long a dropped stream waits to be resumed before its calls are cancelled. */
  replayMs: number;
}

/** At most this many events are kept per session (oldest dropped first)... */
const MAX_EVENTS = 256;
/** ... and at most this many bytes of them. */
const MAX_BYTES = 1024 * 1024;

/** The first protocol version whose clients read an event with empty data (the priming event). */
const PRIMING_SINCE = '2025-11-25';

interface StoredEvent {
  stream: number;
  seq: number;
  text: string;
}

/** One SSE stream of a session: a POST's responses or a GET stream. */
export class SseStream {
  readonly number: number;
  readonly kind: 'post' | 'get';
  readonly #owner: SessionStreams;
  #res: ServerResponse | undefined;
  #expiry: NodeJS.Timeout | undefined;
  /** Whether the client holds a cursor (it was sent an event id): then a drop is not a cancellation. */
  resumable = false;
  /** The stream's last message was written (a POST stream ends after its responses). */
  ended = false;
  /** Called when a detached stream was not resumed in time (its calls are cancelled). */
  onExpire: (() => void) | undefined;

  constructor(owner: SessionStreams, number: number, kind: 'post' | 'get') {
    this.#owner = owner;
    this.number = number;
    this.kind = kind;
  }

  /** Whether a connection carries the stream now. */
  get attached(): boolean {
    return this.#res !== undefined && !this.#res.writableEnded;
  }

  /** Sends one message: kept for replay, and written when a connection carries the stream. */
  write(message: unknown): void {
    if (this.ended) return;
    const text = this.#owner.store(this.number, JSON.stringify(message));
    const res = this.#res;
    if (res !== undefined && !res.writableEnded) {
      res.write(text);
      this.resumable = true;
    }
  }

  /** The stream is complete: its connection ends, and its events go once nothing can resume it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const res = this.#res;
    if (res !== undefined && !res.writableEnded) {
      res.on('finish', () => this.#owner.drop(this));
      res.end();
    } else if (!this.resumable) this.#owner.drop(this);
  }

  /**
   * Carries the stream on `res` (a new stream, or a resume after the event `afterSeq`): writes
   * the head, replays what the client missed, and ends at once when the stream is complete.
   */
  attach(res: ServerResponse, headers: Record<string, string> | undefined, afterSeq: number | undefined): void {
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    const previous = this.#res;
    this.#res = res;
    if (previous !== undefined && previous !== res && !previous.writableEnded) previous.end();
    res.writeHead(200, headers === undefined ? SSE_HEADERS : { ...SSE_HEADERS, ...headers });
    if (afterSeq === undefined) {
      if (this.kind === 'get') res.write(': mcpool\n\n');
      if (this.#owner.priming) {
        res.write(this.#owner.store(this.number, undefined));
        this.resumable = true;
      }
    } else {
      this.resumable = true;
      for (const text of this.#owner.after(this.number, afterSeq)) res.write(text);
      if (this.ended) {
        res.on('finish', () => this.#owner.drop(this));
        res.end();
        return;
      }
    }
    res.on('close', () => {
      if (this.#res !== res) return;
      this.#res = undefined;
      if (res.writableFinished && this.ended) return;
      this.#detached();
    });
  }

  /** The gateway closes the connection but keeps the stream (the client polls: SEP-1699). */
  close(): void {
    const res = this.#res;
    if (res === undefined || !this.resumable) return;
    this.#res = undefined;
    res.end();
    this.#detached();
  }

  /** Forgets the stream now (the session ended). */
  discard(): void {
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    const res = this.#res;
    this.#res = undefined;
    if (res !== undefined && !res.writableEnded) res.end();
  }

  #detached(): void {
    if (!this.resumable) {
      this.#owner.drop(this);
      if (!this.ended) this.onExpire?.();
      return;
    }
    clearTimeout(this.#expiry);
    this.#expiry = setTimeout(() => {
      this.#expiry = undefined;
      this.#owner.drop(this);
      if (!this.ended) this.onExpire?.();
    }, this.#owner.options.replayMs);
    this.#expiry.unref();
  }
}

/** The SSE streams of one session and the events kept for resuming them. */
export class SessionStreams {
  readonly options: SseOptions;
  readonly #session: { readonly protocolVersion: string | undefined };
  /** Open streams by number (one per SSE response: a `ChurnMap`, engine/churn). */
  readonly #streams = new ChurnMap<number, SseStream>();
  readonly #events: StoredEvent[] = [];
  #bytes = 0;
  #nextStream = 0;
  #nextSeq = 0;

  constructor(options: SseOptions, session: { readonly protocolVersion: string | undefined }) {
    this.options = options;
    this.#session = session;
  }

  /** Whether this session's client reads priming events (2025-11-25 or later). */
  get priming(): boolean {
    const version = this.#session.protocolVersion;
    return version !== undefined && version >= PRIMING_SINCE;
  }

  /** A new stream. */
  open(kind: 'post' | 'get'): SseStream {
    const stream = new SseStream(this, ++this.#nextStream, kind);
    this.#streams.set(stream.number, stream);
    return stream;
  }

  /** The GET streams, attached or waiting to be resumed. */
  *getStreams(): IterableIterator<SseStream> {
    for (const stream of this.#streams.values()) if (stream.kind === 'get') yield stream;
  }

  /**
   * The stream and position a `Last-Event-ID` names, or undefined when it names none of this
   * session's streams (a malformed id, or a stream that ended or expired).
   */
  resume(lastEventId: string): { stream: SseStream; seq: number } | undefined {
    const match = /^(\d+)-(\d+)$/.exec(lastEventId.trim());
    if (match === null) return undefined;
    const stream = this.#streams.get(Number(match[1]));
    return stream === undefined ? undefined : { stream, seq: Number(match[2]) };
  }

  /** Keeps one event of `stream` (a message, or the priming event when undefined) and returns its SSE text. */
  store(stream: number, json: string | undefined): string {
    const seq = ++this.#nextSeq;
    const id = `${stream}-${seq}`;
    const text = json === undefined ? `id: ${id}\nretry: ${this.options.retryMs}\ndata: \n\n` : `event: message\nid: ${id}\ndata: ${json}\n\n`;
    if (json === undefined) return text;
    this.#events.push({ stream, seq, text });
    this.#bytes += text.length;
    while (this.#events.length > MAX_EVENTS || (this.#bytes > MAX_BYTES && this.#events.length > 1)) this.#bytes -= this.#events.shift()!.text.length;
    return text;
  }

  /** The kept events of `stream` after `seq`, oldest first. */
  after(stream: number, seq: number): string[] {
    const texts: string[] = [];
    for (const event of this.#events) if (event.stream === stream && event.seq > seq) texts.push(event.text);
    return texts;
  }

  /** Forgets a stream and its events. */
  drop(stream: SseStream): void {
    if (this.#streams.get(stream.number) !== stream) return;
    this.#streams.delete(stream.number);
    let kept = 0;
    for (const event of this.#events) {
      if (event.stream === stream.number) this.#bytes -= event.text.length;
      else this.#events[kept++] = event;
    }
    this.#events.length = kept;
  }

  /** Ends every stream (the session is over). */
  close(): void {
    for (const stream of this.#streams.values()) stream.discard();
    this.#streams.clear();
    this.#events.length = 0;
    this.#bytes = 0;
  }
}
