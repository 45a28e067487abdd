/**
 * @module workers/wasm/http-worker
 * The helper thread that performs a plugin's HTTP requests: a plugin's host functions are
 * synchronous, so its thread posts the request here and blocks (`Atomics.wait`) until this
 * thread has written the answer and notified it. Redirects are followed by hand, each hop
 * checked against `allowedHosts` (fetch's own redirects would leave the allowed hosts).
 */
import { workerData } from 'node:worker_threads';
import { hostMatcher } from './host-globs.js';
import type { HttpRequestMessage, HttpResponseMessage, HttpWorkerData } from './http-bridge.js';

const MAX_REDIRECTS = 5;
const { port, flag, allowedHosts } = workerData as HttpWorkerData;
const allowed = hostMatcher(allowedHosts);
const signal = new Int32Array(flag);

async function perform(request: HttpRequestMessage): Promise<HttpResponseMessage> {
  let url = new URL(request.url);
  let method = request.method;
  let body: Uint8Array | undefined = request.body;
  for (let hop = 0; ; hop++) {
    if (!allowed(url.hostname)) return { denied: `HTTP request to "${url.href}" is not allowed (no allowedHosts entry matches "${url.hostname}")` };
    const response = await fetch(url, {
      method,
      headers: request.headers,
      redirect: 'manual',
      ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body }),
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null && hop < MAX_REDIRECTS) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (response.status === 303) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: Object.fromEntries(response.headers), body: bytes };
  }
}

(port).on('message', (request: HttpRequestMessage) => {
  perform(request).then(
    (answer) => answer,
    (error: unknown) => ({ error: error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error) }),
  ).then((answer: HttpResponseMessage) => {
    port.postMessage(answer);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  }, () => undefined);
});
