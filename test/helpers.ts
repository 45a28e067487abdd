/** Shared helpers for the test suites: paths of built example servers and fixtures. */
import { fileURLToPath } from 'node:url';

/** Absolute path of a built example server module (`dist/examples/<name>.js`). */
export function exampleModule(name: string): string {
  return fileURLToPath(new URL(`../dist/examples/${name}.js`, import.meta.url));
}

/** Absolute path of a built test fixture module (`dist/test/fixtures/<name>.js`). */
export function fixtureModule(name: string): string {
  return fileURLToPath(new URL(`../dist/test/fixtures/${name}.js`, import.meta.url));
}
