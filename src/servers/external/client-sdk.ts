/**
 * @module servers/external/client-sdk
 * Loads the MCP client SDK when the first external server starts, not when mcpool is imported:
 * it costs about 25 MB of memory, which a process that only runs worker servers (or a gateway
 * in front of them) should not pay.
 */
import type * as ClientSdk from '@modelcontextprotocol/client';
import type * as ClientStdio from '@modelcontextprotocol/client/stdio';

let client: typeof ClientSdk | undefined;
let stdio: typeof ClientStdio | undefined;

/** Loads the client SDK (and its stdio transport); resolves to it. */
export async function loadClientSdk(): Promise<typeof ClientSdk> {
  client ??= await import('@modelcontextprotocol/client');
  return client;
}

/** Loads the SDK's stdio client transport. */
export async function loadClientStdio(): Promise<typeof ClientStdio> {
  stdio ??= await import('@modelcontextprotocol/client/stdio');
  return stdio;
}

/** The client SDK once loaded (an external actor loads it before it connects). */
export function clientSdk(): typeof ClientSdk {
  if (client === undefined) throw new Error('the MCP client SDK is not loaded yet');
  return client;
}

/** The stdio transport module once loaded. */
export function clientStdio(): typeof ClientStdio {
  if (stdio === undefined) throw new Error('the MCP client SDK stdio transport is not loaded yet');
  return stdio;
}
