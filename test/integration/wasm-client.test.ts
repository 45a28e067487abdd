/**
 * A WebAssembly plugin's requests to its caller (hyper-mcp's `create_elicitation`,
 * `create_message`, `list_roots` host functions): answered by the call's `onServerRequest` in
 * the library, and by a real MCP client (the official SDK's) through `mcpool serve --http`, in
 * either era. The plugin (test/fixtures/wasm/assembly/client.ts) returns each answer as its text.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ErrorCode, McpManager, McpoolError, type CallToolResult, type ServerRequest } from 'mcpool';
import { startHttpGateway, type HttpGatewayProcess } from '../support/gateway-process.js';
import { stopProcess } from '../support/processes.js';
import { clientPlugin } from '../support/wasm.js';

function textOf(result: unknown): string {
  const block = (result as CallToolResult).content[0];
  return block?.type === 'text' ? String(block.text) : '';
}

const answers: Record<ServerRequest['method'], Record<string, unknown>> = {
  'elicitation/create': { action: 'accept', content: { name: 'Ada' } },
  'sampling/createMessage': { role: 'assistant', content: { type: 'text', text: 'a model answer' }, model: 'm', stopReason: 'endTurn' },
  'roots/list': { roots: [{ uri: 'file:///work', name: 'work' }] },
};

describe("a plugin's requests to its caller in the library", () => {
  let manager: McpManager | undefined;
  afterEach(async () => {
    await manager?.shutdown();
    manager = undefined;
  });

  async function deployed(threads = 1): Promise<McpManager> {
    manager = new McpManager({ defaultTimeoutMs: 10_000 });
    await manager.deployServer({ name: 'plug', type: 'wasm', module: clientPlugin, threads });
    return manager;
  }

  it("each host function blocks its thread until the call's onServerRequest answers, and returns the answer", async () => {
    const plug = await deployed();
    const seen: ServerRequest[] = [];
    const onServerRequest = async (request: ServerRequest): Promise<Record<string, unknown>> => {
      seen.push(request);
      // Answered later than at once, so the thread really waits for it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return answers[request.method];
    };
    const elicited = await plug.executeTool('plug', 'elicit', { message: 'your name?' }, { onServerRequest });
    expect(JSON.parse(textOf(elicited))).toEqual(answers['elicitation/create']);
    const sampled = await plug.executeTool('plug', 'sample', { prompt: 'why?' }, { onServerRequest });
    expect(JSON.parse(textOf(sampled))).toEqual(answers['sampling/createMessage']);
    const roots = await plug.executeTool('plug', 'roots', {}, { onServerRequest });
    expect(JSON.parse(textOf(roots))).toEqual(answers['roots/list']);
    expect(seen.map(({ server, method }) => `${server} ${method}`)).toEqual(['plug elicitation/create', 'plug sampling/createMessage', 'plug roots/list']);
    // hyper-mcp's shapes: ElicitRequestParam (the PDK's "date_time" format mended), CreateMessageRequestParam.
    expect(seen[0]!.params).toEqual({
      message: 'your name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' }, when: { type: 'string', format: 'date-time' } }, required: ['name'] },
    });
    expect(seen[1]!.params).toEqual({ messages: [{ role: 'user', content: { type: 'text', text: 'why?' } }], maxTokens: 64 });
    expect(seen[2]!.params).toEqual({});
  });

  it('with no one to answer, that call alone fails TRANSPORT_ERROR and the next call works', async () => {
    const plug = await deployed();
    const [error, beside] = await Promise.all([
      plug.executeTool('plug', 'elicit', {}).then(
        () => undefined,
        (caught: unknown) => caught as McpoolError,
      ),
      plug.executeTool('plug', 'echo', { text: 'beside it' }),
    ]);
    expect(error).toBeInstanceOf(McpoolError);
    expect(error!.code).toBe(ErrorCode.TRANSPORT_ERROR);
    expect(error!.data).toMatchObject({ reason: 'no-client' });
    expect(error!.message).toContain('create_elicitation');
    expect(textOf(beside)).toBe('beside it');
    expect(textOf(await plug.executeTool('plug', 'echo', { text: 'next' }))).toBe('next');
    // A client that refuses: the same, and the next call still works.
    const refusing = (): Promise<Record<string, unknown>> => Promise.reject(new Error('the user closed the dialog'));
    const refused = await plug.executeTool('plug', 'sample', { prompt: 'x' }, { onServerRequest: refusing }).catch((caught: unknown) => caught as McpoolError);
    expect(refused).toMatchObject({ code: ErrorCode.TRANSPORT_ERROR, data: { reason: 'client-error' } });
    expect(JSON.parse(textOf(await plug.executeTool('plug', 'roots', {}, { onServerRequest: (request) => Promise.resolve(answers[request.method]) })))).toEqual(answers['roots/list']);
  });

  it("an elicitation past the plugin's own timeout (seconds, as in hyper-mcp) fails TRANSPORT_ERROR; the client is told to stop", async () => {
    const plug = await deployed();
    let aborted = false;
    const never = (_request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>> =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('withdrawn'));
        });
      });
    const late = await plug.executeTool('plug', 'elicit', { timeout: 0.05 }, { onServerRequest: never }).catch((caught: unknown) => caught as McpoolError);
    expect(late).toMatchObject({ code: ErrorCode.TRANSPORT_ERROR, data: { reason: 'timeout' } });
    await expect.poll(() => aborted).toBe(true);
    expect(JSON.parse(textOf(await plug.executeTool('plug', 'elicit', {}, { onServerRequest: (request) => Promise.resolve(answers[request.method]) })))).toEqual(answers['elicitation/create']);
  });

  it('a call whose answer never comes times out alone (its thread is stopped); calls on the other thread go on', async () => {
    const plug = await deployed(2);
    const never = (): Promise<Record<string, unknown>> => new Promise(() => undefined);
    const stuck = plug.executeTool('plug', 'elicit', {}, { onServerRequest: never, timeoutMs: 300 }).catch((caught: unknown) => caught as McpoolError);
    const others = await Promise.all(Array.from({ length: 20 }, (_, i) => plug.executeTool('plug', 'echo', { text: `n${i}` })));
    expect(others.map(textOf)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    expect(await stuck).toMatchObject({ code: ErrorCode.TIMEOUT });
    expect(textOf(await plug.executeTool('plug', 'echo', { text: 'after' }))).toBe('after');
  });
});

/** An SDK client that answers elicitation, sampling and roots. */
function answeringClient(seen: string[], options: { pin?: string } = {}): Client {
  const client = new Client(
    { name: 'answering', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} }, ...(options.pin === undefined ? {} : { versionNegotiation: { mode: { pin: options.pin } } }) },
  );
  client.setRequestHandler('elicitation/create', (request) => {
    seen.push(`elicitation: ${request.params.message}`);
    return { action: 'accept', content: { name: 'Grace' } };
  });
  client.setRequestHandler('sampling/createMessage', (request) => {
    seen.push(`sampling: ${(request.params.messages[0]!.content as { text: string }).text}`);
    return { role: 'assistant', content: { type: 'text', text: 'from the client' }, model: 'client-model', stopReason: 'endTurn' };
  });
  client.setRequestHandler('roots/list', () => {
    seen.push('roots');
    return { roots: [{ uri: 'file:///home/grace', name: 'home' }] };
  });
  return client;
}

