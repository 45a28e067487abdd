/**
 * A hyper-mcp v2 plugin's prompts, resources, resource templates and completion (its optional
 * exports), served through the manager (`serverRequest`) and through `mcpool serve --http` to
 * the official SDK's client in both eras, beside an external server's. The plugin is
 * test/fixtures/wasm/assembly/client.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ErrorCode, McpManager, McpoolError } from 'mcpool';
import { fixtureModule } from '../support/helpers.js';
import { startHttpGateway, type HttpGatewayProcess } from '../support/gateway-process.js';
import { stopProcess } from '../support/processes.js';
import { clientPlugin, helloPlugin } from '../support/wasm.js';

const greeting = { description: 'A greeting', messages: [{ role: 'user', content: { type: 'text', text: 'Hello, Ada!' } }] };

describe("a plugin's prompts and resources in the library", () => {
  let manager: McpManager | undefined;
  afterEach(async () => {
    await manager?.shutdown();
    manager = undefined;
  });

  it('serverRequest runs each export on the plugin threads and answers its MCP result', async () => {
    manager = new McpManager({ defaultTimeoutMs: 10_000 });
    await manager.deployServer({ name: 'plug', type: 'wasm', module: clientPlugin, threads: 1 });
    expect(manager.listServerRequests('plug')).toEqual(['prompts/list', 'prompts/get', 'resources/list', 'resources/templates/list', 'resources/read', 'completion/complete']);
    // The tools are still only the tools.
    expect((await manager.listTools('plug')).map((tool) => tool.name)).toEqual(['elicit', 'sample', 'roots', 'echo', 'touch']);
    expect(await manager.serverRequest('plug', 'prompts/list')).toEqual({
      prompts: [{ name: 'greet', title: 'Greeting', description: 'Greets someone', arguments: [{ name: 'who', description: 'Whom to greet', required: true }] }],
    });
    expect(await manager.serverRequest('plug', 'prompts/get', { name: 'greet', arguments: { who: 'Ada' } })).toEqual(greeting);
    expect(await manager.serverRequest('plug', 'resources/list')).toEqual({ resources: [{ uri: 'plug://notes/readme', name: 'readme', title: 'Read me', mimeType: 'text/plain' }] });
    expect(await manager.serverRequest('plug', 'resources/templates/list')).toEqual({ resourceTemplates: [{ uriTemplate: 'plug://notes/{name}', name: 'note', mimeType: 'text/plain' }] });
    expect(await manager.serverRequest('plug', 'resources/read', { uri: 'plug://notes/today' })).toEqual({ contents: [{ uri: 'plug://notes/today', mimeType: 'text/plain', text: 'Note today' }] });
    // hyper-mcp strips "ref/" from the reference type before the plugin sees it; the plugin completes only prompts.
    expect(await manager.serverRequest('plug', 'completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: 'w' } })).toEqual({
      completion: { values: ['world', 'wide'], total: 2, hasMore: false },
    });
  });

  it("a request the plugin refuses, or one it does not answer, rejects INVALID_ARGUMENTS; the next one works", async () => {
    manager = new McpManager({ defaultTimeoutMs: 10_000 });
    await manager.deployServer({ name: 'plug', type: 'wasm', module: clientPlugin, threads: 1 });
    await manager.deployServer({ name: 'hello', type: 'wasm', module: helloPlugin, threads: 1 });
    const refused = await manager.serverRequest('plug', 'resources/read', { uri: 'elsewhere://x' }).catch((error: unknown) => error as McpoolError);
    expect(refused).toMatchObject({ code: ErrorCode.INVALID_ARGUMENTS, data: { method: 'resources/read', pluginError: 'no resource elsewhere://x' } });
    expect(await manager.serverRequest('plug', 'prompts/get', { name: 'greet', arguments: { who: 'Ada' } })).toEqual(greeting);
    expect(manager.listServerRequests('hello')).toEqual([]);
    expect(await manager.serverRequest('hello', 'prompts/list').catch((error: unknown) => error as McpoolError)).toMatchObject({ code: ErrorCode.INVALID_ARGUMENTS, data: { method: 'prompts/list' } });
    expect(await manager.serverRequest('nobody', 'prompts/list').catch((error: unknown) => error as McpoolError)).toMatchObject({ code: ErrorCode.SERVER_NOT_FOUND });
  });
});

describe("a plugin's prompts and resources through mcpool serve --http", () => {
  let gateway: HttpGatewayProcess;
  const open: Client[] = [];
  beforeAll(async () => {
    gateway = await startHttpGateway({
      mcpServers: {
        plug: { type: 'wasm', module: clientPlugin, threads: 1 },
        fx: { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] },
      },
    });
  });
  afterAll(async () => {
    await Promise.all(open.map((client) => client.close().catch(() => undefined)));
    await stopProcess(gateway.child);
  });

  async function connect(pin?: string): Promise<Client> {
    const client = new Client({ name: 'prompts', version: '1.0.0' }, pin === undefined ? {} : { versionNegotiation: { mode: { pin } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    open.push(client);
    return client;
  }

  for (const era of ['session (legacy)', '2026-07-28 (stateless)']) {
    it(`a ${era} client lists, gets, reads and completes them beside an external server's`, async () => {
      const client = await connect(era.startsWith('2026') ? '2026-07-28' : undefined);
      if (era.startsWith('2026')) expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const prompts = (await client.listPrompts()).prompts;
      expect(prompts.map((prompt) => prompt.name)).toContain('plug__greet');
      expect(prompts.find((prompt) => prompt.name === 'plug__greet')).toMatchObject({ title: 'Greeting', arguments: [{ name: 'who', required: true }] });
      expect(await client.getPrompt({ name: 'plug__greet', arguments: { who: 'Ada' } })).toMatchObject(greeting);
      const resources = (await client.listResources()).resources;
      expect(resources.map((resource) => resource.uri)).toEqual(expect.arrayContaining(['plug://notes/readme', 'fx://counter']));
      expect(resources.find((resource) => resource.uri === 'plug://notes/readme')).toMatchObject({ name: 'plug__readme', mimeType: 'text/plain' });
      expect((await client.listResourceTemplates()).resourceTemplates).toEqual(expect.arrayContaining([expect.objectContaining({ uriTemplate: 'plug://notes/{name}', name: 'plug__note' })]));
      expect((await client.readResource({ uri: 'plug://notes/readme' })).contents).toEqual([{ uri: 'plug://notes/readme', mimeType: 'text/plain', text: 'Read me first.' }]);
      // A URI made from the template: no server listed it, and the plugin answers it.
      expect((await client.readResource({ uri: 'plug://notes/monday' })).contents[0]).toMatchObject({ text: 'Note monday' });
      expect((await client.readResource({ uri: 'fx://counter' })).contents.length).toBeGreaterThan(0);
      const completed = await client.complete({ ref: { type: 'ref/prompt', name: 'plug__greet' }, argument: { name: 'who', value: 'w' } });
      expect(completed.completion.values).toEqual(['world', 'wide']);
      // An unknown prompt is a bad request; the next request works.
      const unknown = await client.getPrompt({ name: 'plug__nope' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(unknown).toBeInstanceOf(ProtocolError);
      expect((unknown as ProtocolError).code).toBe(-32602);
      expect(await client.getPrompt({ name: 'plug__greet', arguments: { who: 'Ada' } })).toMatchObject(greeting);
    });
  }
});
