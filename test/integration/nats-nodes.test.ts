/**
 * Servers over NATS with real `mcpool node` child processes and a real nats-server: the load
 * spreads over two nodes, a slow node is not taken for dead, a node killed mid-batch (SIGKILL)
 * loses no call (accepted non-idempotent calls fail WORKER_CRASHED, idempotent ones run again),
 * a frozen node's unaccepted frames go to another node, a node draining on SIGTERM loses
 * nothing, and a nats-server restarted mid-run leaves no call hanging.
 *
 * Slow-ish (node processes, a NATS restart): about 20 s in all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpManager, type BatchResult } from 'mcpool';
import { startNatsServer, type NatsServerProcess } from '../support/nats-server.js';
import { startNode, stopNode, writeNodeConfig, type NodeProcess } from '../support/nats-nodes.js';

let dir: string;
let config: string;
let nats: NatsServerProcess;
/** The long-lived node every test can count on. */
let steady: NodeProcess;
const extraNodes: NodeProcess[] = [];
const callers: McpManager[] = [];

/** A caller whose failure detection is quick enough for tests. */
async function caller(url = nats.url, options: Record<string, unknown> = {}): Promise<McpManager> {
  const manager = new McpManager({ connectionTimeoutMs: 15_000 });
  callers.push(manager);
  await manager.deployServer({ name: 'remote', type: 'nats', url, remoteName: 'tools', deadNodeMs: 800, ackTimeoutMs: 500, discoveryIntervalMs: 300, timeoutMs: 20_000, circuitBreaker: false, ...options });
  return manager;
}

async function extraNode(name: string, url = nats.url): Promise<NodeProcess> {
  const node = await startNode(url, config, name);
  extraNodes.push(node);
  return node;
}

/** Waits until the caller sees `name` holding accepted calls. */
async function holding(manager: McpManager, name: string): Promise<void> {
  await expect.poll(() => manager.getServerHealth('remote').nodes?.find((node) => node.name === name)?.inFlight ?? 0, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
}

function calls(tool: string, count: number, ms: number): { server: string; tool: string; arguments: { ms: number } }[] {
  return Array.from({ length: count }, () => ({ server: 'remote', tool, arguments: { ms } }));
}

function pidOf(answer: BatchResult): number | undefined {
  return answer.ok ? (answer.result.structuredContent as { pid: number }).pid : undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcpool-nats-'));
  config = await writeNodeConfig(dir, 2);
  nats = await startNatsServer();
  steady = await startNode(nats.url, config, 'steady');
});

afterEach(async () => {
  await Promise.all(callers.splice(0).map((manager) => manager.shutdown()));
  await Promise.all(extraNodes.splice(0).map((node) => stopNode(node)));
});

