import { defineConfig } from 'vitest/config';

// Tests run against the built output (dist/): worker threads load compiled JavaScript.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // `slow`: runs external suites (the MCP conformance suite through npx); `--tags-filter='!slow'` skips them.
    tags: [{ name: 'slow', description: 'runs an external suite (minutes, needs the npm registry)' }],
  },
});
