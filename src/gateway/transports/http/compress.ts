/**
 * @module gateway/transports/http/compress
 * Compression of big HTTP answers (a large `tools/list`, a tool's megabyte result) when the
 * client accepts it (`Accept-Encoding`: br, gzip), with node:zlib off the main thread's
 * critical path (the async API runs on libuv's pool). Small answers, the common case, are sent
 * as they are: below the threshold compression costs more time than the bytes it saves on a
 * local or fast link. Brotli at quality 2 is used when accepted (as fast as gzip 1, smaller
 * output, measured in the README), else gzip at level 1: past those levels each step costs far
 * more time than the bytes it saves (measured on a 1.4 MB answer: br 2 in 12 ms, br 4 in 29 ms,
 * gzip 1 in 11 ms, gzip 6 in 40 ms).
 */
import type { ServerResponse } from 'node:http';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Answers shorter than this (in characters of JSON) are never compressed. */
export const COMPRESS_MIN_CHARS = 16 * 1024;

/** The encoding to answer with, from an `Accept-Encoding` header: br, else gzip, else none. */
export function pickEncoding(accept: string | string[] | undefined): 'br' | 'gzip' | undefined {
  if (accept === undefined) return undefined;
  const offered = new Map<string, number>();
  for (const part of (Array.isArray(accept) ? accept.join(',') : accept).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    if (name) offered.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string): number => offered.get(name) ?? (offered.has('*') ? offered.get('*')! : 0);
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

/**
 * Ends `res` with `status`, `headers` and `body`, compressed when the body is big and the
 * request accepts an encoding. A compression failure sends the body as it is.
 */
export function endMaybeCompressed(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  const encoding = body.length < COMPRESS_MIN_CHARS ? undefined : pickEncoding(res.req?.headers['accept-encoding']);
  if (encoding === undefined) {
    res.writeHead(status, headers);
    res.end(body);
    return;
  }
  const input = Buffer.from(body);
  const done = (error: Error | null, output: Buffer): void => {
    if (error !== null) {
      res.writeHead(status, headers);
      res.end(body);
      return;
    }
    res.writeHead(status, { ...headers, 'content-encoding': encoding, vary: 'accept-encoding' });
    res.end(output);
  };
  if (encoding === 'br') {
    brotliCompress(input, { params: { [constants.BROTLI_PARAM_QUALITY]: 2, [constants.BROTLI_PARAM_SIZE_HINT]: input.length } }, done);
  } else {
    gzip(input, { level: 1 }, done);
  }
}
