/**
 * @module wire/ring
 * A single-producer, single-consumer ring of byte records in a SharedArrayBuffer, with the
 * wake-up protocol both sides of a thread boundary share: the producer copies a record's bytes
 * in place and wakes the consumer only when it says it sleeps; the consumer blocks in
 * `Atomics.wait` (a thread) or awaits `Atomics.waitAsync` (the main thread, one wait per burst).
 *
 * Layout: a header of {@link HEADER_WORDS} Int32 words (`write` and `read` positions, the
 * consumer's sleep flag), then `capacity` bytes of records. A record is an Int32 length and its
 * bytes, padded to 4; a length of -1 marks the end of the data before the ring wraps. Positions
 * count bytes for ever (mod 2^32) and index the data modulo `capacity`, a power of two, so a full
 * ring and an empty one differ. A record may take at most half the ring: then any record fits an
 * empty ring whatever the wrap point, so a producer that waits for room never waits for ever.
 *
 * The Atomics stores of the positions publish the plain writes of the bytes before them (the JS
 * memory model orders them), so a consumer that loads `write` sees complete records.
 */

/** Int32 words before the data: `write`, `read`, `sleeping`, and padding to a cache line. */
export const HEADER_WORDS = 16;
const WRITE = 0;
const READ = 1;
const SLEEPING = 2;
const WRAP = -1;

/** Bytes a record of `length` bytes takes in the ring: its length word and its bytes, padded to 4. */
export function recordBytes(length: number): number {
  return 4 + ((length + 3) & ~3);
}

/** One ring: either end of it, depending on which methods a side calls. */
export class Ring {
  /** The shared memory, to hand to the other side (`new Ring(buffer)` there). */
  readonly buffer: SharedArrayBuffer;
  /** Bytes of record data the ring holds. */
  readonly capacity: number;
  /** The largest record the ring takes (bytes); larger ones must travel another way. */
  readonly maxRecord: number;
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #mask: number;
  /** Bytes before the end of the data that the record reserved last skipped (it wrapped). */
  #skipped = 0;

  /** Allocates a ring of `capacity` bytes (rounded up to a power of two, at least 64). */
  static create(capacity: number): Ring {
    let size = 64;
    while (size < capacity) size *= 2;
    return new Ring(new SharedArrayBuffer(HEADER_WORDS * 4 + size));
  }

