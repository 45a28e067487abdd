/**
 * @module servers/external/result-meta
 * An external server's result with one of its `_meta` keys taken out (the server's own
 * `serverInfo`, the id of its own task): past the gateway, results are the gateway's.
 */

/** `result` without `_meta[key]` (and without `_meta` once it is empty); `result` itself when it has no such key. */
export function withoutMetaKey<T extends object>(result: T, key: string): T {
  const meta = (result as { _meta?: Record<string, unknown> })._meta;
  if (meta === undefined || !(key in meta)) return result;
  const rest = { ...meta };
  delete rest[key];
  const copy = { ...result } as Record<string, unknown>;
  if (Object.keys(rest).length === 0) delete copy._meta;
  else copy._meta = rest;
  return copy as T;
}
