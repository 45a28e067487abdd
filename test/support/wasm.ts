/** Paths of the WebAssembly plugins the tests deploy (built by `npm run build:wasm`, committed). */
import { fileURLToPath } from 'node:url';

/** The example plugin (`examples/wasm/hello.wasm`: echo, add, sha256). */
export const helloPlugin = fileURLToPath(new URL('../../examples/wasm/hello.wasm', import.meta.url));

/** The test plugin that reaches for memory, time, traps, HTTP, files and host functions. */
export const faultyPlugin = fileURLToPath(new URL('../fixtures/wasm/faulty.wasm', import.meta.url));

/** A plugin with hyper-mcp's first interface (`describe` / `call`). */
export const v1Plugin = fileURLToPath(new URL('../fixtures/wasm/v1.wasm', import.meta.url));

/** A plugin that asks its caller (elicitation, sampling, roots) and has prompts and resources. */
export const clientPlugin = fileURLToPath(new URL('../fixtures/wasm/client.wasm', import.meta.url));
