/**
 * Decoding packed values out of shared memory (src/wire/codec's `unpackRange`), as both sides of
 * a session read ring records: property tests (fast-check) that any value packed into a
 * SharedArrayBuffer at any offset decodes to itself, strings of every length and binary values
 * included, and that a decoded binary value owns its bytes once the ring reuses them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packView, unpackRange } from '../../../src/wire/codec.js';

/** Copies `value`'s packed bytes into a fresh SharedArrayBuffer at `offset`; returns the view and the range. */
function inShared(value: unknown, offset: number): { bytes: Uint8Array; start: number; end: number } {
  const packed = packView(value);
  const bytes = new Uint8Array(new SharedArrayBuffer(offset + packed.length + 16));
  bytes.set(packed, offset);
  return { bytes, start: offset, end: offset + packed.length };
}

/**
 * Keys of decoded objects. msgpackr renames a `__proto__` key (to `__proto_`) so that decoding can
 * never set an object's prototype; that key is tested on its own below.
 */
const objectKey = fc.string({ maxLength: 12 }).filter((key) => key !== '__proto__');

describe('unpackRange (shared memory)', () => {
  it('decodes any value packed into shared memory at any offset, strings and binary included', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 5000 }),
      fc.array(fc.tuple(fc.nat(), fc.dictionary(objectKey, fc.string({ maxLength: 300 })), fc.string({ maxLength: 80 }))),
      fc.record({ content: fc.array(fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 3000 }) })) }),
      fc.uint8Array({ maxLength: 2000 }),
    );
    fc.assert(
      fc.property(value, fc.nat({ max: 100 }), (input, offset) => {
        const { bytes, start, end } = inShared(input, offset);
        expect(unpackRange(bytes, start, end)).toEqual(input);
      }),
      { numRuns: 300 },
    );
  });

  it('a decoded binary value keeps its bytes after the shared record is overwritten', () => {
    const { bytes, start, end } = inShared({ data: new Uint8Array([1, 2, 3, 4]) }, 8);
    const decoded = unpackRange(bytes, start, end) as { data: Uint8Array };
    bytes.fill(0);
    expect([...decoded.data]).toEqual([1, 2, 3, 4]);
  });

  it('a __proto__ key in a frame never sets the prototype of the decoded object, nor of Object', () => {
    const input = JSON.parse('{"args":{"__proto__":{"polluted":true},"a":1}}') as Record<string, unknown>;
    const { bytes, start, end } = inShared(input, 3);
    const decoded = unpackRange(bytes, start, end) as { args: Record<string, unknown> };
    expect(decoded.args.a).toBe(1);
    expect(Object.getPrototypeOf(decoded.args)).toBe(Object.prototype);
    expect((decoded.args as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
