/** The decisions of `ThreadScaling` (src/servers/worker/thread-scaling) from utilisation samples. */
import { describe, expect, it } from 'vitest';
import { ThreadScaling } from '../../../src/servers/worker/thread-scaling.js';

describe('ThreadScaling', () => {
  it('grows one thread at a time while the threads are busy and work waits, up to max', () => {
    const scaling = new ThreadScaling(1, 3, 1_000);
    let threads = 1;
    let now = 0;
    for (let i = 0; i < 10; i++) {
      now += 250;
      const next = scaling.sample(now, 250 * threads, 250, threads, true);
      expect(next - threads).toBeLessThanOrEqual(1);
      threads = next;
    }
    expect(threads).toBe(3);
  });

  it('does not grow while the main thread is the bottleneck', () => {
    const scaling = new ThreadScaling(1, 2, 1_000);
    for (let now = 250; now < 5_000; now += 250) expect(scaling.sample(now, 250, 250, 1, true, 0.95)).toBe(1);
    expect(scaling.sample(5_000, 250, 250, 1, true, 0.2)).toBe(2);
  });

  it('does not grow when no work waits, however busy the threads are', () => {
    const scaling = new ThreadScaling(1, 2, 1_000);
    for (let now = 250; now < 5_000; now += 250) expect(scaling.sample(now, 250, 250, 1, false)).toBe(1);
  });

  it('shrinks back to min only after idleTimeoutMs of low use', () => {
    const scaling = new ThreadScaling(1, 4, 1_000);
    // Busy: four threads' worth.
    for (let now = 250; now <= 2_000; now += 250) scaling.sample(now, 1_000, 250, 4, true);
    const decisions: number[] = [];
    for (let now = 2_250; now <= 4_500; now += 250) decisions.push(scaling.sample(now, 0, 250, 4, false));
    // Low use starts once the smoothed figure has fallen; it must last 1 s before anything changes.
    const firstChange = decisions.findIndex((threads) => threads !== 4);
    expect(firstChange).toBeGreaterThanOrEqual(4);
    expect(decisions[firstChange]).toBe(1);
  });

  it('under a steady moderate load, shrinks to what keeps each thread under the growth threshold', () => {
    const scaling = new ThreadScaling(1, 4, 500);
    let threads = 4;
    // Two threads' worth of work over four threads is not low use: they stay.
    for (let now = 250; now <= 5_000; now += 250) threads = scaling.sample(now, 500, 250, threads, false);
    expect(threads).toBe(4);
    // One thread's worth: two threads keep it under the threshold.
    for (let now = 5_250; now <= 10_000; now += 250) threads = scaling.sample(now, 250, 250, threads, false);
    expect(threads).toBe(2);
  });

  it('probes one more thread when work waits, and keeps it only if more calls are answered', () => {
    // Threads little used (the main thread is the limit), work waiting, 100 calls per 100 ms.
    const kept = new ThreadScaling(1, 2, 30_000);
    let threads = 1;
    let now = 0;
    const step = (callsAt: (threads: number) => number): void => {
      now += 100;
      threads = kept.sample(now, 30 * threads, 100, threads, true, 0.9, callsAt(threads));
    };
    for (let i = 0; i < 4 && threads === 1; i++) step(() => 100);
    expect(threads).toBe(2);
    // Two threads answer 1.5x: the probe's verdict keeps them.
    for (let i = 0; i < 10; i++) step((n) => (n === 2 ? 150 : 100));
    expect(threads).toBe(2);

    const undone = new ThreadScaling(1, 2, 30_000);
    threads = 1;
    const history: number[] = [];
    for (let i = 0; i < 20; i++) {
      now += 100;
      threads = undone.sample(now, 30 * threads, 100, threads, true, 0.9, 100);
      history.push(threads);
    }
    // No gain: one probe of 8 samples, then back to one thread, and no new probe within 5 s.
    expect(history.filter((n) => n === 2).length).toBe(8);
    expect(history.at(-1)).toBe(1);
  });

  it('makes no probe without calls answered or without work waiting', () => {
    const scaling = new ThreadScaling(1, 2, 30_000);
    for (let now = 100; now < 3_000; now += 100) expect(scaling.sample(now, 30, 100, 1, false, 0.9, 100)).toBe(1);
    const idle = new ThreadScaling(1, 2, 30_000);
    for (let now = 100; now < 3_000; now += 100) expect(idle.sample(now, 30, 100, 1, true, 0.9, 0)).toBe(1);
  });
});
