/**
 * @module servers/external/keep-alive-fetch
 * A `fetch` for the SDK's Streamable HTTP client transport that runs over `node:http` with a
 * keep-alive agent, so an HTTP server's `maxConnections` bounds the sockets opened to it and
 * they are reused between calls (the global `fetch` has no per-server socket bound).
 */
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from '@modelcontextprotocol/client';

/** A fetch bound to one connection pool, and a way to close that pool. */
export interface KeepAliveFetch {
  fetch: FetchLike;
  /** Closes idle sockets and stops reusing the others. */
  destroy(): void;
}

/** Request bodies the SDK sends (JSON text, or form data for OAuth). */
function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('keep-alive fetch: unsupported request body type');
}

/** Makes a fetch whose sockets come from one keep-alive pool of at most `maxConnections`. */
export function keepAliveFetch(maxConnections: number): KeepAliveFetch {
  const options = { keepAlive: true, maxSockets: maxConnections, maxFreeSockets: maxConnections };
  const httpAgent = new http.Agent(options);
  const httpsAgent = new https.Agent(options);
  const fetch: FetchLike = (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      const secure = url.protocol === 'https:';
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const method = init?.method ?? 'GET';
      // The SDK combines one transport-wide signal into every request: many calls in flight add
      // many listeners to it, which is expected here, not a leak.
      if (init?.signal) setMaxListeners(0, init.signal);
      const request = (secure ? https : http).request(
        url,
        { method, headers, agent: secure ? httpsAgent : httpAgent, ...(init?.signal ? { signal: init.signal } : {}) },
        (response) => {
          const status = response.statusCode ?? 500;
          const responseHeaders = new Headers();
          const raw = response.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);
          const empty = status === 204 || status === 304 || method === 'HEAD';
          if (empty) response.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
              status,
              statusText: response.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        },
      );
      request.on('error', reject);
      try {
        request.end(bodyOf(init?.body));
      } catch (error) {
        request.destroy();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  return {
    fetch,
    destroy: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
