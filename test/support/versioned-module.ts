/**
 * Worker server modules written at test time (inside the package, so they import 'mcpool' and
 * zod as any server module does), for tests that change a module under a running server.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scratch = fileURLToPath(new URL('../../.scratch/', import.meta.url));

/** A server whose `version` tool answers `{ version }` after `delayMs`. */
export function versionModule(version: number, delayMs = 2): string {
  return `import { defineServer } from 'mcpool';
import { z } from 'zod';
export default defineServer({
  name: 'versioned', version: '${version}.0.0',
  tools: {
    version: { inputSchema: z.object({}), handler: async () => { await new Promise((r) => setTimeout(r, ${delayMs})); return { version: ${version} }; } },
    v${version}_only: { inputSchema: z.object({}), handler: () => 'only in version ${version}' },
  },
});
`;
}

/** A module that fails to load. */
export const brokenModule = `import { defineServer } from 'mcpool';\nthrow new Error('this module is broken');\nexport default defineServer({ name: 'x', version: '1', tools: {} });\n`;

/** A folder for modules, removed by `remove`. */
export async function moduleFolder(): Promise<{ dir: string; write(name: string, source: string): Promise<string>; remove(): Promise<void> }> {
  await mkdir(scratch, { recursive: true });
  const dir = await mkdtemp(join(scratch, 'modules-'));
  return {
    dir,
    async write(name, source) {
      const path = join(dir, name);
      await writeFile(path, source);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
