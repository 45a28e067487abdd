import { describe, expect, it } from 'vitest';
import { encodeResults } from '../../../src/servers/nats/node-frame.js';
import { NodeRoster } from '../../../src/servers/nats/node-roster.js';
import { NatsFrameSizing } from '../../../src/servers/nats/frame-packing.js';
import { decode, flattenResults, ReplyKind, RESULT_STRIDE, type WireResult } from '../../../src/servers/nats/wire.js';

const structured = (n: number): WireResult => ({ ok: true, result: { content: [{ type: 'text', text: JSON.stringify({ n }) }], structuredContent: { n } } });

describe('NATS wire', () => {
  it('flattens structured results to [structuredContent, json], other results whole, errors tagged', () => {
    const other = { content: [{ type: 'text', text: 'x' }], isError: true };
    const flat = flattenResults([structured(1), { ok: true, result: other }, { ok: false, error: { code: 'TIMEOUT', message: 'late' } }]);
    expect(flat).toEqual([{ n: 1 }, '{"n":1}', other, 0, { code: 'TIMEOUT', message: 'late' }, 1]);
  });

  it('cuts results under max_payload into chunks that cover every call once, the last one done', () => {
    const results = Array.from({ length: 100 }, (_, i) => ({ ok: true as const, result: { content: [{ type: 'text' as const, text: 'y'.repeat(1000) + String(i) }] } }));
    const messages = encodeResults(results, 20_000, 7);
    expect(messages.length).toBeGreaterThan(5);
    let next = 0;
    messages.forEach((bytes, i) => {
      expect(bytes.length).toBeLessThanOrEqual(20_000);
      const [kind, start, flat, done, frameMs] = decode(bytes) as [number, number, unknown[], number, number?];
      expect(kind).toBe(ReplyKind.results);
      expect(start).toBe(next);
      next += flat.length / RESULT_STRIDE;
      expect(done).toBe(i === messages.length - 1 ? 1 : 0);
      if (done === 1) expect(frameMs).toBe(7);
    });
    expect(next).toBe(100);
  });

  it('fails alone a result too big for any message (INVALID_RESULT)', () => {
    const huge: WireResult = { ok: true, result: { content: [{ type: 'text', text: 'z'.repeat(50_000) }] } };
    const messages = encodeResults([structured(1), huge, structured(3)], 10_000, 1).map((bytes) => decode(bytes) as [number, number, unknown[]]);
    const all = messages.flatMap(([, , flat]) => flat);
    expect(all[3]).toBe(1);
    expect(all[2]).toMatchObject({ code: 'INVALID_RESULT' });
    expect(all[4]).toEqual({ n: 3 });
  });
});

describe('NATS frame sizing', () => {
  it('sends little work as one frame and cuts slow calls into small frames', () => {
    const sizing = new NatsFrameSizing();
    expect(sizing.next(10, 16)).toBe(10);
    expect(sizing.next(10_000, 16)).toBe(256);
    for (let i = 0; i < 20; i++) sizing.learn(100, 10);
    expect(sizing.next(100, 16)).toBeLessThanOrEqual(7);
  });
});

describe('NodeRoster', () => {
  it('finds a node that holds frames and is silent, forgives silence while NATS was away, forgets idle absent nodes', () => {
    const roster = new NodeRoster(1_000, 5_000);
    const busy = roster.heard('a', 0, 'node-a');
    busy.frames = 1;
    roster.heard('b', 0, 'node-b');
    expect(roster.silent(500)).toEqual([]);
    expect(roster.silent(1_500).map((node) => node.name)).toEqual(['node-a']);
    roster.forgive(1_500);
    expect(roster.silent(2_000)).toEqual([]);
    roster.prune(7_000);
    expect(roster.health().map((node) => node.name)).toEqual(['node-a']);
  });
});
