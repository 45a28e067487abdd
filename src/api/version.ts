/**
 * @module api/version
 * The package version, read once from package.json (three levels above `dist/src/api/`): what
 * `mcpool --version` prints, and what the gateway and mcpool's MCP client announce.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version in mcpool's package.json. */
export function packageVersion(): string {
  if (cached === undefined) {
    try {
      const raw = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cached = typeof raw.version === 'string' ? raw.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
