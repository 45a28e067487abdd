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
  /** Client tokens (`gateway.clients`), by client name: each names its client. */
  clients?: Readonly<Record<string, string>> | undefined;
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

/** What a 401 says: that a token is needed and how to send it (not an OAuth problem). */
export const TOKEN_NEEDED = 'this gateway needs a bearer token: send Authorization: Bearer <token> (the token of mcpool serve --token, MCPOOL_TOKEN or a gateway.clients entry)';

/** Equal bearer values, compared in constant time. */
function sameToken(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Checks token, Host and Origin of requests to one gateway. */
export class HttpGuard {
  readonly #expected: Buffer | undefined;
  readonly #clients: { name: string; expected: Buffer }[];
  readonly #hosts: Set<string> | undefined;
  readonly #origins: Set<string>;

  constructor(options: GuardOptions) {
    this.#expected = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
    this.#clients = Object.entries(options.clients ?? {}).map(([name, token]) => ({ name, expected: Buffer.from(`Bearer ${token}`) }));
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
    if (this.#expected !== undefined || this.#clients.length > 0) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (!(this.#expected !== undefined && sameToken(given, this.#expected)) && this.#clientOf(given) === undefined) {
        return { status: 401, message: TOKEN_NEEDED, headers: { 'www-authenticate': 'Bearer realm="mcpool"' } };
      }
    }
    return undefined;
  }

  /** The client (`gateway.clients`) a request's token names; undefined for the all-seeing token or none. */
  clientOf(request: IncomingMessage): string | undefined {
    if (this.#clients.length === 0) return undefined;
    return this.#clientOf(Buffer.from(request.headers.authorization ?? ''));
  }

  #clientOf(given: Buffer): string | undefined {
    // Every token is compared, so the time taken does not tell which one was close.
    let found: string | undefined;
    for (const { name, expected } of this.#clients) if (sameToken(given, expected)) found = name;
    return found;
  }

  #originAllowed(origin: string): boolean {
    if (this.#origins.has(origin)) return true;
    const scheme = origin.indexOf('://');
    if (scheme < 0) return false;
    return LOOPBACK.has(hostnameOf(origin.slice(scheme + 3)).toLowerCase());
  }
}
