/**
 * @module wire/comlink
 * comlink's ES module builds with their types. The package has no `exports` map and its `main`
 * is a UMD bundle, so the ESM files are imported by path; this is the one place that knows it.
 */
export { expose, wrap, releaseProxy } from 'comlink/dist/esm/comlink.mjs';
export type { Remote } from 'comlink/dist/esm/comlink.mjs';
export { default as nodeEndpoint } from 'comlink/dist/esm/node-adapter.mjs';
