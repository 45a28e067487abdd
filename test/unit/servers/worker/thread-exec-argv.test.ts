/**
 * The Node options of a server's threads: the `mcpool-thread` condition always, and on Node 20
 * no require(esm), whose loading a thread termination could turn into a process abort there
 * (src/servers/worker/thread-exec-argv.ts). Every worker test starts threads with these options.
 */
import { describe, expect, it } from 'vitest';
import { THREAD_CONDITION, threadExecArgv } from '../../../../src/servers/worker/thread-exec-argv.js';

describe('threadExecArgv', () => {
  it('adds the thread condition, and on Node 20 only turns require(esm) off', () => {
    const argv = threadExecArgv();
    expect(argv).toContain(THREAD_CONDITION);
    expect(argv.includes('--no-experimental-require-module')).toBe(process.versions.node.startsWith('20.'));
  });
});
