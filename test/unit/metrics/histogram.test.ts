import { describe, expect, it } from 'vitest';
import { LatencyHistogram, bucketOf, upperBoundOf } from '../../../src/metrics/histogram.js';

describe('LatencyHistogram', () => {
  it('puts every value in a bucket whose bound is within 7% above it', () => {
    for (let micros = 0; micros < 5_000_000; micros = Math.floor(micros * 1.01) + 1) {
      const bound = upperBoundOf(bucketOf(micros));
      expect(bound).toBeGreaterThanOrEqual(micros);
      expect(bound).toBeLessThanOrEqual(Math.max(micros * 1.07, micros + 1));
    }
  });

  it('reports percentiles of recorded durations', () => {
    const histogram = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) histogram.record(i / 100);
    const { p50, p90, p99, max } = histogram.summary();
    expect(p50).toBeCloseTo(5, 0);
    expect(p90).toBeCloseTo(9, 0);
    expect(p99).toBeCloseTo(9.9, 0);
    expect(max).toBe(10);
    expect(histogram.count).toBe(1000);
  });
});