  /** Opens a ring made by {@link Ring.create}, on either side. */
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.capacity = buffer.byteLength - HEADER_WORDS * 4;
    if (this.capacity < 64 || (this.capacity & (this.capacity - 1)) !== 0) throw new RangeError(`a ring holds a power of two of bytes, not ${this.capacity}`);
    this.#mask = this.capacity - 1;
    this.maxRecord = this.capacity / 2 - 4;
    this.#words = new Int32Array(buffer);
    this.#bytes = new Uint8Array(buffer, HEADER_WORDS * 4);
  }

  /** Bytes written and not yet read. */
  get used(): number {
    return (Atomics.load(this.#words, WRITE) - Atomics.load(this.#words, READ)) >>> 0;
  }

  // Producer side.

  /**
   * Copies `bytes` in as one record; false (nothing written) when the ring has no room for it
   * now, or never would (longer than {@link maxRecord}). Does not wake the consumer: call
   * {@link wake} once after a burst of writes.
   */
  write(bytes: Uint8Array): boolean {
    const length = bytes.length;
    const start = this.reserve(length);
    if (start < 0) return false;
    this.#bytes.set(bytes, start);
    this.commit(length);
    return true;
  }

  /**
   * Reserves room for a record of `length` bytes and returns the offset in {@link data} where its
   * bytes go, or -1 when there is no room now (or ever: longer than {@link maxRecord}). Write the
   * bytes there, then {@link commit} the same length. Between the two nothing else may write.
   */
  reserve(length: number): number {
    if (length > this.maxRecord) return -1;
    const words = this.#words;
    const need = recordBytes(length);
    const write = Atomics.load(words, WRITE) >>> 0;
    this.#skipped = 0;
    const free = this.capacity - ((write - (Atomics.load(words, READ) >>> 0)) >>> 0);
    let offset = write & this.#mask;
    const tail = this.capacity - offset;
    if (need > tail) {
      // Not enough room before the end: mark the rest skipped and start over at 0.
      if (tail + need > free) return -1;
      words[HEADER_WORDS + (offset >> 2)] = WRAP;
      // Published with the record by commit, so a consumer never sees the mark without it.
      this.#skipped = tail;
      offset = 0;
    } else if (need > free) {
      return -1;
    }
    words[HEADER_WORDS + (offset >> 2)] = length;
    return offset + 4;
  }

  /** Publishes the record reserved last (see {@link reserve}). */
  commit(length: number): void {
    Atomics.add(this.#words, WRITE, this.#skipped + recordBytes(length));
  }

  /** The ring's record memory (a view; offsets from {@link reserve} and {@link peek} index it). */
  get data(): Uint8Array {
    return this.#bytes;
  }

  /** Wakes the consumer if it sleeps (or is about to). Cheap when it is awake. */
  wake(): void {
    if (Atomics.load(this.#words, SLEEPING) !== 0) Atomics.notify(this.#words, WRITE);
  }

  // Consumer side.

  /**
   * The offset in {@link data} of the next record's bytes, its length in {@link peekLength};
   * -1 when the ring is empty. The record stays until {@link skip}.
   */
  peek(): number {
    const words = this.#words;
    let read = Atomics.load(words, READ) >>> 0;
    if (read === Atomics.load(words, WRITE) >>> 0) return -1;
    let offset = read & this.#mask;
    let length = words[HEADER_WORDS + (offset >> 2)]!;
    if (length === WRAP) {
      read = (read + this.capacity - offset) >>> 0;
      Atomics.store(words, READ, read | 0);
      offset = 0;
      length = words[HEADER_WORDS]!;
    }
    this.peekLength = length;
    return offset + 4;
  }

  /** Length of the record {@link peek} found last. */
  peekLength = 0;

  /** Drops the record {@link peek} found last, making its room free. */
  skip(): void {
    Atomics.add(this.#words, READ, recordBytes(this.peekLength));
  }

  /** The next record, copied out, or undefined when the ring is empty. */
  read(): Uint8Array | undefined {
    const start = this.peek();
    if (start < 0) return undefined;
    const copy = this.#bytes.slice(start, start + this.peekLength);
    this.skip();
    return copy;
  }

  /**
   * Blocks this thread until the ring holds a record or `timeoutMs` passes (never on the main
   * thread: Node forbids it there). Returns at once when a record is there.
   */
  waitSync(timeoutMs = Infinity): void {
    const words = this.#words;
    // Flag first, then check: a producer that writes after the check sees the flag and notifies.
    Atomics.store(words, SLEEPING, 1);
    const write = Atomics.load(words, WRITE);
    if (write === Atomics.load(words, READ)) Atomics.wait(words, WRITE, write, timeoutMs);
    Atomics.store(words, SLEEPING, 0);
  }

  /**
   * Resolves when the ring holds a record (at once if it does): one `Atomics.waitAsync` for a
   * whole burst of records, read after it. Undefined when a record is there already, so the
   * caller can read without waiting for a promise.
   */
  waitAsync(): Promise<unknown> | undefined {
    const words = this.#words;
    Atomics.store(words, SLEEPING, 1);
    const write = Atomics.load(words, WRITE);
    if (write !== Atomics.load(words, READ)) {
      Atomics.store(words, SLEEPING, 0);
      return undefined;
    }
    const waited = Atomics.waitAsync(words, WRITE, write);
    if (!waited.async) {
      Atomics.store(words, SLEEPING, 0);
      return undefined;
    }
    return waited.value;
  }

  /** Wakes every waiter on this ring (the consumer's pending wait included), whatever its flag says. */
  wakeAll(): void {
    Atomics.notify(this.#words, WRITE);
  }

  /** Marks the consumer awake (after a {@link waitAsync} resolved): producers stop notifying. */
  awake(): void {
    Atomics.store(this.#words, SLEEPING, 0);
  }
}
