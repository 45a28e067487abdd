/**
 * External servers of the 2026-07-28 era behind the gateway: an SDK v2 server (both eras from
 * one factory) in a child process over stdio and over Streamable HTTP. mcpool's client speaks
 * the newest era the server offers (`protocol: "auto"`, the default) or the one the config pins;
 * a modern client (SDK v2 pinned to 2026-07-28) and a legacy one (SDK v1) call its tools through
 * `mcpool serve --http`, including its `input_required` elicitation and sampling rounds, which
 * reach a legacy client as real requests and a modern one as the gateway's own MRTR rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { McpManager } from 'mcpool';
import { startHttpGateway, type HttpGatewayProcess } from '../support/gateway-process.js';
import { fixtureModule } from '../support/helpers.js';
import { freePort, stopProcess, waitForPort } from '../support/processes.js';

const modernServer = fixtureModule('modern-server');
let backend: ChildProcess;
let gateway: HttpGatewayProcess;

beforeAll(async () => {
  const port = await freePort();
  backend = spawn(process.execPath, [modernServer, 'http', String(port)], { stdio: 'ignore' });
  await waitForPort(port);
  gateway = await startHttpGateway({
    mcpServers: {
      mstdio: { command: process.execPath, args: [modernServer, 'stdio'] },
      mhttp: { type: 'http', url: `http://127.0.0.1:${port}/mcp` },
      pinned: { command: process.execPath, args: [modernServer, 'stdio'], protocol: 'legacy' },
    },
  });
});
afterAll(async () => {
  await stopProcess(gateway?.child);
  await stopProcess(backend);
});

function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0] ?? { text: '' }).text;
}

async function modernClient(): Promise<Client> {
  const client = new Client({ name: 'modern', version: '1.0.0' }, { capabilities: { elicitation: { form: {} }, sampling: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
  client.setRequestHandler('sampling/createMessage', () => ({ role: 'assistant', content: { type: 'text', text: 'forty-two' }, model: 'test' }));
  await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  return client;
}

async function legacyClient(): Promise<ClientV1> {
  const client = new ClientV1({ name: 'legacy', version: '1.0.0' }, { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Grace' } }));
  client.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant', content: { type: 'text', text: 'seven' }, model: 'test' }));
  await client.connect(new HttpTransportV1(new URL(gateway.url)));
  return client;
}

describe('a 2026-07-28 backend (SDK v2 server) behind the gateway', () => {
  it('is spoken to in its era over stdio and HTTP, and in the 2025 era when the config says protocol: legacy', async () => {
    const client = await legacyClient();
    try {
      expect(textOf(await client.callTool({ name: 'mstdio__era', arguments: {} }))).toBe('modern');
      expect(textOf(await client.callTool({ name: 'mhttp__era', arguments: {} }))).toBe('modern');
      expect(textOf(await client.callTool({ name: 'pinned__era', arguments: {} }))).toBe('legacy');
    } finally {
      await client.close();
    }
  });

  it('serves a modern client: plain calls, and the backend\'s elicitation and sampling rounds become the gateway\'s MRTR rounds', async () => {
    const client = await modernClient();
    try {
      for (const server of ['mstdio', 'mhttp', 'pinned']) {
        const echoed = await client.callTool({ name: `${server}__echo`, arguments: { message: `via ${server}` } });
        expect(textOf(echoed)).toBe(`via ${server}`);
        // Results are the gateway's: the backend's serverInfo does not come through.
        expect(JSON.stringify(echoed)).not.toContain('modern-fixture');
        expect(textOf(await client.callTool({ name: `${server}__ask_user`, arguments: { message: 'Your name?' } }))).toBe('Hello, Ada');
        expect(textOf(await client.callTool({ name: `${server}__ask_llm`, arguments: { prompt: 'The answer?' } }))).toBe('LLM said: forty-two');
      }
    } finally {
      await client.close();
    }
  });

  it('serves a legacy client: its rounds become real elicitation and sampling requests, and progress comes through', async () => {
    const client = await legacyClient();
    try {
      for (const server of ['mstdio', 'mhttp', 'pinned']) {
        expect(textOf(await client.callTool({ name: `${server}__ask_user`, arguments: { message: 'Your name?' } }))).toBe('Hello, Grace');
        expect(textOf(await client.callTool({ name: `${server}__ask_llm`, arguments: { prompt: 'The answer?' } }))).toBe('LLM said: seven');
        const progress: number[] = [];
        const counted = await client.callTool({ name: `${server}__count`, arguments: { steps: 3 } }, undefined, { onprogress: (update) => progress.push(update.progress) });
        expect(textOf(counted)).toBe('counted 3');
        expect(progress).toEqual([1, 2, 3]);
      }
    } finally {
      await client.close();
    }
  });
});

describe('the library: an external server entry', () => {
  it('protocol: "modern" insists on 2026-07-28 (a legacy-only server fails to start); "auto" falls back to the 2025 handshake', async () => {
    const manager = new McpManager();
    try {
      const legacyOnly = fixtureModule('mcp-stdio-server');
      await expect(manager.deployServer({ name: 'strict', type: 'stdio', command: process.execPath, args: [legacyOnly], protocol: 'modern' })).rejects.toMatchObject({ code: 'SERVER_UNAVAILABLE' });
      await manager.deployServer({ name: 'fallback', type: 'stdio', command: process.execPath, args: [legacyOnly] });
      expect(textOf(await manager.executeTool('fallback', 'echo', { message: 'legacy still' }))).toBe('legacy still');
    } finally {
      await manager.shutdown();
    }
  });
});
