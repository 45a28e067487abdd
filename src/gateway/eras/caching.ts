/**
 * @module gateway/eras/caching
 * `resultType` and the caching hints of the stateless era (SEP-2549): every complete result
 * says `resultType: "complete"`, and the results of `server/discover`, the lists and
 * `resources/read` carry `ttlMs` and `cacheScope`. A backend of an older era sends none, so the
 * gateway adds the SDK's defaults (`0`, `private`: always stale, never shared); a list merged
 * from several backends takes the smallest `ttlMs` and `private` if any part is.
 */

/** The hints the gateway adds where a backend gave none. */
export const DEFAULT_TTL_MS = 0;
export const DEFAULT_CACHE_SCOPE = 'private';

/** Methods whose complete results carry caching hints. */
export const CACHEABLE = new Set(['server/discover', 'tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']);

/** Hints of one backend's result, where it gave them. */
export interface CacheHints {
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

/** The hints a backend's result carries, or undefined (a legacy backend). */
export function hintsOf(result: unknown): CacheHints | undefined {
  const { ttlMs, cacheScope } = (result ?? {}) as { ttlMs?: unknown; cacheScope?: unknown };
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 0) return undefined;
  return { ttlMs, cacheScope: cacheScope === 'public' ? 'public' : 'private' };
}

/** The hints of a merged list: the smallest ttl, private if any part is; defaults for parts without. */
export function mergeHints(parts: readonly (CacheHints | undefined)[]): CacheHints {
  if (parts.length === 0) return { ttlMs: DEFAULT_TTL_MS, cacheScope: DEFAULT_CACHE_SCOPE };
  let ttlMs = Infinity;
  let scope: 'public' | 'private' = 'public';
  for (const part of parts) {
    ttlMs = Math.min(ttlMs, part?.ttlMs ?? DEFAULT_TTL_MS);
    if ((part?.cacheScope ?? DEFAULT_CACHE_SCOPE) === 'private') scope = 'private';
  }
  return { ttlMs, cacheScope: scope };
}

/**
 * Marks a result complete and, for a cacheable method, gives it hints (its own when it has
 * valid ones). Mutates and returns `result`, which is always a fresh object of the gateway's.
 */
export function completeResult(method: string, result: Record<string, unknown>): Record<string, unknown> {
  result.resultType = 'complete';
  if (CACHEABLE.has(method)) {
    const own = hintsOf(result);
    result.ttlMs = own?.ttlMs ?? DEFAULT_TTL_MS;
    result.cacheScope = own?.cacheScope ?? DEFAULT_CACHE_SCOPE;
  }
  return result;
}
