/** The SDK's own stdio server (v2) serving `add`, as a baseline: `node sdk-stdio-server.js`. */
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createAddServer } from './sdk-tool.js';

await createAddServer().connect(new StdioServerTransport());