describe("a plugin's requests to its caller through mcpool serve --http", () => {
  let gateway: HttpGatewayProcess;
  beforeAll(async () => {
    gateway = await startHttpGateway({ mcpServers: { plug: { type: 'wasm', module: clientPlugin, threads: 1 } } });
  });
  afterAll(async () => {
    await stopProcess(gateway.child);
  });

  it('a session (legacy era) client answers each as a real server-to-client request', async () => {
    const seen: string[] = [];
    const client = answeringClient(seen);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    expect(client.getNegotiatedProtocolVersion()).not.toBe('2026-07-28');
    expect(JSON.parse(textOf(await client.callTool({ name: 'plug__elicit', arguments: { message: 'name?' } })))).toEqual({ action: 'accept', content: { name: 'Grace' } });
    expect(JSON.parse(textOf(await client.callTool({ name: 'plug__sample', arguments: { prompt: 'why?' } })))).toMatchObject({ role: 'assistant', content: { type: 'text', text: 'from the client' }, model: 'client-model' });
    expect(JSON.parse(textOf(await client.callTool({ name: 'plug__roots', arguments: {} })))).toEqual({ roots: [{ uri: 'file:///home/grace', name: 'home' }] });
    expect(seen).toEqual(['elicitation: name?', 'sampling: why?', 'roots']);
    await client.close();
  });

  it('a 2026-07-28 (stateless) client answers them as MRTR rounds', async () => {
    const seen: string[] = [];
    const client = answeringClient(seen, { pin: '2026-07-28' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(JSON.parse(textOf(await client.callTool({ name: 'plug__elicit', arguments: { message: 'name?' } })))).toEqual({ action: 'accept', content: { name: 'Grace' } });
    expect(JSON.parse(textOf(await client.callTool({ name: 'plug__sample', arguments: { prompt: 'why?' } })))).toMatchObject({ content: { text: 'from the client' } });
    expect(JSON.parse(textOf(await client.callTool({ name: 'plug__roots', arguments: {} })))).toEqual({ roots: [{ uri: 'file:///home/grace', name: 'home' }] });
    expect(seen).toEqual(['elicitation: name?', 'sampling: why?', 'roots']);
    await client.close();
  });

  it('a client without the capability: that call alone fails, and the next call works', async () => {
    const client = new Client({ name: 'plain', version: '1.0.0' }, { capabilities: {} });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    const failed = await client.callTool({ name: 'plug__sample', arguments: { prompt: 'x' } }).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error: error as { code?: number; message: string } }),
    );
    expect(failed.result).toBeUndefined();
    expect(failed.error?.message).toContain('sampling');
    expect(textOf(await client.callTool({ name: 'plug__echo', arguments: { text: 'still here' } }))).toBe('still here');
    await client.close();
  });
});
