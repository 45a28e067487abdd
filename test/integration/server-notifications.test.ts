/**
 * Notifications an external server sends about its resources and tools: the manager's
 * `serverNotification` event in the library, and through the gateway a resource update reaches
 * the sessions that subscribed to it (only those) and a list change reaches every session. The
 * server is a real SDK server in a child process; the clients are the official SDK's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { McpManager, type ServerNotification } from 'mcpool';
import { serveArgs, startHttpGateway, writeConfig, type HttpGatewayProcess } from '../support/gateway-process.js';
import { fixtureModule } from '../support/helpers.js';
import { stopProcess } from '../support/processes.js';

const fixture = { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] };
const config = { mcpServers: { fx: fixture } };
/** Notifications cross two processes and a thread: give them time on a busy machine. */
const POLL = { timeout: 10_000, interval: 50 };

/** A client that records the notifications it gets, in order. */
function recordingClient(seen: string[]): Client {
  const client = new Client({ name: 'recording', version: '1.0.0' });
  client.setNotificationHandler('notifications/resources/updated', (notification) => {
    seen.push(`updated ${notification.params.uri}`);
  });
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    seen.push('tools changed');
  });
  return client;
}

describe('server notifications in the library', () => {
  let manager: McpManager | undefined;
  afterEach(async () => {
    await manager?.shutdown();
    manager = undefined;
  });

  it("are the manager's serverNotification events, with the server's name", async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'fx', type: 'stdio', ...fixture });
    const seen: ServerNotification[] = [];
    manager.on('serverNotification', (notification) => seen.push(notification));
    await manager.executeTool('fx', 'touch', {});
    await manager.executeTool('fx', 'add_tool', {});
    await expect.poll(() => seen.map(({ method }) => method), POLL).toEqual(['notifications/resources/updated', 'notifications/tools/list_changed']);
    expect(seen[0]).toEqual({ server: 'fx', method: 'notifications/resources/updated', params: { uri: 'fx://counter' } });
    // The manager refreshed the tool list on the same notification.
    expect((await manager.listTools('fx')).map((tool) => tool.name)).toContain('extra_1');
  });
});

describe('server notifications through the HTTP gateway', () => {
  let gateway: HttpGatewayProcess;
  beforeAll(async () => {
    gateway = await startHttpGateway(config);
  });
  afterAll(async () => {
    await stopProcess(gateway?.child);
  });

  it('a resource update reaches the subscribed session only, a list change every session', async () => {
    const subscribedSeen: string[] = [];
    const otherSeen: string[] = [];
    const subscribed = recordingClient(subscribedSeen);
    const other = recordingClient(otherSeen);
    await subscribed.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    await other.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      expect(subscribed.getServerCapabilities()).toMatchObject({ resources: { subscribe: true }, tools: { listChanged: true } });
      await subscribed.subscribeResource({ uri: 'fx://counter' });
      // Messages not tied to a request travel on each session's GET stream, which the SDK client
      // opens on its own after connecting: act until each stream shows it is open.
      const count = (list: string[], entry: string): number => list.filter((item) => item === entry).length;
      await expect
        .poll(async () => {
          await subscribed.callTool({ name: 'fx__touch', arguments: {} });
          return count(subscribedSeen, 'updated fx://counter');
        }, POLL)
        .toBeGreaterThan(0);
      await expect
        .poll(async () => {
          await other.callTool({ name: 'fx__add_tool', arguments: {} });
          return count(otherSeen, 'tools changed');
        }, POLL)
        .toBeGreaterThan(0);
      // Both streams are open now: an update goes to the subscriber alone, and a list change to
      // both. One stream keeps the order, so once the change arrives the update would have too.
      const updatesBefore = count(subscribedSeen, 'updated fx://counter');
      const changesBefore = count(otherSeen, 'tools changed');
      await subscribed.callTool({ name: 'fx__touch', arguments: {} });
      await other.callTool({ name: 'fx__add_tool', arguments: {} });
      await expect.poll(() => count(otherSeen, 'tools changed'), POLL).toBe(changesBefore + 1);
      await expect.poll(() => count(subscribedSeen, 'updated fx://counter'), POLL).toBe(updatesBefore + 1);
      expect(count(otherSeen, 'updated fx://counter')).toBe(0);
      // After unsubscribing, updates stop.
      await subscribed.unsubscribeResource({ uri: 'fx://counter' });
      const changesSeen = count(subscribedSeen, 'tools changed');
      await subscribed.callTool({ name: 'fx__touch', arguments: {} });
      await other.callTool({ name: 'fx__add_tool', arguments: {} });
      await expect.poll(() => count(subscribedSeen, 'tools changed'), POLL).toBeGreaterThan(changesSeen);
      expect(count(subscribedSeen, 'updated fx://counter')).toBe(updatesBefore + 1);
    } finally {
      await Promise.all([subscribed.close(), other.close()]);
    }
  });
});

describe('server notifications through the stdio gateway', () => {
  it('reach the client after it subscribed', async () => {
    const seen: string[] = [];
    const client = recordingClient(seen);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [...serveArgs, '--stdio', '--config', writeConfig(config)], stderr: 'ignore' }));
    try {
      await client.callTool({ name: 'fx__touch', arguments: {} });
      await client.subscribeResource({ uri: 'fx://counter' });
      await client.callTool({ name: 'fx__touch', arguments: {} });
      await client.callTool({ name: 'fx__add_tool', arguments: {} });
      await expect.poll(() => seen, POLL).toEqual(['updated fx://counter', 'tools changed']);
    } finally {
      await client.close();
    }
  });
});
