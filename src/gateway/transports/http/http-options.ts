/**
 * @module gateway/transports/http/http-options
 * The HTTP gateway's options and the handle `serveHttp` resolves with: the part of the HTTP
 * transport that `gateway` and the public API (`HttpGatewayOptions`) name, apart from how it
 * serves requests.
 */
import type { LogRecord } from '../../../api/server-types.js';
import type { ClientSession } from '../../client-session.js';
import type { GatewayClient } from '../../clients.js';
import type { AccessRecord } from './access-log.js';

/** Options of the HTTP gateway. */
export interface HttpGatewayOptions {
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. @default 3000 */
  port?: number;
  /** Bearer token every request must carry. @default none */
  token?: string | undefined;
  /** Largest request body accepted, in bytes; larger ones get 413. @default 4 MiB */
  maxBodyBytes?: number;
  /** Extra `Host` header values accepted. */
  allowedHosts?: string[] | undefined;
  /** Extra `Origin` values accepted (loopback origins always are). */
  allowedOrigins?: string[] | undefined;
  /** Sessions unused this long are dropped. @default 1 hour */
  sessionIdleMs?: number;
  /** What `/health` answers. */
  health: () => unknown;
  /** What `/metrics` answers: Prometheus text and its content type (no `/metrics` when absent). */
  metrics?: (() => Promise<{ contentType: string; text: string }>) | undefined;
  /**
   * Client tool sets, by client name: each token sees and calls only its servers and tools; with
   * any set, a request without a known token (`token` or a client's) is 401, `/health` included.
   */
  clients?: Readonly<Record<string, GatewayClient>> | undefined;
  /** Called once per request when its response ends (the access log). */
  onRequest?: ((record: AccessRecord) => void) | undefined;
  /**
   * SSE polling (SEP-1699): a session-era call still running after this long, from a client of
   * 2025-11-25 or later that accepts SSE, is answered on an SSE stream that the gateway then
   * closes; the call goes on and the client gets the rest by resuming with `Last-Event-ID`.
   * Frees connections held by long calls (proxies with idle timeouts). @default never
   */
  sseCloseAfterMs?: number | undefined;
  /** The `retry` (ms) the gateway's SSE streams announce: how soon a client reconnects. @default 1000 */
  sseRetryMs?: number | undefined;
  /** How long a dropped SSE stream waits to be resumed before its calls are cancelled. @default 60 s */
  sseReplayMs?: number | undefined;
}

/** A running HTTP gateway. */
export interface HttpGateway {
  readonly host: string;
  readonly port: number;
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string;
  /** Sends a log record on the GET streams of the sessions whose level it passes. */
  log(record: LogRecord): void;
  /** Sends a message on the GET streams of the sessions `wants` picks. */
  broadcast(message: object, wants: (session: ClientSession) => boolean): void;
  /** Stops accepting requests; requests in flight finish; then every connection closes. */
  close(): Promise<void>;
}
