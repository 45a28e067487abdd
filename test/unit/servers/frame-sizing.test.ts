/** The frame sizes `FrameSizing` (src/servers/worker/frame-sizing) gives before and after it measures frames. */
import { describe, expect, it } from 'vitest';
import { FrameSizing } from '../../../src/servers/worker/frame-sizing.js';

describe('FrameSizing', () => {
  it('cuts the first frames of an unmeasured tool small, so a first batch of slow calls is spread as it is measured', () => {
    const sizing = new FrameSizing();
    expect(sizing.share(4_000, 2)).toBe(8);
    expect(sizing.fitsOneThread(4_000)).toBe(false);
  });

  it('reaches full frames after one frame of trivial calls', () => {
    const sizing = new FrameSizing();
    sizing.learn(0.01, 8); // 1.25 µs per call
    expect(sizing.share(10_000, 2)).toBe(1_024);
  });

  it('grows its estimate of slow calls gradually, one frame at a time', () => {
    const sizing = new FrameSizing();
    sizing.learn(8, 8); // 1 ms per call against the assumed 0.25 ms
    const afterOne = sizing.share(4_000, 1);
    expect(afterOne).toBeLessThan(8);
    for (let i = 0; i < 30; i++) sizing.learn(8, 8);
    expect(sizing.share(4_000, 1)).toBe(2);
    expect(afterOne).toBeGreaterThan(2);
  });

  it('never makes a frame of fewer than one call or more than 1,024', () => {
    const sizing = new FrameSizing();
    sizing.learn(10_000, 1);
    expect(sizing.share(100, 1)).toBe(1);
    sizing.learn(0.0001, 1_000);
    expect(sizing.share(1_000_000, 1)).toBe(1_024);
  });
});
