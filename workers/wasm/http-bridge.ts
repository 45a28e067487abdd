/**
 * @module workers/wasm/http-bridge
 * Synchronous HTTP for a plugin's `http_request` host function: the request goes to a helper
 * thread (started on first use, only for plugins with `allowedHosts`) and this thread blocks
 * until the answer is written. A call's timeout stops its thread, and the helper with it.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { hostMatcher } from './host-globs.js';

/** What the helper thread starts with. */
export interface HttpWorkerData {
  port: MessagePort;
  flag: SharedArrayBuffer;
  allowedHosts: string[];
}

/** One request from a plugin. */
export interface HttpRequestMessage {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** The helper's answer: a response, a refusal (host not allowed) or a failure. */
export type HttpResponseMessage =
  | { status: number; headers: Record<string, string>; body: Uint8Array; denied?: undefined; error?: undefined }
  | { denied: string; status?: undefined; error?: undefined }
  | { error: string; status?: undefined; denied?: undefined };

/** Thrown to a plugin whose request names a host it may not reach. */
export class HostDenied extends Error {
  override readonly name = 'HostDenied';
}

/** The HTTP side of one thread's plugin. */
export class HttpBridge {
  readonly #allowedHosts: string[];
  readonly #allowed: (hostname: string) => boolean;
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  readonly #flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(allowedHosts: string[]) {
    this.#allowedHosts = allowedHosts;
    this.#allowed = hostMatcher(allowedHosts);
  }

  /** Performs a request, blocking this thread; throws `HostDenied` or an `Error`. */
  request(request: HttpRequestMessage): Extract<HttpResponseMessage, { status: number }> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      throw new Error(`invalid URL ${JSON.stringify(request.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HostDenied(`only http and https URLs can be requested, not ${url.protocol}`);
    if (!this.#allowed(url.hostname)) throw new HostDenied(`HTTP request to "${url.href}" is not allowed (no allowedHosts entry matches "${url.hostname}")`);
    const port = this.#helper();
    Atomics.store(this.#flag, 0, 0);
    port.postMessage(request);
    Atomics.wait(this.#flag, 0, 0);
    const answer = receiveMessageOnPort(port)?.message as HttpResponseMessage | undefined;
    if (answer === undefined) throw new Error('the HTTP helper thread gave no answer');
    if (answer.denied !== undefined) throw new HostDenied(answer.denied);
    if (answer.error !== undefined) throw new Error(`HTTP request to "${url.href}" failed: ${answer.error}`);
    return answer;
  }

  #helper(): MessagePort {
    if (this.#port !== undefined) return this.#port;
    const { port1, port2 } = new MessageChannel();
    const data: HttpWorkerData = { port: port2, flag: this.#flag.buffer, allowedHosts: this.#allowedHosts };
    this.#worker = new Worker(new URL('./http-worker.js', import.meta.url), { workerData: data, transferList: [port2] });
    // The helper must not keep a thread's event loop alive on its own.
    this.#worker.unref();
    port1.unref();
    this.#port = port1;
    return port1;
  }
}