afterAll(async () => {
  await stopNode(steady);
  await nats?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('servers on mcpool node processes', () => {
  it('spreads calls over two nodes, and health lists both', async () => {
    const second = await extraNode('second');
    const manager = await caller();
    const pids = new Set<number>();
    // The first batch teaches the caller the time per call; later frames are cut to spread.
    for (let round = 0; round < 4 && pids.size < 2; round++) {
      for (const answer of await manager.executeBatch(calls('sleep_idempotent', 40, 20))) {
        expect(answer.ok).toBe(true);
        pids.add(pidOf(answer)!);
      }
    }
    expect(pids).toEqual(new Set([steady.child.pid, second.child.pid]));
    await expect.poll(() => (manager.getServerHealth('remote').nodes ?? []).map((node) => node.name).sort(), { timeout: 5_000 }).toEqual(['second', 'steady']);
    expect(manager.getServerHealth('remote').threads).toBe(2);
  });

  it('keeps a slow node that sends heartbeats: a call far longer than deadNodeMs succeeds', async () => {
    const manager = await caller();
    const result = await manager.executeTool('remote', 'sleep', { ms: 2_500 });
    expect(result.structuredContent).toMatchObject({ slept: 2_500 });
    expect(manager.getServerHealth('remote').restarts).toBe(0);
  });

  it('settles every call of a node killed mid-batch: accepted ones fail WORKER_CRASHED unless idempotent', async () => {
    const victim = await extraNode('victim');
    const manager = await caller();
    // Teach the caller these calls are slow, so the batch spreads over both nodes.
    await manager.executeBatch(calls('sleep_idempotent', 4, 300));
    const batch = manager.executeBatch([...calls('sleep', 10, 600), ...calls('sleep_idempotent', 10, 600)]);
    await holding(manager, 'victim');
    victim.child.kill('SIGKILL');
    const results = await batch;
    const plain = results.slice(0, 10);
    const idempotent = results.slice(10);
    const crashed = plain.filter((answer) => !answer.ok);
    for (const answer of crashed) expect(answer).toMatchObject({ ok: false, error: { code: 'WORKER_CRASHED', data: { node: 'victim' } } });
    for (const answer of plain.filter((answer) => answer.ok)) expect(pidOf(answer)).toBe(steady.child.pid);
    expect(idempotent.filter((answer) => !answer.ok)).toEqual([]);
    const health = manager.getServerHealth('remote');
    expect(health.restarts).toBeGreaterThanOrEqual(1);
    // The victim held calls when it died; which of them were plain is up to NATS's routing.
    expect(crashed.length + idempotent.filter((answer) => pidOf(answer) === steady.child.pid).length).toBeGreaterThan(0);
    expect(health.nodes?.map((node) => node.name)).toEqual(['steady']);
  });

  it('sends frames a frozen node never accepted to another node (no call is lost or failed)', async () => {
    const frozen = await extraNode('frozen');
    const manager = await caller();
    await expect.poll(() => manager.getServerHealth('remote').nodes?.length, { timeout: 5_000 }).toBe(2);
    frozen.child.kill('SIGSTOP');
    try {
      const results = await manager.executeBatch(calls('sleep', 30, 5));
      expect(results.filter((answer) => !answer.ok)).toEqual([]);
      expect(results.every((answer) => pidOf(answer) === steady.child.pid)).toBe(true);
    } finally {
      // Killed while stopped: it never runs what it received late.
      frozen.child.kill('SIGKILL');
    }
  });

  it('drains a node on SIGTERM: it finishes what it accepted and exits 0', async () => {
    const drainer = await extraNode('drainer');
    const manager = await caller();
    await manager.executeBatch(calls('sleep', 4, 300));
    const batch = manager.executeBatch(calls('sleep', 12, 500));
    await holding(manager, 'drainer');
    drainer.child.kill('SIGTERM');
    const results = await batch;
    expect(results.filter((answer) => !answer.ok)).toEqual([]);
    expect(results.some((answer) => pidOf(answer) !== steady.child.pid)).toBe(true);
    expect(await drainer.exited).toBe(0);
  });
});

describe('a nats-server restarted mid-run', () => {
  it('leaves no call hanging, and calls go through again once it is back', async () => {
    const own = await startNatsServer();
    try {
      const node = await extraNode('restarted', own.url);
      const manager = await caller(own.url, { timeoutMs: 8_000 });
      expect(node.name).toBe('restarted');
      const batch = manager.executeBatch(calls('sleep', 10, 1_000));
      await holding(manager, 'restarted');
      await own.stop();
      // Calls made while NATS is away wait (at most their timeout) or fail SERVER_UNAVAILABLE.
      const during = manager.executeTool('remote', 'add', { a: 1, b: 1 }, { timeoutMs: 6_000 }).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await own.start();
      const results = await batch;
      for (const answer of results) {
        if (!answer.ok) expect(['TIMEOUT', 'SERVER_UNAVAILABLE', 'WORKER_CRASHED']).toContain(answer.error.code);
      }
      expect(['ok', 'TIMEOUT', 'SERVER_UNAVAILABLE']).toContain(await during);
      await expect
        .poll(async () => manager.executeTool('remote', 'add', { a: 2, b: 2 }, { timeoutMs: 2_000 }).then((result) => result.structuredContent, () => undefined), { timeout: 15_000, interval: 200 })
        .toEqual({ sum: 4 });
    } finally {
      await own.stop();
    }
  });
});
