/**
 * @module gateway/tool-search
 * The opt-in search mode for large tool sets (`"gateway": { "toolSearch": true }`): instead of
 * every tool, `tools/list` shows two, `search_tools` (a query in, the matching tools with their
 * input schemas out) and `call_tool` (`{ name, arguments }`: calls one of them). A client that
 * caps its tool count (128 for some) can then use an aggregate of hundreds of tools, at the cost
 * of one more round trip for the model.
 */
import type { CallToolResult } from '../wire/mcp-types.js';

/** The names of the two tools of search mode. */
export const SEARCH_TOOL = 'search_tools';
export const CALL_TOOL = 'call_tool';

/** A listed tool as the search reads it. */
export interface SearchableTool {
  name: string;
  description?: string | undefined;
  inputSchema?: unknown;
  [key: string]: unknown;
}

/** What `tools/list` shows in search mode. */
export const searchModeTools = [
  {
    name: SEARCH_TOOL,
    description:
      'Find tools by what they do. Returns the matching tools with their input schemas; call one with call_tool. An empty query lists the first tools.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Words to look for in tool names and descriptions' },
        limit: { type: 'integer', minimum: 1, maximum: 100, description: 'Most tools returned (default 20)' },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  },
  {
    name: CALL_TOOL,
    description: 'Call a tool found with search_tools, by its name, with arguments that match its input schema.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool name search_tools returned' },
        arguments: { type: 'object', description: "The tool's arguments" },
      },
      required: ['name'],
    },
  },
];

/** The tools matching `query`, best first: each word found in the name counts twice, in the description once. */
export function searchTools(tools: readonly SearchableTool[], query: string, limit = 20): SearchableTool[] {
  const words = query.toLowerCase().split(/[\s,;]+/).filter(Boolean);
  if (words.length === 0) return tools.slice(0, limit);
  const scored: { tool: SearchableTool; score: number; order: number }[] = [];
  tools.forEach((tool, order) => {
    const name = tool.name.toLowerCase();
    const description = (tool.description ?? '').toLowerCase();
    let score = 0;
    for (const word of words) score += (name.includes(word) ? 2 : 0) + (description.includes(word) ? 1 : 0);
    if (score > 0) scored.push({ tool, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, limit).map(({ tool }) => tool);
}

/** The `search_tools` answer: the tools (name, description, input schema) as structured content and text. */
export function searchResult(tools: readonly SearchableTool[], args: Record<string, unknown>): CallToolResult {
  const query = typeof args.query === 'string' ? args.query : '';
  const limit = typeof args.limit === 'number' && Number.isInteger(args.limit) && args.limit > 0 ? Math.min(args.limit, 100) : 20;
  const found = searchTools(tools, query, limit).map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
  const structuredContent = { tools: found };
  return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
}
