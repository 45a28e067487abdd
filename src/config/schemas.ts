/**
 * @module config/schemas
 * The pieces every config schema is built from: the numeric and server-name field schemas, a
 * pool's thread count, module paths made `file:` URLs, and the `INVALID_CONFIG` error that names
 * each bad field. Each kind of server entry has its own module beside this one (worker-schema,
 * wasm-schema, external-schema, nats-schema); the resilience options every kind takes are in
 * resilience-schema, the manager's options in manager-options, the union in server-config.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ErrorCode, McpoolError } from '../errors/mcpool-error.js';

/** A positive integer (counts, sizes, intervals that cannot be zero). */
export const positiveInt = z.number().int().positive();
/** A non-negative integer (limits and timeouts where 0 means "none" or "off"). */
export const nonNegativeInt = z.number().int().nonnegative();

/** Server names: the gateway exposes tools as `<server>__<tool>`, the CLI as `<server>/<tool>`. */
export const serverNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must start with a letter or digit and hold only letters, digits, "_", "." and "-"')
  .max(64);

/** The threads of a worker-hosted server (worker and wasm): a count, or `{ min, max, idleTimeoutMs? }`. */
export const threadsSchema = z.union([
  positiveInt,
  z
    .strictObject({ min: nonNegativeInt, max: positiveInt, idleTimeoutMs: nonNegativeInt.optional() })
    .refine((threads) => threads.min <= threads.max, { message: 'min must not exceed max' }),
]);

/**
 * The `INVALID_CONFIG` error for zod issues, each named by its path; an unknown key is named by
 * its own path (`mcpServers.fs.arg: unknown key`), so a typo points at itself.
 */
function invalidConfig(what: string, error: z.ZodError, pathPrefix = ''): McpoolError {
  const details = error.issues.flatMap((issue) => {
    const path = [pathPrefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${path ? `${path}.` : ''}${key}: unknown key`);
    return [path ? `${path}: ${issue.message}` : issue.message];
  });
  return new McpoolError(ErrorCode.INVALID_CONFIG, `invalid ${what}: ${details.join('; ')}`, { data: error.issues });
}

/** `schema`'s parse of `value`, or the {@link invalidConfig} error naming each bad field (under `pathPrefix`). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string, pathPrefix = ''): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidConfig(what, parsed.error, pathPrefix);
  return parsed.data;
}

/** Turns a module path or URL into a `file:` URL string. */
export function moduleUrlOf(module: string | URL, baseDir = process.cwd()): string {
  if (module instanceof URL) return module.href;
  if (module.startsWith('file:')) return new URL(module).href;
  return pathToFileURL(isAbsolute(module) ? module : resolve(baseDir, module)).href;
}
