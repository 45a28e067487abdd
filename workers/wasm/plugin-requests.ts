/**
 * @module workers/wasm/plugin-requests
 * A hyper-mcp v2 plugin's optional exports beyond tools (`list_prompts`, `get_prompt`,
 * `list_resources`, `list_resource_templates`, `read_resource`, `complete`) as handlers the
 * frame runner runs like tools: the manager addresses MCP method `i` of the description's
 * `requests` as the call of index `tools.length + i`, so a prompt or a resource read takes the
 * same frames, timeouts, crash isolation and host functions as a tool call (a `get_prompt` may
 * ask the client, as a tool may).
 *
 * Inputs are hyper-mcp's (src/plugin.rs): `{ context }` for the lists, `{ request, context }`
 * for the others, with `complete`'s reference type stripped of its `ref/` prefix as hyper-mcp
 * does. Each handler answers `{ content: [], structuredContent: <the plugin's JSON result> }`.
 */
import { ErrorCode } from '../../src/errors/mcpool-error.js';
import type { PluginRequestMethod } from '../../src/wire/protocol.js';
import { CallFailure } from '../call-failure.js';
import type { LoadedTool } from '../load-server.js';
import { schemaOf } from './argument-check.js';
import { PluginError } from './plugin-instance.js';
import type { PluginRunner, RunnerContext } from './plugin-runner.js';

/** Each MCP method, the plugin export that answers it, and whether the export takes a `request`. */
const EXPORTS: readonly [method: PluginRequestMethod, name: string, takesRequest: boolean][] = [
  ['prompts/list', 'list_prompts', false],
  ['prompts/get', 'get_prompt', true],
  ['resources/list', 'list_resources', false],
  ['resources/templates/list', 'list_resource_templates', false],
  ['resources/read', 'read_resource', true],
  ['completion/complete', 'complete', true],
];

const ANY_OBJECT = schemaOf({ type: 'object' });

/** Names the requests of this thread for the plugins' request context. */
let nextRequestId = 1;

/** The request params as hyper-mcp hands them to the plugin. */
function requestOf(method: PluginRequestMethod, params: Record<string, unknown>): Record<string, unknown> {
  const request = { ...params };
  delete request._meta;
  if (method !== 'completion/complete') return request;
  const ref = request.ref as { type?: unknown } | undefined;
  if (typeof ref?.type === 'string' && ref.type.startsWith('ref/')) request.ref = { ...ref, type: ref.type.slice(4) };
  return request;
}

function resultOf(text: string, name: string): { content: []; structuredContent: Record<string, unknown> } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CallFailure(ErrorCode.INVALID_RESULT, `the plugin's ${name} returned output that is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CallFailure(ErrorCode.INVALID_RESULT, `the plugin's ${name} returned JSON that is not an object`);
  return { content: [], structuredContent: value as Record<string, unknown> };
}

/** The methods the plugin answers besides tools, and their handlers, in the same order. */
export function pluginRequests(plugin: PluginRunner, v1: boolean): { methods: PluginRequestMethod[]; handlers: LoadedTool[] } {
  const methods: PluginRequestMethod[] = [];
  const handlers: LoadedTool[] = [];
  if (v1) return { methods, handlers };
  for (const [method, name, takesRequest] of EXPORTS) {
    if (!plugin.has(name)) continue;
    methods.push(method);
    handlers.push({
      name: method,
      inputSchema: ANY_OBJECT,
      outputSchema: undefined,
      handler: (args: unknown, ctx: unknown) => {
        const params = (args ?? {}) as Record<string, unknown>;
        const context = { id: `r${nextRequestId++}`, _meta: (params._meta as Record<string, unknown> | undefined) ?? {} };
        const input = JSON.stringify(takesRequest ? { request: requestOf(method, params), context } : { context });
        const refused = (error: unknown): never => {
          // The plugin's own refusal (error_set: an unknown prompt or URI) is a bad request, not a crash.
          if (error instanceof PluginError) throw new CallFailure(ErrorCode.INVALID_ARGUMENTS, error.message, { method, pluginError: error.message });
          throw error;
        };
        try {
          const output = plugin.call(name, input, ctx as RunnerContext);
          return typeof output === 'string' ? resultOf(output, name) : output.then((text) => resultOf(text, name), refused);
        } catch (error) {
          return refused(error);
        }
      },
    });
  }
  return { methods, handlers };
}
