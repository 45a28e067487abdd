/**
 * @module bench/harness/bench-server
 * The benchmark's tools as an mcpool worker server module (what `mcpool bench` deploys), with
 * zod schemas as a user would write them.
 */
import { z } from 'zod';
import { defineServer } from '../../src/api/define-server.js';
import { add, hash, payload } from './tools.js';

export default defineServer({
  name: 'bench',
  version: '1.0.0',
  description: 'The tools mcpool bench measures',
  tools: {
    add: {
      description: 'Add two numbers',
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      handler: add,
    },
    hash: {
      description: 'SHA-256 hashed `rounds` times over',
      inputSchema: z.object({ text: z.string(), rounds: z.number().int().min(1) }),
      handler: hash,
    },
    payload: {
      description: 'A text result of `bytes` bytes',
      inputSchema: z.object({ bytes: z.number().int().min(0) }),
      handler: payload,
    },
  },
});
