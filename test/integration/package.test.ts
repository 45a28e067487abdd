import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the npm package', () => {
  it('ships the library, the thread code, the bench harness, compiled examples and the licence, and no tests or TypeScript sources', async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
    const [pack] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const files = pack.files.map((file) => file.path);
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/thread-api.js');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/workers/thread-entry.js');
    expect(files).toContain('dist/bench/harness/cli.js');
    expect(files).toContain('dist/examples/math.js');
    // WebAssembly servers: the thread entry, and the built example plugin (the wasm bench scenarios deploy it).
    expect(files).toContain('dist/workers/wasm/wasm-entry.js');
    expect(files).toContain('examples/wasm/hello.wasm');
    expect(files.filter((file) => file.startsWith('dist/test') || file.startsWith('test/') || file.startsWith('dist-test/'))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });
});
