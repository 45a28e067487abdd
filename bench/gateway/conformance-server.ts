/**
 * The MCP conformance suite's fixtures that a worker tool cannot provide, as an external MCP
 * server over stdio (the official SDK v2 server): resources, a resource template, prompts,
 * completion, and the tools that send requests to the client (sampling, elicitation). In
 * `npm run conformance`, `mcpool serve` fronts it, so these scenarios measure how the gateway
 * passes resources and prompts through and relays server-to-client requests.
 *
 * Each fixture returns what the suite's scenario text asks for.
 */
import { completable, fromJsonSchema, McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

/** A 1x1 red PNG. */
const RED_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const server = new McpServer(
  { name: 'conformance-fixtures', version: '1.0.0' },
  { capabilities: { resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true }, completions: {}, tools: { listChanged: true }, logging: {} } },
);

server.registerResource('static-text', 'test://static-text', { description: 'A static text resource', mimeType: 'text/plain' }, (uri) => ({
  contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
}));

server.registerResource('static-binary', 'test://static-binary', { description: 'A static binary resource (a PNG)', mimeType: 'image/png' }, (uri) => ({
  contents: [{ uri: uri.href, mimeType: 'image/png', blob: RED_PIXEL_PNG }],
}));

server.registerResource('watched-resource', 'test://watched-resource', { description: 'A resource to subscribe to', mimeType: 'text/plain' }, (uri) => ({
  contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content.' }],
}));

server.registerResource(
  'template-data',
  new ResourceTemplate('test://template/{id}/data', { list: undefined }),
  { description: 'Data for an id, from a URI template', mimeType: 'application/json' },
  (uri, { id }) => ({
    contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }) }],
  }),
);

// McpServer has no subscription handlers of its own: the suite only checks that both answer.
const subscribed = new Set<string>();
server.server.setRequestHandler('resources/subscribe', (request) => {
  subscribed.add(request.params.uri);
  return {};
});
server.server.setRequestHandler('resources/unsubscribe', (request) => {
  subscribed.delete(request.params.uri);
  return {};
});

server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' }, () => ({
  messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
}));

server.registerPrompt(
  'test_prompt_with_arguments',
  {
    description: 'A prompt with two arguments (arg1 completes from a list)',
    argsSchema: z.object({
      arg1: completable(z.string().describe('First test argument'), (value) => ['test', 'testing', 'tested'].filter((option) => option.startsWith(value))),
      arg2: z.string().describe('Second test argument'),
    }),
  },
  ({ arg1, arg2 }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
  }),
);

server.registerPrompt(
  'test_prompt_with_embedded_resource',
  { description: 'A prompt that embeds a resource', argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }) },
  ({ resourceUri }) => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  }),
);

server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, () => ({
  messages: [
    { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' } },
    { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
  ],
}));

server.registerTool('test_sampling', { description: "Asks the client's LLM (sampling)", inputSchema: z.object({ prompt: z.string() }) }, async ({ prompt }, ctx) => {
  const answer = await ctx.mcpReq.send({
    method: 'sampling/createMessage',
    params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
  });
  const content = answer.content as { text?: string };
  return { content: [{ type: 'text', text: `LLM response: ${content.text ?? ''}` }] };
});

/** Sends `elicitation/create` with `requestedSchema` and returns the answer as the suite asks. */
async function elicit(ctx: Parameters<Parameters<McpServer['registerTool']>[2]>[1], message: string, requestedSchema: Record<string, unknown>, label: string): Promise<{ content: { type: 'text'; text: string }[] }> {
  const answer = await ctx.mcpReq.send({ method: 'elicitation/create', params: { mode: 'form', message, requestedSchema } });
  return { content: [{ type: 'text', text: `${label}: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}` }] };
}

server.registerTool('test_elicitation', { description: 'Asks the user for a name and an email (elicitation)', inputSchema: z.object({ message: z.string() }) }, ({ message }, ctx) =>
  elicit(
    ctx,
    message,
    {
      type: 'object',
      properties: { username: { type: 'string', description: "User's response" }, email: { type: 'string', description: "User's email address" } },
      required: ['username', 'email'],
    },
    'User response',
  ),
);

server.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicitation with a default for every primitive type' }, (ctx) =>
  elicit(
    ctx,
    'Please review your details',
    {
      type: 'object',
      properties: {
        name: { type: 'string', default: 'John Doe' },
        age: { type: 'integer', default: 30 },
        score: { type: 'number', default: 95.5 },
        status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
        verified: { type: 'boolean', default: true },
      },
    },
    'Elicitation completed',
  ),
);

