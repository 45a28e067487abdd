import { describe, expect, it } from 'vitest';
import { Deque } from '../../../src/engine/deque.js';

describe('Deque', () => {
  it('keeps order through growth, pushes at both ends and drains', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 100; i++) deque.push(i);
    for (let i = 0; i < 50; i++) expect(deque.shift()).toBe(i);
    deque.unshift(-1);
    for (let i = 100; i < 200; i++) deque.push(i);
    expect(deque.size).toBe(151);
    const all = deque.drain();
    expect(all[0]).toBe(-1);
    expect(all.slice(1)).toEqual(Array.from({ length: 150 }, (_, i) => i + 50));
    expect(deque.shift()).toBeUndefined();
  });
});
