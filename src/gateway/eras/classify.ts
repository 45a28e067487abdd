/**
 * @module gateway/eras/classify
 * Which era one incoming message belongs to, decided per message as the SDK does
 * (`inboundClassification.ts` of SDK v2): a message whose params carry the 2026-07-28 envelope
 * key (`_meta["io.modelcontextprotocol/protocolVersion"]`) is modern, and then `initialize`
 * and `ping` are methods it does not have; a message without the key but with an
 * `MCP-Protocol-Version` header naming a modern version is a modern request that lacks its
 * envelope (`-32602`); anything else (`initialize`, `Mcp-Session-Id`, a batch, a posted
 * response, a legacy header or none) takes the session path. stdio has no headers: the body
 * alone decides.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isModernVersion } from '../versions.js';
import type { RpcError } from '../errors.js';
import { hasEnvelopeClaim, readEnvelope } from './envelope.js';
import { versionHeader } from './headers.js';

/** The header-mismatch error of the stateless era (SEP-2243). */
export const HEADER_MISMATCH = -32020;
/** A request needs a client capability it did not declare. */
export const MISSING_CAPABILITY = -32021;
/** The request names a protocol version this server does not speak. */
export const UNSUPPORTED_VERSION = -32022;

/** What to do with one message: serve it on an era's path, or refuse it at once. */
export type Era = 'legacy' | 'modern' | { status: number; error: RpcError };

/** Classifies one parsed JSON-RPC message (not a batch) by its body and, over HTTP, its headers. */
export function classifyMessage(value: unknown, headers: IncomingHttpHeaders | undefined): Era {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'legacy';
  const { method, params } = value as { method?: unknown; params?: unknown };
  if (typeof method !== 'string') return 'legacy';
  const header = headers === undefined ? undefined : versionHeader(headers);
  const headerModern = header !== undefined && isModernVersion(header);
  const claim = hasEnvelopeClaim(params);
  if (method === 'initialize' && !(claim && typeof readEnvelope(params) === 'object')) {
    if (headerModern) return { status: 400, error: { code: HEADER_MISMATCH, message: `Bad Request: an initialize request (the legacy handshake) was sent with the modern MCP-Protocol-Version header ${header}` } };
    return 'legacy';
  }
  if (claim) return 'modern';
  if (headerModern) {
    // A modern request without its envelope: answered by the modern path's first check (-32602).
    return 'modern';
  }
  return 'legacy';
}
