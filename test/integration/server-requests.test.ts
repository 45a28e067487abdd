/**
 * Requests an external server sends its client while a tool runs (sampling, elicitation):
 * answered by the caller's `onServerRequest` in the library, and relayed to the MCP client
 * through the gateway over HTTP and stdio. The server is a real SDK server in a child process;
 * the clients are the official SDK's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { McpManager, type ServerRequest } from 'mcpool';
import { serveArgs, startHttpGateway, writeConfig, type HttpGatewayProcess } from '../support/gateway-process.js';
import { fixtureModule } from '../support/helpers.js';
import { stopProcess } from '../support/processes.js';

const fixture = { command: process.execPath, args: [fixtureModule('mcp-stdio-server')] };
const config = { mcpServers: { fx: fixture } };

function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0] ?? { text: '' }).text;
}

/** An SDK client that answers sampling with a fixed text and elicitation with a name. */
function answeringClient(seen: string[]): Client {
  const client = new Client({ name: 'answering', version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: { form: {} } } });
  client.setRequestHandler('sampling/createMessage', (request) => {
    const message = request.params.messages[0]!.content as { text: string };
    seen.push(`sampling: ${message.text}`);
    return { role: 'assistant', content: { type: 'text', text: `echo of ${message.text}` }, model: 'test-model', stopReason: 'endTurn' };
  });
  client.setRequestHandler('elicitation/create', (request) => {
    seen.push(`elicitation: ${request.params.message}`);
    return { action: 'accept', content: { name: 'Ada' } };
  });
  return client;
}

describe('server requests in the library', () => {
  let manager: McpManager | undefined;
  afterEach(async () => {
    await manager?.shutdown();
    manager = undefined;
  });

  it("go to the call's onServerRequest, whose answer the server receives", async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'fx', type: 'stdio', ...fixture });
    const requests: ServerRequest[] = [];
    const onServerRequest = (request: ServerRequest): Promise<Record<string, unknown>> => {
      requests.push(request);
      return Promise.resolve(
        request.method === 'sampling/createMessage' ? { role: 'assistant', content: { type: 'text', text: 'a model answer' }, model: 'm' } : { action: 'decline' },
      );
    };
    const sampled = await manager.executeTool('fx', 'ask_llm', { prompt: 'why?' }, { onServerRequest });
    expect(textOf(sampled)).toBe('LLM response: a model answer');
    const elicited = await manager.executeTool('fx', 'ask_user', { message: 'your name?' }, { onServerRequest });
    expect(JSON.parse(textOf(elicited))).toEqual({ action: 'decline' });
    expect(requests.map(({ server, method }) => `${server} ${method}`)).toEqual(['fx sampling/createMessage', 'fx elicitation/create']);
    expect(requests[0]!.params).toMatchObject({ messages: [{ role: 'user', content: { type: 'text', text: 'why?' } }], maxTokens: 100 });
  });

  it('without a handler, or when the handler fails, the server gets an error and the tool reports it', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'fx', type: 'stdio', ...fixture });
    const unanswered = await manager.executeTool('fx', 'ask_llm', { prompt: 'x' });
    expect(unanswered.isError).toBe(true);
    expect(textOf(unanswered)).toContain('cannot relay sampling/createMessage from "fx"');
    const failed = await manager.executeTool('fx', 'ask_llm', { prompt: 'x' }, { onServerRequest: () => Promise.reject(new Error('no model configured')) });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toContain('no model configured');
    // The connection is unharmed.
    expect(textOf(await manager.executeTool('fx', 'echo', { message: 'still here' }))).toBe('still here');
  });

  it('with calls of two different handlers in flight, the request is refused rather than sent to the wrong caller', async () => {
    manager = new McpManager();
    await manager.deployServer({ name: 'fx', type: 'stdio', ...fixture });
    const other = (): Promise<Record<string, unknown>> => Promise.resolve({ action: 'accept', content: { name: 'wrong caller' } });
    const sleeping = manager.executeTool('fx', 'sleep', { ms: 1_000 }, { onServerRequest: other });
    const asked = await manager.executeTool('fx', 'ask_user', { message: 'name?' }, { onServerRequest: () => Promise.resolve({ action: 'accept', content: { name: 'Ada' } }) });
    expect(asked.isError).toBe(true);
    expect(textOf(asked)).toContain('calls of several clients are in flight');
    await sleeping;
  });
});

describe('server requests through the HTTP gateway', () => {
  let gateway: HttpGatewayProcess;
  beforeAll(async () => {
    gateway = await startHttpGateway(config);
  });
  afterAll(async () => {
    await stopProcess(gateway?.child);
  });

  it('reach an SDK client as requests on the call stream, and its answers reach the server', async () => {
    const seen: string[] = [];
    const client = answeringClient(seen);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      expect(textOf(await client.callTool({ name: 'fx__ask_llm', arguments: { prompt: 'hello' } }))).toBe('LLM response: echo of hello');
      const elicited = JSON.parse(textOf(await client.callTool({ name: 'fx__ask_user', arguments: { message: 'who are you?' } }))) as unknown;
      expect(elicited).toEqual({ action: 'accept', content: { name: 'Ada' } });
      expect(seen).toEqual(['sampling: hello', 'elicitation: who are you?']);
    } finally {
      await client.close();
    }
  });

  it("reach the client while several of its session's calls are in flight", async () => {
    const seen: string[] = [];
    const client = answeringClient(seen);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      const sleeping = client.callTool({ name: 'fx__sleep', arguments: { ms: 500 } });
      const asked = await client.callTool({ name: 'fx__ask_llm', arguments: { prompt: 'while another call runs' } });
      expect(textOf(asked)).toBe('LLM response: echo of while another call runs');
      expect(textOf(await sleeping)).toBe('slept 500');
    } finally {
      await client.close();
    }
  });

  it('from a client without the capability are refused, and the tool reports why', async () => {
    const client = new Client({ name: 'plain', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      const result = await client.callTool({ name: 'fx__ask_llm', arguments: { prompt: 'hello' } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('did not declare the "sampling" capability');
    } finally {
      await client.close();
    }
  });
});

describe('server requests through the stdio gateway', () => {
  it('reach an SDK client over stdio, also with other calls in flight', async () => {
    const seen: string[] = [];
    const client = answeringClient(seen);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [...serveArgs, '--stdio', '--config', writeConfig(config)], stderr: 'ignore' }));
    try {
      const sleeping = client.callTool({ name: 'fx__sleep', arguments: { ms: 300 } });
      expect(textOf(await client.callTool({ name: 'fx__ask_llm', arguments: { prompt: 'over stdio' } }))).toBe('LLM response: echo of over stdio');
      expect(textOf(await sleeping)).toBe('slept 300');
      expect(seen).toEqual(['sampling: over stdio']);
    } finally {
      await client.close();
    }
  });
});
