/**
 * @module config/server-config
 * `ServerConfig`: the union of every kind's server config as users write it, what `deployServer`
 * accepts. Types only, so importing it loads no schema (each kind's schema is in its own module).
 */
import type { HttpServerInput, StdioServerInput } from './external-schema.js';
import type { NatsServerInput } from './nats-schema.js';
import type { WasmServerInput } from './wasm-schema.js';
import type { WorkerServerInput } from './worker-schema.js';

/** Any server config accepted by `deployServer`. */
export type ServerConfig = WorkerServerInput | WasmServerInput | StdioServerInput | HttpServerInput | NatsServerInput;
