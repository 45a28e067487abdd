/**
 * Example worker server: hashing. `sha256` hashes a text, optionally many rounds over (each round
 * hashes the previous digest), which makes a tunable CPU-bound tool: about 1 ms per 1,000 rounds here.
 */
import { createHash } from 'node:crypto';
import { defineServer } from 'mcpool';
import { z } from 'zod';

export default defineServer({
  name: 'hash',
  version: '1.0.0',
  description: 'Cryptographic hashes of texts',
  tools: {
    sha256: {
      description: 'SHA-256 of a text, hashed `rounds` times over (hex digest)',
      inputSchema: z.object({ text: z.string(), rounds: z.number().int().min(1).max(1_000_000).default(1) }),
      outputSchema: z.object({ digest: z.string(), rounds: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: ({ text, rounds }) => {
        let digest = createHash('sha256').update(text).digest();
        for (let i = 1; i < rounds; i++) digest = createHash('sha256').update(digest).digest();
        return { digest: digest.toString('hex'), rounds };
      },
    },
  },
});
