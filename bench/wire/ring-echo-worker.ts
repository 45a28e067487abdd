/**
 * The thread side of `bench/wire/ring.bench.ts`: echoes each frame it gets back to the main
 * thread, over the transport the bench names (`port`: a MessagePort read with
 * `receiveMessageOnPort` after an `Atomics.wait` wake-up, as the engine's sessions do; `ring`:
 * the shared ring of src/wire/ring both ways).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { Ring } from '../../src/wire/ring.js';

interface EchoData {
  mode: 'port' | 'ring';
  port: MessagePort;
  wake: SharedArrayBuffer;
  calls: SharedArrayBuffer;
  results: SharedArrayBuffer;
}

const data = workerData as EchoData;
const wake1 = new Int32Array(new SharedArrayBuffer(4));
if (data.mode === 'port') {
  const wake = new Int32Array(data.wake);
  let seen = 0;
  for (;;) {
    Atomics.store(wake, 1, 1);
    Atomics.wait(wake, 0, seen);
    Atomics.store(wake, 1, 0);
    seen = Atomics.load(wake, 0);
    for (let entry = receiveMessageOnPort(data.port); entry !== undefined; entry = receiveMessageOnPort(data.port)) {
      const frame = entry.message as Uint8Array;
      if (frame.length === 0) process.exit(0);
      data.port.postMessage(frame);
    }
  }
} else {
  const calls = new Ring(data.calls);
  const results = new Ring(data.results);
  for (;;) {
    calls.waitSync();
    for (let start = calls.peek(); start >= 0; start = calls.peek()) {
      const length = calls.peekLength;
      if (length === 0) process.exit(0);
      // The echo is written in place: the bytes go from one ring to the other, no copy between.
      let at = results.reserve(length);
      while (at < 0) {
        results.wake();
        Atomics.wait(wake1, 0, 0, 0.05);
        at = results.reserve(length);
      }
      results.data.set(calls.data.subarray(start, start + length), at);
      results.commit(length);
      calls.skip();
    }
    results.wake();
  }
}
