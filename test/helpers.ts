/** Shared helpers for the test suites: paths of built example servers and fixtures, error codes. */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { McpoolError } from 'mcpool';

/** Absolute path of a built example server module (`dist/examples/<name>.js`). */
export function exampleModule(name: string): string {
  return fileURLToPath(new URL(`../dist/examples/${name}.js`, import.meta.url));
}

/** Absolute path of a built test fixture module (`dist/test/fixtures/<name>.js`). */
export function fixtureModule(name: string): string {
  return fileURLToPath(new URL(`../dist/test/fixtures/${name}.js`, import.meta.url));
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
