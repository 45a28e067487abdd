/**
 * @module workers/wasm/argument-check
 * A plugin tool's arguments checked against the top level of its JSON Schema (an object, the
 * `required` properties present, the declared primitive `type` of each property given), so a
 * malformed call fails `INVALID_ARGUMENTS` before it reaches the plugin. Deeper checks are the
 * plugin's own, as in hyper-mcp.
 */
import type { SchemaLike } from '../load-server.js';

type Issue = { path: PropertyKey[]; message: string };

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

/** A `SchemaLike` (what the frame runner validates with) for a tool's JSON Schema. */
export function schemaOf(inputSchema: Record<string, unknown>): SchemaLike {
  const required = Array.isArray(inputSchema.required) ? inputSchema.required.filter((key): key is string => typeof key === 'string') : [];
  const properties = (typeof inputSchema.properties === 'object' && inputSchema.properties !== null ? inputSchema.properties : {}) as Record<string, { type?: unknown }>;
  const typed = Object.entries(properties).flatMap(([key, schema]) => {
    const type = schema?.type;
    const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((item): item is string => typeof item === 'string') : [];
    return types.length > 0 ? [{ key, types }] : [];
  });
  return {
    safeParse(value: unknown) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { success: false, error: { issues: [{ path: [], message: 'the arguments must be an object' }] } };
      }
      const args = value as Record<string, unknown>;
      const issues: Issue[] = [];
      for (const key of required) if (!(key in args)) issues.push({ path: [key], message: 'required' });
      for (const { key, types } of typed) {
        if (key in args && !types.some((type) => typeMatches(type, args[key]))) issues.push({ path: [key], message: `must be ${types.join(' or ')}` });
      }
      return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data: value };
    },
  };
}
