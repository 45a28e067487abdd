/**
 * @module esm-only
 * What `require('mcpool')` loads: mcpool is an ES module package, and this says so plainly
 * instead of Node's `ERR_PACKAGE_PATH_NOT_EXPORTED`.
 */
const error = new Error(
  "mcpool is ESM only: use `import { McpManager } from 'mcpool'` (in CommonJS: `const { McpManager } = await import('mcpool')`).",
) as Error & { code: string };
error.code = 'ERR_REQUIRE_ESM';
throw error;
