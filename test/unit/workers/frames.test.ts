/**
 * The server thread's boundary, fuzzed: frames of garbage, truncated MessagePack and huge or
 * ill-typed call lists go straight onto a session port (as only the manager would write them).
 * Every frame must get an answer (results or "unreadable"), and the thread must keep serving.
 */
import fc from 'fast-check';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../../src/wire/codec.js';
import { fixtureModule } from '../../support/helpers.js';
import { pathToFileURL } from 'node:url';

let pool: Piscina;
let port: MessagePort;
let session: Promise<unknown>;
const wake = new Int32Array(new SharedArrayBuffer(8));
const replies = new Map<number, (reply: Record<string, unknown>) => void>();

function post(message: unknown): void {
  port.postMessage(message);
  Atomics.add(wake, 0, 1);
  Atomics.notify(wake, 0);
}

/** Sends one frame and waits for its last reply (results marked done, or unreadable). */
function sendFrame(id: number, calls: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    replies.set(id, resolve);
    post({ k: 0, s: 0, f: id, c: calls });
  });
}

beforeAll(() => {
  pool = new Piscina({
    filename: new URL('../../../dist/workers/thread-entry.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1,
    workerData: { moduleUrl: pathToFileURL(fixtureModule('faulty')).href, serverName: 'fuzz', progress: new SharedArrayBuffer(64), mainTimeOrigin: performance.timeOrigin },
  });
  const channel = new MessageChannel();
  port = channel.port1;
  port.on('message', (reply: Record<string, unknown>) => {
    const id = (reply.f ?? reply.pong) as number;
    if (reply.d === 1 || reply.unreadable !== undefined || reply.pong !== undefined) {
      replies.get(id)?.(reply);
      replies.delete(id);
    }
  });
  session = pool.run({ k: 0, port: channel.port2, wake: wake.buffer }, { transferList: [channel.port2] });
});

afterAll(async () => {
  post({ k: 3 });
  await session;
  port.close();
  await pool.destroy();
});

let nextId = 1;

describe('frames given to a server thread', () => {
  it('garbage, truncated and ill-typed frames each get an answer and the thread keeps serving', async () => {
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      // Tool 0 is `echo`; the others name no tool (the fixture's other tools loop or exit on purpose).
      fc.array(fc.tuple(fc.constantFrom(0, -1, 99, 1.5, Number.NaN, '0', null), fc.anything(), fc.double()), { maxLength: 20 }).map((calls) => calls.flat()),
      fc.array(fc.tuple(fc.constant(0), fc.anything(), fc.constant(0)), { minLength: 1, maxLength: 20 }).map((calls) => {
        const packed = pack(calls.flat());
        return packed.subarray(0, Math.max(1, Math.floor(packed.length / 2)));
      }),
      // Not a call list at all (the fixture's looping tools must never be named, so no arbitrary arrays).
      fc.oneof(fc.string(), fc.double(), fc.constant(null), fc.object()),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (calls) => {
        const reply = await sendFrame(nextId++, calls);
        expect(reply.d === 1 || typeof reply.unreadable === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
    const huge = Array.from({ length: 60_000 }, (_, i) => [0, { value: i }, 0]).flat();
    expect((await sendFrame(nextId++, pack(huge))).d).toBe(1);
    const pong = await new Promise<Record<string, unknown>>((resolve) => {
      replies.set(999_999, resolve);
      post({ k: 2, id: 999_999 });
    });
    expect(pong).toEqual({ pong: 999_999 });
  });
});
