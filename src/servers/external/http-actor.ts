/**
 * @module servers/external/http-actor
 * An external MCP server reached over Streamable HTTP (the SDK's client transport). Requests
 * go over a keep-alive pool of at most `maxConnections` sockets; a lost connection or a
 * session the server forgot (HTTP 404) fails the calls in flight with `TRANSPORT_ERROR` and
 * reconnects (a new session) with backoff.
 */
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { clientSdk, loadClientSdk } from './client-sdk.js';
import type { HttpServerConfig } from '../../config/external-schema.js';
import type { RestartPolicy } from '../../config/resilience-schema.js';
import type { ActorHost } from '../actor.js';
import { ExternalActor } from './external-actor.js';
import { keepAliveFetch, type KeepAliveFetch } from './keep-alive-fetch.js';

/** An external server over Streamable HTTP. */
export class HttpActor extends ExternalActor {
  readonly #config: HttpServerConfig;
  readonly #pool: KeepAliveFetch;

  constructor(config: HttpServerConfig, restart: RestartPolicy, host: ActorHost, connectionTimeoutMs: number) {
    super(
      { name: config.name, type: 'http', timeoutMs: config.timeoutMs, maxQueue: config.maxQueue, restart, connectionTimeoutMs, protocol: config.protocol },
      host,
    );
    this.#config = config;
    this.#pool = keepAliveFetch(config.maxConnections);
  }

  protected async loadTransport(): Promise<void> {
    await loadClientSdk();
  }

  protected makeTransport(): StreamableHTTPClientTransport {
    const { StreamableHTTPClientTransport } = clientSdk();
    return new StreamableHTTPClientTransport(new URL(this.#config.url), {
      fetch: this.#pool.fetch,
      requestInit: { headers: this.#config.headers },
    });
  }

  override async shutdown(timeoutMs?: number): Promise<void> {
    await super.shutdown(timeoutMs);
    this.#pool.destroy();
  }
}
