/**
 * @module gateway/transports/http/http-guard
 * The checks every HTTP request passes before it reaches MCP: the bearer token, the `Host`
 * header and the `Origin` header (against DNS rebinding: a web page on another site must not
 * reach a gateway on 127.0.0.1 through the user's browser).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Hostnames that are this machine. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Options of the guard. */
export interface GuardOptions {
  host: string;
  port: number;
  token: string | undefined;
  /** Extra `Host` values accepted (`name:port`). */
  allowedHosts?: string[] | undefined;
  /** Extra origins accepted (`https://app.example`). Loopback origins are always accepted. */
  allowedOrigins?: string[] | undefined;
}

/** Why a request is refused: HTTP status and message. */
export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** The hostname of a `Host` header or origin authority (`name`, `name:port`, `[v6]:port`). */
function hostnameOf(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  const colon = authority.lastIndexOf(':');
  return colon < 0 ? authority : authority.slice(0, colon);
}

/** Checks token, Host and Origin of requests to one gateway. */
export class HttpGuard {
  readonly #expected: Buffer | undefined;
  readonly #hosts: Set<string> | undefined;
  readonly #origins: Set<string>;

  constructor(options: GuardOptions) {
    this.#expected = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
    const wildcard = options.host === '0.0.0.0' || options.host === '::';
    // Bound to every interface, the Host can be any of the machine's names: checked only when listed.
    if (wildcard && options.allowedHosts === undefined) this.#hosts = undefined;
    else {
      const names = [...LOOPBACK, options.host];
      this.#hosts = new Set([...names.map((name) => `${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${options.port}`), ...(options.allowedHosts ?? [])]);
    }
    this.#origins = new Set(options.allowedOrigins ?? []);
  }

  /** Undefined when the request may go on, else why not. */
  check(request: IncomingMessage): Refusal | undefined {
    const host = request.headers.host;
    if (this.#hosts !== undefined && (host === undefined || !this.#hosts.has(host.toLowerCase()))) {
      return { status: 403, message: `Host header ${JSON.stringify(host ?? '')} is not allowed (DNS rebinding protection)` };
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !this.#originAllowed(origin)) {
      return { status: 403, message: `Origin ${JSON.stringify(origin)} is not allowed (DNS rebinding protection)` };
    }
    if (this.#expected !== undefined) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== this.#expected.length || !timingSafeEqual(given, this.#expected)) {
        return { status: 401, message: 'missing or wrong bearer token (Authorization: Bearer <token>)', headers: { 'www-authenticate': 'Bearer' } };
      }
    }
    return undefined;
  }

  #originAllowed(origin: string): boolean {
    if (this.#origins.has(origin)) return true;
    const scheme = origin.indexOf('://');
    if (scheme < 0) return false;
    return LOOPBACK.has(hostnameOf(origin.slice(scheme + 3)).toLowerCase());
  }
}
