/**
 * @module metrics/histogram
 * A log-linear latency histogram (HDR-style buckets, 16 per power of two, so about 6% relative
 * precision) recorded in microseconds. Recording is a few integer operations and no allocation,
 * cheap enough for every call; percentiles are read on demand.
 */

const SUB_BUCKET_BITS = 4;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Values below this are exact: one bucket each. */
const EXACT_BELOW = SUB_BUCKETS * 2;
/** Buckets up to 2^31 µs: the exact ones, then 16 per power of two. */
const BUCKETS = (31 - SUB_BUCKET_BITS) * SUB_BUCKETS + EXACT_BELOW;

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Bucket index of a value in microseconds (clamped to 0 .. 2^31 - 1). */
export function bucketOf(micros: number): number {
  const value = micros < 1 ? 0 : micros >= 0x7fffffff ? 0x7fffffff : micros | 0;
  if (value < EXACT_BELOW) return value;
  // The top SUB_BUCKET_BITS + 1 bits of the value: a mantissa in [16, 32) and a shift.
  const shift = 31 - Math.clz32(value) - SUB_BUCKET_BITS;
  const mantissa = value >>> shift;
  return (shift + 1) * SUB_BUCKETS + mantissa - SUB_BUCKETS;
}

/** The largest value, in microseconds, that falls in a bucket. */
export function upperBoundOf(bucket: number): number {
  if (bucket < EXACT_BELOW) return bucket;
  const shift = Math.floor(bucket / SUB_BUCKETS) - 1;
  const mantissa = SUB_BUCKETS + (bucket % SUB_BUCKETS);
  return (mantissa + 1) * 2 ** shift - 1;
}

/** Records durations and reports percentiles. */
export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKETS);
  #total = 0;
  #sumMs = 0;
  #maxMicros = 0;

  /** Number of recorded values. */
  get count(): number {
    return this.#total;
  }

  /** Records one duration in milliseconds. */
  record(ms: number): void {
    const micros = ms * 1000;
    this.#counts[bucketOf(micros)]!++;
    this.#total++;
    this.#sumMs += ms;
    if (micros > this.#maxMicros) this.#maxMicros = micros;
  }

  /** Adds every value recorded by `other` into this histogram. */
  add(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.#counts[i]! += other.#counts[i]!;
    this.#total += other.#total;
    this.#sumMs += other.#sumMs;
    if (other.#maxMicros > this.#maxMicros) this.#maxMicros = other.#maxMicros;
  }

  /** Sum of the recorded durations, in milliseconds. */
  get sumMs(): number {
    return this.#sumMs;
  }

  /**
   * Values recorded at or below `ms` (counting a whole bucket when `ms` falls inside it, so the
   * count is exact to the bucket's ~6% width): the cumulative buckets of a Prometheus histogram.
   */
  countAtMost(ms: number): number {
    const last = bucketOf(ms * 1000);
    let count = 0;
    for (let i = 0; i <= last; i++) count += this.#counts[i]!;
    return count;
  }

  /** The value (ms) at or below which `percentile` percent of the recorded values fall. */
  percentile(percentile: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.#total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(upperBoundOf(i), this.#maxMicros) / 1000;
    }
    return this.#maxMicros / 1000;
  }

  /** p50, p90, p99 and max, in milliseconds. */
  summary(): LatencySummary {
    return { p50: this.percentile(50), p90: this.percentile(90), p99: this.percentile(99), max: this.#maxMicros / 1000 };
  }
}
