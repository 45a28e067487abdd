/**
 * @module workers/wasm/host-globs
 * Which hosts a plugin's HTTP requests may reach: `allowedHosts` globs (`*` any run of
 * characters, `?` one), matched against the URL's host name, case-insensitively.
 */

/** A matcher for a list of host globs; an empty list allows nothing. */
export function hostMatcher(globs: readonly string[]): (hostname: string) => boolean {
  const patterns = globs.map((glob) => new RegExp(`^${glob.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
  return (hostname) => {
    // A URL's IPv6 host name keeps its brackets: match it with or without them.
    const host = hostname.toLowerCase();
    const bare = host.startsWith('[') ? host.slice(1, -1) : host;
    return patterns.some((pattern) => pattern.test(host) || pattern.test(bare));
  };
}
