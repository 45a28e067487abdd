/**
 * @module gateway/eras/param-headers
 * Custom parameter headers of the stateless era over HTTP (SEP-2243, "Custom headers"): a tool
 * whose input schema marks a property with `"x-mcp-header": "<Name>"` has that argument mirrored
 * by its clients in an `Mcp-Param-<Name>` header, so intermediaries can route on it. The gateway
 * checks every such header against the body of a `tools/call` (the value decoded from
 * `=?base64?…?=` first; integers compared as numbers) and refuses a missing, undecodable or
 * disagreeing one with `-32020` / 400. A body without the argument (or `null`) expects no header.
 *
 * Declarations are read from the tools as listed (a worker tool's zod `.meta({ 'x-mcp-header':
 * … })` or an external server's schema, passed through verbatim). Only properties reachable
 * through a chain of `properties` keys count, with a header name that is an RFC 9110 token and a
 * primitive type, as the specification allows; a declaration anywhere else is ignored here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { decodeHeaderValue } from './headers.js';

/** One `x-mcp-header` declaration of a tool. */
export interface ParamHeader {
  /** The argument's path in `arguments` (properties, outermost first). */
  path: readonly string[];
  /** `Mcp-Param-<name>`, lower-cased as Node delivers headers. */
  header: string;
  /** As the client names it, for messages. */
  display: string;
  /** Compared as numbers when `integer` or `number`. */
  numeric: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(['string', 'integer', 'number', 'boolean']);
const DECIMAL = /^-?\d+(\.\d+)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `x-mcp-header` declarations of an input schema (usually none). */
export function paramHeadersOf(inputSchema: unknown): ParamHeader[] {
  const found: ParamHeader[] = [];
  const visit = (schema: unknown, path: string[]): void => {
    if (!isObject(schema)) return;
    const name = schema['x-mcp-header'];
    if (path.length > 0 && typeof name === 'string' && TOKEN.test(name) && typeof schema.type === 'string' && PRIMITIVE.has(schema.type)) {
      found.push({ path, header: `mcp-param-${name.toLowerCase()}`, display: `Mcp-Param-${name}`, numeric: schema.type === 'integer' || schema.type === 'number' });
    }
    const properties = schema.properties;
    if (isObject(properties)) for (const [key, child] of Object.entries(properties)) visit(child, [...path, key]);
  };
  visit(inputSchema, []);
  return found;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

function asHeaderText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Why the `Mcp-Param-*` headers do not fit the call's arguments, or undefined when they do. */
export function paramHeaderMismatch(declared: readonly ParamHeader[], args: unknown, headers: IncomingHttpHeaders): string | undefined {
  for (const param of declared) {
    const body = valueAt(args, param.path);
    const text = asHeaderText(body);
    if (text === undefined) continue;
    const raw = headers[param.header];
    const sent = Array.isArray(raw) ? raw[0] : raw;
    const where = `arguments.${param.path.join('.')}`;
    if (sent === undefined) return `the body carries ${where}=${JSON.stringify(body)} but the required ${param.display} header is absent`;
    const decoded = decodeHeaderValue(sent.trim());
    if (decoded === undefined) return `the ${param.display} header carries an invalid base64 value`;
    const equal = param.numeric && typeof body === 'number' && DECIMAL.test(decoded) ? Number(decoded) === body : decoded === text;
    if (!equal) return `the body carries ${where}=${JSON.stringify(body)} but the ${param.display} header names ${JSON.stringify(decoded)}`;
  }
  return undefined;
}
