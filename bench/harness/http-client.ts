/**
 * @module bench/harness/http-client
 * A lean MCP client over Streamable HTTP for the gateway scenarios of `mcpool bench`: one
 * session, keep-alive connections, one POST per `tools/call` with a distinct JSON-RPC id, and the
 * answer read as JSON or as the single message of an SSE response. Every HTTP server in those
 * scenarios is loaded by this same client, so the figures compare the servers, not clients (the
 * SDK's client costs more CPU per call than the servers measured here).
 */
import { Agent, request } from 'node:http';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

/** A JSON-RPC response as this client needs it. */
interface RpcAnswer {
  result?: { isError?: boolean; content?: unknown };
  error?: { code: number; message: string };
}

/** An MCP session on one Streamable HTTP endpoint. */
export class HttpMcpClient {
  readonly #url: URL;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  #headers: Record<string, string> = HEADERS;
  #nextId = 1;

  constructor(url: string) {
    this.#url = new URL(url);
  }

  /** Runs `initialize` and `notifications/initialized`; later requests carry the session id. */
  async connect(): Promise<void> {
    const init = await this.#post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcpool-bench', version: '1.0.0' } } });
    if (init.status !== 200) throw new Error(`initialize answered HTTP ${init.status}: ${init.body}`);
    const session = init.headers['mcp-session-id'];
    if (typeof session === 'string') this.#headers = { ...HEADERS, 'mcp-session-id': session };
    await this.#post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Calls a tool; rejects on an HTTP error, a JSON-RPC error or a tool error. */
  async callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
    const { status, body, headers } = await this.#post({ jsonrpc: '2.0', id: this.#nextId++, method: 'tools/call', params: { name, arguments: args } });
    if (status !== 200) throw new Error(`tools/call answered HTTP ${status}: ${body}`);
    const answer = parseAnswer(body, headers['content-type']);
    if (answer.error !== undefined) throw new Error(`tools/call failed: ${answer.error.code} ${answer.error.message}`);
    if (answer.result?.isError === true) throw new Error(`tool error: ${JSON.stringify(answer.result.content)}`);
    return answer.result;
  }

  /** The headers of a request in this session (for another load generator on the same session). */
  get headers(): Record<string, string> {
    return this.#headers;
  }

  /** Frees the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  #post(message: object): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
    const payload = JSON.stringify(message);
    return new Promise((resolve, reject) => {
      const req = request(this.#url, { method: 'POST', agent: this.#agent, headers: { ...this.#headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** The JSON-RPC response in a body: plain JSON, or the last `data:` line of an SSE stream. */
function parseAnswer(body: string, contentType: string | string[] | undefined): RpcAnswer {
  if (typeof contentType === 'string' && contentType.startsWith('text/event-stream')) {
    const data = body
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .pop();
    if (data === undefined) throw new Error('an SSE response without a message');
    return JSON.parse(data.slice(5)) as RpcAnswer;
  }
  return JSON.parse(body) as RpcAnswer;
}
