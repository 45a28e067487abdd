/**
 * Ring against postMessage, per frame size (`node dist/bench/wire/ring.bench.js`): the main
 * thread sends bursts of frames of one size to a thread that echoes each back, and waits for the
 * echoes; once over a MessagePort (the engine's session path: the thread wakes from
 * `Atomics.wait`, reads with `receiveMessageOnPort`, the main thread gets `message` events), once
 * over the shared rings of src/wire/ring (one `Atomics.waitAsync` per burst). Reports frames/s
 * and the main thread's time per frame (CPU time where Node has `process.threadCpuUsage`, else
 * event-loop active time), median of RING_ROUNDS (default 3) interleaved rounds.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Ring } from '../../src/wire/ring.js';

const SIZES = [64, 512, 4096, 32_768, 262_144, 1_048_576];
const rounds = Number(process.env.RING_ROUNDS ?? 3);
const msPerRun = Number(process.env.RING_MS ?? 600);
const RING_BYTES = 8 * 1024 * 1024;
const threadCpu = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;

interface Measure {
  framesPerSec: number;
  mainUsPerFrame: number;
}

const workerUrl = new URL('./ring-echo-worker.js', import.meta.url);

/** Starts an echo thread for `mode`; returns the send-a-burst-and-wait function and a stop. */
function startEcho(mode: 'port' | 'ring'): { burst: (frame: Uint8Array, count: number) => Promise<void>; stop: () => Promise<void> } {
  const { port1, port2 } = new MessageChannel();
  const wakeBuffer = new SharedArrayBuffer(8);
  const wake = new Int32Array(wakeBuffer);
  const calls = Ring.create(RING_BYTES);
  const results = Ring.create(RING_BYTES);
  const worker = new Worker(workerUrl, { workerData: { mode, port: port2, wake: wakeBuffer, calls: calls.buffer, results: results.buffer }, transferList: [port2] });
  let waiting = 0;
  let done: (() => void) | undefined;
  port1.on('message', () => {
    if (--waiting === 0) done?.();
  });
  const post = (frame: Uint8Array): void => {
    port1.postMessage(frame);
    Atomics.add(wake, 0, 1);
    if (Atomics.load(wake, 1) === 1) Atomics.notify(wake, 0, 1);
  };
  const burst =
    mode === 'port'
      ? (frame: Uint8Array, count: number): Promise<void> =>
          new Promise<void>((resolve) => {
            waiting = count;
            done = resolve;
            for (let i = 0; i < count; i++) post(frame);
          })
      : async (frame: Uint8Array, count: number): Promise<void> => {
          let sent = 0;
          let received = 0;
          while (received < count) {
            while (sent < count && calls.write(frame)) sent++;
            calls.wake();
            const waited = results.waitAsync();
            if (waited) await waited;
            results.awake();
            for (let start = results.peek(); start >= 0; start = results.peek()) {
              results.skip();
              received++;
            }
          }
        };
  const stop = async (): Promise<void> => {
    if (mode === 'port') post(new Uint8Array(0));
    else {
      calls.write(new Uint8Array(0));
      calls.wake();
    }
    port1.close();
    await worker.terminate();
  };
  return { burst, stop };
}

async function measure(mode: 'port' | 'ring', size: number): Promise<Measure> {
  const echo = startEcho(mode);
  const frame = new Uint8Array(size).fill(7);
  const perBurst = Math.max(1, Math.min(64, Math.floor(RING_BYTES / 4 / (size + 8))));
  // Warm up, then measure.
  for (let i = 0; i < 20; i++) await echo.burst(frame, perBurst);
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = threadCpu?.();
  const start = performance.now();
  let frames = 0;
  while (performance.now() - start < msPerRun) {
    await echo.burst(frame, perBurst);
    frames += perBurst;
  }
  const elapsed = performance.now() - start;
  const cpu1 = threadCpu?.();
  const elu = performance.eventLoopUtilization(elu0);
  await echo.stop();
  const mainUs = cpu0 && cpu1 ? cpu1.user + cpu1.system - cpu0.user - cpu0.system : elu.active * 1000;
  return { framesPerSec: frames / (elapsed / 1000), mainUsPerFrame: mainUs / frames };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

process.stderr.write(`ring vs postMessage: ${rounds} interleaved rounds of ${msPerRun} ms, Node ${process.version}, main thread time by ${threadCpu ? 'thread CPU' : 'event-loop active time'}\n`);
const rows: string[] = ['| frame bytes | port frames/s | ring frames/s | ring/port | port main µs/frame | ring main µs/frame |', '|---:|---:|---:|---:|---:|---:|'];
for (const size of SIZES) {
  const port: Measure[] = [];
  const ring: Measure[] = [];
  for (let round = 0; round < rounds; round++) {
    port.push(await measure('port', size));
    ring.push(await measure('ring', size));
  }
  const portRate = median(port.map((m) => m.framesPerSec));
  const ringRate = median(ring.map((m) => m.framesPerSec));
  const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  rows.push(
    `| ${fmt(size)} | ${fmt(portRate)} | ${fmt(ringRate)} | ${(ringRate / portRate).toFixed(2)}x | ${fmt(median(port.map((m) => m.mainUsPerFrame)), 2)} | ${fmt(median(ring.map((m) => m.mainUsPerFrame)), 2)} |`,
  );
}
process.stdout.write(`${rows.join('\n')}\n`);
