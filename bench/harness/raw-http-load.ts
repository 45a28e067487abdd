/**
 * @module bench/harness/raw-http-load
 * The lightest HTTP load there is, for measuring what a gateway keeps per call: raw keep-alive
 * sockets, each writing its next `POST /mcp` when its last answer arrived, so the client's
 * own share of the work is small. Used by `bench/gateway-alloc.ts` and the gateway promotion
 * test (test/integration/gateway-promotion.test.ts).
 */
import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 POST to /mcp with a JSON body, as bytes. */
export function postBytes(port: number, headers: Record<string, string>, body: unknown): Buffer {
  const text = JSON.stringify(body);
  const lines = [`POST /mcp HTTP/1.1`, `host: 127.0.0.1:${port}`, 'content-type: application/json', 'accept: application/json, text/event-stream', `content-length: ${Buffer.byteLength(text)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

/** `count` sockets connected to `port` on 127.0.0.1. */
export function connectSockets(port: number, count: number): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
    })),
  );
}

/**
 * Sends `calls` requests over `sockets`, one in flight on each (`request(n)` is the `n`th, from
 * 1); resolves when all are answered, with how many answers were `200`.
 */
export function loadSockets(sockets: Socket[], request: (n: number) => Buffer, calls: number): Promise<number> {
  let sent = 0;
  let answered = 0;
  let ok = 0;
  return new Promise((resolve) => {
    for (const socket of sockets) {
      socket.removeAllListeners('data');
      socket.on('data', (chunk: Buffer) => {
        // Each answer is one chunk on loopback; its status line starts it.
        if (chunk.indexOf('HTTP/1.1 ') < 0) return;
        answered++;
        if (chunk.indexOf('HTTP/1.1 200') === 0) ok++;
        if (answered === calls) resolve(ok);
        else if (sent < calls) socket.write(request(++sent));
      });
      socket.write(request(++sent));
    }
  });
}
