/**
 * @module gateway/eras/headers
 * The standard request headers of the stateless era over HTTP (SEP-2243): `MCP-Protocol-Version`
 * equals the envelope's version, `Mcp-Method` names the method, and `Mcp-Name` mirrors
 * `params.name` (tools/call, prompts/get), `params.uri` (resources/read) or `params.taskId`
 * (tasks/get, tasks/update, tasks/cancel), so intermediaries can route without reading the body.
 * A value may be sent as `=?base64?<base64 of UTF-8>?=`; it is decoded before comparing.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Which body field `Mcp-Name` mirrors, per method. */
const NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

const PREFIX = '=?base64?';
const SUFFIX = '?=';
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strips optional whitespace (SP, HTAB) around a header value. */
function trimOws(value: string): string {
  // Node already strips the usual whitespace; a regex only when some is left at either end.
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first !== 32 && first !== 9 && last !== 32 && last !== 9) return value;
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** A header value as text: decoded from the base64 form, or undefined when that form is broken. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith(PREFIX) && value.endsWith(SUFFIX))) return value;
  const b64 = value.slice(PREFIX.length, value.length - SUFFIX.length);
  if (!CANONICAL_BASE64.test(b64)) return undefined;
  try {
    return UTF8.decode(Buffer.from(b64, 'base64'));
  } catch {
    return undefined;
  }
}

/** One header's value (the first, when sent twice), trimmed. */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : trimOws(first);
}

/** The `MCP-Protocol-Version` header, trimmed. */
export function versionHeader(headers: IncomingHttpHeaders): string | undefined {
  return header(headers, 'mcp-protocol-version');
}

/** Why the version header does not fit the envelope's version, or undefined when it does. */
export function versionHeaderMismatch(headers: IncomingHttpHeaders, version: string): string | undefined {
  const given = versionHeader(headers);
  if (given === undefined) return `the body names protocol version ${version} but the required MCP-Protocol-Version header is absent`;
  if (given !== version) return `the body names protocol version ${version} but the MCP-Protocol-Version header names ${given}`;
  return undefined;
}

/** Why `Mcp-Method` and `Mcp-Name` do not fit the body, or undefined when they do. */
export function routingHeaderMismatch(headers: IncomingHttpHeaders, method: string, params: Record<string, unknown>): string | undefined {
  const named = header(headers, 'mcp-method');
  if (named === undefined) return `the body names method ${method} but the required Mcp-Method header is absent`;
  if (named !== method) return `the body names method ${method} but the Mcp-Method header names ${named}`;
  const field = Object.hasOwn(NAME_SOURCE, method) ? NAME_SOURCE[method] : undefined;
  if (field === undefined) return undefined;
  const body = params[field];
  const raw = header(headers, 'mcp-name');
  if (raw === undefined) return typeof body === 'string' ? `the body carries params.${field}="${body}" but the required Mcp-Name header is absent` : undefined;
  const decoded = decodeHeaderValue(raw);
  if (decoded === undefined) return 'the Mcp-Name header carries an invalid base64 value';
  if (typeof body === 'string' && decoded !== body) return `the body carries params.${field}="${body}" but the Mcp-Name header names "${decoded}"`;
  return undefined;
}
