/**
 * @module workers/load-server
 * Loads a server module inside a thread and checks that its default export is a server
 * definition, turning each tool's zod schemas into the JSON Schema of MCP's `tools/list`.
 */
import type { ServerDescription } from '../src/wire/protocol.js';
import type { Tool } from '../src/wire/mcp-types.js';

/** The part of a zod schema a thread uses; schemas may come from the server's own copy of zod. */
export interface SchemaLike {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** A tool ready to run, in the order the manager addresses it by index. */
export interface LoadedTool {
  name: string;
  inputSchema: SchemaLike;
  outputSchema: SchemaLike | undefined;
  handler: (args: unknown, ctx: unknown) => unknown;
}

/** A loaded server: its tools by index and the description the manager lists. */
export interface LoadedServer {
  tools: LoadedTool[];
  description: ServerDescription;
}

function isSchema(value: unknown): value is SchemaLike & { toJSONSchema?: (options?: unknown) => unknown } {
  return typeof value === 'object' && value !== null && typeof (value as SchemaLike).safeParse === 'function';
}

/** JSON Schema of a zod object schema, for `tools/list`. */
function jsonSchemaOf(schema: SchemaLike, io: 'input' | 'output', where: string): { type: 'object'; [key: string]: unknown } {
  const toJSONSchema = (schema as { toJSONSchema?: (options?: unknown) => unknown }).toJSONSchema;
  if (typeof toJSONSchema !== 'function') throw new Error(`${where} must be a zod 4 schema`);
  const json = toJSONSchema.call(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  if (json.type !== 'object') throw new Error(`${where} must be a zod object schema (z.object({...}))`);
  delete json.$schema;
  return json as { type: 'object'; [key: string]: unknown };
}

/** Imports the module and validates its default export. Throws an `Error` that names the problem. */
export async function loadServerModule(moduleUrl: string, serverName: string): Promise<LoadedServer> {
  const module = (await import(moduleUrl)) as { default?: unknown };
  const definition = module.default as Record<string, unknown> | undefined;
  const where = `server module ${moduleUrl} (server "${serverName}")`;
  if (typeof definition !== 'object' || definition === null) {
    throw new Error(`${where} must default-export defineServer({...})`);
  }
  const { name, version, description, tools } = definition;
  if (typeof name !== 'string' || typeof version !== 'string') {
    throw new Error(`${where}: the definition needs a string name and version`);
  }
  if (typeof tools !== 'object' || tools === null) throw new Error(`${where}: the definition needs a tools object`);

  const loaded: LoadedTool[] = [];
  const listed: Tool[] = [];
  for (const [toolName, value] of Object.entries(tools as Record<string, Record<string, unknown>>)) {
    const at = `${where}: tool "${toolName}"`;
    if (typeof value.handler !== 'function') throw new Error(`${at} needs a handler function`);
    if (!isSchema(value.inputSchema)) throw new Error(`${at} needs a zod inputSchema`);
    if (value.outputSchema !== undefined && !isSchema(value.outputSchema)) throw new Error(`${at}: outputSchema must be a zod schema`);
    loaded.push({
      name: toolName,
      inputSchema: value.inputSchema,
      outputSchema: value.outputSchema,
      handler: value.handler as LoadedTool['handler'],
    });
    const tool: Tool = { name: toolName, inputSchema: jsonSchemaOf(value.inputSchema, 'input', `${at}: inputSchema`) };
    if (typeof value.title === 'string') tool.title = value.title;
    if (typeof value.description === 'string') tool.description = value.description;
    if (value.outputSchema !== undefined) tool.outputSchema = jsonSchemaOf(value.outputSchema, 'output', `${at}: outputSchema`);
    if (typeof value.annotations === 'object' && value.annotations !== null) tool.annotations = value.annotations;
    if (value.taskSupport !== undefined) {
      if (value.taskSupport !== 'forbidden' && value.taskSupport !== 'optional' && value.taskSupport !== 'required') {
        throw new Error(`${at}: taskSupport must be "forbidden", "optional" or "required" (got ${JSON.stringify(value.taskSupport)})`);
      }
      tool.execution = { taskSupport: value.taskSupport };
    }
    listed.push(tool);
  }
  const serverDescription: ServerDescription = { name, version, tools: listed };
  if (typeof description === 'string') serverDescription.description = description;
  return { tools: loaded, description: serverDescription };
}
