/**
 * @module cli/serve-config-thread
 * The thread that reads and validates `mcpool serve`'s config for its main thread
 * (cli/serve-config): it alone loads zod and the schemas, resolves the manager options and each
 * server, posts them back and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolveManagerOptions } from '../config/manager-options.js';
import { ErrorCode, toWire } from '../errors/mcpool-error.js';
import { resolveServer } from '../servers/resolve-server.js';
import type { ServeConfigReply, ServeConfigRequest } from './serve-config.js';
import { readConfig } from './servers.js';

/** The reply to the request: the resolved config, or the error that stops it. */
async function answer(request: ServeConfigRequest): Promise<ServeConfigReply> {
  try {
    const config = await readConfig(request.configFlag, request.cwd, request.env);
    const manager = resolveManagerOptions(config?.manager ?? {});
    const servers = config?.servers ?? request.fallback;
    // A server that fails here fails again as the main thread deploys it, with the same error.
    const resolved = await Promise.all(servers.map((server) => resolveServer(server).catch(() => undefined)));
    return { ok: true, config, manager, servers, resolved };
  } catch (error) {
    return { ok: false, error: toWire(error, ErrorCode.INVALID_CONFIG) };
  }
}

parentPort!.postMessage(await answer(workerData as ServeConfigRequest));
