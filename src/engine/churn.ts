/**
 * @module engine/churn
 * Collections for entries that come and go with every call (the requests a client session has
 * in flight, the frames a thread holds) inside objects that live as long as the process.
 *
 * Why not `Map` and `Set` there: V8 keeps their entries in a hash table that it replaces with a
 * new one whenever deleted entries fill it, and links the replaced table to its successor (for
 * the iterators still on it). Once one table of a long-lived collection is in the old
 * generation (a full collection moves it there), every replaced table after it, dead but not
 * collected yet, keeps the next one alive through each scavenge, and with it every entry it
 * held: the objects of every call are promoted to the old generation and stay there until the
 * next full collection. Measured on Node 20 (`--trace-gc-nvp`):
 * - a long-lived `Set` or `Map` with 16 live entries, each added and deleted once, promoted
 *   95% of what the entries held; a null-prototype object used as a table promoted 0.3-1.5%,
 *   as little as keeping no collection at all;
 * - the HTTP gateway under wrk at 16 connections promoted 14% of everything its main thread
 *   allocated (about 2 KB per call), through its sessions' `inFlight` map and `callStreams`
 *   set; its main-thread heap reached 62 MB and its process 163 MB. With these collections it
 *   promoted 0.1% (2.5 MB of 2.1 GB in 8 s), its heap stayed at 29 MB and its process at 126 MB,
 *   and it took 57-62 instead of 70-78 ms of CPU per 1,000 calls (README, "Memory of the gateway").
 *
 * So each collection here is a plain object or array, which V8 grows without linking. A string
 * key is interned into the old generation when first stored: a few dozen bytes per call, where
 * a `Map` promoted the whole call; keys that can be numbers should be (`call-channel` does).
 */

/** Keys of a {@link ChurnMap}: what JSON-RPC ids and frame ids are. */
export type ChurnKey = string | number;

/**
 * A map from numbers and strings to values, for entries added and deleted per call. Unlike a
 * `Map` it does not iterate in the order entries were added: integer-like keys come first, in
 * ascending order (what a JavaScript object does), numbers before strings.
 */
export class ChurnMap<K extends ChurnKey, V> {
  // Two tables, so that the number 1 and the string '1' stay different keys, as in a `Map`.
  #numbers: Record<number, V> = Object.create(null) as Record<number, V>;
  #strings: Record<string, V> = Object.create(null) as Record<string, V>;
  #size = 0;

  /** Entries held. */
  get size(): number {
    return this.#size;
  }

  #table(key: K): Record<ChurnKey, V> {
    return typeof key === 'number' ? this.#numbers : this.#strings;
  }

  has(key: K): boolean {
    return key in this.#table(key);
  }

  get(key: K): V | undefined {
    return this.#table(key)[key];
  }

  set(key: K, value: V): this {
    const table = this.#table(key);
    if (!(key in table)) this.#size++;
    table[key] = value;
    return this;
  }

  /** Removes `key`'s entry; false when there was none. */
  delete(key: K): boolean {
    const table = this.#table(key);
    if (!(key in table)) return false;
    delete table[key];
    this.#size--;
    return true;
  }

  /** Every value (not for the call path: it allocates an iterator). */
  *values(): IterableIterator<V> {
    for (const key in this.#numbers) yield this.#numbers[key as unknown as number]!;
    for (const key in this.#strings) yield this.#strings[key]!;
  }

  clear(): void {
    this.#numbers = Object.create(null) as Record<number, V>;
    this.#strings = Object.create(null) as Record<string, V>;
    this.#size = 0;
  }
}

/**
 * A set of a few items at a time, added and deleted per call, in the order they were added
 * (an array: finding an item is a scan, which beats hashing at the sizes it holds, one per call
 * in flight). Do not add or delete while iterating it.
 */
export class ChurnSet<T> {
  readonly #items: T[] = [];

  /** Items held. */
  get size(): number {
    return this.#items.length;
  }

  has(item: T): boolean {
    return this.#items.includes(item);
  }

  add(item: T): this {
    if (!this.#items.includes(item)) this.#items.push(item);
    return this;
  }

  /** Removes `item`, keeping the order of the others; false when it was not held. */
  delete(item: T): boolean {
    const items = this.#items;
    const at = items.indexOf(item);
    if (at < 0) return false;
    for (let i = at + 1; i < items.length; i++) items[i - 1] = items[i]!;
    items.pop();
    return true;
  }

  /** The item added first of those held. */
  first(): T | undefined {
    return this.#items[0];
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.#items.values();
  }
}
