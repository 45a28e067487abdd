/**
 * `ChurnMap` and `ChurnSet` behave as the `Map` and `Set` they replace on the call path, and
 * unlike those they do not make V8 promote the entries that pass through them
 * (src/engine/churn.ts says why; the fixture `churn-promotion` churns in a child process).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ChurnMap, ChurnSet } from '../../../src/engine/churn.js';
import { fixtureModule } from '../../support/helpers.js';

const run = promisify(execFile);

/** The fixture forces this many full collections before it churns. */
const FORCED_FULL_COLLECTIONS = 2;

/**
 * Full collections V8 ran while `kind` churned: the old generation fills only with what its
 * scavenges promote, and a run that promotes nothing needs none.
 */
async function fullCollectionsWhileChurning(kind: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--trace-gc-nvp', fixtureModule('churn-promotion'), kind], { maxBuffer: 64 * 1024 * 1024 });
  const scavenges = stdout.split(' gc=s ').length - 1;
  expect(scavenges).toBeGreaterThan(5);
  return stdout.split(' gc=mc ').length - 1 - FORCED_FULL_COLLECTIONS;
}

describe('ChurnMap', () => {
  it('keeps numbers and strings apart, counts, deletes, iterates and clears like a Map', () => {
    const map = new ChurnMap<string | number, string>();
    map.set(1, 'number').set('1', 'string').set(2, 'two').set('b', 'b').set('a', 'a');
    expect(map.size).toBe(5);
    expect([map.get(1), map.get('1')]).toEqual(['number', 'string']);
    map.set(1, 'again');
    expect(map.size).toBe(5);
    expect(map.delete(2)).toBe(true);
    expect(map.delete(2)).toBe(false);
    expect(map.has(2)).toBe(false);
    expect(map.get(2)).toBeUndefined();
    expect([...map.values()]).toEqual(['again', 'string', 'b', 'a']);
    map.set('undefined', undefined as unknown as string);
    expect(map.has('undefined')).toBe(true);
    map.clear();
    expect(map.size).toBe(0);
    expect([...map.values()]).toEqual([]);
  });
});

describe('ChurnSet', () => {
  it('holds each item once, in the order added, through deletions', () => {
    const set = new ChurnSet<string>();
    set.add('a').add('b').add('c').add('b').add('d');
    expect(set.size).toBe(4);
    expect(set.delete('b')).toBe(true);
    expect(set.delete('b')).toBe(false);
    expect([...set]).toEqual(['a', 'c', 'd']);
    expect(set.first()).toBe('a');
    set.delete('a');
    expect(set.first()).toBe('c');
    expect(set.has('d')).toBe(true);
    set.delete('c');
    set.delete('d');
    expect(set.first()).toBeUndefined();
    expect(set.size).toBe(0);
  });
});

describe('churning a long-lived collection', () => {
  // Measured on Node 20 and 24: Map and Set about 10 full collections each, these two none.
  it('fills no old generation through a ChurnMap or a ChurnSet, unlike through a Map or a Set', async () => {
    expect(await fullCollectionsWhileChurning('churn-map')).toBeLessThanOrEqual(1);
    expect(await fullCollectionsWhileChurning('churn-set')).toBeLessThanOrEqual(1);
    // The control: V8's own collections, which the call path no longer churns.
    expect(await fullCollectionsWhileChurning('map')).toBeGreaterThanOrEqual(4);
    expect(await fullCollectionsWhileChurning('set')).toBeGreaterThanOrEqual(4);
  });
});
