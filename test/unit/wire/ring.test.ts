/**
 * The shared-memory ring (src/wire/ring): property tests (fast-check) against a plain queue as
 * the model, with random record sizes, wrap-around and a full ring, on one thread; and the same
 * records crossing to a real worker thread and back, with the wake-up protocol of both sides.
 */
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ring, recordBytes } from '../../../src/wire/ring.js';

/** Record `n` of a run: its bytes say which record it is, so a lost or torn record shows. */
function recordOf(n: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (n * 31 + i * 7) & 0xff;
  return bytes;
}

describe('Ring (one thread, against a queue)', () => {
  it('reads back every record written, in order, through wrap-around and full rings', () => {
    const op = fc.oneof(
      fc.record({ write: fc.integer({ min: 0, max: 700 }) }),
      fc.record({ write: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ read: fc.integer({ min: 1, max: 6 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(64, 256, 1024, 4096), fc.array(op, { minLength: 1, maxLength: 300 }), (capacity, ops) => {
        const ring = Ring.create(capacity);
        expect(ring.capacity).toBe(capacity);
        const model: Uint8Array[] = [];
        let written = 0;
        for (const step of ops) {
          if ('write' in step) {
            const record = recordOf(written, step.write);
            const ok = ring.write(record);
            if (ok) {
              model.push(record);
              written++;
            } else if (step.write <= ring.maxRecord) {
              // A record that any ring takes is refused only while the ring holds others.
              expect(model.length).toBeGreaterThan(0);
              expect(ring.used + recordBytes(step.write)).toBeGreaterThan(capacity / 2);
            }
          } else {
            for (let i = 0; i < step.read; i++) {
              const got = ring.read();
              const expected = model.shift();
              if (expected === undefined) expect(got).toBeUndefined();
              else expect(got).toEqual(expected);
            }
          }
          expect(ring.used).toBeLessThanOrEqual(capacity);
        }
        for (const expected of model) expect(ring.read()).toEqual(expected);
        expect(ring.read()).toBeUndefined();
        expect(ring.used).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('takes any record up to half the ring into an empty ring, wherever the wrap point is', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 124 }), { maxLength: 40 }), fc.integer({ min: 0, max: 124 }), (before, length) => {
        const ring = Ring.create(256);
        for (const size of before) {
          expect(ring.write(new Uint8Array(size))).toBe(true);
          expect(ring.read()?.length).toBe(size);
        }
        expect(ring.write(recordOf(1, length))).toBe(true);
        expect(ring.read()).toEqual(recordOf(1, length));
      }),
    );
  });

  it('refuses a record longer than half the ring, and one that does not fit a full ring until a read frees room', () => {
    const ring = Ring.create(256);
    expect(ring.write(new Uint8Array(ring.maxRecord + 1))).toBe(false);
    let count = 0;
    while (ring.write(recordOf(count, 20))) count++;
    expect(count).toBe(Math.floor(256 / recordBytes(20)));
    expect(ring.read()).toEqual(recordOf(0, 20));
    expect(ring.write(recordOf(count, 20))).toBe(true);
  });

  it('reserve and commit write a record in place', () => {
    const ring = Ring.create(128);
    const start = ring.reserve(5);
    ring.data.set([1, 2, 3, 4, 5], start);
    ring.commit(5);
    expect(ring.read()).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
  });
});

/** Echo thread: reads records from `calls` (blocking), writes each back to `results`, wakes the main thread. */
const echoSource = `
  const { workerData } = require('node:worker_threads');
  import(workerData.ringUrl).then(({ Ring }) => {
    const calls = new Ring(workerData.calls);
    const results = new Ring(workerData.results);
    for (;;) {
      calls.waitSync();
      let record;
      while ((record = calls.read()) !== undefined) {
        if (record.length === 1 && record[0] === 255) return;
        while (!results.write(record)) { results.wake(); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); }
      }
      results.wake();
    }
  });`;

describe('Ring (across a worker thread)', () => {
  it('carries random records to a thread and back with nothing lost, torn or reordered', async () => {
    const ringUrl = new URL('../../../dist/src/wire/ring.js', import.meta.url).href;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 400 }), fc.constantFrom(1024, 8192), async (sizes, capacity) => {
        const calls = Ring.create(capacity);
        const results = Ring.create(capacity);
        const worker = new Worker(echoSource, { eval: true, workerData: { ringUrl, calls: calls.buffer, results: results.buffer } });
        try {
          const sendable = sizes.filter((size) => size <= calls.maxRecord && !(size === 1));
          let sent = 0;
          let received = 0;
          while (received < sendable.length) {
            // Write what fits, wake the thread once for the burst, then wait once for its answers.
            while (sent < sendable.length && calls.write(recordOf(sent, sendable[sent]!))) sent++;
            calls.wake();
            const waited = results.waitAsync();
            if (waited) await waited;
            results.awake();
            for (let record = results.read(); record !== undefined; record = results.read()) {
              expect(record).toEqual(recordOf(received, sendable[received]!));
              received++;
            }
          }
          expect(received).toBe(sendable.length);
        } finally {
          while (!calls.write(new Uint8Array([255]))) await new Promise((resolve) => setTimeout(resolve, 1));
          calls.wake();
          await worker.terminate();
        }
      }),
      { numRuns: 25 },
    );
  });
});
