/**
 * @module wire/result
 * Turns what a tool handler returned into an MCP `CallToolResult` (the rules in the README's "Writing a server").
 * Runs inside the server thread, so the main thread receives finished results.
 */
import type { CallToolResult } from './mcp-types.js';

/** True for an object that already is a `CallToolResult` (has a `content` array). */
function isCallToolResult(value: object): value is CallToolResult {
  return Array.isArray((value as { content?: unknown }).content);
}

/** True for a plain object (not an array, a class instance with a custom prototype, or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True for a value that becomes `structuredContent`: a plain object that is not already a result. */
export function isStructuredValue(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && !isCallToolResult(value);
}

/** The result of a structured value: it as `structuredContent`, and its JSON as one text block. */
export function structuredResult(structuredContent: Record<string, unknown>, json: string): CallToolResult {
  return { content: [{ type: 'text', text: json }], structuredContent };
}

/** Maps a handler's return value to a `CallToolResult`. */
export function toCallToolResult(value: unknown): CallToolResult {
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (value === undefined || value === null) return { content: [] };
  if (typeof value === 'object') {
    if (isCallToolResult(value)) return value;
    if (isPlainObject(value)) return structuredResult(value, JSON.stringify(value));
  }
  // Numbers, booleans, arrays: MCP's structuredContent must be an object, so they travel as JSON text.
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return { content: [{ type: 'text', text: String(value) }] };
  return { content: [{ type: 'text', text: JSON.stringify(value) ?? '' }] };
}

/** The `CallToolResult` of a tool that threw: a tool error, which MCP reports as a result. */
export function toToolError(error: unknown): CallToolResult {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  return { content: [{ type: 'text', text }], isError: true };
}
