#!/usr/bin/env node
/**
 * @module bench/harness/sdk-stdio-server
 * The SDK benchmark server as a process speaking MCP over stdio: the `mcp-sdk-stdio` system
 * spawns it with `node` and calls it with the SDK client.
 */
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createSdkServer } from './sdk-server.js';

// The SDK's transport waits for 'drain' once per pending write under load; that is not a leak.
process.stdout.setMaxListeners(0);
await createSdkServer().connect(new StdioServerTransport());
