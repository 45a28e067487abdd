/**
 * @module workers/wasm/load-plugin
 * Loads a hyper-mcp plugin in a thread as a server the frame runner can serve: reads the
 * module (capping its memory), makes the thread's `PluginRunner`, lists the tools through the
 * plugin's interface (v2: `list_tools` / `call_tool`; v1: `describe` / `call`, chosen as
 * hyper-mcp does: v1 when both of its exports exist), and turns each tool into a handler, and
 * each optional v2 export (prompts, resources, completion) into one past the tools.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../../src/errors/mcpool-error.js';
import type { ServerDescription, WasmThreadOptions } from '../../src/wire/protocol.js';
import type { CallToolResult, LogLevel, Tool } from '../../src/wire/mcp-types.js';
import { CallFailure } from '../call-failure.js';
import type { LoadedServer, LoadedTool } from '../load-server.js';
import { schemaOf } from './argument-check.js';
import { hostFunctions } from './host-functions.js';
import { HttpBridge } from './http-bridge.js';
import { capMemory } from './memory-limit.js';
import { PluginRunner, type RunnerContext } from './plugin-runner.js';
import { pluginRequests } from './plugin-requests.js';

/** Host memory a call may allocate without a `memoryLimitMb`. */
const DEFAULT_HOST_MEMORY = 256 * 1_048_576;

/** Names the calls of this thread for the plugins' request context. */
let nextRequestId = 1;

function isCallToolResult(value: unknown): value is CallToolResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as { content?: unknown }).content);
}

/** Loads the plugin at `moduleUrl`; throws an `Error` that names the problem. */
export async function loadWasmServer(moduleUrl: string, serverName: string, options: WasmThreadOptions): Promise<LoadedServer> {
  const where = `WebAssembly module ${moduleUrl} (server "${serverName}")`;
  let bytes: Uint8Array = await readFile(fileURLToPath(moduleUrl)).catch((error: unknown) => {
    throw new Error(`${where} cannot be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  if (options.memoryLimitMb !== undefined) {
    try {
      bytes = capMemory(bytes, options.memoryLimitMb);
    } catch (error) {
      throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (error) {
    throw new Error(`${where} is not a valid WebAssembly module: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const wasi = WebAssembly.Module.imports(module).some((entry) => entry.module === 'wasi_snapshot_preview1');
  let runner: PluginRunner | undefined;
  const current = (): RunnerContext | undefined => runner?.current as RunnerContext | undefined;
  const logAs = (level: LogLevel) => (message: unknown) => current()?.log(level, message);
  try {
    runner = await PluginRunner.start(
      {
        module,
        wasi,
        preopens: options.preopens,
        config: options.config,
        hostMemoryLimit: options.memoryLimitMb === undefined ? DEFAULT_HOST_MEMORY : options.memoryLimitMb * 1_048_576,
        http: options.allowedHosts.length > 0 ? new HttpBridge(options.allowedHosts) : undefined,
        user: hostFunctions(current),
        logger: { debug: logAs('debug'), info: logAs('info'), warn: logAs('warning'), error: logAs('error') },
      },
      serverName,
    );
  } catch (error) {
    throw new Error(`${where} cannot be instantiated: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const plugin = runner;
  const v1 = plugin.has('describe') && plugin.has('call');
  if (!v1 && !plugin.has('call_tool')) throw new Error(`${where} is not a hyper-mcp plugin: it exports neither call_tool (v2) nor describe and call (v1)`);

  const listed = await listTools(plugin, v1, where);
  const tools: LoadedTool[] = listed.map((tool) => ({
    name: tool.name,
    inputSchema: schemaOf(tool.inputSchema),
    outputSchema: undefined,
    handler: (args: unknown, ctx: unknown) => {
      const id = String(nextRequestId++);
      const input = v1
        ? JSON.stringify({ params: { name: tool.name, arguments: args } })
        : JSON.stringify({ request: { name: tool.name, arguments: args }, context: { id, _meta: {} } });
      const output = plugin.call(v1 ? 'call' : 'call_tool', input, ctx as RunnerContext);
      return typeof output === 'string' ? resultOf(output, tool.name) : output.then((text) => resultOf(text, tool.name));
    },
  }));
  // Prompts, resources and completion, when exported, run as calls past the tools (plugin-requests).
  const requests = pluginRequests(plugin, v1);
  tools.push(...requests.handlers);
  const description: ServerDescription = { name: serverName, version: '0.0.0', tools: listed, ...(requests.methods.length > 0 ? { requests: requests.methods } : {}) };
  return { tools, description };
}

/** The tools a plugin lists; a plugin without `list_tools` (v2) has none, as in hyper-mcp. */
async function listTools(plugin: PluginRunner, v1: boolean, where: string): Promise<Tool[]> {
  if (!v1 && !plugin.has('list_tools')) return [];
  let text: string;
  try {
    text = await plugin.call(v1 ? 'describe' : 'list_tools', v1 ? '' : JSON.stringify({ context: { id: '0', _meta: {} } }), undefined);
  } catch (error) {
    throw new Error(`${where}: listing its tools failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let listed: unknown;
  try {
    listed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: its tool list is not JSON`, { cause: error });
  }
  const tools = (listed as { tools?: unknown } | null)?.tools;
  if (!Array.isArray(tools)) throw new Error(`${where}: its tool list has no "tools" array`);
  return tools.map((tool: unknown, index) => {
    const { name, inputSchema } = (tool ?? {}) as { name?: unknown; inputSchema?: unknown };
    if (typeof name !== 'string' || name === '') throw new Error(`${where}: tool ${index} has no name`);
    const schema = typeof inputSchema === 'object' && inputSchema !== null ? (inputSchema as Record<string, unknown>) : { type: 'object' };
    return { ...(tool as Tool), inputSchema: { ...schema, type: 'object' } };
  });
}

/** The plugin's output as a `CallToolResult`. */
function resultOf(text: string, tool: string): CallToolResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CallFailure(ErrorCode.INVALID_RESULT, `tool "${tool}" returned output that is not JSON`);
  }
  if (!isCallToolResult(value)) throw new CallFailure(ErrorCode.INVALID_RESULT, `tool "${tool}" returned JSON that is not a CallToolResult (no content array)`);
  return value;
}
