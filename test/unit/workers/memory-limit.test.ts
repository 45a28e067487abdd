/** The memory cap of a WebAssembly module: its declared maximum rewritten, what it needs at start kept. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capMemory } from '../../../workers/wasm/memory-limit.js';
import { helloPlugin } from '../../support/wasm.js';

/** A module with one memory of `min` pages (and `max`, if given), exported as "memory". */
function moduleWithMemory(min: number, max?: number): Uint8Array {
  const limits = max === undefined ? [0x00, min] : [0x01, min, max];
  const memory = [0x05, limits.length + 1, 0x01, ...limits];
  const exportSection = [0x07, 0x0a, 0x01, 0x06, ...Buffer.from('memory'), 0x02, 0x00];
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...memory, ...exportSection]);
}

function grownTo(bytes: Uint8Array, pages: number): boolean {
  const memory = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports.memory as { grow(pages: number): number };
  try {
    memory.grow(pages);
    return true;
  } catch {
    return false;
  }
}

describe('capMemory', () => {
  it('sets the maximum of a memory that declares none; growing past it fails', () => {
    const capped = capMemory(moduleWithMemory(1), 1); // 1 MB = 16 pages
    expect(grownTo(capped, 15)).toBe(true);
    expect(grownTo(capMemory(moduleWithMemory(1), 1), 16)).toBe(false);
    expect(grownTo(moduleWithMemory(1), 100)).toBe(true);
  });

  it('keeps a lower declared maximum', () => {
    expect(grownTo(capMemory(moduleWithMemory(1, 2), 64), 2)).toBe(false);
    expect(grownTo(capMemory(moduleWithMemory(1, 2), 64), 1)).toBe(true);
  });

  it('refuses a module that needs more than the limit at start, and bytes that are not a module', () => {
    expect(() => capMemory(moduleWithMemory(32), 1)).toThrow(/needs 2 MB at start/);
    expect(() => capMemory(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 1)).toThrow(/not a WebAssembly module/);
  });

  it('leaves a real plugin valid', () => {
    const capped = capMemory(readFileSync(helloPlugin), 8);
    expect(WebAssembly.Module.exports(new WebAssembly.Module(capped)).map((entry) => entry.name)).toContain('call_tool');
  });
});
