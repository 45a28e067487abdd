/**
 * @module config/nats-schema
 * A NATS server's config (`type: 'nats'`: calls go over NATS to the `mcpool node`s that serve
 * it), and how either side of the hop reaches the NATS server (`natsConnectionShape`, which
 * servers/nats/serve-over-nats also uses for the node side). Schemas, types, `resolveNatsConfig`.
 */
import { z } from 'zod';
import { resilienceShape } from './resilience-schema.js';
import { nonNegativeInt, parseOrThrow, positiveInt, serverNameSchema } from './schemas.js';

/**
 * How either side of the NATS hop reaches the NATS server: credentials (also accepted in the URL:
 * `nats://user:pass@host:4222`, `nats://token@host:4222`), a `.creds` file and TLS.
 */
export const natsConnectionShape = {
  /** The NATS server, e.g. `nats://127.0.0.1:4222` (several: comma-separated). */
  url: z.string().regex(/^(nats|tls|wss?):\/\/[^\s]+$/, 'must be a nats://, tls:// or ws(s):// URL (several: comma-separated)'),
  /** User and password. */
  user: z.string().min(1).optional(),
  pass: z.string().optional(),
  /** Token. */
  token: z.string().min(1).optional(),
  /** A NATS `.creds` file (JWT and nkey seed). */
  credsFile: z.string().min(1).optional(),
  /** TLS: `true` for the system's CAs, or the files (PEM) of a CA, a client certificate and its key. */
  tls: z.union([z.boolean(), z.strictObject({ caFile: z.string().min(1).optional(), certFile: z.string().min(1).optional(), keyFile: z.string().min(1).optional() })]).optional(),
  /** Subject namespace; caller and nodes must agree. @default 'mcpool' */
  subjectPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be NATS subject tokens (letters, digits, "_", "-") joined by "."')
    .default('mcpool'),
};

/** How to reach a NATS server, resolved. */
export type NatsConnectionConfig = z.output<z.ZodObject<typeof natsConnectionShape>>;

/** A server whose calls go over NATS to every `mcpool node` that serves it. */
export const natsServerConfigSchema = z.strictObject({
  name: serverNameSchema,
  type: z.literal('nats'),
  ...natsConnectionShape,
  /** The server's name on the nodes. @default name */
  remoteName: serverNameSchema.optional(),
  /** Per-call timeout for this server. @default the manager's defaultTimeoutMs */
  timeoutMs: nonNegativeInt.optional(),
  /** Admitted calls beyond those in flight; past it calls reject with `OVERLOADED`. @default unbounded */
  maxQueue: nonNegativeInt.optional(),
  /** Frames (many calls each) in flight at once. @default 16 */
  framesInFlight: positiveInt.default(16),
  /** A frame no node acknowledged within this time was never accepted: its calls go to another node. @default 2_000 */
  ackTimeoutMs: positiveInt.default(2_000),
  /** A node that holds accepted calls and is silent this long (missed heartbeats) is dead. @default 1_500 */
  deadNodeMs: positiveInt.default(1_500),
  /** How often the nodes are discovered (`$SRV.STATS`). @default 2_000 */
  discoveryIntervalMs: positiveInt.default(2_000),
  ...resilienceShape,
});

/** A NATS server's config as users write it. */
export type NatsServerInput = z.input<typeof natsServerConfigSchema>;
/** A NATS server's config, resolved. */
export type NatsServerConfig = z.output<typeof natsServerConfigSchema>;

/** Validates a NATS server's config. */
export function resolveNatsConfig(config: unknown): NatsServerConfig {
  return parseOrThrow(natsServerConfigSchema, config, 'server config');
}