server.registerTool('test_elicitation_sep1330_enums', { description: 'Elicitation with the five enum shapes' }, (ctx) =>
  elicit(
    ctx,
    'Please choose',
    {
      type: 'object',
      properties: {
        untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
        titledSingle: {
          type: 'string',
          oneOf: [
            { const: 'value1', title: 'First Option' },
            { const: 'value2', title: 'Second Option' },
            { const: 'value3', title: 'Third Option' },
          ],
        },
        legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
        untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
        titledMulti: {
          type: 'array',
          items: {
            anyOf: [
              { const: 'value1', title: 'First Choice' },
              { const: 'value2', title: 'Second Choice' },
              { const: 'value3', title: 'Third Choice' },
            ],
          },
        },
      },
    },
    'Elicitation completed',
  ),
);

// input-required-result-non-tool-request: a prompt that asks the user (elicitation/create)
// while it is built; through the gateway a 2026-07-28 client sees an MRTR round.
server.registerPrompt('test_input_required_result_prompt', { description: 'A prompt that asks the user for context first' }, async (ctx) => {
  const answer = await ctx.mcpReq.send({
    method: 'elicitation/create',
    params: { mode: 'form', message: 'What context should the prompt use?', requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] } },
  });
  const context = (answer.content as { context?: unknown } | undefined)?.context;
  return { messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${typeof context === 'string' ? context : '(none)'}` } }] };
});

// json-schema-2020-12: a tool whose input schema uses the 2020-12 vocabulary, listed verbatim.
server.registerTool(
  'json_schema_2020_12_tool',
  {
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: fromJsonSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: {
        name: { type: 'string' },
        address: { $ref: '#/$defs/address' },
        contactMethod: { type: 'string', enum: ['phone', 'email'] },
        phone: { type: 'string' },
        email: { type: 'string' },
      },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      then: { required: ['phone'] },
      else: { required: ['email'] },
      additionalProperties: false,
    }),
  },
  () => ({ content: [{ type: 'text', text: 'json schema 2020-12 tool called' }] }),
);

// http-custom-header-server-validation: a tool with an argument its clients mirror in an
// Mcp-Param-Region header (x-mcp-header, SEP-2243); the gateway checks the header against the body.
server.registerTool(
  'test_custom_header',
  {
    description: 'Echoes its region; clients send it in the Mcp-Param-Region header too',
    // The schema extension is not in the SDK's JSON Schema type: the object goes through as written.
    inputSchema: fromJsonSchema({ type: 'object', properties: { region: { type: 'string', ...{ 'x-mcp-header': 'Region' } } }, required: ['region'] }),
  },
  (args) => ({ content: [{ type: 'text', text: `region: ${String((args as { region?: unknown }).region)}` }] }),
);

// server-stateless: tools that change this server's tool and prompt lists, so the suite sees the
// list_changed notifications reach its subscriptions/listen streams through the gateway.
const toggledTool = server.registerTool('test_toggled_tool', { description: 'Appears and disappears with test_trigger_tool_change' }, () => ({ content: [{ type: 'text', text: 'toggled' }] }));
const toggledPrompt = server.registerPrompt('test_toggled_prompt', { description: 'Appears and disappears with test_trigger_prompt_change' }, () => ({
  messages: [{ role: 'user', content: { type: 'text', text: 'toggled' } }],
}));
server.registerTool('test_trigger_tool_change', { description: 'Changes the tool list (notifications/tools/list_changed)' }, () => {
  if (toggledTool.enabled) toggledTool.disable();
  else toggledTool.enable();
  return { content: [{ type: 'text', text: 'tool list changed' }] };
});
server.registerTool('test_trigger_prompt_change', { description: 'Changes the prompt list (notifications/prompts/list_changed)' }, () => {
  if (toggledPrompt.enabled) toggledPrompt.disable();
  else toggledPrompt.enable();
  return { content: [{ type: 'text', text: 'prompt list changed' }] };
});

await server.connect(new StdioServerTransport());
