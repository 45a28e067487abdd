/** Shared helpers for the test suites: paths of built example servers and fixtures, error codes. */
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import { McpoolError } from 'mcpool';

/** Absolute path of a built example server module (`dist/examples/<name>.js`). */
export function exampleModule(name: string): string {
  return fileURLToPath(new URL(`../../dist/examples/${name}.js`, import.meta.url));
}

/** Absolute path of a built test fixture module (`dist-test/fixtures/<name>.js`). */
export function fixtureModule(name: string): string {
  return fileURLToPath(new URL(`../../dist-test/fixtures/${name}.js`, import.meta.url));
}

/** The `McpoolError` code a promise rejects with, or undefined when it resolves. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(McpoolError);
    return (error as McpoolError).code;
  }
}

/**
 * Heap in use after a full garbage collection. Without one, `heapUsed` swings by tens of megabytes
 * with the collector's timing, so a leak check on it fails at random on a busy machine.
 */
export function heapUsedAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

let gcFunction: (() => void) | undefined;

function collectGarbage(): void {
  if (gcFunction === undefined) {
    // The test runner does not start Node with --expose-gc; the flag can be set at run time and
    // the gc function taken from a fresh context, which is the documented way around that.
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}
