/**
 * @module gateway/versions
 * The MCP protocol versions the gateway speaks, newest first. They equal the SDK's
 * `SUPPORTED_PROTOCOL_VERSIONS` (a test checks it); they are written out here because importing
 * the SDK's server package for two constants costs about 25 MB of memory in every gateway.
 */

/** The newest protocol version, answered to clients that ask for one this gateway does not speak. */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

/** Every version a client may negotiate. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

/**
 * Versions of the stateless era (2026-07-28 and later): no `initialize`, a `_meta` envelope on
 * every request, `server/discover`. Kept apart from the list above so a 2025-era `initialize`
 * never negotiates one of them.
 */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** Whether a version string names the stateless era (versions are ISO dates, so they sort). */
export function isModernVersion(version: string): boolean {
  return version >= '2026-07-28';
}
