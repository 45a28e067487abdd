/**
 * Example worker server: arithmetic and number theory. `add` is the trivial tool the benchmarks
 * use; `count_primes` is CPU-bound (a sieve of Eratosthenes).
 */
import { defineServer } from 'mcpool';
import { z } from 'zod';

export default defineServer({
  name: 'math',
  version: '1.0.0',
  description: 'Arithmetic and prime numbers',
  tools: {
    add: {
      description: 'Add two numbers',
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      outputSchema: z.object({ sum: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: ({ a, b }) => ({ sum: a + b }),
    },
    count_primes: {
      description: 'Count the primes below a limit (sieve of Eratosthenes)',
      inputSchema: z.object({ below: z.number().int().min(0).max(100_000_000) }),
      outputSchema: z.object({ below: z.number(), primes: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: ({ below }) => {
        const composite = new Uint8Array(below);
        let primes = 0;
        for (let n = 2; n < below; n++) {
          if (composite[n] === 1) continue;
          primes++;
          for (let m = n * n; m < below; m += n) composite[m] = 1;
        }
        return { below, primes };
      },
    },
  },
});
